"""Alembic migrations of the portal database, shipped with the portal so a process finds
them without a source checkout (portal.db.alembic_config)."""
