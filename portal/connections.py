"""One set-up for a process's connections, used by the web app factory and by each worker
process alike (instead of each configuring the database and Redis its own way)."""

from __future__ import annotations

from portal import db, messaging
from portal.settings import Settings


def connect(settings: Settings) -> None:
    """Bind the shared database session and the Redis/Celery clients to ``settings``.

    The schema is checked before the session is bound, so a process pointed at an
    un-migrated database refuses to start with the fix in the message, and a refusal
    leaves any session already bound in this process alone."""
    db.check_migrated(db.engine_for(settings.database_url))
    db.configure(settings.database_url)
    messaging.configure(settings)
