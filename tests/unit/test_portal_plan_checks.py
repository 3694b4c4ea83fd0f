"""Four-eyes, plan hash and staleness rules (pure functions)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from portal.plan_checks import (
    FourEyesViolation,
    PlanStale,
    PlanTampered,
    StateVersion,
    check_four_eyes,
    check_fresh,
    check_integrity,
    check_not_expired,
    plan_digest,
)

PLAN = b"saved plan bytes"
DIGEST = plan_digest(PLAN)


def test_requester_cannot_approve_own_run() -> None:
    with pytest.raises(FourEyesViolation, match="four-eyes"):
        check_four_eyes(requester_id=7, approver_id=7)


def test_a_different_person_may_approve() -> None:
    check_four_eyes(requester_id=7, approver_id=8)


def test_digest_is_sha256_hex() -> None:
    assert hashlib.sha256(PLAN).hexdigest() == DIGEST
    assert plan_digest(PLAN) == plan_digest(bytes(PLAN))
    assert plan_digest(PLAN + b"x") != DIGEST


def test_the_approved_bytes_pass_the_integrity_check() -> None:
    check_integrity(PLAN, DIGEST, DIGEST)


def test_plan_bytes_altered_after_approval_are_refused() -> None:
    with pytest.raises(PlanTampered, match="altered after approval"):
        check_integrity(PLAN + b"\x00", DIGEST, DIGEST)


def test_an_approval_for_another_plan_is_refused() -> None:
    other = plan_digest(b"another plan")
    with pytest.raises(PlanTampered, match="approval was given for plan"):
        check_integrity(PLAN, DIGEST, other)


def test_code_change_since_plan_makes_it_stale() -> None:
    state = StateVersion(3, "lineage")
    with pytest.raises(PlanStale, match="code changed"):
        check_fresh(
            planned_revision="a" * 64,
            current_revision="b" * 64,
            planned_state=state,
            current_state=state,
        )


@pytest.mark.parametrize(
    "now_state", [StateVersion(4, "lineage"), StateVersion(3, "other"), StateVersion(None, None)]
)
def test_state_moved_since_plan_makes_it_stale(now_state: StateVersion) -> None:
    with pytest.raises(PlanStale, match="state moved"):
        check_fresh(
            planned_revision="a" * 64,
            current_revision="a" * 64,
            planned_state=StateVersion(3, "lineage"),
            current_state=now_state,
        )


def test_first_apply_from_empty_state_is_fresh() -> None:
    check_fresh(
        planned_revision="a" * 64,
        current_revision="a" * 64,
        planned_state=StateVersion(None, None),
        current_state=StateVersion(None, None),
    )


def test_old_plans_expire() -> None:
    made = datetime(2026, 1, 1, tzinfo=UTC)
    check_not_expired(made, made + timedelta(hours=1), max_age_seconds=7200)
    with pytest.raises(PlanStale, match="older than the 2 h limit"):
        check_not_expired(made, made + timedelta(hours=3), max_age_seconds=7200)
