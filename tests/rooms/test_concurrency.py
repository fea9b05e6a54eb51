"""A class answering at once, for real: threads and separate processes on one database.

Invariant everywhere: every answer the store acknowledged is stored exactly once (0 lost, 0
double-counted), and nothing it refused is stored.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.rooms import Activity, AnswersClosed, Limits, RateLimited, RoomStore, new_session_id
from dashboard.rooms.tables import answers

OPTIONS = ["a", "b", "c", "d"]
STUDENTS = 40
QUESTIONS = 5  # the 10-question class is bench/bench_rooms.py

_worker_store: RoomStore | None = None


def _stored(store: RoomStore) -> Counter[tuple[str, str]]:
    with store.engine.connect() as conn:
        return Counter((q, v) for q, v in conn.execute(select(answers.c.question, answers.c.value)))


def test_forty_students_answer_each_question_at_once(db_url: str) -> None:
    store = RoomStore.from_url(db_url)
    room = store.open_room()
    sessions = [new_session_id() for _ in range(STUDENTS)]
    with ThreadPoolExecutor(max_workers=STUDENTS) as pool:
        list(pool.map(lambda s: store.join(room.code, s), sessions))
        expected: Counter[tuple[str, str]] = Counter()
        for n in range(1, QUESTIONS + 1):
            state = store.set_activity(
                room.code, room.teacher_key, Activity("quiz", "3", n), answer_kind="choice", options=OPTIONS
            )
            start = threading.Barrier(STUDENTS)

            def answer(i: int, question: str = state.question, n: int = n, start: threading.Barrier = start) -> str:
                start.wait()  # everyone sends in the same instant
                first = OPTIONS[i % 4]
                store.answer(room.code, sessions[i], question, first)
                final = OPTIONS[(i + n) % 4]  # half change their minds: replaced, not added
                return store.answer(room.code, sessions[i], question, final).value

            finals = list(pool.map(answer, range(STUDENTS)))
            expected.update((state.question, v) for v in finals)
            result = store.results(room.code, room.teacher_key)
            assert result.answered == STUDENTS
            assert sum(count for _, count in result.distribution) == STUDENTS
            assert dict(result.distribution) == {o: finals.count(o) for o in OPTIONS}
    assert _stored(store) == expected
    store.dispose()


def test_one_student_sending_from_many_tabs_at_once_keeps_one_answer(db_url: str) -> None:
    store = RoomStore.from_url(db_url)
    room = store.open_room()
    ana = new_session_id()
    store.join(room.code, ana)
    state = store.set_activity(
        room.code, room.teacher_key, Activity("quiz", "1", 1), answer_kind="choice", options=OPTIONS
    )
    start = threading.Barrier(12)

    def send(i: int) -> bool:
        start.wait()
        return store.answer(room.code, ana, state.question, OPTIONS[i % 4]).replaced

    with ThreadPoolExecutor(max_workers=12) as pool:
        replaced = list(pool.map(send, range(12)))
    assert replaced.count(False) == 1  # exactly one of them was first
    with store.engine.connect() as conn:
        stored = conn.execute(select(answers.c.value, answers.c.changes)).all()
    assert len(stored) == 1 and stored[0].changes == 11
    store.dispose()


def test_the_rate_limit_holds_under_simultaneous_sends(db_url: str) -> None:
    store = RoomStore.from_url(db_url, limits=Limits(writes_per_window=6, window_seconds=3600))
    room = store.open_room()
    ana = new_session_id()
    store.join(room.code, ana)  # write 1 of 6
    state = store.set_activity(
        room.code, room.teacher_key, Activity("quiz", "1", 1), answer_kind="choice", options=OPTIONS
    )
    start = threading.Barrier(20)

    def send(i: int) -> str:
        start.wait()
        try:
            store.answer(room.code, ana, state.question, OPTIONS[i % 4])
        except RateLimited:
            return "refused"
        return "stored"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = Counter(pool.map(send, range(20)))
    assert outcomes == Counter({"stored": 5, "refused": 15})
    store.dispose()


def test_answers_racing_the_teacher_moving_on_land_on_the_question_they_were_for(db_url: str) -> None:
    store = RoomStore.from_url(db_url, limits=Limits(writes_per_window=10**6))  # the race, not the limit
    room = store.open_room()
    sessions = [new_session_id() for _ in range(16)]
    for s in sessions:
        store.join(room.code, s)
    acknowledged: Counter[tuple[str, str]] = Counter()
    lock = threading.Lock()
    stop = threading.Event()

    def student(i: int) -> None:
        while not stop.wait(0.002):
            state = store.state(room.code)
            if state.question is None:
                continue
            try:
                receipt = store.answer(room.code, sessions[i], state.question, OPTIONS[i % 4])
            except AnswersClosed:
                continue  # the page showed a question the teacher had just left: refused, not stored
            if not receipt.replaced:
                with lock:
                    acknowledged[(receipt.question, receipt.value)] += 1

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        running = [pool.submit(student, i) for i in range(len(sessions))]
        for n in range(1, 9):
            store.set_activity(
                room.code, room.teacher_key, Activity("quiz", "5", n), answer_kind="choice", options=OPTIONS
            )
            stop.wait(0.05)
        stop.set()
        for future in running:
            future.result()
    assert acknowledged and _stored(store) == acknowledged
    store.dispose()


def _answer_in_process(args: tuple[str, str, str, list[str], str]) -> int:
    url, code, question, sessions, value = args
    global _worker_store
    if _worker_store is None:  # one engine per process, as each app server has
        _worker_store = RoomStore.from_url(url, run_migrations=False)
    for s in sessions:
        _worker_store.answer(code, s, question, value)
    return len(sessions)


def _spawn_pool(processes: int) -> multiprocessing.pool.Pool:
    """A pool of fresh interpreters that import this module by its name here, ``rooms.test_concurrency``.

    While an AppTest script runs (in a thread, maybe left from an earlier test), Streamlit puts the
    script's folder, dashboard/, first on sys.path, where ``rooms`` is the app's package; a child given
    that path may not find this module. The children start with the path without it.
    """
    app_dir = str(Path(__file__).resolve().parents[2] / "dashboard")
    saved = sys.path[:]
    sys.path[:] = [p for p in saved if os.path.abspath(p) != app_dir]
    try:
        return multiprocessing.get_context("spawn").Pool(processes)
    finally:
        sys.path[:] = saved


def test_separate_processes_answering_at_once_lose_nothing(db_url: str) -> None:
    store = RoomStore.from_url(db_url)
    room = store.open_room()
    groups = [[new_session_id() for _ in range(8)] for _ in range(4)]
    for group in groups:
        for s in group:
            store.join(room.code, s)
    with _spawn_pool(4) as pool:
        for n in range(1, 4):
            state = store.set_activity(
                room.code, room.teacher_key, Activity("quiz", "9", n), answer_kind="choice", options=OPTIONS
            )
            jobs = [(db_url, room.code, state.question, group, OPTIONS[g]) for g, group in enumerate(groups)]
            # A child that cannot run its job is replaced without a word and the job waits for ever: time out.
            assert sum(pool.map_async(_answer_in_process, jobs).get(timeout=120)) == 32
            result = store.results(room.code, room.teacher_key)
            assert result.answered == 32 and dict(result.distribution) == {"a": 8, "b": 8, "c": 8, "d": 8}
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(answers)).scalar_one() == 3 * 32
    store.dispose()


@pytest.mark.parametrize("joiners", [30])
def test_joining_at_once_gives_each_session_one_seat(db_url: str, joiners: int) -> None:
    store = RoomStore.from_url(db_url)
    room = store.open_room()
    sessions = [new_session_id() for _ in range(joiners)]
    start = threading.Barrier(joiners * 2)

    def join(i: int) -> None:
        start.wait()
        store.join(room.code, sessions[i // 2])  # every session joins from two tabs at once

    with ThreadPoolExecutor(max_workers=joiners * 2) as pool:
        list(pool.map(join, range(joiners * 2)))
    assert store.results(room.code).participants == joiners
    store.dispose()
