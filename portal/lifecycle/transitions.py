"""Moving a run between states: one conditional UPDATE per move (so two actors never
both win), an audit event, and a live event after commit."""

from __future__ import annotations

import logging
from typing import Any, cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from portal import audit, events
from portal.lifecycle.errors import Conflict, now_utc
from portal.lifecycle.queue import release_lock
from portal.models import Run, User
from portal.states import TERMINAL_STATES, RunState, check_transition

log = logging.getLogger(__name__)
S = RunState


def move(
    session: Session,
    run: Run,
    target: RunState,
    *,
    actor: User | str | None,
    detail: str | None = None,
    expect_token: str | None = None,
    **fields: object,
) -> None:
    """Move a run to ``target`` if its lifecycle allows it and nobody moved it meanwhile
    (and, for a worker, only while the run is still that worker's: ``expect_token``)."""
    current = RunState(run.state)
    check_transition(current, target)
    now = now_utc()
    values: dict[str, object] = {
        "state": target.value,
        "updated_at": now,
        "state_seq": Run.state_seq + 1,
        **fields,
    }
    if detail is not None:
        values["status_detail"] = detail
    if target in TERMINAL_STATES:
        values["finished_at"] = now
    condition = [Run.id == run.id, Run.state == current.value]
    if expect_token is not None:
        condition.append(Run.worker_token == expect_token)
    result = session.execute(
        update(Run).where(*condition).values(**values).execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", result).rowcount != 1:
        session.refresh(run)
        raise Conflict(f"Run {run.id} changed meanwhile: it is now {run.state}.")
    session.refresh(run)
    audit.record(
        session,
        f"run.{target.value}",
        actor,
        environment=run.environment_name,
        run_id=run.id,
        from_state=current.value,
        to_state=target.value,
        detail=detail or None,
    )
    events.publish_after_commit(session, run.id, events.StateChanged.of(run))
    if target in TERMINAL_STATES:
        release_lock(session, run)


def bump_seq(session: Session, run: Run) -> int:
    """Count a change the run page shows that is not a state move (apply or cancel
    requested), so browsers re-read the panel in order."""
    session.flush()
    seq = session.execute(
        update(Run)
        .where(Run.id == run.id)
        .values(state_seq=Run.state_seq + 1)
        .returning(Run.state_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(run, "state_seq", seq)
    return seq
