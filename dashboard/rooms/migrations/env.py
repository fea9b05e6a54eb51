"""Alembic environment for the room store: always online, on the connection migrate.py hands over."""

from __future__ import annotations

from alembic import context

from dashboard.rooms.migrate import VERSION_TABLE
from dashboard.rooms.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the room store's migrations through dashboard.rooms.migrate, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,  # SQLite can only alter a table by copying it; batch mode does that
)
with context.begin_transaction():  # inside migrate.py's transaction: one commit for all steps
    context.run_migrations()
