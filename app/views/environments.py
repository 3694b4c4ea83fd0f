"""Environments: their lock (and who holds it), last run, and starting a plan."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import select

from app.forms import ActionForm, PlanForm
from app.views import ensure, me, settings
from portal import db, lifecycle
from portal.models import Run
from portal.permissions import Permission, user_may

bp = Blueprint("environments", __name__)


def _overview() -> list[dict]:
    rows = []
    for env in lifecycle.sync_environments(db.session(), settings()):
        last = db.session.scalars(
            select(Run).where(Run.environment_name == env.name).order_by(Run.id.desc()).limit(1)
        ).first()
        queued = db.session.scalars(
            select(Run)
            .where(
                Run.environment_name == env.name,
                Run.state == "queued",
                Run.id != (env.lock_run_id or 0),
            )
            .order_by(Run.id)
        ).all()
        rows.append(
            {
                "env": env,
                "holder": env.lock_run,
                "last": last,
                "queued": queued,
                "problem": lifecycle.readiness_problem(settings(), env),
                "settings_names": sorted(settings().terraform_settings(env.name)),
                "approvals_required": settings().approvals_required(env.name),
                "role": me().role_for(env.name),
            }
        )
    db.session.commit()
    return rows


@bp.route("/")
@login_required
def index():
    rows = _overview()
    form = PlanForm()
    user = me()
    plannable = [r["env"].name for r in rows if user_may(user, Permission.PLAN, r["env"].name)]
    form.environment.choices = [(name, name) for name in plannable]
    ready = [r["env"].name for r in rows if r["problem"] is None and r["env"].name in plannable]
    if ready and not form.environment.data:
        form.environment.data = "local" if "local" in ready else ready[0]
    return render_template(
        "environments.html", rows=rows, form=form, unlock_form=ActionForm(), can_plan=plannable
    )


@bp.route("/environments/<name>")
@login_required
def detail(name: str):
    try:
        env = lifecycle.find_environment(db.session(), settings(), name)
    except lifecycle.NotFound as error:
        abort(404, error.message)
    db.session.commit()
    runs = db.session.scalars(
        select(Run).where(Run.environment_name == name).order_by(Run.id.desc()).limit(20)
    ).all()
    user = me()
    return render_template(
        "environment.html",
        env=env,
        runs=runs,
        role=user.role_for(name),
        approvals_required=settings().approvals_required(name),
        problem=lifecycle.readiness_problem(settings(), env),
        settings_names=sorted(settings().terraform_settings(name)),
        unlock_form=ActionForm(),
    )


@bp.route("/plan", methods=["POST"])
@login_required
def start_plan():
    form = PlanForm()
    form.environment.choices = [(n, n) for n in lifecycle.environment_names(settings())]
    if not form.validate_on_submit():
        flash("Pick an environment to plan.", "error")
        return redirect(url_for("environments.index"))
    ensure(Permission.PLAN, form.environment.data)
    try:
        run = lifecycle.request_plan(
            db.session(), settings(), form.environment.data, me(), form.message.data or ""
        )
        db.session.commit()
    except lifecycle.RunError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("environments.index"))
    return redirect(url_for("runs.detail", run_id=run.id))


@bp.route("/environments/<name>/unlock", methods=["POST"])
@login_required
def force_unlock(name: str):
    ensure(Permission.FORCE_UNLOCK, name)
    try:
        holder = lifecycle.force_unlock(db.session(), name, me())
        db.session.commit()
        flash(f"{name} unlocked" + (f"; run #{holder} was stopped." if holder else "."), "info")
    except lifecycle.RunError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("environments.index"))
