"""The self-service portal: sign in, plan and apply Terraform environments through Celery
workers, four-eyes approvals, live logs and an append-only audit log.

``create_app()`` is the application factory (``flask --app app run``; gunicorn
``"app:create_app()"``). Settings come from environment variables (``app.settings``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from app.extensions import csrf, login_manager
from portal import audit, connections, db
from portal.settings import Settings

log = logging.getLogger(__name__)


def create_app(overrides: dict[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        WTF_CSRF_TIME_LIMIT=None,  # tokens are tied to the session, which expires anyway
        MAX_CONTENT_LENGTH=1024 * 1024,
        PORTAL_SETTINGS=settings,
        REAP_EVERY_SECONDS=5,
    )
    app.config.update(overrides or {})

    connections.connect(settings)

    csrf.init_app(app)
    login_manager.init_app(app)

    from app.views import admin, api, approvals, audit_log, auth, environments, health, runs

    blueprints = (
        auth.bp,
        environments.bp,
        runs.bp,
        approvals.bp,
        audit_log.bp,
        admin.bp,
        api.bp,
        health.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)  # bearer tokens only, never cookies: nothing for CSRF to ride on

    from app.cli import register_cli

    register_cli(app)
    _register_hooks(app)
    return app


def _register_hooks(app: Flask) -> None:
    from portal import lifecycle

    last_reap = {"at": 0.0}

    @app.before_request
    def remember_client_address() -> None:
        # Audit events recorded while serving this request name the client's address.
        audit.set_client_address(request.remote_addr)

    @app.before_request
    def reap_expired_runs() -> None:
        # Pages double as a watchdog: even with every worker (and its beat) dead, a run
        # whose heartbeat expired is failed as soon as anyone looks.
        if request.endpoint in (None, "static", "health.healthz") or request.path.endswith(
            "/events"
        ):
            return
        now = time.monotonic()
        if now - last_reap["at"] < app.config["REAP_EVERY_SECONDS"]:
            return
        last_reap["at"] = now
        try:
            lifecycle.reap(db.session(), app.config["PORTAL_SETTINGS"])
            db.session.commit()
        except Exception:  # noqa: BLE001 - never fail a page because of the watchdog
            db.session.rollback()
            log.exception("reaper failed")

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:",
        )
        return response

    @app.teardown_appcontext
    def remove_session(_exc: BaseException | None) -> None:
        db.session.remove()
        audit.set_client_address(None)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template(
            "error.html",
            title="Form expired",
            message=f"{error.description} Reload the page and try again.",
        ), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template(
            "error.html", title="Not allowed", message=getattr(error, "description", "")
        ), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template(
            "error.html", title="Not found", message=getattr(error, "description", "")
        ), 404

    @app.context_processor
    def template_helpers() -> dict[str, Any]:
        from flask_login import current_user

        from portal.permissions import Permission, user_may, user_may_somewhere

        def can(permission: str, environment: str | None = None) -> bool:
            """On one environment, or (without one) on any: for navigation and forms."""
            if not current_user.is_authenticated:
                return False
            user, wanted = current_user._get_current_object(), Permission(permission)
            if environment is None:
                return user_may_somewhere(user, wanted)
            return user_may(user, wanted, environment)

        return {"can": can}
