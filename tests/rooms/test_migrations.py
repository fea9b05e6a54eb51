"""The migrations build, from an empty database, exactly the tables the code declares."""

from __future__ import annotations

import threading

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from dashboard.rooms import RoomStore, make_engine, migrate
from dashboard.rooms.tables import metadata

TABLES = {"rooms", "room_participants", "room_answers"}


def test_an_empty_database_is_migrated_to_head_when_the_store_starts(db_url: str) -> None:
    engine = make_engine(db_url)
    assert migrate.current(engine) is None
    assert not TABLES & set(inspect(engine).get_table_names())
    RoomStore(engine)
    assert migrate.current(engine) == migrate.head()
    assert set(inspect(engine).get_table_names()) == TABLES | {migrate.VERSION_TABLE}
    RoomStore(engine)  # starting again at head changes nothing
    assert migrate.current(engine) == migrate.head()
    engine.dispose()


def test_the_migrated_schema_matches_the_table_definitions(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"version_table": migrate.VERSION_TABLE}), metadata
        )
    assert diff == [], f"tables.py and the migrations disagree: {diff}"
    engine.dispose()


def test_downgrade_to_empty_and_up_again(db_url: str) -> None:
    engine = make_engine(db_url)
    store = RoomStore(engine)
    store.open_room()
    migrate.downgrade(engine, "base")
    assert migrate.current(engine) is None
    assert not TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert RoomStore(engine).open_room().code
    engine.dispose()


def test_app_servers_starting_together_migrate_once(db_url: str) -> None:
    engines = [make_engine(db_url) for _ in range(4)]
    start = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def boot(engine) -> None:
        start.wait()
        try:
            RoomStore(engine)
        except BaseException as error:  # collected, then asserted on in the main thread
            errors.append(error)

    threads = [threading.Thread(target=boot, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert migrate.current(engines[0]) == migrate.head()
    for e in engines:
        e.dispose()
