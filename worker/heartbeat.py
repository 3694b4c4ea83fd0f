"""The heartbeat of a running run: proves to the reaper that a worker still looks after
it, and relays cancel requests to the loop that feeds Terraform's output."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import select, update

from portal import db
from portal.lifecycle import now_utc
from portal.models import Run
from portal.states import RunState
from worker.runner import Control

log = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    """Proves the run is alive and relays cancel requests to the output loop."""

    def __init__(self, run_id: int, token: str, control: Control, interval: float):
        super().__init__(name=f"heartbeat-{run_id}", daemon=True)
        self.run_id, self.token, self.control = run_id, token, control
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        last_beat = 0.0
        while not self.stopped.wait(1.0):
            beat = time.monotonic() - last_beat >= self.interval
            try:
                row = self._check(beat)
            except Exception:  # noqa: BLE001 - a DB blip must not kill the run; retry
                log.warning("heartbeat failed for run %s", self.run_id, exc_info=True)
                continue
            if beat:
                last_beat = time.monotonic()
            if row is None:
                self.control.lost = True
                self.control.request_kill("the run was ended by someone else (reaped or unlocked)")
            elif row.force_cancel_requested_at is not None:
                self.control.request_kill("force-cancelled by a user")
            elif row.cancel_requested_at is not None:
                self.control.request_interrupt("cancelled by a user")

    def _check(self, beat: bool):
        """Write a heartbeat if one is due, and read the cancel flags (every second, so a
        cancel reaches Terraform quickly). None: the run is no longer ours."""
        ours = (
            Run.id == self.run_id,
            Run.worker_token == self.token,
            Run.state.in_([RunState.PLANNING.value, RunState.APPLYING.value]),
        )
        flags = (Run.cancel_requested_at, Run.force_cancel_requested_at)
        with db.session.session_factory() as session:
            if beat:
                statement = update(Run).where(*ours).values(heartbeat_at=now_utc())
                row = session.execute(statement.returning(*flags)).first()
                session.commit()
            else:
                row = session.execute(select(*flags).where(*ours)).first()
        return row

    def stop(self) -> None:
        self.stopped.set()
