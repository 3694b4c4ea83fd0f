"""The application never updates or deletes audit events (the PostgreSQL trigger that
enforces the same for every database session is tested in tests/portal)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from portal.models import AuditEvent, AuditLogIsAppendOnly, Base


@pytest.fixture
def session():  # type: ignore[no-untyped-def]
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session


def test_new_audit_events_can_be_written(session: Session) -> None:
    session.add(AuditEvent(actor="alice", action="run.requested", details={}))
    session.commit()
    assert session.query(AuditEvent).count() == 1


def test_changing_an_audit_event_is_refused(session: Session) -> None:
    event = AuditEvent(actor="alice", action="approval.approved", details={})
    session.add(event)
    session.commit()
    event.actor = "mallory"
    with pytest.raises(AuditLogIsAppendOnly):
        session.commit()


def test_deleting_an_audit_event_is_refused(session: Session) -> None:
    event = AuditEvent(actor="alice", action="approval.approved", details={})
    session.add(event)
    session.commit()
    session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        session.commit()
