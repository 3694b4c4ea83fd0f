"""Reading a run's log: stored lines after an offset, page by page, and the tail that
follows a run live without missing or repeating a line (modelled on OTF's tailer).

The tail subscribes first, then reads the stored lines, then relays live events: a line
written between the two steps arrives through the subscription and is skipped by its
offset, and a gap in the offsets (a lost message) is refilled from the database. So a
client that connects late or reconnects with its last offset never misses a line.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import events, messaging
from portal.models import Run, RunLogLine
from portal.states import is_terminal

PAGE = 2000


def lines_after(session: Session, run_id: int, after: int, limit: int = 5000) -> list[RunLogLine]:
    return list(
        session.scalars(
            select(RunLogLine)
            .where(RunLogLine.run_id == run_id, RunLogLine.offset > after)
            .order_by(RunLogLine.offset)
            .limit(limit)
        )
    )


def line_pages(
    make_session: Callable[[], Session], run_id: int, after: int, page: int = PAGE
) -> Iterator[list[RunLogLine]]:
    """The stored lines after ``after``, a page at a time, each page read in a short
    session of its own (so a long log never holds a connection or sits in memory)."""
    while True:
        with make_session() as session:
            lines = lines_after(session, run_id, after, page)
        if lines:
            yield lines
            after = lines[-1].offset
        if len(lines) < page:
            return


# What a tail yields, besides the live events themselves (portal.events).


@dataclass(frozen=True)
class Backlog:
    """Stored lines, in offset order (a page of them)."""

    lines: list[RunLogLine]


@dataclass(frozen=True)
class Ended:
    state: str
    seq: int | None


@dataclass(frozen=True)
class Idle:
    """Nothing happened for a while: a chance to keep the connection alive."""


@dataclass(frozen=True)
class Unavailable:
    """Live push is down; the client should reconnect with its last offset."""


TailItem = Backlog | events.Event | Ended | Idle | Unavailable


class RunTail:
    """Everything a viewer of one run needs, in order: stored lines after ``after``, the
    current state, then live lines and changes until the run ends or ``max_seconds``."""

    def __init__(
        self,
        make_session: Callable[[], Session],
        run_id: int,
        after: int,
        *,
        max_seconds: float,
        idle_seconds: float,
    ):
        self.make_session = make_session
        self.run_id = run_id
        self.sent = after
        self.max_seconds = max_seconds
        self.idle_seconds = idle_seconds
        self.newest_seq = -1

    def __iter__(self) -> Iterator[TailItem]:
        pubsub = messaging.redis_client().pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(messaging.channel(self.run_id))
            yield from self._follow(pubsub)
        except redis.RedisError:
            yield Unavailable()
        finally:
            with contextlib.suppress(redis.RedisError):
                pubsub.close()

    def _follow(self, pubsub: redis.client.PubSub) -> Iterator[TailItem]:
        started = time.monotonic()
        yield from self._backlog()
        run = self._run()
        yield from self._state(run)
        if is_terminal(run.state):
            yield from self._finish(run.state, run.state_seq)
            return
        while time.monotonic() - started < self.max_seconds:
            message = pubsub.get_message(timeout=self.idle_seconds)
            if message is None:
                yield Idle()
                run = self._run()
                if is_terminal(run.state):  # in case the final event was missed
                    yield from self._backlog()
                    yield from self._state(run)
                    yield Ended(run.state, run.state_seq)
                    return
                continue
            event = events.decode(message["data"])
            if isinstance(event, events.LogLine):
                if event.offset <= self.sent:
                    continue
                if event.offset > self.sent + 1:  # a gap: take the missing lines from the DB
                    yield from self._backlog()
                    continue
                self.sent = event.offset
                yield event
            elif isinstance(event, events.StateChanged):
                if self._fresh(event.seq):
                    yield event
                if is_terminal(event.state):
                    yield from self._finish(event.state, event.seq)
                    return
            elif isinstance(event, events.CancelRequested) and self._fresh(event.seq):
                yield event

    def _backlog(self) -> Iterator[Backlog]:
        for lines in line_pages(self.make_session, self.run_id, self.sent):
            self.sent = lines[-1].offset
            yield Backlog(lines)

    def _run(self) -> Run:
        with self.make_session() as session:
            return session.get_one(Run, self.run_id)

    def _fresh(self, seq: int | None) -> bool:
        # Each change of the run is sent once and in order: one the client has already
        # seen (read from the database before its publish arrived) is dropped.
        if seq is not None and seq <= self.newest_seq:
            return False
        self.newest_seq = max(self.newest_seq, seq or 0)
        return True

    def _state(self, run: Run) -> Iterator[events.StateChanged]:
        if self._fresh(run.state_seq):
            yield events.StateChanged.of(run)

    def _finish(self, state: str, seq: int | None) -> Iterator[TailItem]:
        yield from self._backlog()  # lines stored after the last live one
        yield Ended(state, seq)
