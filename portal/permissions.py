"""Who may do what. One table, checked by the views, the API and the tests.

A user has a default role and, optionally, a different role on single environments
(operator on dev, viewer on prod). Every permission except managing users is checked on
the environment it concerns."""

from __future__ import annotations

from enum import StrEnum

from portal.models import Role, User


class Permission(StrEnum):
    VIEW = "view"
    PLAN = "plan"  # planning executes repository code on a worker
    APPLY = "apply"
    CANCEL = "cancel"
    APPROVE = "approve"
    FORCE_UNLOCK = "force_unlock"
    MANAGE_USERS = "manage_users"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.VIEW}),
    Role.OPERATOR: frozenset(
        {Permission.VIEW, Permission.PLAN, Permission.APPLY, Permission.CANCEL}
    ),
    Role.APPROVER: frozenset({Permission.VIEW, Permission.APPROVE}),
    Role.ADMIN: frozenset(Permission),
}


def role_allows(role: Role | str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


# Not about any one environment: always checked against the default role.
GLOBAL_PERMISSIONS = frozenset({Permission.MANAGE_USERS})


def user_may(user: User, permission: Permission, environment: str | None = None) -> bool:
    """Whether ``user`` holds ``permission`` on ``environment`` (or anywhere, for None)."""
    if permission in GLOBAL_PERMISSIONS or environment is None:
        return role_allows(user.role, permission)
    return role_allows(user.role_for(environment), permission)


def user_may_somewhere(user: User, permission: Permission) -> bool:
    """For navigation: whether any environment (or the default role) allows it."""
    if permission in GLOBAL_PERMISSIONS:
        return role_allows(user.role, permission)
    roles = {user.role, *(grant.role for grant in user.grants)}
    return any(role_allows(role, permission) for role in roles)
