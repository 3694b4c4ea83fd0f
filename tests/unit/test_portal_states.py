"""The run lifecycle: every allowed transition is allowed, every other one refused."""

from __future__ import annotations

import itertools

import pytest

from portal.states import (
    ACTIVE_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    RunState,
    TransitionError,
    can_transition,
    check_transition,
    is_terminal,
)

S = RunState
EXPECTED_ALLOWED = {
    (S.QUEUED, S.PLANNING),
    (S.QUEUED, S.CANCELLED),
    (S.QUEUED, S.FAILED),
    (S.PLANNING, S.PLANNED),
    (S.PLANNING, S.FAILED),
    (S.PLANNING, S.CANCELLED),
    (S.PLANNED, S.AWAITING_APPROVAL),
    (S.PLANNED, S.NO_CHANGES),
    (S.PLANNED, S.FAILED),
    (S.PLANNED, S.DISCARDED),
    (S.AWAITING_APPROVAL, S.APPROVED),
    (S.AWAITING_APPROVAL, S.REJECTED),
    (S.AWAITING_APPROVAL, S.DISCARDED),
    (S.APPROVED, S.APPLYING),
    (S.APPROVED, S.DISCARDED),
    (S.APPLYING, S.APPLIED),
    (S.APPLYING, S.FAILED),
    (S.APPLYING, S.CANCELLED),
    (S.APPLYING, S.DISCARDED),
}
ALL_PAIRS = list(itertools.product(RunState, RunState))


@pytest.mark.parametrize(("current", "target"), sorted(EXPECTED_ALLOWED))
def test_allowed_transition_is_accepted(current: RunState, target: RunState) -> None:
    assert can_transition(current, target)
    check_transition(current, target)  # does not raise


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in ALL_PAIRS if pair not in EXPECTED_ALLOWED]
)
def test_every_other_transition_is_refused(current: RunState, target: RunState) -> None:
    assert not can_transition(current, target)
    with pytest.raises(TransitionError, match=f"{current.value} cannot become {target.value}"):
        check_transition(current, target)


def test_the_table_is_exactly_the_documented_lifecycle() -> None:
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == EXPECTED_ALLOWED
    assert set(TRANSITIONS) == set(RunState)


def test_terminal_states_have_no_way_out_and_active_ones_always_can_end() -> None:
    assert {
        S.NO_CHANGES,
        S.REJECTED,
        S.APPLIED,
        S.FAILED,
        S.CANCELLED,
        S.DISCARDED,
    } == TERMINAL_STATES
    for state in ACTIVE_STATES:
        assert TRANSITIONS[state] & TERMINAL_STATES, f"{state} could be stuck forever"
        assert not is_terminal(state)


def test_apply_is_only_reachable_through_an_approval() -> None:
    # Walk the graph without the approved state: applying must be unreachable.
    reachable, frontier = {S.QUEUED}, [S.QUEUED]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt != S.APPROVED and nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert S.APPLYING not in reachable and S.APPLIED not in reachable


def test_states_accept_their_string_values() -> None:
    assert can_transition("queued", "planning")
    with pytest.raises(ValueError):
        can_transition("queued", "exploded")
