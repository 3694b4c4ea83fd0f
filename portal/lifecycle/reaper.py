"""The reaper: fails runs whose worker stopped heartbeating, re-queues tasks the broker
lost, and hands free environments to waiting runs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, messaging
from portal.lifecycle.errors import LOCK_GUIDANCE, Conflict, now_utc
from portal.lifecycle.queue import promote_next
from portal.lifecycle.transitions import move
from portal.models import Environment, Run
from portal.settings import Settings
from portal.states import RUNNING_STATES, Phase, RunState

log = logging.getLogger(__name__)
S = RunState


@dataclass
class ReapResult:
    failed: list[int]
    redispatched: list[int]
    promoted: list[int]


def reap(session: Session, settings: Settings) -> ReapResult:
    """Fail runs whose worker stopped heartbeating, re-queue tasks the broker lost, and
    hand free environments to waiting runs. Safe to run anywhere, any number of times."""
    now = now_utc()
    result = ReapResult([], [], [])
    expired_before = now - timedelta(seconds=settings.heartbeat_timeout)
    stuck = session.scalars(
        select(Run).where(
            Run.state.in_([s.value for s in RUNNING_STATES]), Run.heartbeat_at < expired_before
        )
    ).all()
    for run in stuck:
        phase = Phase.of_running(run.state)
        consequence = (
            "Nothing was applied."
            if phase is Phase.PLAN
            else "Some changes may have been applied: start a new plan to see what remains."
        )
        detail = (
            f"The worker running this {phase} stopped responding (no heartbeat since "
            f"{run.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC, limit {settings.heartbeat_timeout}s), "
            f"so the run was marked failed. {consequence} Check the worker's logs for why it "
            f"died (out of memory, restart). {LOCK_GUIDANCE}"
        )
        try:
            move(session, run, S.FAILED, actor=audit.SYSTEM_ACTOR, detail=detail)
            result.failed.append(run.id)
        except Conflict:
            continue
    redispatch_before = now - timedelta(seconds=settings.redispatch_after)
    waiting = session.scalars(
        select(Run)
        .join(Environment, Environment.lock_run_id == Run.id)
        .where(Run.state == S.QUEUED.value, Run.dispatched_at < redispatch_before)
    ).all()
    result.redispatched += _dispatch_again(session, waiting, messaging.PLAN_TASK, now)
    applies = session.scalars(
        select(Run).where(
            Run.state == S.APPROVED.value,
            Run.apply_requested_at.is_not(None),
            Run.dispatched_at < redispatch_before,
        )
    ).all()
    result.redispatched += _dispatch_again(session, applies, messaging.APPLY_TASK, now)
    free = session.scalars(
        select(Environment)
        .where(Environment.lock_run_id.is_(None))
        .with_for_update(skip_locked=True)
    ).all()
    for env in free:
        promoted = promote_next(session, env)
        if promoted is not None:
            result.promoted.append(promoted.id)
    if result.redispatched:
        audit.record(
            session, "reaper.redispatched", audit.SYSTEM_ACTOR, run_ids=result.redispatched
        )
    return result


def _dispatch_again(session: Session, runs: Sequence[Run], task: str, now: datetime) -> list[int]:
    """Queue ``task`` again for runs whose earlier message the broker lost."""
    for run in runs:
        run.dispatched_at = now
        messaging.on_commit(session, partial(messaging.send_task, task, run.id))
    return [run.id for run in runs]
