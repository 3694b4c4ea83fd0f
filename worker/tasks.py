"""Celery tasks: plan a run, apply an approved run, reap dead runs. Thin on purpose: the
work is in worker.execution."""

from __future__ import annotations

from portal import db, lifecycle
from portal.states import Phase
from worker.celery_app import celery, settings
from worker.execution import Execution

# Time limits are set when the worker starts (worker.celery_app), from the settings: the
# runner enforces each phase's timeout itself, Celery's limits are the backstop.


@celery.task(name="worker.tasks.plan_run", acks_late=True)
def plan_run(run_id: int) -> None:
    Execution(run_id, Phase.PLAN, settings()).run()


@celery.task(name="worker.tasks.apply_run", acks_late=True)
def apply_run(run_id: int) -> None:
    Execution(run_id, Phase.APPLY, settings()).run()


@celery.task(name="worker.tasks.reap", acks_late=True, soft_time_limit=60, time_limit=90)
def reap() -> None:
    session = db.session()
    try:
        lifecycle.reap(session, settings())
        session.commit()
    finally:
        db.session.remove()
