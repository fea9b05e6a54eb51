"""A live class over Streamlit's websocket: 1 projector (the teacher link) and 40 students play the quiz.

    flock /tmp/nt-bench.lock .venv/bin/python bench/bench_room_class.py --activity spot  # "Spot the framing"

    flock /tmp/nt-bench.lock .venv/bin/python bench/bench_room_class.py           # SQLite, then PostgreSQL
    flock /tmp/nt-bench.lock .venv/bin/python bench/bench_room_class.py --nginx   # 2 servers, nginx, PostgreSQL
    flock /tmp/nt-bench.lock .venv/bin/python bench/bench_room_class.py --faults  # the same, with faults

Each run starts its own app server(s) on 127.0.0.1 (``streamlit run dashboard/app.py``, NT_ROOMS_URL
set to a fresh SQLite file or a fresh database on a throwaway PostgreSQL cluster; see roomkit.py),
opens a room through the store (as the Overview's "Open a room" does), then drives the room page
(``/room``, /work/notes/room_contract.md) with bench/loadgen.py's LiveTab:

* the projector opens the teacher link and waits until it shows every student joined;
* 40 students open the student link over ``--ramp`` s (joining is opening the link) and must
  show the page within 5 s;
* 10 times: the teacher clicks Next; each student's page notices on its own poll, the student
  thinks 0.2-1.0 s, picks an option and clicks Send, and the page must show "Your answer: <it>"
  within 5 s of the teacher's click; the teacher moves on once the projector shows every answer
  (or after ``--question-wait`` s).

``--activity spot``: the class plays "Spot the framing" instead (plan ``spot``): each student taps 1 to 3
words of the excerpt (a pills widget, the labels on the wire) and sends them; the page must show
"Sent: <the words>" within 5 s; the projector counts "K marked · N joined". Every mark set sent is
compared with the database's (question, marks) rows: 0 lost marks means the two multisets are equal.

Counted: answers sent (Send clicks confirmed by the page), stored (the database, read directly)
and shown (the projector's last "N answered" per question), which must all be equal; joined
students in the database (a reconnect that made a second participant would show here); answer to
projector latency (an answer's Send to the first projector update whose count includes it: the
k-th answer sent to a question is counted shown once the projector shows >= k answers); server CPU
for the whole run and per second with the class idle on the page (every tab polling); peak RSS.

``--nginx``: two app servers sharing one PostgreSQL behind nginx running deploy/nginx.conf; the
students spread over both by nginx's cookie; the projector goes wherever nginx sends it.
``--faults``: on top of --nginx, in the middle of question 3 kill -9 the projector's server and
restart it after 3 s (tabs reconnect through nginx); in the middle of question 6 restart
PostgreSQL (``pg_ctl -m immediate``: a crash, WAL replay); after question 8 stop PostgreSQL (it
refuses connections) and check that the teacher's page shows the store's message and no
exception, then start it again and check the room carries on. Each: PASS/FAIL with counts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_load import free_port, load_avg, machine  # noqa: E402
from loadgen import Disconnected, LiveTab, RssSampler, percentile, process_cpu_seconds  # noqa: E402
from roomkit import Nginx, Postgres, RoomServer, stored  # noqa: E402

from dashboard.rooms import RoomStore  # noqa: E402

COUNT = re.compile(r"(\d+) (?:answered|marked) · (\d+) joined")
JOINED = re.compile(r"\b(\d+) joined\b")  # the lobby shows "N joined" alone
QUESTION = re.compile(r"\b(?:Question|Step) (\d+) of (\d+)\b")
STORE_MESSAGE = "cannot be reached"  # engine._MESSAGES["unreachable"], what the teacher must see


@dataclass
class Answer:
    student: int
    question: int
    value: str
    sent: float  # Send clicked
    confirmed: float  # "Your answer: ..." shown
    moved: float  # the teacher clicked Next
    seen: float  # the question appeared on the student's page
    retries: int = 0


@dataclass
class Fault:
    name: str
    ok: bool
    detail: str


@dataclass
class ClassRun:
    label: str
    students: int
    questions: int
    join_seconds: list[float] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    shown: dict[int, int] = field(default_factory=dict)  # question -> projector's last count
    observed: dict[int, list[tuple[float, int]]] = field(default_factory=dict)  # question -> (t, count)
    moved: dict[int, float] = field(default_factory=dict)
    db: dict[str, object] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    not_shown: int = 0
    late: int = 0  # answers confirmed more than --answer-within s after the teacher moved on
    errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    reconnects: int = 0
    reloads: int = 0
    cpu_seconds: float = 0.0
    idle_cpu_per_s: float = 0.0
    rss_peak: int = 0
    wall: float = 0.0
    spread: dict[str, int] = field(default_factory=dict)  # upstream -> tabs
    faults: list[Fault] = field(default_factory=list)
    tabs: list[LiveTab] = field(default_factory=list)

    def reconnects_so_far(self) -> int:
        return sum(t.reconnects for t in self.tabs)

    auto_reruns: int = 0


class Class:
    """One class playing the quiz in one room; ``hooks`` let the fault run act at given moments."""

    def __init__(self, args: argparse.Namespace, url: str, db_url: str, label: str) -> None:
        self.args, self.url, self.db_url = args, url, db_url
        self.run = ClassRun(label, args.students, args.questions)
        self.rng = random.Random(args.seed)
        self.moved_event = {n: asyncio.Event() for n in range(1, args.questions + 1)}
        self.done = asyncio.Event()
        self.hooks: dict[str, object] = {}

    async def projector(self, tab: LiveTab, code: str) -> None:
        a, r = self.args, self.run
        await self._with_reconnect(tab, tab.start)
        await self._wait(tab, lambda t: _count(t, joined=a.students), a.join_within + a.ramp + 10, "all joined")
        for n in range(1, a.questions + 1):
            hook = self.hooks.get(f"before:{n}")
            if hook:
                await hook(tab)  # type: ignore[operator]
            t, mark = time.monotonic(), len(tab.seen)
            await self._with_reconnect(tab, lambda: tab.click("room.next"))
            r.moved[n] = t
            self.moved_event[n].set()
            mid = self.hooks.get(f"during:{n}")
            mid_task = asyncio.create_task(mid(tab)) if mid else None  # type: ignore[operator]
            with contextlib.suppress(TimeoutError):
                await self._wait(
                    tab,
                    lambda t, n=n: _count(t, question=n, answered=a.students),
                    a.question_wait,
                    f"q{n} all answered",
                )
            if mid_task:
                await mid_task
            r.observed[n] = _observations(tab, mark, n)
            r.shown[n] = r.observed[n][-1][1] if r.observed[n] else 0
        after = self.hooks.get("after")
        if after:
            await after(tab)  # type: ignore[operator]
        self.done.set()

    async def student(self, i: int, tab: LiveTab, start_at: float) -> None:
        """A student answers whatever question the page asks and has not shown "Your answer" for.

        After a send that gets an error instead of "Your answer" the student sends again; when the
        page lost its question (an error page) the student waits 10 s for it to come back, then
        reloads the page (a new session). After a reconnect, a question the page shows without
        "Your answer" is answered again, as a student would: the page asks for it.
        """
        a, r = self.args, self.run
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        await self._with_reconnect(tab, tab.start)
        r.join_seconds.append(time.monotonic() - start_at)
        spot = a.activity == "spot"
        prefix = f"room.marks.spot:{a.quiz_seed}:" if spot else f"room.choice.quiz:{a.quiz_seed}:"
        answered: set[int] = set()
        # question -> (value, what the page shows once it is stored, Send clicked, question seen)
        clicked: dict[int, tuple[str, str, float, float]] = {}
        while not self.done.is_set():
            try:
                n = await tab.wait_until(
                    lambda t: -1 if self.done.is_set() else _open_question(t, prefix, answered), a.question_wait * 3
                )
                if n < 0:
                    break
                key, seen = f"{prefix}{n}", time.monotonic()
                if mine := (_my_marks(tab) if spot else _my_answer(tab)):  # a resumed page shows what was sent
                    if n in clicked and not any(a.student == i and a.question == n for a in r.answers):
                        # Sent before a reconnect, stored, its confirmation lost with the old socket:
                        # the resumed page's "Your answer" is the confirmation.
                        value, confirm, sent, seen_at = clicked[n]
                        if mine == confirm:
                            r.answers.append(Answer(i, n, value, sent, time.monotonic(), r.moved.get(n, sent), seen_at))
                    answered.add(n)
                    continue
                await asyncio.sleep(self.rng.uniform(a.think_min, a.think_max))
                options = tab.find(key).options
                if spot:  # 1 to 3 words, the same for a student and question in every run
                    picks = sorted({(i * 7 + n) % len(options), *range((i + n) % 3)})
                    labels = [options[p] for p in picks]
                    value = json.dumps(picks)
                    confirm = "Sent: " + _plain(" · ".join(_runs(options, picks)))
                else:
                    labels = value = options[(i + n) % len(options)]
                    confirm = value
                mine_now = _my_marks if spot else _my_answer
                retries = 0
                while True:
                    await tab.set(key, labels)
                    sent = time.monotonic()
                    clicked[n] = (value, confirm, sent, seen)
                    await tab.click("room.send")
                    try:
                        await tab.wait_until(lambda t, v=confirm, f=mine_now: (not t.running and f(t) == v) or None, 5)
                        break
                    except TimeoutError:  # an error message instead (database restarting): send again
                        retries += 1
                        r.errors.extend(x[:120] for x in tab.alerts()[:1])
                        if retries > 10:
                            raise
                        if not tab.has(key):  # an error page: wait for the question to come back
                            try:
                                await tab.wait_until(lambda t, k=key: t.has(k) or None, 10)
                            except TimeoutError:
                                await tab.reload()
                                if not tab.has(key):
                                    break
                        await asyncio.sleep(1)
                if (_my_marks(tab) if spot else _my_answer(tab)) == confirm:
                    r.answers.append(Answer(i, n, value, sent, time.monotonic(), r.moved.get(n, sent), seen, retries))
                    answered.add(n)
            except Disconnected:
                await tab.reconnect(a.reconnect_within)
                if not (_my_marks(tab) if spot else _my_answer(tab)):  # the page asks again: answer again
                    answered.difference_update(int(k[len(prefix) :]) for k in tab.on_page() if k.startswith(prefix))
            except TimeoutError:
                if self.done.is_set():
                    break
                raise

    async def _with_reconnect(self, tab: LiveTab, action):
        for _ in range(5):
            try:
                return await action()
            except Disconnected:
                await tab.reconnect(self.args.reconnect_within)
        raise Disconnected("gave up after 5 reconnects")

    async def _wait(self, tab: LiveTab, check, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while True:
            try:
                return await tab.wait_until(check, max(0.1, deadline - time.monotonic()))
            except Disconnected:
                await tab.reconnect(self.args.reconnect_within)
            except TimeoutError as exc:
                raise TimeoutError(f"projector: {what} not seen within {timeout:g} s") from exc


def _count(tab: LiveTab, *, joined: int | None = None, question: int | None = None, answered: int | None = None):
    texts = tab.texts()
    q = next((int(m.group(1)) for t in texts if (m := QUESTION.search(t))), None)
    for t in texts:
        j = JOINED.search(t)
        if joined is not None and j and int(j.group(1)) >= joined:
            return True
        m = COUNT.search(t)
        if m:
            n_answered, n_joined = int(m.group(1)), int(m.group(2))
            if joined is not None and n_joined >= joined:
                return True
            if question is not None and q == question and answered is not None and n_answered >= answered:
                return True
    return None


def _observations(tab: LiveTab, mark: int, n: int) -> list[tuple[float, int]]:
    """The projector's counts for question n, in arrival order, from its log of drawn elements."""
    out, current = [], None
    for t, _, text in tab.seen[mark:]:
        m = QUESTION.search(text)
        if m:
            current = int(m.group(1))
            continue
        m = COUNT.search(text)
        if m and current == n:
            out.append((t, int(m.group(1))))
    return out


def _open_question(tab: LiveTab, prefix: str, answered: set[int]) -> int | None:
    if tab.running:  # what the page shows mid-run may still be the last run's
        return None
    for key in tab.on_page():
        if key.startswith(prefix):
            n = int(key[len(prefix) :])
            if n not in answered:
                return n
    return None


def _plain(text: str) -> str:
    """A label or caption as it reads: no markdown escapes, no zero-width spaces."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u200b", "")


def _runs(options: tuple[str, ...] | list[str], picks: list[int]) -> list[str]:
    """The picked words as the phone's "Sent:" line joins them: neighbours together, runs apart."""
    runs: list[list[int]] = []
    for p in picks:
        if runs and runs[-1][-1] == p - 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return [" ".join(options[p] for p in run) for run in runs]


def _my_marks(tab: LiveTab) -> str | None:
    """The phone's "Sent: …" line, as it reads."""
    for t in tab.texts():
        if _plain(t).startswith("Sent: "):
            return _plain(t)
    return None


def _my_answer(tab: LiveTab) -> str | None:
    for t in tab.texts():
        if t.startswith("Your answer: "):
            return t[len("Your answer: ") :]
    return None


# -- one run ---------------------------------------------------------------------------------------


async def play(
    args: argparse.Namespace,
    label: str,
    urls: list[str],
    servers: list[RoomServer],
    db_url: str,
    hooks_for=None,
) -> ClassRun:
    store = RoomStore.from_url(db_url)
    room = store.open_room()
    store.dispose()
    c = Class(args, urls[0], db_url, label)
    if hooks_for:
        c.hooks = hooks_for(c, room.code)
    teacher_link = f"/room?room={room.code}&key={room.teacher_key}&plan={args.activity}&seed={args.quiz_seed}"
    projector = LiveTab(urls[0], teacher_link, index=-1, timeout=args.timeout)
    students = [LiveTab(urls[i % len(urls)], f"/room?room={room.code}", i, args.timeout) for i in range(args.students)]
    c.run.tabs = [projector, *students]
    samplers = [RssSampler(s.pid) for s in servers]
    cpu0 = sum(process_cpu_seconds(s.pid) for s in servers)
    t0 = time.monotonic()
    for s in samplers:
        s.start()
    proj_task = asyncio.create_task(c.projector(projector, room.code))
    await asyncio.sleep(1.0)  # the teacher's page is up before the class opens the link
    tasks = [
        asyncio.create_task(c.student(i, tab, time.monotonic() + args.ramp * i / args.students))
        for i, tab in enumerate(students)
    ]
    results = await asyncio.gather(proj_task, *tasks, return_exceptions=True)
    c.run.wall = time.monotonic() - t0
    cpu1 = sum(process_cpu_seconds(s.pid) for s in servers if s.proc and s.proc.poll() is None)
    # The class idle on the page: every tab open and polling, nobody clicking.
    idle0 = sum(process_cpu_seconds(s.pid) for s in servers)
    await asyncio.sleep(args.idle)
    c.run.idle_cpu_per_s = (sum(process_cpu_seconds(s.pid) for s in servers) - idle0) / args.idle
    for s in samplers:
        await s.stop()
    c.run.rss_peak = max(s.peak for s in samplers)
    c.run.cpu_seconds = cpu1 - cpu0 if not any(s.starts > 1 for s in servers) else float("nan")
    for tab in [projector, *students]:
        c.run.reconnects += tab.reconnects
        c.run.reloads += tab.reloads
        c.run.auto_reruns += tab.auto_reruns
        c.run.exceptions.extend(tab.exceptions())
        up = tab.headers.get("X-NT-Upstream", tab.base)
        c.run.spread[up] = c.run.spread.get(up, 0) + 1
        await tab.close()
    for res in results:
        if isinstance(res, BaseException):
            where = traceback.extract_tb(res.__traceback__)[-1]
            c.run.errors.append(f"{type(res).__name__}: {res} (line {where.lineno})"[:200])
    c.run.db = stored(db_url, room.code)
    _latencies(c.run, args)
    return c.run


def _latencies(r: ClassRun, args: argparse.Namespace) -> None:
    for n in range(1, r.questions + 1):
        sent = sorted(a.sent for a in r.answers if a.question == n)
        obs = r.observed.get(n, [])
        for k, t in enumerate(sent, start=1):
            shown_at = next((to for to, count in obs if to >= t and count >= k), None)
            if shown_at is None:
                r.not_shown += 1
            else:
                r.latencies.append(shown_at - t)
    r.late = sum(1 for a in r.answers if a.confirmed - a.moved > args.answer_within)


# -- reporting -------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def summary(r: ClassRun, args: argparse.Namespace) -> list[str]:
    expected = r.students * r.questions
    sent, db_answers, shown = len(r.answers), int(r.db.get("answers", 0)), sum(r.shown.values())
    pairs = len({(a.student, a.question) for a in r.answers})
    rc = [s for t in r.tabs for s in t.reconnect_seconds]
    joins_ok = len(r.join_seconds) == r.students and max(r.join_seconds, default=99) <= args.join_within
    counts_ok = pairs == db_answers == shown == expected and r.db.get("joined") == r.students
    cpu = "not summed (a server was killed and restarted)" if math.isnan(r.cpu_seconds) else f"{r.cpu_seconds:.1f} s"
    lines = [
        f"### {r.label}",
        "",
        f"- answers sent / stored / shown: **{pairs} / {db_answers} / {shown}** of {expected} "
        f"({r.students} students x {r.questions} questions; sent = questions a student's page confirmed, "
        f"{sent - pairs} sent again after a reconnect or reload); students in the database: "
        f"{r.db.get('joined')}; answers replaced: {r.db.get('replaced')}; reloads {r.reloads}",
        f"- lost: {max(0, pairs - db_answers)}, double-counted: {max(0, db_answers - pairs)}, "
        f"not shown on the projector: {r.not_shown}",
        f"- join: {len(r.join_seconds)}/{r.students} pages up, p50 {percentile(r.join_seconds, 50):.2f} s, "
        f"max {max(r.join_seconds, default=0):.2f} s",
        f"- answer confirmed after the teacher's Next: p50 "
        f"{percentile([a.confirmed - a.moved for a in r.answers], 50):.2f} s, max "
        f"{max((a.confirmed - a.moved for a in r.answers), default=0):.2f} s; over {args.answer_within:g} s: {r.late}",
        f"- question on the students' pages after the teacher's Next: p50 "
        f"{percentile([a.seen - a.moved for a in r.answers], 50):.2f} s, p95 "
        f'{percentile([a.seen - a.moved for a in r.answers], 95):.2f} s; Send to "Your answer" p50 '
        f"{percentile([a.confirmed - a.sent for a in r.answers], 50):.2f} s, p95 "
        f"{percentile([a.confirmed - a.sent for a in r.answers], 95):.2f} s",
        f"- answer to projector: p50 {percentile(r.latencies, 50):.2f} s, p95 {percentile(r.latencies, 95):.2f} s, "
        f"max {max(r.latencies, default=0):.2f} s (n={len(r.latencies)})",
        f"- server CPU: {cpu} over {r.wall:.0f} s of class; idle class on the page "
        f"{100 * r.idle_cpu_per_s:.0f}% of one core; fragment reruns sent {r.auto_reruns}; "
        f"peak RSS {r.rss_peak / 1e6:.0f} MB (largest server)",
        f"- tabs per server: {r.spread}; reconnects {r.reconnects}"
        + (f" (socket lost to page running again: p50 {percentile(rc, 50):.1f} s, max {max(rc):.1f} s)" if rc else "")
        + f"; exceptions on pages {len(r.exceptions)}",
    ]
    if args.activity == "spot":
        words = sum(len(json.loads(a.value)) for a in r.answers)
        lines.append(
            f"- mark sets: {verdict(marks_match(r, args))} every set sent ({len(r.answers)} sets, {words} marked "
            "words) is in the database word for word, and nothing else"
        )
    if r.errors:
        lines.append(f"- errors: {sorted(set(r.errors))[:5]}")
    lines.append(
        f"- {verdict(joins_ok)} join within {args.join_within:g} s; {verdict(counts_ok)} sent = stored = shown, "
        f"0 lost, 0 double-counted; {verdict(r.late == 0)} every answer within {args.answer_within:g} s; "
        f"{verdict(not r.exceptions)} no exception"
    )
    for f in r.faults:
        lines.append(f"- fault: {verdict(f.ok)} {f.name}: {f.detail}")
    return lines


def marks_match(r: ClassRun, args: argparse.Namespace) -> bool:
    """Spot the framing: every mark set sent is in the database, word for word, and nothing else is."""
    if args.activity != "spot":
        return True
    sent = Counter((f"spot:{args.quiz_seed}:{a.question}", a.value) for a in r.answers)
    kept = Counter((q, v) for _, q, v in r.db.get("rows", set()))  # type: ignore[union-attr]
    return sent == kept


def ok(r: ClassRun, args: argparse.Namespace) -> bool:
    pairs = len({(a.student, a.question) for a in r.answers})
    return (
        marks_match(r, args)
        and pairs == r.db.get("answers") == sum(r.shown.values()) == r.students * r.questions
        and r.db.get("joined") == r.students
        and not r.exceptions
        and all(f.ok for f in r.faults)
    )


# -- faults ----------------------------------------------------------------------------------------


def fault_hooks(args: argparse.Namespace, servers: list[RoomServer], pg: Postgres, db_url: str):
    def make(c: Class, code: str) -> dict[str, object]:
        r = c.run
        kill: dict[str, object] = {}

        async def kill_mid(tab: LiveTab) -> None:
            n = 3
            await c._wait(tab, lambda t: _count(t, question=n, answered=args.students // 2), 20, "half answered")
            victim = next(
                (s for s in servers if tab.headers.get("X-NT-Upstream", "").endswith(f":{s.port}")), servers[0]
            )
            victim.kill9()
            before = stored(db_url, code)
            await asyncio.sleep(3)
            victim.start()
            await asyncio.to_thread(victim.wait_healthy)
            kill.update(before=before, victim=victim.port)

        async def check_kill(tab: LiveTab) -> None:  # before question 4: everything stored before is still there
            st: dict = kill
            now = stored(db_url, code)
            lost = st["before"]["rows"] - now["rows"]
            q3 = now["per_question"].get(f"quiz:{args.quiz_seed}:3", 0)
            what = (
                f"kill -9 app server :{st['victim']} (the projector's) in the middle of question 3, restarted after 3 s"
            )
            r.faults.append(
                Fault(
                    what + ": no stored answer lost",
                    not lost,
                    f"{len(st['before']['rows'])} answers stored at the kill, {len(lost)} of them missing after it",
                )
            )
            r.faults.append(
                Fault(
                    what + ": nothing counted twice after the reconnects",
                    q3 == args.students and now["joined"] == args.students,
                    f"question 3 ended with {q3} answers from {args.students} students; students in the database "
                    f"{now['joined']} (a reconnected tab that became a new participant counts again)",
                )
            )

        async def check_resumed() -> None:
            later = range(4, args.questions + 1)
            full = [n for n in later if r.shown.get(n) == args.students]
            tabs = {a.student for a in r.answers if a.question in later}
            r.faults.append(
                Fault(
                    "after the kill: the room resumes, students' pages reconnect and keep answering",
                    len(full) == len(later) and len(tabs) == args.students and r.reconnects_so_far() > 0,
                    f"questions 4-{args.questions} with every answer on the projector: {len(full)}/{len(later)}; "
                    f"students answering them: {len(tabs)}/{args.students}; tabs reconnected: {r.reconnects_so_far()}",
                )
            )

        async def pg_restart_mid(tab: LiveTab) -> None:
            n = 6
            await c._wait(tab, lambda t: _count(t, question=n, answered=args.students // 2), 20, "half answered")
            before = stored(db_url, code)
            t = time.monotonic()
            await asyncio.to_thread(pg.restart, "immediate")
            after = stored(db_url, code)
            lost = before["rows"] - after["rows"]
            r.faults.append(
                Fault(
                    "PostgreSQL restarted (-m immediate) in the middle of question 6",
                    not lost,
                    f"{len(before['rows'])} answers committed before, {len(lost)} lost; down for "
                    f"{time.monotonic() - t:.1f} s",
                )
            )

        async def refuse_after(tab: LiveTab) -> None:
            await check_resumed()
            await asyncio.to_thread(pg.stop, "fast")
            t = time.monotonic()
            try:
                msg = await tab.wait_until(
                    lambda t_: next((a for a in t_.alerts() if STORE_MESSAGE in a), None), args.question_wait
                )
                seen = time.monotonic() - t
                exc = tab.exceptions()
                r.faults.append(
                    Fault(
                        "database refusing connections: the teacher's page",
                        not exc,
                        f"message shown after {seen:.1f} s: {msg[:140]!r}; exception elements {len(exc)}",
                    )
                )
            except TimeoutError:
                r.faults.append(
                    Fault(
                        "database refusing connections: the teacher's page",
                        False,
                        f"no message containing {STORE_MESSAGE!r} within {args.question_wait:g} s; "
                        f"page shows {tab.texts()[:6]}; exceptions {tab.exceptions()}",
                    )
                )
            await asyncio.to_thread(pg.start)
            t = time.monotonic()
            try:
                await c._wait(tab, lambda t_: _count(t_, joined=args.students), 30, "counts again")
                back = not any(STORE_MESSAGE in a for a in tab.alerts())
                r.faults.append(
                    Fault(
                        "database back: the teacher's page carries on",
                        back,
                        f"counts shown again {time.monotonic() - t:.1f} s after the restart",
                    )
                )
            except TimeoutError as exc:
                r.faults.append(Fault("database back: the teacher's page carries on", False, str(exc)))

        return {"during:3": kill_mid, "before:4": check_kill, "during:6": pg_restart_mid, "after": refuse_after}

    return make


# -- main ------------------------------------------------------------------------------------------


async def single(args: argparse.Namespace, label: str, db_url: str, log_dir: Path) -> ClassRun:
    server = RoomServer(args.app, free_port(), log_dir, db_url)
    try:
        server.start()
        server.wait_healthy()
        await warm(server.url, db_url, args)
        return await play(args, label, [server.url], [server], db_url)
    finally:
        server.stop()


async def behind_nginx(args: argparse.Namespace, pg: Postgres, log_dir: Path, faults: bool) -> ClassRun:
    db_url = pg.new_database()
    servers = [RoomServer(args.app, free_port(), log_dir, db_url) for _ in range(2)]
    nginx = Nginx([s.port for s in servers])
    try:
        for s in servers:
            s.start()
        for s in servers:
            s.wait_healthy()
        nginx.start()
        for s in servers:
            await warm(s.url, db_url, args)
        hooks = fault_hooks(args, servers, pg, db_url) if faults else None
        label = "Two app servers behind nginx, one PostgreSQL" + (", with faults" if faults else "")
        return await play(args, label, [nginx.url], servers, db_url, hooks)
    finally:
        nginx.cleanup()
        for s in servers:
            s.stop()


async def warm(url: str, db_url: str, args: argparse.Namespace) -> None:
    """Open the room page once (imports, the dataset, the store's engine) on a throwaway room."""
    store = RoomStore.from_url(db_url)
    room = store.open_room()
    store.dispose()
    for page in (
        f"/room?room={room.code}&key={room.teacher_key}&plan={args.activity}&seed={args.quiz_seed}",
        f"/room?room={room.code}",
    ):
        tab = LiveTab(url, page, timeout=args.timeout)
        with contextlib.suppress(Exception):
            await tab.start()
        await tab.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both", help="single-server runs")
    ap.add_argument("--nginx", action="store_true", help="two app servers behind nginx on one PostgreSQL")
    ap.add_argument("--faults", action="store_true", help="as --nginx, with kill -9, database restart and refusal")
    ap.add_argument("--app", default="dashboard/app.py", help="the app the servers run")
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--questions", type=int, default=10)
    ap.add_argument("--activity", choices=["quiz", "spot"], default="quiz", help='"spot": Spot the framing')
    ap.add_argument("--quiz-seed", type=int, default=1, help="the quiz number, or the set of Spot the framing")
    ap.add_argument("--ramp", type=float, default=2.0, help="seconds over which the students open the link")
    ap.add_argument("--think-min", type=float, default=0.2)
    ap.add_argument("--think-max", type=float, default=1.0)
    ap.add_argument("--join-within", type=float, default=5.0)
    ap.add_argument("--answer-within", type=float, default=5.0)
    ap.add_argument("--question-wait", type=float, default=15.0, help="the teacher moves on after this at most")
    ap.add_argument("--reconnect-within", type=float, default=60.0)
    ap.add_argument("--idle", type=float, default=10.0, help="seconds of idle class measured after the quiz")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds allowed for one run of a page")
    ap.add_argument("--seed", type=int, default=13, help="random seed for think times")
    args = ap.parse_args(argv)
    if args.activity == "spot":  # a set has as many questions as the data gives it
        from dashboard.data.bundle import Bundle
        from dashboard.data.dataset import load_dataset
        from dashboard.views.room.plans import plan_items

        available = len(plan_items(Bundle.build(load_dataset()), "spot", args.quiz_seed))
        if args.questions > available:
            print(f"spot      set {args.quiz_seed} has {available} questions; playing {available}", flush=True)
            args.questions = available

    print("\n".join(machine()), flush=True)
    print(
        f"app       {args.app}; {args.students} students, {args.questions} questions, ramp {args.ramp:g} s, "
        f"think {args.think_min:g}-{args.think_max:g} s",
        flush=True,
    )
    log_dir = Path(tempfile.mkdtemp(prefix="bench-room-class-"))
    pg: Postgres | None = None

    def on_term(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    runs: list[ClassRun] = []
    try:
        need_pg = args.nginx or args.faults or args.db in ("postgresql", "both")
        if need_pg:
            pg = Postgres()
            pg.start()
        if args.faults:
            runs.append(asyncio.run(behind_nginx(args, pg, log_dir, faults=True)))
        elif args.nginx:
            runs.append(asyncio.run(behind_nginx(args, pg, log_dir, faults=False)))
        else:
            if args.db in ("sqlite", "both"):
                url = f"sqlite:///{log_dir / 'rooms.sqlite3'}"
                runs.append(asyncio.run(single(args, "One app server, SQLite (WAL)", url, log_dir)))
            if args.db in ("postgresql", "both"):
                assert pg is not None
                runs.append(asyncio.run(single(args, "One app server, PostgreSQL", pg.new_database(), log_dir)))
    finally:
        if pg is not None:
            pg.destroy()
    print()
    for r in runs:
        print("\n".join(summary(r, args)), flush=True)
        print()
    print(f"(load avg at the end {load_avg()}; server logs in {log_dir})")
    return 0 if runs and all(ok(r, args) for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
