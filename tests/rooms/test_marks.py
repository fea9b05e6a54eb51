"""Marks ("Spot the framing"): one set of word positions per student per question, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, inspect, select

from dashboard.rooms import (
    Activity,
    AnswersClosed,
    InvalidInput,
    NotJoined,
    RoomStore,
    make_engine,
    migrate,
    new_session_id,
)
from dashboard.rooms.inputs import hash_key
from dashboard.rooms.tables import answers, marks, participants, rooms

from .kit import Clock

WORDS = ["The", "strongman", "Alba", "sent", "envoys", "to", "the", "“dialogue”", "on", "Monday."]


def spot(store: RoomStore, n: int = 1):
    room = store.open_room()
    store.set_activity(room.code, room.teacher_key, Activity("spot", "7", n), answer_kind="marks", options=WORDS)
    return room


def joined(store: RoomStore, code: str) -> str:
    session = new_session_id()
    store.join(code, session)
    return session


def test_a_mark_set_is_stored_replaced_and_read_back(store: RoomStore) -> None:
    room = spot(store)
    s = joined(store, room.code)
    first = store.mark(room.code, s, "spot:7:1", [7, 1, 1])
    assert (first.marks, first.replaced) == ((1, 7), False)  # sorted, each word once
    assert store.my_marks(room.code, s, "spot:7:1") == (1, 7)
    again = store.mark(room.code, s, "spot:7:1", [2])
    assert (again.marks, again.replaced) == ((2,), True)
    assert store.my_marks(room.code, s, "spot:7:1") == (2,)
    res = store.results(room.code, room.teacher_key)
    assert (res.answered, res.participants, res.mark_sets) == (1, 1, ((2,),))


def test_an_empty_set_is_an_answer_and_a_student_who_sent_nothing_has_none(store: RoomStore) -> None:
    room = spot(store)
    quiet, empty = joined(store, room.code), joined(store, room.code)
    store.mark(room.code, empty, "spot:7:1", [])
    assert store.my_marks(room.code, empty, "spot:7:1") == ()
    assert store.my_marks(room.code, quiet, "spot:7:1") is None
    assert store.results(room.code, room.teacher_key).answered == 1


@pytest.mark.parametrize("bad", [[10], [-1], ["1"], [True], "12", [1.0]])
def test_a_mark_outside_the_excerpt_or_not_a_position_is_refused(store: RoomStore, bad: object) -> None:
    room = spot(store)
    s = joined(store, room.code)
    with pytest.raises(InvalidInput):
        store.mark(room.code, s, "spot:7:1", bad)  # type: ignore[arg-type]
    assert store.my_marks(room.code, s, "spot:7:1") is None


def test_marks_go_only_to_the_open_marks_question(store: RoomStore) -> None:
    room = spot(store)
    s = joined(store, room.code)
    with pytest.raises(AnswersClosed):
        store.mark(room.code, s, "spot:7:2", [1])  # not the question on screen
    with pytest.raises(InvalidInput):
        store.answer(room.code, s, "spot:7:1", "strongman")  # words are marked, not answered
    with pytest.raises(NotJoined):
        store.mark(room.code, new_session_id(), "spot:7:1", [1])
    store.set_activity(room.code, room.teacher_key, Activity("quiz", "1", 1), answer_kind="choice", options=["a", "b"])
    with pytest.raises(InvalidInput):
        store.mark(room.code, s, "quiz:1:1", [0])


def test_after_reveal_marks_are_refused_for_good_and_everyone_gets_the_sets(store: RoomStore) -> None:
    room = spot(store)
    s, t = joined(store, room.code), joined(store, room.code)
    store.mark(room.code, s, "spot:7:1", [1, 7])
    assert store.results(room.code).mark_sets is None  # before Reveal only the teacher gets them
    store.reveal(room.code, room.teacher_key)
    for who in (s, t):
        with pytest.raises(AnswersClosed):
            store.mark(room.code, who, "spot:7:1", [2])
    assert store.results(room.code).mark_sets == ((1, 7),)
    store.set_activity(room.code, room.teacher_key, Activity("spot", "7", 2), answer_kind="marks", options=WORDS)
    back = store.set_activity(room.code, room.teacher_key, Activity("spot", "7", 1), answer_kind="marks", options=WORDS)
    assert back.revealed and back.question is None
    with pytest.raises(AnswersClosed):
        store.mark(room.code, s, "spot:7:1", [2])
    assert store.my_marks(room.code, s, "spot:7:1") == (1, 7)


def test_an_excerpt_to_mark_needs_words(store: RoomStore) -> None:
    room = store.open_room()
    with pytest.raises(InvalidInput):
        store.set_activity(room.code, room.teacher_key, Activity("spot", "7", 1), answer_kind="marks", options=[])
    with pytest.raises(InvalidInput):
        store.set_activity(
            room.code, room.teacher_key, Activity("spot", "7", 1), answer_kind="marks", options=["w"] * 121
        )


def test_marks_are_deleted_with_the_room_and_purged_when_it_expires(store: RoomStore, clock: Clock) -> None:
    gone, old = spot(store), spot(store)
    for room in (gone, old):
        store.mark(room.code, joined(store, room.code), "spot:7:1", [1])
    store.delete_room(gone.code, gone.teacher_key)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(marks)).scalar_one() == 1
    clock.advance(hours=25)
    assert store.purge() == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(marks)).scalar_one() == 0


def test_a_closed_room_lists_a_marked_question_with_its_count(store: RoomStore) -> None:
    room = spot(store)
    for _ in range(3):
        store.mark(room.code, joined(store, room.code), "spot:7:1", [1])
    store.reveal(room.code, room.teacher_key)
    store.close(room.code, room.teacher_key)
    (played,) = store.played(room.code, room.teacher_key)
    assert (played.question, played.answered, played.revealed) == ("spot:7:1", 3, True)
    assert played.activity == Activity("spot", "7", 1)


def test_forty_students_mark_ten_questions_and_every_set_is_counted(store: RoomStore) -> None:
    """A class of 40 sending marks at once on each of 10 questions: no set lost, none counted twice."""
    room = spot(store)
    sessions = [joined(store, room.code) for _ in range(40)]
    errors: list[BaseException] = []
    for n in range(1, 11):
        activity = Activity("spot", "7", n)
        store.set_activity(room.code, room.teacher_key, activity, answer_kind="marks", options=WORDS)
        start = threading.Barrier(8)

        def send(group: list[int], n: int = n, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                for i in group:  # student i marks words i % 10 and n % 10, the first half twice (a change)
                    store.mark(room.code, sessions[i], f"spot:7:{n}", [i % 10, n % 10])
                    if i < 20:
                        store.mark(room.code, sessions[i], f"spot:7:{n}", [i % 10, n % 10])
            except BaseException as error:  # collected, then asserted on in the main thread
                errors.append(error)

        threads = [threading.Thread(target=send, args=(list(range(k, 40, 8)),)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        res = store.results(room.code, room.teacher_key)
        assert res.answered == 40
        assert sorted(res.mark_sets or ()) == sorted(tuple(sorted({i % 10, n % 10})) for i in range(40))
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(marks)).scalar_one() == 400
        assert conn.execute(select(func.max(marks.c.changes))).scalar_one() == 1


def test_a_room_of_0002_keeps_its_students_and_answers_through_0003_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0002")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        room_id = conn.execute(
            insert(rooms).values(
                code="CCCCCC",
                teacher_key_hash=hash_key("key-C"),
                created_at=now,
                expires_at=now + timedelta(hours=1),
                activity="quiz",
                ref="7",
                position=1,
                answer_kind="choice",
                options=["a", "b"],
                revealed=False,
                version=1,
            )
        ).inserted_primary_key[0]
        pid = conn.execute(
            insert(participants).values(
                room_id=room_id, session_id="s" * 20, joined_at=now, window_start=now, window_writes=1
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(answers)
            .values(room_id=room_id, participant_id=pid, question="quiz:7:1", value="a", hidden=False, answered_at=now)
            .values(changes=0)
        )
    store = RoomStore(engine)  # upgrades: on SQLite the rooms table is copied, and must keep what refers to it
    assert migrate.current(engine) == migrate.head()
    assert store.my_answer("CCCCCC", "s" * 20, "quiz:7:1") == "a"
    store.set_activity("CCCCCC", "key-C", Activity("spot", "1", 1), answer_kind="marks", options=WORDS)
    store.mark("CCCCCC", "s" * 20, "spot:1:1", [3])
    migrate.downgrade(engine, "0002")  # a room on the activity 0002 does not know goes back to the lobby
    assert "room_marks" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(select(rooms.c.activity, rooms.c.answer_kind)).one() == ("lobby", None)
        assert conn.execute(select(func.count()).select_from(answers)).scalar_one() == 1
    engine.dispose()
