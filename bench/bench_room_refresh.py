"""What one live refresh of a room page costs: the projector's results and a phone's "what is on screen".

    flock /tmp/nt-bench.lock .venv/bin/python bench/bench_room_refresh.py [--seconds 30] [--students 40]
    flock /tmp/nt-bench.lock .venv/bin/python bench/bench_room_refresh.py --activity spot [--revealed]

Serves the app on a free loopback port with a fresh SQLite store, opens a room on quiz question 1
with ``--students`` participants who have all answered (so the projector's query counts a class),
then opens the teacher's page at 1280x720 and one student's page at 390x844 in Debian's Chromium
and leaves both idle for ``--seconds``. The real frontend runs each page's fragment timer; every
websocket frame is read with Streamlit's protobufs, so a refresh is the span from the BackMsg that
reruns the fragment to the ``script_finished`` that ends it. Prints, per page: refreshes seen,
round trip p50/p95 (on loopback: the server's time to run the fragment, timed in the page), bytes each way per
refresh, and the server's CPU per refresh (its CPU time over the idle window / refreshes of both
pages). Then what a class of 40 phones and one projector costs the server per second.

``--activity spot``: the room is on "Spot the framing" question 1 instead, every student having sent a
mark set; ``--revealed``: the question is revealed, so every refresh of the projector draws the shaded
excerpt, the codebook's reading, the three lists and the table (a phone's check stays the same).
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))
from bench_load import Server, free_port  # noqa: E402
from loadgen import process_cpu_seconds  # noqa: E402

from dashboard.data.bundle import Bundle  # noqa: E402
from dashboard.data.dataset import data_path, load_dataset  # noqa: E402
from dashboard.rooms import RoomStore  # noqa: E402
from dashboard.views.room.page import STUDENT_EVERY, TEACHER_EVERY  # noqa: E402
from dashboard.views.room.plans import plan_items  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# Every frame of the app's websocket, timed in the page itself (performance.now(), ms) and kept as base64,
# so that a refresh's round trip is measured where the browser sees it, not where Playwright relays it.
WIRE_JS = """(() => {
  const log = (window.__ntWire = []);
  const b64 = (buf) => { let s = ''; const a = new Uint8Array(buf); for (const x of a) s += String.fromCharCode(x);
                         return btoa(s); };
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...args) {
      super(...args);
      if (String(args[0]).endsWith('/_stcore/stream'))
        this.addEventListener('message', (e) => {
          if (e.data instanceof ArrayBuffer) log.push(['in', performance.now(), b64(e.data)]);
        });
    }
    send(data) {
      if (this.url.endsWith('/_stcore/stream')) {
        const buf = data instanceof ArrayBuffer ? data
          : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        log.push(['out', performance.now(), b64(buf)]);
      }
      return super.send(data);
    }
  };
})();"""


@dataclass
class Wire:
    """One page's fragment reruns, read from its frame log: round trip (s) and bytes each way."""

    times: list[float] = field(default_factory=list)
    bytes_in: list[int] = field(default_factory=list)
    bytes_out: list[int] = field(default_factory=list)

    @classmethod
    def read(cls, page: Page, since_ms: float) -> Wire:
        wire, started, sent, received = cls(), None, 0, 0
        for direction, at, data in page.evaluate("() => window.__ntWire"):
            raw = base64.b64decode(data)
            if direction == "out":
                msg = BackMsg()
                msg.ParseFromString(raw)
                if at >= since_ms and msg.WhichOneof("type") == "rerun_script" and msg.rerun_script.fragment_id:
                    started, sent, received = at, len(raw), 0
                continue
            if started is None:
                continue
            received += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.WhichOneof("type") == "script_finished":
                wire.times.append((at - started) / 1000)
                wire.bytes_in.append(received)
                wire.bytes_out.append(sent)
                started = None
        return wire


def settle(page: Page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_timeout(1_000)


def describe(name: str, every: float, wire: Wire) -> str:
    if not wire.times:
        return f"{name}: no refresh seen"
    t = sorted(wire.times)
    p95 = t[min(len(t) - 1, round(0.95 * (len(t) - 1)))]
    return (
        f"{name} (every {every:g} s): {len(t)} refreshes, round trip p50 {statistics.median(t) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms; {statistics.median(wire.bytes_in):,.0f} B received and "
        f"{statistics.median(wire.bytes_out):,.0f} B sent per refresh (median)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--activity", choices=["quiz", "spot"], default="quiz", help='"spot": Spot the framing')
    ap.add_argument("--revealed", action="store_true", help="the question revealed: the projector draws results")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="nt-room-refresh-"))
    url = f"sqlite:///{tmp / 'rooms.sqlite3'}"
    os.environ["NT_ROOMS_URL"] = url  # the server inherits it
    store = RoomStore.from_url(url)
    room = store.open_room()
    item = plan_items(Bundle.build(load_dataset(data_path())), args.activity, 1)[0]
    kind = "marks" if args.activity == "spot" else "choice"
    store.set_activity(room.code, room.teacher_key, item.activity, answer_kind=kind, options=item.options)
    for i in range(args.students):
        session = f"bench-student-{i:04d}-xxxxxxxx"
        store.join(room.code, session)
        if kind == "marks":  # two or three words each, spread over the excerpt
            n = len(item.options)
            store.mark(room.code, session, item.activity.key, [i % n, (i * 3) % n, (i * 7 + 1) % n])
        else:
            store.answer(room.code, session, item.activity.key, item.options[i % len(item.options)])
    if args.revealed:
        store.reveal(room.code, room.teacher_key)

    server = Server("dashboard/app.py", free_port(), tmp, ["server.fileWatcherType", "none"])
    server.start()
    try:
        server.wait_healthy()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            teacher = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            student = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
            teacher.add_init_script(WIRE_JS)
            student.add_init_script(WIRE_JS)
            teacher.goto(f"{server.url}/room?room={room.code}&key={room.teacher_key}&plan={args.activity}")
            student.goto(f"{server.url}/room?room={room.code}")
            settle(teacher)
            settle(student)
            since = {tab: tab.evaluate("() => performance.now()") for tab in (teacher, student)}
            cpu0, t0 = process_cpu_seconds(server.pid), time.monotonic()
            teacher.wait_for_timeout(args.seconds * 1000)  # the pages run their own timers meanwhile
            cpu = process_cpu_seconds(server.pid) - cpu0
            wall = time.monotonic() - t0
            wires = {"teacher": Wire.read(teacher, since[teacher]), "student": Wire.read(student, since[student])}
            browser.close()
    finally:
        server.stop()
        store.dispose()
    load = os.getloadavg()
    what = "Spot the framing, mark sets" if args.activity == "spot" else "quiz, answers"
    shown = ", revealed" if args.revealed else ""
    print(f"room refresh cost ({what}{shown}), {args.students} stored, {wall:.0f} s idle, load average {load[0]:.2f}")
    print(describe("teacher's results", TEACHER_EVERY, wires["teacher"]))
    print(describe("student's check", STUDENT_EVERY, wires["student"]))
    runs = len(wires["teacher"].times) + len(wires["student"].times)
    if runs:
        per_run = cpu / runs
        per_s = 1 / TEACHER_EVERY + 40 / STUDENT_EVERY
        print(
            f"server CPU {cpu * 1000:.0f} ms over {runs} refreshes: {per_run * 1000:.1f} ms per refresh; a class of 40 "
            f"phones and 1 projector makes {per_s:.1f} refreshes/s, about {per_s * per_run * 100:.0f} % of one core"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
