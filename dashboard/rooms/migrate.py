"""Bring the room store's schema to the version this code needs, with Alembic, from code.

The app calls ``upgrade`` when it starts, so there is nothing extra to run. Two app servers
starting at once on one PostgreSQL take turns (an advisory lock); on SQLite the write
transaction does the same.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from dashboard.rooms.engine import WRITE

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
# Its own name, so a PostgreSQL database shared with another Alembic project keeps both histories.
VERSION_TABLE = "room_schema_version"
_LOCK_KEY = 0x4E54524F4F4D53  # "NTROOMS": any fixed number; only this app takes it


def config() -> Config:
    """Alembic's configuration, built here instead of read from an alembic.ini."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    revision = ScriptDirectory.from_config(config()).get_current_head()
    assert revision is not None, "the migrations folder has no revision"
    return revision


def current(engine: Engine) -> str | None:
    """The revision the database is at (None: empty)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def _run(engine: Engine, step: str, revision: str) -> None:
    with engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with foreign keys on, that drop
            # would delete every row that refers to it (a room's participants and answers). The setting can
            # only change outside a transaction, so it is set on the driver's connection before BEGIN.
            _driver_sql(conn, "PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                cfg = config()
                cfg.attributes["connection"] = conn
                getattr(command, step)(cfg, revision)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("the migrated room store has rows whose room or participant is gone")
        finally:
            if sqlite:
                _driver_sql(conn, "PRAGMA foreign_keys = ON")


def _driver_sql(conn: Connection, sql: str) -> None:
    """Run ``sql`` on the driver's connection itself: no transaction is begun for it."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate up to ``revision``. Raises alembic's CommandError if the database is ahead of us."""
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    _run(engine, "downgrade", revision)


__all__ = ["VERSION_TABLE", "CommandError", "current", "downgrade", "head", "upgrade"]
