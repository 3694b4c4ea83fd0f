"""Sign-in (password or trusted SSO header), sign-out, and personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from app.extensions import login_manager
from app.forms import ActionForm, LoginForm, TokenForm
from app.redirects import safe_next
from portal import audit, db
from portal.lifecycle import now_utc
from portal.models import ApiToken, LoginAttempt, User
from portal.security import hash_password, needs_rehash, new_api_token, verify_password
from portal.settings import Settings

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session names the user *and* their session generation (User.get_id): after a
    sign-out, a password reset, a role change or disabling, every older cookie stops
    working, wherever it was copied to."""
    user_id, _, generation = session_id.partition(".")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


@login_manager.request_loader
def load_user_from_sso_header(req) -> User | None:
    """Trust an identity header only when it is enabled and the request comes straight
    from a configured proxy (which must strip the header from client requests)."""
    settings: Settings = current_app.config["PORTAL_SETTINGS"]
    if not settings.trusted_sso_header or req.remote_addr not in settings.trusted_proxies:
        return None
    username = req.headers.get(settings.trusted_sso_header, "").strip()
    if not username:
        return None
    user = db.session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None or not user.active:
        return None
    audit.record(db.session(), "auth.sso", user)
    db.session.commit()
    return user


def _client_addr() -> str:
    return request.remote_addr or "unknown"


# Spraying many user names from one address is throttled too, at a higher bar.
ADDRESS_FAILURE_FACTOR = 4


def is_throttled(username: str, remote_addr: str, settings: Settings) -> bool:
    """Too many recent failures for this user name from this address, or from this
    address over all user names."""
    since = now_utc() - timedelta(seconds=settings.login_window)
    failures = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.remote_addr == remote_addr,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= since,
        )
    )
    for_user = db.session.scalar(failures.where(LoginAttempt.username == username)) or 0
    if for_user >= settings.login_max_failures:
        return True
    from_address = db.session.scalar(failures) or 0
    return from_address >= settings.login_max_failures * ADDRESS_FAILURE_FACTOR


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("environments.index"))
    settings: Settings = current_app.config["PORTAL_SETTINGS"]
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        addr = _client_addr()
        if is_throttled(username, addr, settings):
            audit.record(db.session(), "auth.throttled", username)
            db.session.commit()
            minutes = settings.login_window // 60
            flash(
                f"Too many failed sign-ins for {username} from your address. "
                f"Try again in {minutes} minutes.",
                "error",
            )
            return render_template("login.html", form=form), 429
        user = db.session.scalars(select(User).where(User.username == username)).one_or_none()
        ok = verify_password(user.password_hash if user else None, form.password.data)
        db.session.add(LoginAttempt(username=username, remote_addr=addr, succeeded=ok))
        if ok and user is not None and user.active:
            if needs_rehash(user.password_hash or ""):
                user.password_hash = hash_password(form.password.data)
            user.last_login_at = now_utc()
            audit.record(db.session(), "auth.login", user)
            db.session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("environments.index")))
        audit.record(db.session(), "auth.login_failed", username)
        db.session.commit()
        flash("Wrong user name or password.", "error")
        status = 401
    return render_template("login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = ActionForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        user.end_sessions()  # this cookie and every copy of it, on every device
        audit.record(db.session(), "auth.logout", user)
        db.session.commit()
        logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        token, digest = new_api_token()
        db.session.add(
            ApiToken(
                user_id=current_user.id,
                name=form.name.data.strip(),
                token_sha256=digest,
                prefix=token[:10],
            )
        )
        audit.record(
            db.session(),
            "token.created",
            current_user._get_current_object(),
            name=form.name.data.strip(),
        )
        db.session.commit()
        created = token
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)
    ).all()
    return render_template(
        "tokens.html", form=form, tokens=rows, created=created, revoke_form=ActionForm()
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.tokens"))
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        return render_template("error.html", title="Not found", message="No such token."), 404
    if token.revoked_at is None:
        token.revoked_at = now_utc()
        audit.record(
            db.session(), "token.revoked", current_user._get_current_object(), name=token.name
        )
        db.session.commit()
    flash(f"Token {token.name} revoked.", "info")
    return redirect(url_for("auth.tokens"))
