"""Role permissions: the whole matrix, so a change to it is a deliberate test change."""

from __future__ import annotations

import pytest

from portal.models import Role
from portal.permissions import Permission, role_allows

P = Permission
MATRIX = {
    Role.VIEWER: {P.VIEW},
    Role.OPERATOR: {P.VIEW, P.PLAN, P.APPLY, P.CANCEL},
    Role.APPROVER: {P.VIEW, P.APPROVE},
    Role.ADMIN: set(Permission),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_role_permission_matrix(role: Role, permission: Permission) -> None:
    assert role_allows(role, permission) is (permission in MATRIX[role])


def test_only_operators_and_admins_may_plan_because_planning_runs_repository_code() -> None:
    assert {r for r in Role if role_allows(r, P.PLAN)} == {Role.OPERATOR, Role.ADMIN}


def test_unknown_role_has_no_permission() -> None:
    assert not role_allows("superuser", P.VIEW)


def _user(role: str, **grants: str):  # type: ignore[no-untyped-def]
    from portal.models import RoleGrant, User

    user = User(id=1, username="u", role=role, active=True)
    user.grants = [RoleGrant(environment_name=env, role=r) for env, r in grants.items()]
    return user


def test_a_grant_replaces_the_default_role_on_its_environment_only() -> None:
    from portal.permissions import user_may

    user = _user("viewer", dev="operator")
    assert user_may(user, P.PLAN, "dev") and user_may(user, P.APPLY, "dev")
    assert not user_may(user, P.PLAN, "prod")
    lowered = _user("operator", prod="viewer")
    assert user_may(lowered, P.APPLY, "dev") and not user_may(lowered, P.APPLY, "prod")


def test_managing_users_follows_the_default_role_even_with_an_admin_grant() -> None:
    from portal.permissions import user_may, user_may_somewhere

    user = _user("operator", dev="admin")
    assert user_may(user, P.FORCE_UNLOCK, "dev")
    assert not user_may(user, P.MANAGE_USERS, "dev")
    assert not user_may_somewhere(user, P.MANAGE_USERS)
    assert user_may_somewhere(_user("viewer", dev="approver"), P.APPROVE)
