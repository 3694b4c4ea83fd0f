"""Liveness for load balancers and container health checks (no sign-in, no details)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, send_from_directory
from sqlalchemy import text

from portal import db, messaging

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - report, never raise, from a health check
        checks["database"] = "unavailable"
    try:
        messaging.redis_client().ping()
        checks["redis"] = "ok"
    except Exception:  # noqa: BLE001
        checks["redis"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return jsonify({"status": "ok" if healthy else "degraded", **checks}), 200 if healthy else 503


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on every page; answer with the portal's icon."""
    return send_from_directory(
        current_app.static_folder or "static",
        "favicon.svg",
        mimetype="image/svg+xml",
        max_age=86400,
    )
