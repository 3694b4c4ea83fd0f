"""The run lifecycle: every state a run can be in and every move it may make.

This module is the only place that decides whether a transition is allowed; the web
app, the API and the worker all go through :func:`check_transition` (via
``portal.lifecycle.transitions.move``), and the database update is conditional on the
old state so two processes cannot both move the same run.

    queued -> planning -> planned -> awaiting_approval -> approved -> applying -> applied
                                  \\-> no_changes         \\-> rejected
    any active state -> failed | cancelled | discarded (see TRANSITIONS)
"""

from __future__ import annotations

from enum import StrEnum


class RunState(StrEnum):
    QUEUED = "queued"
    PLANNING = "planning"
    PLANNED = "planned"
    NO_CHANGES = "no_changes"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    APPLYING = "applying"
    APPLIED = "applied"
    FAILED = "failed"
    CANCELLED = "cancelled"
    DISCARDED = "discarded"


S = RunState

TRANSITIONS: dict[RunState, frozenset[RunState]] = {
    # Waiting for the environment lock or a worker; cancelling needs no interrupt.
    S.QUEUED: frozenset({S.PLANNING, S.CANCELLED, S.FAILED}),
    # Terraform runs: it ends with a saved plan, an error, or an interrupt.
    S.PLANNING: frozenset({S.PLANNED, S.FAILED, S.CANCELLED}),
    # The saved plan is stored; the summary decides whether anyone needs to approve it.
    S.PLANNED: frozenset({S.AWAITING_APPROVAL, S.NO_CHANGES, S.FAILED, S.DISCARDED}),
    S.AWAITING_APPROVAL: frozenset({S.APPROVED, S.REJECTED, S.DISCARDED}),
    S.APPROVED: frozenset({S.APPLYING, S.DISCARDED}),
    # The worker re-checks the plan before Terraform changes anything: a stale plan is
    # discarded, one whose bytes no longer match the approved hash fails (tampering).
    S.APPLYING: frozenset({S.APPLIED, S.FAILED, S.CANCELLED, S.DISCARDED}),
    S.NO_CHANGES: frozenset(),
    S.REJECTED: frozenset(),
    S.APPLIED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.DISCARDED: frozenset(),
}

TERMINAL_STATES = frozenset(state for state, targets in TRANSITIONS.items() if not targets)
# A worker process is executing Terraform: a heartbeat must be fresh.
RUNNING_STATES = frozenset({S.PLANNING, S.APPLYING})
# The run holds its environment's lock in every non-terminal state after it got it.
ACTIVE_STATES = frozenset(TRANSITIONS) - TERMINAL_STATES


class Phase(StrEnum):
    """The two things a worker does to a run. The value is what log lines record."""

    PLAN = "plan"
    APPLY = "apply"

    @property
    def claim(self) -> tuple[RunState, RunState]:
        """The move a worker makes to take a run for this phase."""
        if self is Phase.PLAN:
            return RunState.QUEUED, RunState.PLANNING
        return RunState.APPROVED, RunState.APPLYING

    @property
    def running_state(self) -> RunState:
        return self.claim[1]

    @classmethod
    def of_running(cls, state: RunState | str) -> Phase:
        """The phase a run in a running state is in."""
        return cls.PLAN if RunState(state) is RunState.PLANNING else cls.APPLY


class TransitionError(ValueError):
    """A run was asked to move somewhere its lifecycle does not allow."""

    def __init__(self, current: RunState, target: RunState):
        super().__init__(f"a run that is {current.value} cannot become {target.value}")
        self.current = current
        self.target = target


def can_transition(current: RunState | str, target: RunState | str) -> bool:
    return RunState(target) in TRANSITIONS[RunState(current)]


def check_transition(current: RunState | str, target: RunState | str) -> None:
    if not can_transition(current, target):
        raise TransitionError(RunState(current), RunState(target))


def is_terminal(state: RunState | str) -> bool:
    return RunState(state) in TERMINAL_STATES
