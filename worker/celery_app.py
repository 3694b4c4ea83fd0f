"""The Celery application: ``celery -A worker.celery_app worker -B`` (``-B`` embeds the beat
that runs the reaper; run exactly one beat per deployment).

Nothing is read or connected at import: the settings come from the environment when the
worker starts (Celery's ``on_configure``), and each process opens its own database and
Redis connections when it starts (never share sockets across fork).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_process_init

from portal import connections, db, messaging
from portal.settings import Settings

celery = Celery("portal", include=["worker.tasks"])
_settings: list[Settings] = []


def settings() -> Settings:
    """The worker's settings, read from the environment once, when first needed."""
    if not _settings:
        _settings.append(Settings.from_env())
    return _settings[0]


def celery_settings(settings: Settings) -> dict[str, Any]:
    """The broker, the beat's schedule, and each phase's time limits. The runner enforces
    a phase's timeout itself (interrupt, then kill); Celery's limits are the backstop for
    a task that is wedged outside Terraform."""
    return {
        **messaging.celery_config(settings),
        "beat_schedule": {
            "reap-expired-runs": {
                "task": "worker.tasks.reap",
                "schedule": max(settings.heartbeat_interval, 5),
                "options": {"expires": 30},
            },
        },
        "task_annotations": {
            "worker.tasks.plan_run": {
                "soft_time_limit": settings.plan_timeout + 120,
                "time_limit": settings.plan_timeout + 300,
            },
            "worker.tasks.apply_run": {
                "soft_time_limit": settings.apply_timeout + 120,
                "time_limit": settings.apply_timeout + 300,
            },
        },
    }


class _ConfigFromSettings(Mapping[str, Any]):
    """Celery's configuration, computed from the settings the first time Celery reads it
    (when the worker starts), not when this module is imported."""

    def _values(self) -> dict[str, Any]:
        return celery_settings(settings())

    def __getitem__(self, key: str) -> Any:
        return self._values()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())


celery.config_from_object(_ConfigFromSettings())


@worker_init.connect
def _init_worker(**_kwargs: object) -> None:
    connections.connect(settings())


@worker_process_init.connect
def _init_worker_process(**_kwargs: object) -> None:
    # A pool process is forked from the main one, which has connected already.
    db.forget_inherited_connections()
    connections.connect(settings())
