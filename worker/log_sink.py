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
            self.offset = session.scalar(
                select(func.coalesce(func.max(RunLogLine.offset), 0)).where(
                    RunLogLine.run_id == run_id
                )
            )

    def mask(self, line: str) -> str:
        for value in self.secrets:
            line = line.replace(value, "***")
        return line

    def write(self, lines: list[str]) -> None:
        rows = []
        for line in lines:
            self.offset += 1
            text = self.mask(line)
            self.tail.append(text)
            rows.append(
                {
                    "run_id": self.run_id,
                    "offset": self.offset,
                    "phase": self.phase,
                    "text": text,
                    "created_at": now_utc(),
                }
            )
        with db.session.session_factory() as session:
            session.execute(insert(RunLogLine), rows)
            session.commit()
        events.publish(
            self.run_id,
            [events.LogLine(offset=r["offset"], phase=self.phase, text=r["text"]) for r in rows],
        )

    def note(self, text: str) -> None:
        self.write([f"[portal] {text}"])
