"""Role permissions: the whole matrix, so a change to it is a deliberate test change."""

from __future__ import annotations

import pytest

from app.models import Role
from app.permissions import Permission, role_allows

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
