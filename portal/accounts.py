"""Managing users, their roles per environment and their API tokens: one set of rules for
the admin page and the ``flask users`` commands. Every change is audited, and every change
that takes rights away ends the user's browser sessions so open pages keep no old rights.
Callers commit."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import audit
from portal.models import ApiToken, Environment, Role, RoleGrant, User, utcnow
from portal.security import MIN_PASSWORD_LENGTH, generate_password, hash_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
ROLES = tuple(role.value for role in Role)

Actor = User | str


class AccountError(ValueError):
    """A change that cannot be made; the message says what to do instead."""


def find_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise AccountError(f"There is no user {username}.")
    return user


def _role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    return role


def create_user(
    session: Session, actor: Actor, username: str, role: str, password: str | None = None
) -> tuple[User, str | None]:
    """Create a user; returns the generated password (shown once) if none was given."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError(
            "User names are 2-64 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (e.g. jane.doe)."
        )
    if session.scalars(select(User).where(User.username == username)).first():
        raise AccountError(f"User {username} already exists.")
    generated = None
    if password is None:
        password = generated = generate_password()
    try:
        password_hash = hash_password(password)
    except ValueError as error:
        message = f"Passwords must be at least {MIN_PASSWORD_LENGTH} characters."
        raise AccountError(message) from error
    user = User(username=username, role=_role(role), password_hash=password_hash)
    session.add(user)
    session.flush()
    audit.record(session, "user.created", actor, username=username, role=role)
    return user, generated


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count(User.id)).where(User.role == Role.ADMIN.value, User.active.is_(True))
        )
        or 0
    )


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role == Role.ADMIN.value and user.active and _active_admins(session) <= 1:
        raise AccountError(
            f"{user.username} is the last active admin: make another user admin first, so "
            "someone can still manage users."
        )


def set_role(session: Session, actor: Actor, user: User, role: str) -> None:
    """Change the default role (used on every environment without a grant)."""
    old = user.role
    if _role(role) == old:
        return
    if role != Role.ADMIN.value:
        _keep_an_admin(session, user)
    user.role = role
    user.end_sessions()
    audit.record(session, "user.role_changed", actor, username=user.username, old=old, new=role)


def grant(session: Session, actor: Actor, user: User, environment: str, role: str | None) -> None:
    """Give ``user`` ``role`` on one environment, or (role None) fall back to the default."""
    if session.get(Environment, environment) is None:
        raise AccountError(f"There is no environment named {environment}.")
    existing = next((g for g in user.grants if g.environment_name == environment), None)
    old = existing.role if existing else None
    if role is None:
        if existing is None:
            return
        user.grants.remove(existing)
    else:
        _role(role)
        if old == role:
            return
        if existing is None:
            user.grants.append(
                RoleGrant(environment_name=environment, role=role, granted_by=_name(actor))
            )
        else:
            existing.role, existing.granted_by, existing.granted_at = role, _name(actor), utcnow()
    user.end_sessions()
    audit.record(
        session,
        "user.grant_changed",
        actor,
        environment=environment,
        username=user.username,
        old=old or f"default ({user.role})",
        new=role or f"default ({user.role})",
    )


def set_active(session: Session, actor: Actor, user: User, active: bool) -> None:
    if user.active == active:
        return
    if not active:
        _keep_an_admin(session, user)
    user.active = active
    user.end_sessions()
    audit.record(
        session, "user.enabled" if active else "user.disabled", actor, username=user.username
    )


def reset_password(session: Session, actor: Actor, user: User) -> str:
    """A new generated password (returned once); ends every session of the user."""
    password = generate_password()
    user.password_hash = hash_password(password)
    user.end_sessions()
    audit.record(session, "user.password_reset", actor, username=user.username)
    return password


def revoke_token(session: Session, actor: Actor, token: ApiToken) -> bool:
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record(session, "token.revoked", actor, name=token.name, username=token.user.username)
    return True


def _name(actor: Actor) -> str:
    return actor.username if isinstance(actor, User) else actor
