"""Alembic migrations on a real PostgreSQL: empty -> head -> empty."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command

from portal.db import alembic_config
from portal.models import Base

pytestmark = pytest.mark.portal


def tables(url: str) -> set[str]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row[0] for row in rows}


def triggers(url: str) -> set[str]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in rows}


def test_upgrade_from_empty_to_head_and_back(services) -> None:
    pg = services["pg"]
    pg.drop_database("migrations_check")
    url = pg.create_database("migrations_check")
    config = alembic_config(url)
    config.attributes["configure_logger"] = False

    command.upgrade(config, "head")
    assert tables(url) == set(Base.metadata.tables) | {"alembic_version"}
    assert triggers(url) == {"audit_events_no_update_delete", "audit_events_no_truncate"}

    command.downgrade(config, "base")
    assert tables(url) == {"alembic_version"}
    assert triggers(url) == set()

    command.upgrade(config, "head")  # and again: the downgrade left nothing behind
    assert tables(url) == set(Base.metadata.tables) | {"alembic_version"}


def test_models_and_migrations_agree(services) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    pg = services["pg"]
    pg.drop_database("migrations_drift")
    url = pg.create_database("migrations_drift")
    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    engine = create_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == [], "models changed without a migration: alembic revision --autogenerate"
