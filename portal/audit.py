"""Writing to the append-only audit log.

The client address of an event is passed in: explicitly, or for everything done while
serving one request through ``client_address`` (the web app sets it per request, so the
domain needs no web framework to know who asked from where)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy.orm import Session

from portal.models import AuditEvent, User

SYSTEM_ACTOR = "system"
_client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


@contextmanager
def client_address(address: str | None) -> Iterator[None]:
    """Every event recorded inside the block is from ``address``."""
    token = _client_address.set(address)
    try:
        yield
    finally:
        _client_address.reset(token)


def set_client_address(address: str | None) -> None:
    """For a request that spans hooks (before/teardown) rather than one block."""
    _client_address.set(address)


def record(
    session: Session,
    action: str,
    actor: User | str | None = None,
    *,
    environment: str | None = None,
    run_id: int | None = None,
    remote_addr: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add one audit event to the session; it is committed with the change it describes."""
    if isinstance(actor, User):
        actor_id, actor_name = actor.id, actor.username
    else:
        actor_id, actor_name = None, actor or SYSTEM_ACTOR
    if remote_addr is None:
        remote_addr = _client_address.get()
    event = AuditEvent(
        actor_id=actor_id,
        actor=actor_name,
        action=action,
        environment_name=environment,
        run_id=run_id,
        remote_addr=remote_addr,
        details={key: value for key, value in details.items() if value is not None},
    )
    session.add(event)
    return event
