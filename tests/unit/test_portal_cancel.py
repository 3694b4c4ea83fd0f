"""Two-step cancel: force is refused until the interrupt had its grace period."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from portal.lifecycle import Conflict, NotAllowed, cancel, now_utc
from portal.models import Run, User
from portal.settings import Settings

SETTINGS = Settings.from_env(
    {"DATABASE_URL": "x", "PORTAL_ENV": "development", "PORTAL_CANCEL_GRACE": "20"}
)
OPERATOR = User(id=1, username="op", role="operator")


def running(**fields) -> Run:  # type: ignore[no-untyped-def]
    return Run(
        id=9,
        environment_name="local",
        state="applying",
        requested_by_id=1,
        heartbeat_at=now_utc(),
        **fields,
    )


def user_with_role(role: str) -> User:
    return User(id=2, username=role, role=role)


class FakeSession:
    """Only what the force path touches: the audit event is added to the session."""

    def __init__(self) -> None:
        self.added: list[object] = []
        self.info: dict = {}

    def add(self, obj: object) -> None:
        self.added.append(obj)


def test_force_without_a_prior_interrupt_is_refused() -> None:
    with pytest.raises(Conflict, match="Interrupt first"):
        cancel(None, SETTINGS, running(), OPERATOR, force=True)  # type: ignore[arg-type]


def test_force_within_the_grace_period_is_refused() -> None:
    run = running(cancel_requested_at=now_utc() - timedelta(seconds=5))
    with pytest.raises(Conflict, match="20s to stop cleanly"):
        cancel(None, SETTINGS, run, OPERATOR, force=True)  # type: ignore[arg-type]


def test_viewers_and_approvers_cannot_cancel() -> None:
    for role in ("viewer", "approver"):
        with pytest.raises(NotAllowed):
            cancel(None, SETTINGS, running(), user_with_role(role))  # type: ignore[arg-type]


def test_finished_runs_cannot_be_cancelled() -> None:
    run = running()
    run.state = "applied"
    with pytest.raises(Conflict, match="cannot be cancelled"):
        cancel(None, SETTINGS, run, OPERATOR)  # type: ignore[arg-type]


def test_past_the_grace_period_force_is_passed_to_the_worker() -> None:
    quick = replace(SETTINGS, cancel_grace=1)
    run = running(cancel_requested_at=now_utc() - timedelta(seconds=5))
    # Past the grace period with a live worker: force is accepted (the worker kills).
    assert cancel(FakeSession(), quick, run, OPERATOR, force=True) == "killing"  # type: ignore[arg-type]
    assert run.force_cancel_requested_at is not None
