"""Where a run's Terraform output goes: stored with consecutive offsets (secrets masked),
then pushed live to the run page."""

from __future__ import annotations

from collections import deque

from sqlalchemy import func, insert, select

from portal import db, events
from portal.lifecycle import now_utc
from portal.models import RunLogLine
from portal.states import Phase


class LogSink:
    """Stores output lines with consecutive offsets, then pushes them live."""

    def __init__(self, run_id: int, phase: Phase, secrets_to_mask: list[str]):
        self.run_id = run_id
        self.phase = phase
        self.secrets = sorted(secrets_to_mask, key=len, reverse=True)
        self.tail: deque[str] = deque(maxlen=20)
        with db.session.session_factory() as session:
            self.offset = (
                session.scalar(
                    select(func.coalesce(func.max(RunLogLine.offset), 0)).where(
                        RunLogLine.run_id == run_id
                    )
                )
                or 0
            )

    def mask(self, line: str) -> str:
        for value in self.secrets:
            line = line.replace(value, "***")
        return line

    def write(self, lines: list[str]) -> None:
        written = []
        for line in lines:
            self.offset += 1
            text = self.mask(line)
            self.tail.append(text)
            written.append(events.LogLine(offset=self.offset, phase=self.phase, text=text))
        now = now_utc()
        rows = [{"run_id": self.run_id, "created_at": now, **events.payload(w)} for w in written]
        with db.session.session_factory() as session:
            session.execute(insert(RunLogLine), rows)
            session.commit()
        events.publish(self.run_id, written)

    def note(self, text: str) -> None:
        self.write([f"[portal] {text}"])
