"""Database faults reach the teacher as one clear exception, StoreUnavailable, never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy import exc as sa_exc

from dashboard.rooms import Activity, Limits, RoomStore, StoreUnavailable, make_engine, migrate, new_session_id
from dashboard.rooms.engine import classify
from dashboard.rooms.tables import answers

from .kit import pg_base_url

DB_WORDS = ("psycopg", "sqlite3.", "OperationalError", "Traceback", "Errno", "[SQL")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def assert_for_people(error: StoreUnavailable) -> None:
    message = str(error)
    assert message.endswith(("try again.", "then try again.")) or "Set NT_DATA_DIR" in message
    assert not any(word in message for word in DB_WORDS), message


def test_a_database_that_refuses_connections_gives_one_clear_message() -> None:
    port = closed_port()
    with pytest.raises(StoreUnavailable) as refused:
        RoomStore.from_url(f"postgresql://nobody@127.0.0.1:{port}/rooms")
    assert refused.value.reason == "unreachable"
    assert f"127.0.0.1:{port}/rooms" in str(refused.value) and "cannot be reached" in str(refused.value)
    assert_for_people(refused.value)


def test_a_store_whose_database_goes_away_later_says_so_too(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("an SQLite file cannot go away like a server")
    store = RoomStore.from_url(db_url)
    room = store.open_room()
    # The same store pointed at a closed port: what a teacher sees if the server stops mid-class.
    gone = RoomStore(make_engine(store.engine.url.set(port=closed_port())), run_migrations=False)
    for action in (lambda: gone.state(room.code), lambda: gone.open_room(), lambda: gone.purge()):
        with pytest.raises(StoreUnavailable, match="cannot be reached"):
            action()
    store.dispose()


def test_an_sqlite_folder_that_cannot_be_made_is_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    with pytest.raises(StoreUnavailable, match="cannot be created") as refused:
        RoomStore.from_url(f"sqlite:///{blocker / 'rooms.sqlite3'}")
    assert_for_people(refused.value)


def test_a_full_sqlite_disk_keeps_what_was_saved_and_says_it_is_full(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    store = RoomStore.from_url(url, limits=Limits(max_participants=100_000, writes_per_window=100_000))
    room = store.open_room()
    first = new_session_id()
    store.join(room.code, first)
    state = store.set_activity(room.code, room.teacher_key, Activity("step", "p", 1), answer_kind="text")
    store.answer(room.code, first, state.question, "saved before the disk filled")
    store.dispose()

    # SQLite's own "database or disk is full" (SQLITE_FULL), by capping the file at its size now.
    full = make_engine(url)

    @event.listens_for(full, "connect")
    def cap(dbapi_connection, _record) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    store = RoomStore(full, run_migrations=False, limits=Limits(max_participants=100_000, writes_per_window=100_000))
    with pytest.raises(StoreUnavailable) as refused:
        for _ in range(5000):
            s = new_session_id()
            store.join(room.code, s, "a nickname to fill")
            store.answer(room.code, s, state.question, "x" * 280)
    assert refused.value.reason == "full" and "disk space" in str(refused.value)
    assert_for_people(refused.value)
    assert store.my_answer(room.code, first, state.question) == "saved before the disk filled"
    store.dispose()


def test_postgresql_disk_full_and_read_only_errors_are_named_as_such() -> None:
    # psycopg's own exception classes for SQLSTATE 53100 and 25006, as SQLAlchemy wraps them.
    full = sa_exc.OperationalError("INSERT", {}, psycopg.errors.DiskFull("could not extend file"))
    readonly = sa_exc.InternalError("INSERT", {}, psycopg.errors.ReadOnlySqlTransaction("read-only transaction"))
    refused = sa_exc.OperationalError("connect", {}, psycopg.OperationalError("connection refused"))
    assert (classify(full), classify(readonly), classify(refused)) == ("full", "readonly", "unreachable")


def test_a_database_from_a_newer_version_of_the_app_is_refused_clearly(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {migrate.VERSION_TABLE} SET version_num = '9999_future'"))
    with pytest.raises(StoreUnavailable, match="newer version") as refused:
        RoomStore(engine)
    assert refused.value.reason == "schema"
    engine.dispose()


def test_connections_killed_by_a_database_restart_are_replaced_without_losing_answers(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL terminates server connections; an SQLite file has none")
    store = RoomStore.from_url(db_url)
    room = store.open_room()
    ana = new_session_id()
    store.join(room.code, ana)
    state = store.set_activity(
        room.code, room.teacher_key, Activity("quiz", "1", 1), answer_kind="choice", options=["a", "b"]
    )
    store.answer(room.code, ana, state.question, "a")
    # Every connection the store's pool holds, taken at once; only these: tests beside this one share the server.
    held = [store.engine.connect() for _ in range(max(1, store.engine.pool.checkedin()))]
    pids = [c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in held]
    for c in held:
        c.close()
    base = make_engine(pg_base_url())
    with base.begin() as conn:  # what a restart does to every open connection of the store
        killed = sum(conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one() for pid in pids)
    base.dispose()
    assert killed == len(pids) >= 1
    assert store.my_answer(room.code, ana, state.question) == "a"
    store.answer(room.code, ana, state.question, "b")
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(answers)).scalar_one() == 1
    store.dispose()
