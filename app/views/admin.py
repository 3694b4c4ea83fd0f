"""Admin: users, their default role, their role per environment, and their API tokens.
Every change goes through app.accounts (audited; taking rights away signs the user out)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from app.forms import ActionForm, GrantForm, NewUserForm, RoleForm
from app.views import me, permission_required, settings
from portal import accounts, db, lifecycle
from portal.models import ApiToken, User
from portal.permissions import Permission

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id, with_for_update=True)
    if user is None:
        abort(404, f"There is no user {user_id}.")
    return user


def _page(status: int = 200, *, new_user_form: NewUserForm | None = None, shown_once=None):
    environments = [env.name for env in lifecycle.sync_environments(db.session(), settings())]
    db.session.commit()
    users = db.session.scalars(select(User).order_by(User.username)).all()
    tokens = db.session.scalars(select(ApiToken).order_by(ApiToken.user_id, ApiToken.id)).all()
    by_user: dict[int, list[ApiToken]] = {}
    for token in tokens:
        by_user.setdefault(token.user_id, []).append(token)
    return render_template(
        "admin_users.html",
        users=users,
        tokens=by_user,
        environments=environments,
        approvals={name: settings().approvals_required(name) for name in environments},
        roles=accounts.ROLES,
        new_user_form=new_user_form or NewUserForm(),
        action_form=ActionForm(),
        shown_once=shown_once,
    ), status


@bp.get("/users")
@login_required
@permission_required(Permission.MANAGE_USERS)
def users():
    return _page()


def _change(apply, success: str):
    """Run one account change; a broken rule is shown on the page instead of committed."""
    try:
        result = apply()
        db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return None, False
    if success:
        flash(success, "info")
    return result, True


@bp.post("/users")
@login_required
@permission_required(Permission.MANAGE_USERS)
def create_user():
    form = NewUserForm()
    if not form.validate_on_submit():
        flash("Give a user name and a role.", "error")
        return _page(400, new_user_form=form)
    created, ok = _change(
        lambda: accounts.create_user(
            db.session(), me(), form.username.data or "", form.role.data or ""
        ),
        "",
    )
    if not ok:
        return _page(400, new_user_form=form)
    user, password = created
    # Rendered, not flashed: a flash message would sit in the (signed, not encrypted)
    # session cookie.
    return _page(201, shown_once=(user.username, password))


@bp.post("/users/<int:user_id>/role")
@login_required
@permission_required(Permission.MANAGE_USERS)
def set_role(user_id: int):
    form = RoleForm()
    user = _user_or_404(user_id)
    if form.validate_on_submit():
        _change(
            lambda: accounts.set_role(db.session(), me(), user, form.role.data or ""),
            f"{user.username} now has the default role {form.role.data}.",
        )
    else:
        flash(f"Choose one of: {', '.join(accounts.ROLES)}.", "error")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/grants")
@login_required
@permission_required(Permission.MANAGE_USERS)
def grant(user_id: int):
    form = GrantForm()
    user = _user_or_404(user_id)
    if form.validate_on_submit():
        role = form.role.data or None  # "" = back to the default role
        environment = form.environment.data or ""
        _change(
            lambda: accounts.grant(db.session(), me(), user, environment, role),
            f"{user.username} on {environment}: {role or 'default role'}.",
        )
    else:
        flash("Choose an environment and a role (or 'default').", "error")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@login_required
@permission_required(Permission.MANAGE_USERS)
def set_active(user_id: int):
    user = _user_or_404(user_id)
    if ActionForm().validate_on_submit():
        active = request.form.get("active") == "true"
        _change(
            lambda: accounts.set_active(db.session(), me(), user, active),
            f"{user.username} {'enabled' if active else 'disabled and signed out'}.",
        )
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@login_required
@permission_required(Permission.MANAGE_USERS)
def reset_password(user_id: int):
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.users"))
    password, ok = _change(lambda: accounts.reset_password(db.session(), me(), user), "")
    return _page(shown_once=(user.username, password)) if ok else redirect(url_for("admin.users"))


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
@permission_required(Permission.MANAGE_USERS)
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id, with_for_update=True)
    if token is None:
        abort(404, f"There is no token {token_id}.")
    if ActionForm().validate_on_submit():
        _change(
            lambda: accounts.revoke_token(db.session(), me(), token),
            f"Token {token.name} of {token.user.username} revoked.",
        )
    return redirect(url_for("admin.users"))
