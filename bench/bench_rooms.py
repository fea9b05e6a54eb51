"""The room store under a class: 40 students answer 10 questions at the same instant, a projector polls.

    .venv/bin/python bench/bench_rooms.py [--pg URL] [--students 40] [--questions 10]

Runs on a fresh SQLite file, and on PostgreSQL too when --pg (or NT_ROOMS_TEST_URL) names one (a
fresh schema there, dropped after). This is the store alone, in one process with a thread per
student: the worst case for the database (every answer in the same instant), without Streamlit.
Prints answers sent / stored / shown (must all be equal), answer and projector-query latency
p50/p95, CPU per answer and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from dashboard.rooms import Activity, RoomStore, new_session_id
from dashboard.rooms.tables import answers

OPTIONS = ["outlet-a", "outlet-b", "outlet-c", "outlet-d", "outlet-e"]


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def run(url: str, students: int, questions: int) -> dict[str, float]:
    store = RoomStore.from_url(url)
    room = store.open_room()
    sessions = [new_session_id() for _ in range(students)]
    answer_ms: list[float] = []
    poll_ms: list[float] = []
    shown = 0
    lock = threading.Lock()
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=students + 1) as pool:  # + the projector
        list(pool.map(lambda s: store.join(room.code, s), sessions))
        for n in range(1, questions + 1):
            state = store.set_activity(
                room.code, room.teacher_key, Activity("quiz", "1", n), answer_kind="choice", options=OPTIONS
            )
            start = threading.Barrier(students + 1)
            done = threading.Event()

            def student(i: int, question: str = state.question, start: threading.Barrier = start) -> None:
                start.wait()
                t = time.perf_counter()
                store.answer(room.code, sessions[i], question, OPTIONS[i % len(OPTIONS)])
                with lock:
                    answer_ms.append((time.perf_counter() - t) * 1000)

            def projector(start: threading.Barrier = start, done: threading.Event = done) -> int:
                start.wait()
                finished = False
                while True:  # the teacher's page polling the counts, as st.fragment(run_every=...) does
                    t = time.perf_counter()
                    result = store.results(room.code, room.teacher_key)
                    poll_ms.append((time.perf_counter() - t) * 1000)
                    if result.answered >= students or finished:  # one last poll after the last answer
                        return result.answered
                    finished = done.wait(0.25)

            shown_future = pool.submit(projector)
            list(pool.map(student, range(students)))
            done.set()
            shown += shown_future.result()
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    with store.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(answers)).scalar_one()
    store.dispose()
    return {
        "sent": len(answer_ms),
        "stored": stored,
        "shown": shown,
        "answer_p50": pct(answer_ms, 50),
        "answer_p95": pct(answer_ms, 95),
        "poll_p50": pct(poll_ms, 50),
        "poll_p95": pct(poll_ms, 95),
        "cpu_ms_per_answer": cpu * 1000 / max(1, len(answer_ms)),
        "wall_s": wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("NT_ROOMS_TEST_URL"), help="a PostgreSQL URL to test on too")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    targets: list[tuple[str, str, str | None]] = []
    folder = tempfile.mkdtemp(prefix="bench-rooms-")
    targets.append(("SQLite (WAL)", f"sqlite:///{folder}/rooms.sqlite3", None))
    if args.pg:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        base = make_url(args.pg).set(drivername="postgresql+psycopg")
        with create_engine(base).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        targets.append(("PostgreSQL", url, schema))
    print(f"{args.students} students x {args.questions} questions, every answer to a question sent at once\n")
    print(
        "| database | sent / stored / shown | answer p50 / p95 ms | projector query p50 / p95 ms "
        "| CPU ms/answer | wall s |"
    )
    print("|---|---|---|---|--:|--:|")
    ok = True
    for name, url, schema in targets:
        r = run(url, args.students, args.questions)
        ok &= r["sent"] == r["stored"] == r["shown"] == args.students * args.questions
        print(
            f"| {name} | {r['sent']:.0f} / {r['stored']:.0f} / {r['shown']:.0f} | "
            f"{r['answer_p50']:.1f} / {r['answer_p95']:.1f} | {r['poll_p50']:.1f} / {r['poll_p95']:.1f} | "
            f"{r['cpu_ms_per_answer']:.2f} | {r['wall_s']:.1f} |"
        )
        if schema:
            with create_engine(make_url(args.pg).set(drivername="postgresql+psycopg")).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process: {rss:.0f} MB; 0 lost and 0 double-counted: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
