"""The room store's rules, on SQLite and on PostgreSQL: codes, teacher key, answers, limits, expiry."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dashboard.rooms import (
    CODE_ALPHABET,
    Activity,
    AnswersClosed,
    InvalidInput,
    Limits,
    NotJoined,
    NotTeacher,
    RateLimited,
    RoomClosed,
    RoomExpired,
    RoomFull,
    RoomNotFound,
    RoomStore,
    new_session_id,
)
from dashboard.rooms.tables import answers, participants, rooms, teacher_sessions

from .kit import Clock

QUIZ = Activity("quiz", "7", 1)
OUTLETS = ["outlet-a", "outlet-b", "outlet-c"]


def rows(store: RoomStore, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def quiz_room(store: RoomStore, students: int = 1, activity: Activity = QUIZ):
    room = store.open_room()
    sessions = [new_session_id() for _ in range(students)]
    for s in sessions:
        store.join(room.code, s)
    state = store.set_activity(room.code, room.teacher_key, activity, answer_kind="choice", options=OUTLETS)
    return room, sessions, state


def test_codes_avoid_characters_that_look_alike_and_accept_loose_typing(store: RoomStore) -> None:
    codes = {store.open_room().code for _ in range(40)}
    assert len(codes) == 40
    for code in codes:
        assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert not set(CODE_ALPHABET) & set("0O1IL")
    code = next(iter(codes))
    loose = f" {code[:3].lower()}-{code[3:]} "
    assert store.state(loose).code == code
    with pytest.raises(RoomNotFound, match="no room"):
        store.state("0OIL1Z")


def test_the_teacher_key_is_stored_only_as_its_hash(store: RoomStore) -> None:
    room = store.open_room()
    with store.engine.connect() as conn:
        stored = conn.execute(select(rooms)).one()._asdict()
    assert room.teacher_key not in {str(v) for v in stored.values()}
    assert stored["teacher_key_hash"] == hashlib.sha256(room.teacher_key.encode()).hexdigest()
    assert store.check_teacher(room.code, room.teacher_key).code == room.code


def test_only_the_teacher_key_moves_reveals_hides_closes_or_deletes(store: RoomStore) -> None:
    room, (session,), state = quiz_room(store)
    other = store.open_room()
    store.answer(room.code, session, state.question, "outlet-a")
    with store.engine.connect() as conn:
        answer_id = conn.execute(select(answers.c.id)).scalar_one()
    other_session = store.teacher_session(other.code, other.teacher_key)
    near = room.teacher_key[:-1] + ("x" if room.teacher_key[-1] != "x" else "y")
    wrong_keys = [None, "", other.teacher_key, other_session, near]
    for key in wrong_keys:
        for action in ("show_texts", "show_names", "control_key", "played", "teacher_session"):
            with pytest.raises(NotTeacher):
                getattr(store, action)(room.code, key)
        with pytest.raises(NotTeacher):
            store.set_activity(room.code, key, Activity("quiz", "7", 2), answer_kind="choice", options=OUTLETS)
        with pytest.raises(NotTeacher):
            store.reveal(room.code, key)
        with pytest.raises(NotTeacher):
            store.hide(room.code, key, answer_id)
        with pytest.raises(NotTeacher):
            store.close(room.code, key)
        with pytest.raises(NotTeacher):
            store.delete_room(room.code, key)
        with pytest.raises(NotTeacher):
            store.check_teacher(room.code, key or "nothing")
    after = store.state(room.code)
    with store.engine.connect() as conn:
        assert conn.execute(select(answers.c.hidden)).scalar_one() is False
    assert (after.version, after.revealed, after.closed, after.activity) == (state.version, False, False, QUIZ)
    with pytest.raises(NotTeacher):
        store.results(room.code, other.teacher_key)


def test_a_later_answer_replaces_the_earlier_one(store: RoomStore) -> None:
    room, (ana, ben), state = quiz_room(store, students=2)
    first = store.answer(room.code, ana, state.question, "outlet-a")
    second = store.answer(room.code, ana, state.question, "outlet-c")
    store.answer(room.code, ben, state.question, "outlet-c")
    assert (first.replaced, second.replaced) == (False, True)
    assert store.my_answer(room.code, ana, state.question) == "outlet-c"
    assert rows(store, answers) == 2
    with store.engine.connect() as conn:
        changes = conn.execute(select(answers.c.changes).order_by(answers.c.id)).scalars().all()
    assert changes == [1, 0]
    result = store.results(room.code, room.teacher_key)
    assert result.answered == 2 and result.participants == 2
    assert result.distribution == (("outlet-a", 0), ("outlet-b", 0), ("outlet-c", 2))


def test_an_answer_counts_only_for_the_question_that_is_open(store: RoomStore) -> None:
    room, (ana,), q1 = quiz_room(store)
    q2 = store.set_activity(
        room.code, room.teacher_key, Activity("quiz", "7", 2), answer_kind="choice", options=OUTLETS
    )
    with pytest.raises(AnswersClosed):
        store.answer(room.code, ana, q1.question, "outlet-a")  # the page still showed question 1
    assert store.results(room.code, room.teacher_key).answered == 0
    store.answer(room.code, ana, q2.question, "outlet-b")
    store.reveal(room.code, room.teacher_key)
    with pytest.raises(AnswersClosed):
        store.answer(room.code, ana, q2.question, "outlet-a")
    assert store.my_answer(room.code, ana, q2.question) == "outlet-b"
    store.set_activity(room.code, room.teacher_key, Activity("step", "path-1", 1))  # a step without a poll
    assert store.state(room.code).question is None


def test_students_see_counts_before_the_reveal_and_answers_only_after(store: RoomStore) -> None:
    room, (ana, _ben), state = quiz_room(store, students=2)
    store.answer(room.code, ana, state.question, "outlet-b")
    before = store.results(room.code)
    assert (before.answered, before.distribution, before.texts) == (1, None, None)
    store.reveal(room.code, room.teacher_key)
    after = store.results(room.code)
    assert after.distribution == (("outlet-a", 0), ("outlet-b", 1), ("outlet-c", 0))


def test_written_answers_are_plain_text_and_shown_by_the_teacher_one_by_one(store: RoomStore) -> None:
    room = store.open_room()
    ana, ben = new_session_id(), new_session_id()
    store.join(room.code, ana, "Ana")
    store.join(room.code, ben)
    step = store.set_activity(room.code, room.teacher_key, Activity("step", "path-1", 3), answer_kind="text")
    kept = store.answer(room.code, ana, step.question, "  It names\n\tno source  ")
    assert kept.value == "It names no source"
    markup = store.answer(room.code, ben, step.question, "<b>bold</b> [link](javascript:x)")
    assert markup.value == "<b>bold</b> [link](javascript:x)"  # stored as typed; pages show it as text
    store.answer(room.code, ben, step.question, "a new text")  # rewriting before the reveal
    store.reveal(room.code, room.teacher_key)
    assert store.results(room.code).texts == ()  # revealed, and still nothing shown until the teacher says
    teacher_view = store.results(room.code, room.teacher_key).texts
    assert [(t.text, t.nickname, t.hidden) for t in teacher_view] == [
        ("It names no source", "Ana", True),
        ("a new text", None, True),
    ]
    store.hide(room.code, room.teacher_key, teacher_view[0].answer_id, False)
    shown = store.results(room.code)
    assert [(t.text, t.nickname) for t in shown.texts] == [("It names no source", None)]  # no names yet
    store.show_names(room.code, room.teacher_key)
    assert [(t.text, t.nickname) for t in store.results(room.code).texts] == [("It names no source", "Ana")]
    store.show_texts(room.code, room.teacher_key)
    assert [t.text for t in store.results(room.code).texts] == ["It names no source", "a new text"]
    store.show_texts(room.code, room.teacher_key, False)
    store.show_names(room.code, room.teacher_key, False)
    assert store.results(room.code).texts == ()
    assert store.results(room.code).answered == 2
    with pytest.raises(InvalidInput):
        store.hide(room.code, room.teacher_key, 10_000_000)


def test_nicknames_are_shown_only_for_a_revealed_question(store: RoomStore) -> None:
    room = store.open_room()
    store.set_activity(room.code, room.teacher_key, Activity("step", "path-1", 3), answer_kind="text")
    with pytest.raises(InvalidInput, match="Reveal the question first"):
        store.show_names(room.code, room.teacher_key)


def test_a_revealed_question_stays_revealed_and_takes_no_answer_again(store: RoomStore) -> None:
    room, (ana, ben), q1 = quiz_room(store, students=2)
    store.answer(room.code, ana, q1.question, "outlet-a")
    store.reveal(room.code, room.teacher_key)
    q2 = store.set_activity(
        room.code, room.teacher_key, Activity("quiz", "7", 2), answer_kind="choice", options=OUTLETS
    )
    assert (q2.revealed, q2.question) == (False, "quiz:7:2")
    back = store.set_activity(room.code, room.teacher_key, QUIZ, answer_kind="choice", options=OUTLETS)
    assert back.revealed and back.question is None
    for who in (ana, ben):
        with pytest.raises(AnswersClosed):
            store.answer(room.code, who, q1.question, "outlet-b")
    assert store.my_answer(room.code, ana, q1.question) == "outlet-a"
    assert store.results(room.code).distribution == (("outlet-a", 1), ("outlet-b", 0), ("outlet-c", 0))
    played = store.played(room.code, room.teacher_key)
    assert [(p.question, p.answered, p.revealed) for p in played] == [("quiz:7:1", 1, True)]
    assert played[0].activity == QUIZ
    with pytest.raises(NotTeacher):
        store.played(room.code, None)


def test_an_answer_for_a_revealed_question_is_refused_even_if_the_room_row_says_open(store: RoomStore) -> None:
    room, (ana,), q1 = quiz_room(store)
    store.reveal(room.code, room.teacher_key)
    with store.engine.begin() as conn:  # a room row out of step with its reveals (as if written by older code)
        conn.execute(rooms.update().values(revealed=False))
    assert store.state(room.code).question == q1.question
    with pytest.raises(AnswersClosed):
        store.answer(room.code, ana, q1.question, "outlet-a")


def test_the_key_is_exchanged_for_a_teacher_session_that_controls_only_its_room(store: RoomStore) -> None:
    room, other = store.open_room(), store.open_room()
    token = store.teacher_session(room.code, room.teacher_key)
    with store.engine.connect() as conn:
        stored = conn.execute(select(teacher_sessions)).mappings().one()
    assert token not in {str(v) for v in stored.values()}
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    store.set_activity(room.code, token, QUIZ, answer_kind="choice", options=OUTLETS)
    assert store.reveal(room.code, token).revealed
    assert store.check_teacher(room.code, token).code == room.code
    with pytest.raises(NotTeacher):
        store.check_teacher(other.code, token)
    with pytest.raises(NotTeacher):
        store.teacher_session(room.code, token)  # a session cannot hand out another session
    with pytest.raises(NotTeacher):
        store.teacher_session(other.code, room.teacher_key)


def test_a_control_key_replaces_the_key_and_keeps_the_sessions(store: RoomStore) -> None:
    room = store.open_room()
    token = store.teacher_session(room.code, room.teacher_key)
    fresh = store.control_key(room.code, token)
    assert fresh != room.teacher_key
    with pytest.raises(NotTeacher):
        store.check_teacher(room.code, room.teacher_key)
    assert store.check_teacher(room.code, fresh).code == room.code
    assert store.check_teacher(room.code, token).code == room.code
    phone = store.teacher_session(room.code, fresh)
    store.close(room.code, phone)
    store.delete_room(room.code, token)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(teacher_sessions)).scalar_one() == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x" * 281, "281 characters; at most 280"),
        ("   ", "empty"),
        ("bell\x07", "U\\+0007"),
        ("right\u202eto left", "U\\+202E"),
        (42, "must be text"),
    ],
)
def test_written_answers_that_are_refused_say_why(store: RoomStore, value: object, message: str) -> None:
    room = store.open_room()
    ana = new_session_id()
    store.join(room.code, ana)
    step = store.set_activity(room.code, room.teacher_key, Activity("step", "p", 1), answer_kind="text")
    with pytest.raises(InvalidInput, match=message):
        store.answer(room.code, ana, step.question, value)  # type: ignore[arg-type]
    assert store.results(room.code, room.teacher_key).answered == 0


def test_a_choice_must_be_one_of_the_options_and_options_are_checked(store: RoomStore) -> None:
    room, (ana,), state = quiz_room(store)
    with pytest.raises(InvalidInput, match="not one of"):
        store.answer(room.code, ana, state.question, "outlet-z")
    for options in (["only one"], ["a", "a"], [f"o{i}" for i in range(21)], ["x" * 81]):
        with pytest.raises(InvalidInput):
            store.set_activity(room.code, room.teacher_key, QUIZ, answer_kind="choice", options=options)
    with pytest.raises(InvalidInput):
        store.set_activity(room.code, room.teacher_key, Activity("quiz", "bad id!", 1), answer_kind="choice")
    with pytest.raises(InvalidInput):
        store.set_activity(room.code, room.teacher_key, Activity("step", "p", 1), answer_kind="text", options=["a"])


def test_nicknames_are_optional_short_and_plain(store: RoomStore) -> None:
    room = store.open_room()
    assert store.join(room.code, new_session_id()).nickname is None
    assert store.join(room.code, new_session_id(), "   ").nickname is None
    assert store.join(room.code, new_session_id(), "Zoë 🙂 " + "x" * 13).nickname == "Zoë 🙂 " + "x" * 13
    with pytest.raises(InvalidInput, match="21 characters; at most 20"):
        store.join(room.code, new_session_id(), "y" * 21)
    with pytest.raises(InvalidInput, match="control or invisible"):
        store.join(room.code, new_session_id(), "a\u200bb")
    with pytest.raises(InvalidInput, match="session"):
        store.join(room.code, "short")
    again = new_session_id()
    store.join(room.code, again, "First")
    assert store.join(room.code, again, "Second").nickname == "Second"  # a rejoin renames, no new row
    assert store.join(room.code, again).nickname == "Second"  # a phone reconnecting sends none: kept
    assert store.join(room.code, again, "").nickname is None  # an emptied nickname box clears it
    assert rows(store, participants) == 4


def test_an_answer_needs_a_joined_session(store: RoomStore) -> None:
    room, _, state = quiz_room(store)
    with pytest.raises(NotJoined):
        store.answer(room.code, new_session_id(), state.question, "outlet-a")


def test_a_session_sending_too_fast_is_refused_until_its_window_passes(db_url: str, clock: Clock) -> None:
    store = RoomStore.from_url(db_url, clock=clock, limits=Limits(writes_per_window=4, window_seconds=60))
    room, (ana,), state = quiz_room(store)  # the join is write 1
    for value in ("outlet-a", "outlet-b", "outlet-c"):
        store.answer(room.code, ana, state.question, value)
    with pytest.raises(RateLimited) as refused:
        store.answer(room.code, ana, state.question, "outlet-a")
    assert 1 <= refused.value.retry_after <= 60 and "wait" in str(refused.value)
    assert store.my_answer(room.code, ana, state.question) == "outlet-c"
    ben = new_session_id()
    store.join(room.code, ben)  # another session has its own window
    store.answer(room.code, ben, state.question, "outlet-a")
    clock.advance(seconds=61)
    store.answer(room.code, ana, state.question, "outlet-a")
    assert store.my_answer(room.code, ana, state.question) == "outlet-a"
    store.dispose()


def test_rooms_and_the_store_have_a_size_limit(db_url: str, clock: Clock) -> None:
    store = RoomStore.from_url(db_url, clock=clock, limits=Limits(max_participants=2, max_live_rooms=3))
    room = store.open_room()
    first = new_session_id()
    store.join(room.code, first)
    store.join(room.code, new_session_id())
    with pytest.raises(RoomFull, match="full"):
        store.join(room.code, new_session_id())
    store.join(room.code, first, "back again")  # rejoining is not a new student
    store.open_room()
    store.open_room()
    with pytest.raises(RoomFull, match="3 open rooms"):
        store.open_room()
    clock.advance(hours=24)
    assert store.open_room().code  # the expired three were purged to make room
    assert rows(store, rooms) == 1
    store.dispose()


def test_rooms_expire_after_a_day_and_purge_deletes_what_students_sent(store: RoomStore, clock: Clock) -> None:
    room, sessions, state = quiz_room(store, students=3)
    for s in sessions:
        store.answer(room.code, s, state.question, "outlet-a")
    assert room.expires_at - clock.now == timedelta(hours=24)
    clock.advance(hours=12)
    keeper, _, _ = quiz_room(store, students=1)
    clock.advance(hours=12)
    assert store.state(room.code).expired and store.state(room.code).question is None
    with pytest.raises(RoomExpired):
        store.join(room.code, new_session_id())
    with pytest.raises(RoomExpired):
        store.answer(room.code, sessions[0], state.question, "outlet-b")
    with pytest.raises(RoomExpired):
        store.reveal(room.code, room.teacher_key)
    assert (rows(store, rooms), rows(store, participants), rows(store, answers)) == (2, 4, 3)
    assert store.purge() == 1
    assert (rows(store, rooms), rows(store, participants), rows(store, answers)) == (1, 1, 0)
    with pytest.raises(RoomNotFound):
        store.state(room.code)
    assert store.state(keeper.code).code == keeper.code
    assert store.purge() == 0


def test_a_room_may_last_a_chosen_time_within_bounds(store: RoomStore, clock: Clock) -> None:
    short = store.open_room(ttl=timedelta(hours=2))
    assert short.expires_at - clock.now == timedelta(hours=2)
    for ttl in (timedelta(0), timedelta(days=8)):
        with pytest.raises(InvalidInput):
            store.open_room(ttl=ttl)


def test_a_closed_room_takes_nothing_more_but_keeps_its_results(store: RoomStore) -> None:
    room, (ana,), state = quiz_room(store)
    store.answer(room.code, ana, state.question, "outlet-b")
    closed = store.close(room.code, room.teacher_key)
    assert closed.closed and closed.question is None
    with pytest.raises(RoomClosed):
        store.join(room.code, new_session_id())
    with pytest.raises(RoomClosed):
        store.answer(room.code, ana, state.question, "outlet-a")
    with pytest.raises(RoomClosed):
        store.set_activity(room.code, room.teacher_key, Activity("quiz", "7", 2), answer_kind="choice", options=OUTLETS)
    store.reveal(room.code, room.teacher_key)  # the discussion goes on after closing
    assert store.results(room.code).distribution == (("outlet-a", 0), ("outlet-b", 1), ("outlet-c", 0))


def test_the_teacher_can_delete_a_room_at_once(store: RoomStore) -> None:
    room, (ana,), state = quiz_room(store)
    store.answer(room.code, ana, state.question, "outlet-b")
    store.delete_room(room.code, room.teacher_key)
    assert (rows(store, rooms), rows(store, participants), rows(store, answers)) == (0, 0, 0)
    with pytest.raises(RoomNotFound):
        store.state(room.code)


def test_every_teacher_action_changes_the_version_pages_poll(store: RoomStore) -> None:
    room, (ana,), state = quiz_room(store)
    versions = [state.version]
    store.answer(room.code, ana, state.question, "outlet-a")
    versions.append(store.state(room.code).version)  # an answer is not a teacher action
    versions.append(store.reveal(room.code, room.teacher_key).version)
    versions.append(store.set_activity(room.code, room.teacher_key, Activity("step", "p", 1)).version)
    versions.append(store.close(room.code, room.teacher_key).version)
    assert versions[0] == versions[1] and versions[1] < versions[2] < versions[3] < versions[4]
