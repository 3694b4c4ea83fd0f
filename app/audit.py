"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditEvent, User

SYSTEM_ACTOR = "system"


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
        remote_addr = _request_addr()
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


def _request_addr() -> str | None:
    from flask import has_request_context, request

    return request.remote_addr if has_request_context() else None
