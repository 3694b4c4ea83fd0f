"""SQLAlchemy engine and session, shared by the web app (one session per request) and the
worker (one session per task), following Flask's "SQLAlchemy in Flask" pattern."""

from __future__ import annotations

from importlib import resources

from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import scoped_session, sessionmaker

session = scoped_session(sessionmaker(expire_on_commit=False))
_engines: dict[str, Engine] = {}


class DatabaseNotMigrated(RuntimeError):  # noqa: N818 - reads as the condition
    """The database schema is not at the code's migration head."""


def engine_for(url: str) -> Engine:
    if url not in _engines:
        _engines[url] = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    return _engines[url]


def forget_inherited_connections() -> None:
    """In a forked child: drop the parent's pooled connections without closing them (they
    are the parent's sockets), so the child opens its own (SQLAlchemy's fork recipe)."""
    for engine in _engines.values():
        engine.dispose(close=False)


def configure(url: str) -> Engine:
    engine = engine_for(url)
    session.remove()
    session.configure(bind=engine)
    return engine


def alembic_config(url: str | None = None) -> AlembicConfig:
    """Alembic's configuration, found through the installed ``migrations`` package (not a
    path in a checkout). ``alembic.ini`` is for the command line only."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(resources.files("migrations")))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def check_migrated(engine: Engine) -> None:
    """Refuse to run against a database that is missing migrations (or is ahead of us)."""
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != heads:
        found = ", ".join(sorted(current)) or "an empty schema"
        wanted = ", ".join(sorted(heads))
        raise DatabaseNotMigrated(
            f"The portal database is at {found} but this code needs migration {wanted}. "
            "Run `alembic upgrade head` (with DATABASE_URL set) and start the portal again."
        )
