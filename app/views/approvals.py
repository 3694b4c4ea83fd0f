"""The approvals inbox: plans waiting for someone other than their requester."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy import select

from app.views import me
from portal import db, lifecycle
from portal.models import Run
from portal.states import RunState

bp = Blueprint("approvals", __name__)


@bp.route("/approvals")
@login_required
def inbox():
    waiting = db.session.scalars(
        select(Run).where(Run.state == RunState.AWAITING_APPROVAL.value).order_by(Run.id)
    ).all()
    user = me()
    return render_template(
        "approvals.html",
        # Only what this user may decide now: their role on the run's environment allows
        # it, they did not request it and have not decided on it yet.
        mine=[r for r in waiting if lifecycle.can_approve(user, r)],
        own=[r for r in waiting if r.requested_by_id == user.id],
    )
