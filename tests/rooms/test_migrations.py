"""The migrations build, from an empty database, exactly the tables the code declares."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select

from dashboard.rooms import Activity, AnswersClosed, RoomStore, make_engine, migrate, new_session_id
from dashboard.rooms.inputs import hash_key
from dashboard.rooms.tables import metadata, questions, rooms

TABLES = {
    "rooms",
    "room_participants",
    "room_answers",
    "room_teacher_sessions",
    "room_questions",
    "room_marks",
    "story_drafts",
}


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


def test_a_database_made_by_0001_is_upgraded_and_its_revealed_question_stays_revealed(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0001")
    assert migrate.current(engine) == "0001"
    now = datetime.now(UTC)
    with engine.begin() as conn:  # two rooms as 0001 left them: one showing its answers, one not
        for code, revealed in (("AAAAAA", True), ("BBBBBB", False)):
            conn.execute(
                insert(rooms).values(
                    code=code,
                    teacher_key_hash=hash_key(f"key-{code}"),
                    created_at=now,
                    expires_at=now + timedelta(hours=1),
                    activity="quiz",
                    ref="7",
                    position=2,
                    answer_kind="choice",
                    options=["a", "b"],
                    revealed=revealed,
                    version=3,
                )
            )
    store = RoomStore(engine)  # upgrades to head
    assert migrate.current(engine) == migrate.head() == "0004"
    with engine.connect() as conn:
        kept = conn.execute(select(rooms.c.code, questions.c.question).join(questions)).all()
    assert [tuple(r) for r in kept] == [("AAAAAA", "quiz:7:2")]
    student = new_session_id()
    store.join("AAAAAA", student)
    with pytest.raises(AnswersClosed):
        store.answer("AAAAAA", student, "quiz:7:2", "a")
    store.set_activity("AAAAAA", "key-AAAAAA", Activity("quiz", "7", 3), answer_kind="choice", options=["a", "b"])
    two = Activity("quiz", "7", 2)
    back = store.set_activity("AAAAAA", "key-AAAAAA", two, answer_kind="choice", options=["a", "b"])
    assert back.revealed and back.question is None
    open_ = store.state("BBBBBB")
    assert (open_.revealed, open_.question, open_.version) == (False, "quiz:7:2", 3)
    token = store.teacher_session("BBBBBB", "key-BBBBBB")
    assert store.reveal("BBBBBB", token).revealed
    migrate.downgrade(engine, "0001")
    assert migrate.current(engine) == "0001"
    assert not {"room_questions", "room_teacher_sessions"} & set(inspect(engine).get_table_names())
    engine.dispose()
