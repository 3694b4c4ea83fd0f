"""The live events of a run: published on Redis after the change they describe has
committed, relayed to browsers by the run page's event stream. One type per event, one
serialiser each, so producers (the domain, the worker) and the consumer (the SSE view)
cannot drift apart.

``seq`` is the run's ``state_seq`` after the change: browsers apply changes in that
order and drop one they have already seen. Log lines are ordered by their ``offset``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import redis
from sqlalchemy.orm import Session

from portal import messaging
from portal.models import Run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StateChanged:
    """The run moved, or something its action bar shows changed (an approval, a request)."""

    kind: ClassVar[str] = "state"
    state: str
    detail: str
    seq: int

    @classmethod
    def of(cls, run: Run) -> StateChanged:
        return cls(state=run.state, detail=run.status_detail, seq=run.state_seq)


@dataclass(frozen=True)
class CancelRequested:
    kind: ClassVar[str] = "cancel_requested"
    seq: int


@dataclass(frozen=True)
class LogLine:
    kind: ClassVar[str] = "log"
    offset: int
    phase: str
    text: str


Event = StateChanged | CancelRequested | LogLine
_TYPES: dict[str, type[Event]] = {t.kind: t for t in (StateChanged, CancelRequested, LogLine)}


def payload(event: Event) -> dict[str, Any]:
    """The event's fields, as browsers receive them."""
    return asdict(event)


def encode(event: Event) -> str:
    return json.dumps({"type": event.kind, **payload(event)})


def decode(raw: str | bytes) -> Event | None:
    """The event in a pub/sub message, or None for one this version does not know."""
    data = json.loads(raw)
    event_type = _TYPES.get(data.pop("type", None))
    if event_type is None:
        return None
    try:
        return event_type(**data)
    except TypeError:
        log.warning("dropping a malformed %s event: %r", event_type.kind, data)
        return None


def publish(run_id: int, events: Iterable[Event]) -> None:
    """Push events to the run's subscribers now. Best effort: everything an event says is
    in the database, and the event stream reads it from there when it reconnects."""
    try:
        pipe = messaging.redis_client().pipeline(transaction=False)
        for event in events:
            pipe.publish(messaging.channel(run_id), encode(event))
        pipe.execute()
    except redis.RedisError:
        log.warning("could not publish to %s", messaging.channel(run_id), exc_info=True)


def publish_after_commit(session: Session, run_id: int, event: Event) -> None:
    """Publish once the transaction that makes the event true has committed."""
    messaging.on_commit(session, lambda: publish(run_id, [event]))
