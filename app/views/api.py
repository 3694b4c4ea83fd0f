"""JSON API for scripts and the pipeline. Bearer tokens only (never the session cookie,
so CSRF does not apply). Request bodies are checked against an allow-list of fields:
approval fields (who approved, which hash) are always set by the server."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from app.views import run_to_dict, settings
from portal import db, lifecycle, logs
from portal.lifecycle import now_utc
from portal.models import ApiToken, Run
from portal.security import token_digest

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _error(status: int, message: str):
    return jsonify({"error": message}), status


@bp.before_request
def authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        response = jsonify({"error": "Send an API token: Authorization: Bearer <token>."})
        response.headers["WWW-Authenticate"] = 'Bearer realm="portal"'
        return response, 401
    row = db.session.scalars(
        select(ApiToken).where(ApiToken.token_sha256 == token_digest(token.strip()))
    ).one_or_none()
    if row is None or row.revoked_at is not None or not row.user.active:
        return _error(401, "This API token is not valid (unknown, revoked or user disabled).")
    row.last_used_at = now_utc()
    db.session.commit()
    g.api_user = row.user
    return None


class BadRequest(Exception):  # noqa: N818 - reads as the HTTP answer
    """The request body is not what the endpoint takes (400); not a domain refusal."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@bp.errorhandler(BadRequest)
def bad_request(error: BadRequest):
    return _error(400, error.message)


def _body(allowed: set[str]) -> dict[str, Any]:
    data = request.get_json(silent=True)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    unknown = set(data) - allowed
    if unknown:
        raise BadRequest(
            f"Unknown field(s): {', '.join(sorted(unknown))}. Allowed: "
            f"{', '.join(sorted(allowed)) or 'none'}. Approval details are set by the server."
        )
    return data


@bp.errorhandler(lifecycle.RunError)
def run_error(error: lifecycle.RunError):
    status = error.status
    db.session.rollback()
    return _error(status, error.message)


def _run(run_id: int, for_update: bool = False) -> Run:
    run = db.session.get(Run, run_id, with_for_update=for_update)
    if run is None:
        raise lifecycle.NotFound(f"There is no run {run_id}.")
    return run


@bp.get("/environments")
def environments():
    rows = lifecycle.sync_environments(db.session(), settings())
    db.session.commit()
    return jsonify(
        [
            {
                "name": env.name,
                "lock_run_id": env.lock_run_id,
                "locked_by": env.lock_run.requested_by.username if env.lock_run else None,
                "ready": lifecycle.readiness_problem(settings(), env) is None,
            }
            for env in rows
        ]
    )


@bp.get("/environments/<name>")
def environment(name: str):
    env = lifecycle.find_environment(db.session(), settings(), name)
    db.session.commit()
    return jsonify(
        {
            "name": env.name,
            "your_role": g.api_user.role_for(name),
            "approvals_required": settings().approvals_required(name),
            "lock_run_id": env.lock_run_id,
            # Sensitive outputs have no value here: the worker masked them before storing.
            "outputs": env.outputs,
            "resources": env.resources,
            "state_read_run_id": env.state_read_run_id,
            "state_read_at": env.state_read_at.isoformat() if env.state_read_at else None,
            "state_set_aside_at": env.state_set_aside_at.isoformat()
            if env.state_set_aside_at
            else None,
        }
    )


@bp.post("/runs")
def create_run():
    body = _body({"environment", "message"})
    if not isinstance(body.get("environment"), str):
        raise BadRequest('Give the environment to plan: {"environment": "local"}.')
    run = lifecycle.request_plan(
        db.session(), settings(), body["environment"], g.api_user, str(body.get("message", ""))
    )
    db.session.commit()
    return jsonify(run_to_dict(run)), 202


@bp.get("/runs/<int:run_id>")
def get_run(run_id: int):
    return jsonify(run_to_dict(_run(run_id)))


@bp.get("/runs/<int:run_id>/log")
def get_log(run_id: int):
    _run(run_id)
    lines = logs.lines_after(db.session(), run_id, request.args.get("after", 0, type=int))
    return jsonify([{"offset": ln.offset, "phase": ln.phase, "text": ln.text} for ln in lines])


@bp.post("/runs/<int:run_id>/approve")
def approve(run_id: int):
    body = _body({"comment"})
    run = _run(run_id, for_update=True)
    lifecycle.approve(db.session(), settings(), run, g.api_user, str(body.get("comment", "")))
    db.session.commit()
    return jsonify(run_to_dict(run))


@bp.post("/runs/<int:run_id>/reject")
def reject(run_id: int):
    body = _body({"comment"})
    run = _run(run_id, for_update=True)
    lifecycle.reject(db.session(), settings(), run, g.api_user, str(body.get("comment", "")))
    db.session.commit()
    return jsonify(run_to_dict(run))


@bp.post("/runs/<int:run_id>/apply")
def apply(run_id: int):
    _body(set())
    run = _run(run_id, for_update=True)
    lifecycle.request_apply(db.session(), run, g.api_user)
    db.session.commit()
    return jsonify(run_to_dict(run)), 202


@bp.post("/runs/<int:run_id>/cancel")
def cancel(run_id: int):
    body = _body({"force"})
    run = _run(run_id, for_update=True)
    outcome = lifecycle.cancel(
        db.session(), settings(), run, g.api_user, force=bool(body.get("force", False))
    )
    db.session.commit()
    return jsonify({"outcome": outcome, "run": run_to_dict(run)}), 202
