"""Who may do what. One table, checked by the views, the API and the tests."""

from __future__ import annotations

from enum import StrEnum

from app.models import Role


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
