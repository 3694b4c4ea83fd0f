"""The rules that decide whether a plan may be approved and applied (pure functions).

The stale-plan class of bugs (applying a plan made against other code or other state)
is the worst one in Atlantis's history, so every check here runs again on the worker
immediately before ``terraform apply``, and Terraform's own "Saved plan is stale" check
backs it up.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta


class PlanRefused(Exception):  # noqa: N818 - reads as what happened
    """The plan must not be applied. ``kind`` is "tampered" or "stale"."""

    kind = "refused"


class PlanTampered(PlanRefused):
    kind = "tampered"


class PlanStale(PlanRefused):
    kind = "stale"


class FourEyesViolation(PermissionError):
    pass


def plan_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class StateVersion:
    """Where the environment's state was: ``terraform state pull``'s serial and lineage
    (both None before the first apply)."""

    serial: int | None
    lineage: str | None

    def describe(self) -> str:
        if self.serial is None:
            return "no state yet"
        return f"serial {self.serial} of lineage {self.lineage}"


def check_four_eyes(requester_id: int, approver_id: int) -> None:
    if requester_id == approver_id:
        raise FourEyesViolation(
            "You requested this run, so you cannot approve it: a different approver must "
            "review the plan (four-eyes rule)."
        )


def check_not_expired(created_at: datetime, now: datetime, max_age_seconds: int) -> None:
    age = now - created_at
    if age > timedelta(seconds=max_age_seconds):
        hours = max_age_seconds / 3600
        raise PlanStale(
            f"The plan is {age.total_seconds() / 3600:.1f} h old, older than the "
            f"{hours:g} h limit. Start a new plan so the approval is about current changes."
        )


def check_integrity(plan_bytes: bytes, recorded_sha256: str, approved_sha256: str) -> None:
    """The bytes about to be applied are exactly the plan that was approved."""
    actual = plan_digest(plan_bytes)
    if not hmac.compare_digest(recorded_sha256, approved_sha256):
        raise PlanTampered(
            f"The approval was given for plan {approved_sha256[:12]} but the run's plan is "
            f"recorded as {recorded_sha256[:12]}. Nothing was applied; start a new plan."
        )
    if not hmac.compare_digest(actual, approved_sha256):
        raise PlanTampered(
            f"The saved plan file's SHA-256 is {actual[:12]}, not the approved "
            f"{approved_sha256[:12]}: it was altered after approval. Nothing was applied; "
            "tell the platform team and start a new plan."
        )


def check_fresh(
    *,
    planned_revision: str,
    current_revision: str,
    planned_state: StateVersion,
    current_state: StateVersion,
) -> None:
    """The code and the state are still what the plan was made from."""
    if planned_revision != current_revision:
        raise PlanStale(
            f"The Terraform code changed since the plan (planned at {planned_revision[:12]}, "
            f"now {current_revision[:12]}). Nothing was applied; start a new plan."
        )
    if planned_state != current_state:
        raise PlanStale(
            f"The environment's state moved since the plan ({planned_state.describe()} then, "
            f"{current_state.describe()} now). Nothing was applied; start a new plan."
        )
