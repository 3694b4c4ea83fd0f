"""Why a request about a run or an environment cannot be honoured, and the guidance
shown with failures."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from portal.models import User
from portal.permissions import Permission, user_may
from portal.states import RunState

log = logging.getLogger(__name__)
S = RunState


class RunError(Exception):
    """A request about a run that cannot be honoured; ``status`` is the HTTP status."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(RunError):  # noqa: N818
    status = 403


class NotFound(RunError):  # noqa: N818
    status = 404


class Conflict(RunError):  # noqa: N818
    status = 409


def now_utc() -> datetime:
    return datetime.now(UTC)


def require(user: User, permission: Permission, environment: str | None) -> None:
    if not user_may(user, permission, environment):
        raise NotAllowed(not_allowed_message(user, permission, environment))


def not_allowed_message(user: User, permission: Permission, environment: str | None) -> str:
    where = f" on {environment}" if environment else ""
    return (
        f"Your role{where} ({user.role_for(environment)}) does not allow: {permission.value}. "
        "An admin can grant a role per environment on the Users page."
    )


LOCK_GUIDANCE = (
    "If Terraform could not release its state lock, an admin can run "
    "`terraform force-unlock <id>` for this environment after checking no other run is active."
)
