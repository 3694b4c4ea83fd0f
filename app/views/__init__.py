"""Blueprints of the portal, one per area, and the helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app
from flask_login import current_user

from portal import db
from portal.models import Run, User
from portal.permissions import Permission, user_may
from portal.settings import Settings


def me() -> User:
    return current_user._get_current_object()  # the real User, not the proxy


def settings() -> Settings:
    return current_app.config["PORTAL_SETTINGS"]


def ensure(permission: Permission, environment: str | None) -> None:
    """403 unless the signed-in user holds ``permission`` on ``environment``."""
    from portal.lifecycle import not_allowed_message

    if not user_may(me(), permission, environment):
        abort(403, not_allowed_message(me(), permission, environment))


def permission_required(permission: Permission) -> Callable:
    """For views that are not about one environment (managing users)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            ensure(permission, None)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def run_or_404(run_id: int, *, for_update: bool = False) -> Run:
    if for_update:
        run = db.session.get(Run, run_id, with_for_update=True)
    else:
        run = db.session.get(Run, run_id)
    if run is None:
        abort(404, f"There is no run {run_id}.")
    return run


def run_to_dict(run: Run) -> dict[str, Any]:
    plan = run.plan
    return {
        "id": run.id,
        "environment": run.environment_name,
        "state": run.state,
        "status_detail": run.status_detail,
        "message": run.message,
        "requested_by": run.requested_by.username,
        "created_at": run.created_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "apply_requested_at": run.apply_requested_at.isoformat()
        if run.apply_requested_at
        else None,
        "plan": None
        if plan is None
        else {
            "sha256": plan.sha256,
            "code_revision": plan.code_revision,
            "state_serial": plan.state_serial,
            "state_lineage": plan.state_lineage,
            "created_at": plan.created_at.isoformat(),
            "has_changes": plan.has_changes,
            "summary": plan.summary,
        },
        "approvals_required": settings().approvals_required(run.environment_name),
        "approvals": [
            {
                "decision": a.decision,
                "by": a.user.username,
                "comment": a.comment,
                "plan_sha256": a.plan_sha256,
                "at": a.created_at.isoformat(),
            }
            for a in run.approvals
        ],
    }
