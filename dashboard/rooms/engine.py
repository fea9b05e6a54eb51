"""Which database the rooms live in, how its engine is set up, and what its failures mean to people.

No Streamlit here: the app (``connection.py``), the benchmarks and the tests all build engines the
same way. An SQLite file under the data directory is the default, so ``python3 run.py dashboard``
needs nothing else; a PostgreSQL URL in ``NT_ROOMS_URL`` (or in ``.streamlit/secrets.toml``, see
``connection.py``) is for deployments with more than one app server.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from dashboard.rooms.errors import Reason, StoreUnavailable

log = logging.getLogger(__name__)

ENV_URL = "NT_ROOMS_URL"
ENV_DATA_DIR = "NT_DATA_DIR"
REPO = Path(__file__).resolve().parents[2]
DB_FILE = "rooms.sqlite3"
# How long an SQLite writer waits for another one before giving up (a class answering at once
# queues for milliseconds; seconds means something is stuck).
BUSY_TIMEOUT_MS = 10_000
# A connection option the store sets on write transactions: SQLite then takes the write lock at
# BEGIN, so two writers queue on busy_timeout instead of one failing when it upgrades its lock.
WRITE = "nt_rooms_write"


def data_dir() -> Path:
    """Where the SQLite file lives: ``NT_DATA_DIR``, else ``var/`` in the project."""
    return Path(os.environ.get(ENV_DATA_DIR) or REPO / "var")


def default_url() -> str:
    return URL.create("sqlite", database=str(data_dir() / DB_FILE)).render_as_string()


def resolve_url(configured: str | None = None) -> str:
    """The environment's URL, else the configured one (secrets), else the SQLite file."""
    return os.environ.get(ENV_URL) or configured or default_url()


def normalise_url(url: str | URL) -> URL:
    """Accept the usual spellings of a PostgreSQL URL and use the installed psycopg 3 driver."""
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"the room store runs on SQLite or PostgreSQL, not {backend!r} ({ENV_URL})")
    return parsed


def engine_options(url: str | URL) -> dict[str, Any]:
    """create_engine() keyword arguments for this URL (also passed to st.connection)."""
    if normalise_url(url).get_backend_name() == "sqlite":
        return {}
    return {
        # A server restart leaves dead connections in the pool: test each one before use.
        "pool_pre_ping": True,
        # A class of 40 answering at once; beyond the pool, callers wait pool_timeout, then get
        # StoreUnavailable("busy") rather than hanging the page.
        "pool_size": 10,
        "max_overflow": 20,
        "pool_timeout": 10,
        "connect_args": {"connect_timeout": 5, "application_name": "negotiating-table-rooms"},
    }


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (below); pysqlite's own handling would start transactions late.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Readers never block the writer and the writer never blocks readers: the projector
        # polls while students answer. synchronous stays FULL: a commit survives a power cut.
        _wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")  # purging a room deletes its answers
    finally:
        cursor.close()


def _wal(cursor: Any) -> None:
    # WAL is a property of the file, so only its first connection switches it. Switching does not
    # wait on busy_timeout: app servers starting at once on a new file retry for a moment instead.
    for attempt in range(50):
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode = WAL").fetchone()  # an in-memory database stays "memory"
            return
        except sqlite3.OperationalError:
            if attempt == 49:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def configure(engine: Engine) -> Engine:
    """Set up an engine made elsewhere (st.connection's) for the store; safe to call twice."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_connect):
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def prepare(url: str | URL) -> URL:
    """Normalise the URL and make the SQLite file's folder (keeping it out of git)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if folder == data_dir() and not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
        except OSError as error:
            raise StoreUnavailable(
                f"The folder for the class database ({folder}) cannot be created: {error.strerror}. "
                f"Set {ENV_DATA_DIR} to a folder this app may write to.",
                "unreachable",
            ) from error
    return parsed


def make_engine(url: str | URL | None = None) -> Engine:
    """An engine for the store, from the given URL or else the configured one."""
    parsed = prepare(resolve_url() if url is None else url)
    return configure(create_engine(parsed, **engine_options(parsed)))


def where(engine: Engine) -> str:
    """The database, as the teacher's message names it: a file, or host:port/name (no password)."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"file {url.database or ':memory:'}"
    port = f":{url.port}" if url.port else ""
    return f"server {url.host or 'localhost'}{port}/{url.database or ''}"


_MESSAGES: dict[Reason, str] = {
    "unreachable": "The class database ({where}) cannot be reached right now, so the room cannot be "
    "read or updated. Answers already saved are kept. Check that the database is running, then try again.",
    "full": "The class database ({where}) has run out of disk space, so nothing more can be saved. "
    "Answers already saved are kept. Free some disk space (or purge old rooms), then try again.",
    "readonly": "The class database ({where}) is read-only, so nothing can be saved. Answers already "
    "saved are kept. Give this app write access to it, then try again.",
    "busy": "The class database ({where}) is too busy to answer in time. Nothing was lost; try again in a moment.",
    "schema": "The class database ({where}) was set up by a newer version of this app. Run the newer "
    "version, or point this one at another database.",
}


def classify(error: BaseException) -> Reason:
    """Which of the people-facing reasons a database failure is."""
    if isinstance(error, sa_exc.TimeoutError):  # the connection pool stayed full
        return "busy"
    orig = getattr(error, "orig", None) or error
    sqlstate = str(getattr(orig, "sqlstate", "") or "")
    text = str(orig).lower()
    if sqlstate == "53100" or "disk is full" in text or "no space left" in text or "could not extend" in text:
        return "full"
    if sqlstate == "25006" or "readonly database" in text or "read-only" in text:
        return "readonly"
    if sqlstate in ("53300", "55P03", "57014") or "database is locked" in text or "too many" in text:
        return "busy"
    return "unreachable"


def unavailable(error: BaseException, engine: Engine, reason: Reason | None = None) -> StoreUnavailable:
    """The StoreUnavailable for a database failure; the original goes to the server log."""
    reason = reason or classify(error)
    log.warning("room store unavailable (%s): %s", reason, error)
    return StoreUnavailable(_MESSAGES[reason].format(where=where(engine)), reason)
