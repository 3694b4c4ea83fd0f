"""The environment lock and its queue: a run takes its environment's lock when it leaves
the queue and keeps it until it ends, so a plan can never be applied after another run
changed the state under it. The lock is taken and released with the environment row
locked (SELECT ... FOR UPDATE), so a new request and a finishing run cannot miss each
other."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, messaging
from portal.lifecycle.errors import NotFound, now_utc
from portal.models import Environment, Run
from portal.states import RunState

log = logging.getLogger(__name__)
S = RunState


def locked_environment(session: Session, name: str) -> Environment:
    env = session.scalars(
        select(Environment).where(Environment.name == name).with_for_update()
    ).one_or_none()
    if env is None:
        raise NotFound(f"There is no environment named {name}.")
    return env


def release_lock(session: Session, run: Run) -> None:
    env = locked_environment(session, run.environment_name)
    if env.lock_run_id == run.id:
        env.lock_run_id = None
        env.locked_at = None
        session.flush()
        promote_next(session, env)


def promote_next(session: Session, env: Environment) -> Run | None:
    """Give a free environment to its oldest queued run and queue that run's plan."""
    if env.lock_run_id is not None:
        return None
    run = session.scalars(
        select(Run)
        .where(Run.environment_name == env.name, Run.state == S.QUEUED.value)
        .order_by(Run.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if run is None:
        return None
    env.lock_run_id = run.id
    env.locked_at = now_utc()
    run.dispatched_at = now_utc()
    session.flush()
    audit.record(
        session, "environment.locked", run.requested_by, environment=env.name, run_id=run.id
    )
    messaging.on_commit(session, lambda: messaging.send_task(messaging.PLAN_TASK, run.id))
    return run
