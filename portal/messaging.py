"""Redis (live events, see portal.events) and the Celery client, plus "do this after
commit" hooks.

Tasks are sent and events published only after the database transaction that makes
them true has committed: a worker never sees a run that is not in the database yet, and
a browser never hears about a state that might still roll back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import redis
from celery import Celery
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.settings import Settings

log = logging.getLogger(__name__)
PLAN_TASK = "worker.tasks.plan_run"
APPLY_TASK = "worker.tasks.apply_run"
_state: dict[str, Any] = {}


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery settings shared by the producer (web) and the consumer (worker)."""
    return {
        "broker_url": settings.redis_url,
        "result_backend": settings.redis_url,
        # Results are not a database: run state lives in PostgreSQL.
        "task_ignore_result": True,
        "result_expires": 3600,
        # A task is acknowledged only when it has finished, and a worker that dies makes
        # the broker redeliver it, so a restart loses no queued run...
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # ...but Redis redelivers unacknowledged tasks after the visibility timeout, so it
        # must exceed the longest run or a slow apply would be started a second time.
        "broker_transport_options": {"visibility_timeout": settings.longest_run + 3600},
        "broker_connection_retry_on_startup": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        "worker_hijack_root_logger": False,
        "timezone": "UTC",
    }


def configure(settings: Settings) -> None:
    _state["redis"] = redis.Redis.from_url(settings.redis_url, health_check_interval=30)
    client = Celery("portal")
    client.conf.update(celery_config(settings))
    _state["celery"] = client


def redis_client() -> redis.Redis:
    return _state["redis"]


def channel(run_id: int) -> str:
    return f"portal:run:{run_id}"


def send_task(name: str, run_id: int) -> None:
    """Queue a task. If the broker is down, the reaper re-dispatches the run later."""
    try:
        _state["celery"].send_task(name, args=[run_id])
    except Exception:  # noqa: BLE001 - any broker error: the run stays queued in the DB
        log.warning(
            "could not queue %s for run %s; the reaper will retry", name, run_id, exc_info=True
        )


def on_commit(session: Session, callback: Callable[[], None]) -> None:
    session.info.setdefault("on_commit", []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_on_commit(session: Session) -> None:
    callbacks = session.info.pop("on_commit", [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # noqa: BLE001 - never turn a committed change into an error
            log.exception("after-commit callback failed")


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session: Session) -> None:
    session.info.pop("on_commit", None)
