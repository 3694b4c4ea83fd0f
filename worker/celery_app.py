"""The Celery application: ``celery -A worker.celery_app worker -B`` (``-B`` embeds the beat
that runs the reaper; run exactly one beat per deployment)."""

from __future__ import annotations

from celery import Celery
from celery.signals import worker_process_init

from app import db, messaging
from app.settings import Settings

settings = Settings.from_env()

celery = Celery("portal", include=["worker.tasks"])
celery.conf.update(messaging.celery_config(settings))
celery.conf.update(
    beat_schedule={
        "reap-expired-runs": {
            "task": "worker.tasks.reap",
            "schedule": max(settings.heartbeat_interval, 5),
            "options": {"expires": 30},
        },
    },
)


def configure_process() -> None:
    db.configure(settings.database_url)
    messaging.configure(settings)


@worker_process_init.connect
def _init_worker_process(**_kwargs: object) -> None:
    # Each prefork child needs its own connections (never share sockets across fork).
    configure_process()


configure_process()
