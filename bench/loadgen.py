"""Classroom load generator: many browsers opening one deep link and rerunning it, over Streamlit's websocket.

Speaks the protocol the Streamlit 1.67 frontend speaks, so the server does exactly the work a
browser tab causes, without a browser:

1. ``GET <deep link>`` (index.html), ``GET /_stcore/health`` (sets the ``_streamlit_xsrf``
   cookie) and ``GET /_stcore/host-config``, as the page does before it connects;
2. a websocket to ``/_stcore/stream`` with subprotocols ``["streamlit", <xsrf token>]``, the
   cookie and a same-origin ``Origin`` header (permessage-deflate offered, as browsers do);
3. ``BackMsg.rerun_script`` = ``ClientState(query_string, page_name=<URL path without "/">,
   page_script_hash="")`` for the first run: ``st.navigation`` resolves the page from
   ``page_name`` (its ``url_path``), exactly as for a browser opening the link. Later reruns
   send the ``page_script_hash`` from the ``navigation`` message and the query string the
   server last set (``page_info_changed``), like the frontend does;
4. ForwardMsgs until ``script_finished``. Messages the server marks ``metadata.cacheable`` are
   kept by hash and their hashes sent back in ``cached_message_hashes`` (the browser's
   ForwardMsg cache, aged by ``max_cached_message_age`` runs); ``ref_hash`` messages are
   resolved from that cache, a miss is a failure.

A run's latency is the time from sending ``rerun_script`` to receiving ``script_finished`` with
``FINISHED_SUCCESSFULLY``; any other final status, a ``page_not_found``, a timeout or a closed
socket is a failure. ``delta.new_element.exception`` elements are counted (with their text).

Each session: connect (sessions start evenly over ``ramp`` seconds), open the page (initial run),
then ``reruns`` reruns one after another, then wait until every session is done, so that all
``sessions`` tabs are open at once when the server's memory is read, then close.

Only 127.0.0.1 / localhost / ::1 URLs are accepted; every step has a timeout and the whole load
has a deadline.

    python bench/loadgen.py --url http://127.0.0.1:8501 --page "/timeline?event=oslo-talks-2019" \\
        --sessions 40 --ramp 5 --reruns 10 --server-pid PID
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.cookies
import json
import os
import re
import resource
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
FINISHED_OK = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
STATUS_NAMES = {v: k for k, v in ForwardMsg.ScriptFinishedStatus.items()}
MAX_SESSIONS = 500
MAX_RERUNS = 1000
MAX_MESSAGE = 64 * 1024 * 1024
T = TypeVar("T")


# -- server memory ---------------------------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc/PID/task/*/children."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in (task / "children").read_text().split())
    return out


def tree_rss_bytes(pid: int) -> int:
    """Resident memory (VmRSS) of a process and its descendants, in bytes; 0 if it is gone."""
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            pass
    return total


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (threads included), from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler:
    """Samples a server's tree RSS every ``interval`` seconds while a load runs; keeps the maximum."""

    def __init__(self, pid: int | None, interval: float = 0.25) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._task: asyncio.Task[None] | None = None

    def sample(self) -> int:
        if self.pid is None:
            return 0
        rss = tree_rss_bytes(self.pid)
        self.peak = max(self.peak, rss)
        return rss

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        if self.pid is not None:
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


# -- one browser tab -------------------------------------------------------------------------------


class CountingConnection(ClientConnection):
    """A websocket client connection that counts the bytes that arrive on the wire (compressed)."""

    wire_bytes_in = 0

    def data_received(self, data: bytes) -> None:
        self.wire_bytes_in += len(data)
        super().data_received(data)


@dataclass
class RunResult:
    seconds: float
    ok: bool
    status: str  # FINISHED_SUCCESSFULLY, another status name, or what went wrong
    messages: int = 0
    bytes_in: int = 0  # decoded ForwardMsg payload bytes of this run
    early_reruns: int = 0  # FINISHED_EARLY_FOR_RERUN seen before the final status (st.rerun in the page)


@dataclass
class SessionResult:
    index: int
    runs: list[RunResult] = field(default_factory=list)  # runs[0] is the page opening
    error: str | None = None  # what stopped the session early, if anything
    exceptions: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)  # st.info/warning/error texts (e.g. a link's notices)
    page_not_found: int = 0
    texts_seen: bool = False  # the expected text (the page's title) appeared in its elements
    bytes_out: int = 0  # BackMsg payload bytes sent
    bytes_in: int = 0  # ForwardMsg payload bytes received (decoded)
    wire_bytes_in: int = 0  # bytes received on the socket (after permessage-deflate)
    http_bytes_in: int = 0
    cache_hits: int = 0  # ref_hash messages resolved from our ForwardMsg cache
    connected_at: float = 0.0


def _http_get(url: str, timeout: float) -> tuple[bytes, list[str]]:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read(), r.headers.get_all("Set-Cookie") or []


def _split_page(page: str) -> tuple[str, str]:
    """``/timeline?event=x`` -> ("timeline", "event=x"): the frontend's page_name and query_string."""
    parts = urlsplit(page if page.startswith("/") else "/" + page)
    return parts.path.strip("/"), parts.query


def check_local(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"loadgen only talks to this machine (127.0.0.1); refusing {url!r}")


def rerun_message(tab: Any, first: bool) -> BackMsg:
    """A rerun request as the browser sends it for ``tab`` (a Tab or LiveTab): its page (by name on the
    first run, then by the hash the server named), its query string, context and cached messages."""
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = tab.query_string
    if first or not tab.page_script_hash:
        cs.page_name = tab.page_name
    else:
        cs.page_script_hash = tab.page_script_hash
    ctx = cs.context_info
    ctx.timezone, ctx.timezone_offset, ctx.locale = "UTC", 0, "en-US"
    ctx.url, ctx.is_embedded, ctx.color_scheme = tab.base + tab.page, False, "light"
    cs.cached_message_hashes.extend(tab.cache)
    return msg


class Tab:
    """One browser tab on the page: its socket, its ForwardMsg cache, its view of the page state."""

    def __init__(
        self, base_url: str, page: str, index: int, expect_text: str | None, timeout: float, widget: WidgetChange | None
    ) -> None:
        self.base = base_url.rstrip("/")
        self.page = page if page.startswith("/") else "/" + page
        self.page_name, self.query_string = _split_page(self.page)
        self.expect = expect_text
        self.timeout = timeout
        self.widget = widget
        self.result = SessionResult(index)
        self.page_script_hash = ""
        self.cache: dict[str, tuple[bytes, int]] = {}  # hash -> (encoded msg, run count when last used)
        self.run_count = 0
        self.max_age = 2
        self.widget_id: str | None = None
        self.ws: CountingConnection | None = None

    async def open(self) -> None:
        r = self.result
        body, _ = await asyncio.to_thread(_http_get, self.base + self.page, self.timeout)
        r.http_bytes_in += len(body)
        body, cookies = await asyncio.to_thread(_http_get, self.base + "/_stcore/health", self.timeout)
        r.http_bytes_in += len(body)
        body, _ = await asyncio.to_thread(_http_get, self.base + "/_stcore/host-config", self.timeout)
        r.http_bytes_in += len(body)
        jar = http.cookies.SimpleCookie()
        for c in cookies:
            jar.load(c)
        xsrf = jar["_streamlit_xsrf"].value if "_streamlit_xsrf" in jar else None
        ws_url = "ws" + self.base[len("http") :] + "/_stcore/stream"
        self.ws = await connect(
            ws_url,
            origin=self.base,  # same origin, as a browser tab on the app
            subprotocols=["streamlit", xsrf or "PLACEHOLDER_AUTH_TOKEN"],
            additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}"} if xsrf else None,
            user_agent_header="classroom-loadgen",
            proxy=None,
            open_timeout=self.timeout,
            # A browser never pings the server (it only answers the server's pings, as this client does too),
            # so it never drops a tab because a busy server is slow to pong: neither may this client.
            ping_interval=None,
            max_size=MAX_MESSAGE,
            max_queue=None,
            create_connection=CountingConnection,
        )
        r.connected_at = time.monotonic()

    def _back_msg(self, first: bool) -> bytes:
        msg = rerun_message(self, first)
        cs = msg.rerun_script
        if not first and self.widget is not None and self.widget_id is not None:
            w = cs.widget_states.widgets.add()
            w.id = self.widget_id
            w.string_value = self.widget.values[self.run_count % len(self.widget.values)]
        return msg.SerializeToString()

    def _age_cache(self) -> None:
        self.run_count += 1
        for h in [h for h, (_, used) in self.cache.items() if self.run_count - used > self.max_age]:
            del self.cache[h]

    def _look_at(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        r = self.result
        if kind == "new_session":
            self.max_age = msg.new_session.config.max_cached_message_age or self.max_age
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            r.page_not_found += 1
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            which = el.WhichOneof("type")
            if which == "exception":
                r.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
            elif which == "alert" and len(r.alerts) < 5 and el.alert.body not in r.alerts:
                r.alerts.append(el.alert.body[:200])
            elif self.expect and not r.texts_seen:
                # the page's title (a heading, or a presenter step's title drawn as markdown HTML), or a
                # one-line page's only text
                r.texts_seen = (which == "heading" and self.expect in el.heading.body) or (
                    which == "markdown" and self.expect in el.markdown.body
                )
            if self.widget is not None and which == "text_input" and el.text_input.label == self.widget.label:
                self.widget_id = el.text_input.id

    async def run_once(self, first: bool) -> RunResult:
        assert self.ws is not None
        payload = self._back_msg(first)
        self.result.bytes_out += len(payload)
        t0 = time.monotonic()
        deadline = t0 + self.timeout
        run = RunResult(0.0, False, "timeout")
        await self.ws.send(payload)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                run.status = f"timeout after {self.timeout:g} s"
                break
            try:
                data = await asyncio.wait_for(self.ws.recv(decode=False), left)
            except TimeoutError:
                continue
            run.messages += 1
            run.bytes_in += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            if msg.WhichOneof("type") == "ref_hash":
                cached = self.cache.get(msg.ref_hash)
                if cached is None:
                    run.status = f"ForwardMsg cache miss {msg.ref_hash}"
                    break
                self.cache[msg.ref_hash] = (cached[0], self.run_count)
                self.result.cache_hits += 1
                msg = ForwardMsg()
                msg.ParseFromString(cached[0])
            elif msg.metadata.cacheable and msg.hash and msg.hash not in self.cache:
                self.cache[msg.hash] = (data, self.run_count)
            self._look_at(msg)
            if msg.WhichOneof("type") == "script_finished":
                status = msg.script_finished
                self._age_cache()
                if status == FINISHED_EARLY_FOR_RERUN:
                    run.early_reruns += 1
                    continue
                run.ok = status == FINISHED_OK
                run.status = STATUS_NAMES.get(status, str(status))
                break
        run.seconds = time.monotonic() - t0
        if self.result.page_not_found and run.ok:
            run.ok, run.status = False, "page_not_found"
        self.result.runs.append(run)
        self.result.bytes_in += run.bytes_in
        return run

    async def close(self) -> None:
        if self.ws is not None:
            self.result.wire_bytes_in = self.ws.wire_bytes_in
            with contextlib.suppress(TimeoutError, OSError):
                await asyncio.wait_for(self.ws.close(), self.timeout)


@dataclass(frozen=True)
class WidgetChange:
    """A text input (by label) whose value each rerun sets to the next of ``values``: a real filter change."""

    label: str
    values: tuple[str, ...]


# -- the load --------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of ``values``; 0.0 for none."""
    if not values:
        return 0.0
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


@dataclass
class LoadReport:
    url: str
    page: str
    sessions: int
    ramp: float
    reruns: int
    wall_seconds: float = 0.0
    rerun_latencies: list[float] = field(default_factory=list)
    open_latencies: list[float] = field(default_factory=list)
    runs: int = 0
    failures: int = 0
    failure_kinds: dict[str, int] = field(default_factory=dict)
    exceptions: int = 0
    exception_examples: list[str] = field(default_factory=list)
    alert_examples: list[str] = field(default_factory=list)
    title_seen: int = 0  # sessions in which the expected text appeared
    page_not_found: int = 0
    early_reruns: int = 0
    bytes_out: int = 0
    bytes_in: int = 0
    wire_bytes_in: int = 0
    http_bytes_in: int = 0
    cache_hits: int = 0
    rss_before: int = 0
    rss_peak: int = 0
    rss_all_open: int = 0
    rss_after: int = 0
    server_cpu_seconds: float = 0.0
    loadgen_cpu_seconds: float = 0.0

    def p(self, q: float) -> float:
        return percentile(self.rerun_latencies, q)

    @property
    def p50(self) -> float:
        return self.p(50)

    @property
    def p95(self) -> float:
        return self.p(95)

    @property
    def max(self) -> float:
        return max(self.rerun_latencies, default=0.0)

    def as_dict(self) -> dict[str, object]:
        d = {k: v for k, v in self.__dict__.items() if k not in {"rerun_latencies", "open_latencies"}}
        d.update(
            p50=self.p50,
            p95=self.p95,
            max=self.max,
            open_p50=percentile(self.open_latencies, 50),
            open_p95=percentile(self.open_latencies, 95),
            mean=statistics.fmean(self.rerun_latencies) if self.rerun_latencies else 0.0,
        )
        return d


async def _session(
    tab: Tab,
    start_at: float,
    reruns: int,
    done: asyncio.Event,
    close_now: asyncio.Event,
    counter: list[int],
    total: int,
) -> SessionResult:
    """One tab: connect at ``start_at``, open the page, rerun it, hold it open until ``close_now``, close."""
    try:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        await tab.open()
        for i in range(reruns + 1):
            run = await tab.run_once(first=i == 0)
            if not run.ok and not run.status.startswith(("FINISHED", "page_not_found")):
                tab.result.error = run.status  # the socket's state is unknown now: stop this tab
                break
    except Exception as exc:
        tab.result.error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        counter[0] += 1
        if counter[0] >= total:
            done.set()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(close_now.wait(), tab.timeout)  # a classroom keeps its tabs open
    await tab.close()
    return tab.result


async def run_load(
    url: str,
    page: str,
    sessions: int = 40,
    ramp: float = 5.0,
    reruns: int = 10,
    server_pid: int | None = None,
    expect_text: str | None = None,
    timeout: float = 120.0,
    deadline: float = 1800.0,
    settle: float = 5.0,
    widget: WidgetChange | None = None,
) -> LoadReport:
    """Run the load once and return its figures (see the module docstring).

    ``timeout`` bounds each step of a tab (HTTP request, connect, one run); ``deadline`` bounds the
    whole load; ``settle`` is how long after the last tab closes the server's memory is read again.
    """
    check_local(url)
    sessions = max(1, min(sessions, MAX_SESSIONS))
    reruns = max(0, min(reruns, MAX_RERUNS))
    rep = LoadReport(url, page, sessions, ramp, reruns)
    sampler = RssSampler(server_pid)
    rep.rss_before = sampler.sample()
    sampler.peak = 0
    cpu0 = process_cpu_seconds(server_pid) if server_pid else 0.0
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    done, close_now, counter = asyncio.Event(), asyncio.Event(), [0]
    tabs = [Tab(url, page, i, expect_text, timeout, widget) for i in range(sessions)]
    t0 = time.monotonic()
    sampler.start()
    tasks = [
        asyncio.create_task(_session(tab, t0 + ramp * i / sessions, reruns, done, close_now, counter, sessions))
        for i, tab in enumerate(tabs)
    ]
    try:
        await asyncio.wait_for(done.wait(), deadline)
    except TimeoutError:
        for tab in tabs:
            if tab.result.error is None and len(tab.result.runs) < reruns + 1:
                tab.result.error = f"load deadline {deadline:g} s passed"
        for t in tasks:
            t.cancel()
    rep.wall_seconds = time.monotonic() - t0
    rep.rss_all_open = sampler.sample()  # every tab has finished its runs and is still open
    close_now.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    for tab in tabs:  # a cancelled task never reached its close
        if tab.ws is not None and tab.ws.state.name != "CLOSED":
            await tab.close()
    await sampler.stop()
    rep.rss_peak = max(sampler.peak, rep.rss_all_open)
    if server_pid:
        await asyncio.sleep(settle)
        rep.rss_after = tree_rss_bytes(server_pid)
        rep.server_cpu_seconds = process_cpu_seconds(server_pid) - cpu0
    own1 = resource.getrusage(resource.RUSAGE_SELF)
    rep.loadgen_cpu_seconds = (own1.ru_utime + own1.ru_stime) - (own0.ru_utime + own0.ru_stime)
    for tab in tabs:
        _add(rep, tab.result, reruns)
    return rep


def _add(rep: LoadReport, r: SessionResult, reruns: int) -> None:
    rep.runs += len(r.runs)
    if r.runs:
        rep.open_latencies.append(r.runs[0].seconds)
    for i, run in enumerate(r.runs):
        rep.early_reruns += run.early_reruns
        if run.ok and i > 0:
            rep.rerun_latencies.append(run.seconds)
        if not run.ok:
            rep.failures += 1
            rep.failure_kinds[run.status] = rep.failure_kinds.get(run.status, 0) + 1
    missing = (reruns + 1) - len(r.runs)
    if missing > 0:
        why = r.error or "not run"
        rep.failures += missing
        rep.failure_kinds[why] = rep.failure_kinds.get(why, 0) + missing
    rep.exceptions += len(r.exceptions)
    for e in r.exceptions:
        if e not in rep.exception_examples and len(rep.exception_examples) < 5:
            rep.exception_examples.append(e)
    for a in r.alerts:
        if a not in rep.alert_examples and len(rep.alert_examples) < 5:
            rep.alert_examples.append(a)
    rep.page_not_found += r.page_not_found
    rep.title_seen += r.texts_seen
    rep.cache_hits += r.cache_hits
    rep.bytes_out += r.bytes_out
    rep.bytes_in += r.bytes_in
    rep.wire_bytes_in += r.wire_bytes_in
    rep.http_bytes_in += r.http_bytes_in


# -- command line ----------------------------------------------------------------------------------


def mb(n: int) -> str:
    return f"{n / 1e6:.0f} MB" if n else "-"


def ms(s: float) -> str:
    return f"{s * 1000:.0f} ms"


def describe(rep: LoadReport) -> str:
    d = rep.as_dict()
    lines = [
        f"load      {rep.sessions} sessions over {rep.ramp:g} s, {rep.reruns} reruns each, on {rep.url}{rep.page}",
        f"wall      {rep.wall_seconds:.1f} s for {rep.runs} runs "
        f"(server CPU {rep.server_cpu_seconds:.1f} s, loadgen CPU {rep.loadgen_cpu_seconds:.1f} s)",
        f"rerun     p50 {ms(rep.p50)}  p95 {ms(rep.p95)}  max {ms(rep.max)}  mean {ms(float(d['mean']))}  "
        f"(n={len(rep.rerun_latencies)})",
        f"open      p50 {ms(float(d['open_p50']))}  p95 {ms(float(d['open_p95']))}  (first run of each session)",
        f"failures  {rep.failures}" + (f"  {rep.failure_kinds}" if rep.failure_kinds else ""),
        f"exceptions {rep.exceptions}" + (f"  e.g. {rep.exception_examples}" if rep.exception_examples else ""),
        f"page      title text seen in {rep.title_seen}/{rep.sessions} sessions; page_not_found {rep.page_not_found}; "
        f"st.rerun restarts {rep.early_reruns}",
        f"alerts    {rep.alert_examples or 'none'}",
        f"bytes     server->clients {rep.bytes_in / 1e6:.2f} MB payload "
        f"({rep.wire_bytes_in / 1e6:.2f} MB on the wire), "
        f"{rep.bytes_in / max(1, rep.runs) / 1e3:.1f} kB/run; clients->server {rep.bytes_out / 1e3:.1f} kB; "
        f"cache refs {rep.cache_hits}; HTTP {rep.http_bytes_in / 1e3:.0f} kB",
        f"RSS       before {mb(rep.rss_before)}  peak {mb(rep.rss_peak)}  all open {mb(rep.rss_all_open)}  "
        f"after {mb(rep.rss_after)}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="the running server, e.g. http://127.0.0.1:8501")
    ap.add_argument("--page", default="/", help="deep link: URL path and query, e.g. /timeline?event=x")
    ap.add_argument("--sessions", type=int, default=40)
    ap.add_argument("--ramp", type=float, default=5.0, help="seconds over which the sessions connect")
    ap.add_argument("--reruns", type=int, default=10, help="reruns per session after the page opens")
    ap.add_argument("--server-pid", type=int, help="the server's PID, to read its memory and CPU from /proc")
    ap.add_argument("--expect", help="text that must appear in the page's elements (e.g. its title)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per step (connect, one run)")
    ap.add_argument("--deadline", type=float, default=1800.0, help="seconds allowed for the whole load")
    ap.add_argument("--vary-text-input", metavar="LABEL=V1|V2", help="set this text input to V1, V2, ... per rerun")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    a = ap.parse_args(argv)
    widget = None
    if a.vary_text_input:
        label, _, values = a.vary_text_input.partition("=")
        widget = WidgetChange(label, tuple(values.split("|")))
    rep = asyncio.run(
        run_load(
            a.url,
            a.page,
            a.sessions,
            a.ramp,
            a.reruns,
            a.server_pid,
            a.expect,
            a.timeout,
            a.deadline,
            widget=widget,
        )
    )
    print(json.dumps(rep.as_dict(), indent=1, default=str) if a.json else describe(rep))
    return 0 if rep.failures == 0 and rep.exceptions == 0 else 1


if __name__ == "__main__":
    sys.exit(main())


# -- a tab that stays on a live page (rooms): widgets by key, what the page shows, reconnects -------
#
# The load above measures reruns one after another. A live-class page is different: a tab stays
# open, the server's fragments ask it to rerun them every few seconds (``auto_rerun``), and a
# student or the teacher sets a widget or clicks a button now and then. ``LiveTab`` reads every
# message as it arrives (a reader task), keeps what the page shows (text of each element, by its
# place on the page), knows the page's widgets by their ``key``, reruns fragments on their timer,
# and can reconnect after its server went away, as the frontend does.

RUN_OK = {FINISHED_OK, ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
WIDGET_KINDS = {
    "button",
    "button_group",
    "checkbox",
    "chat_input",
    "multiselect",
    "number_input",
    "radio",
    "selectbox",
    "text_area",
    "text_input",
}


# ``document.cookie = "name=value; ..."`` in an st.html script: kept in the tab's cookie jar, as a browser would.
SET_COOKIE_JS = re.compile(r"""document\.cookie\s*=\s*["']([A-Za-z0-9_.-]+)=([^;"']*)""")


class Disconnected(ConnectionError):
    """The tab's socket closed under it (server killed or restarting): ``reconnect()`` it."""


@dataclass
class Widget:
    """A widget the page drew: its id, its element type, label and options (as the page shows them)."""

    id: str
    kind: str
    label: str
    options: tuple[str, ...] = ()
    form_id: str = ""
    is_submit: bool = False

    @property
    def key(self) -> str | None:
        """The ``key=`` the page gave it: Streamlit ends an element id with ``-<key>`` ("None" if none)."""
        head, _, rest = self.id.partition("-")
        _, _, key = rest.partition("-")
        return key if head == "$$ID" and key and key != "None" else None


def element_text(el: Any) -> tuple[str, str]:
    """(element type, the text a reader sees in it) for one ``new_element`` delta."""
    which = el.WhichOneof("type") or ""
    body = getattr(el, which, None)
    if which in ("markdown", "heading", "text", "alert", "toast"):
        return which, body.body
    if which == "metric":
        return which, f"{body.label} {body.body} {body.delta}".strip()
    if which == "code":
        return which, body.code_text
    if which == "progress":
        return which, body.text
    if which == "exception":
        return which, f"{body.type}: {body.message}"
    if body is not None and hasattr(body, "label"):
        return which, str(body.label)
    return which, ""


def _widget(el: Any) -> Widget | None:
    which = el.WhichOneof("type")
    if which not in WIDGET_KINDS:
        return None
    w = getattr(el, which)
    options = tuple(o.content for o in w.options) if which == "button_group" else tuple(getattr(w, "options", ()))
    return Widget(
        w.id,
        which,
        getattr(w, "label", "") or getattr(w, "placeholder", ""),
        options,
        getattr(w, "form_id", ""),
        bool(getattr(w, "is_form_submitter", False)),
    )


def _http(url: str, timeout: float, cookies: dict[str, str]) -> tuple[bytes, list[str], dict[str, str]]:
    req = urllib.request.Request(url)
    if cookies:
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read(), r.headers.get_all("Set-Cookie") or [], dict(r.headers.items())


class LiveTab(Tab):
    """One browser tab that stays on a live page. ``await start()``, then ``set``/``click`` by key,
    ``wait_until`` what the page shows, ``reconnect()`` after a ``Disconnected``, ``close()``.

    Widget values are kept and sent with every rerun, as the frontend's widget manager does; a
    click is a trigger sent with one rerun only. A widget inside a form is only held until its
    form's submit button is clicked. Fragment timers: while a run of this tab is in flight a due
    fragment rerun waits for it (one run at a time per tab); ``auto_reruns`` counts those sent.
    """

    def __init__(self, base_url: str, page: str, index: int = 0, timeout: float = 30.0) -> None:
        super().__init__(base_url, page, index, None, timeout, None)
        self.widgets: dict[str, Widget] = {}  # by key
        self.states: dict[str, Any] = {}  # widget id -> WidgetState this tab holds for it
        # place on the page -> (element type, its text, the run that drew it, widget id or "")
        self.elements: dict[tuple[int, ...], tuple[str, str, str, str]] = {}
        self.seen: list[tuple[float, str, str]] = []  # (arrival, type, text) of every element drawn
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}  # of the page's first HTTP response (e.g. which upstream)
        self.fragments: dict[str, float] = {}  # fragment id -> seconds between its reruns
        self._due: dict[str, float] = {}
        self._changed = asyncio.Condition()
        self._run_lock = asyncio.Lock()
        self._inflight: asyncio.Future[int] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._run_id = ""
        self._fragment_run = False
        self.session_id = ""  # the server's id for this tab's session, offered back on a reconnect
        self.reconnect_seconds: list[float] = []  # socket lost -> page running again, per reconnect
        self.reloads = 0
        self.connected = False
        self.running = False  # a script run (the page's or a fragment's) has started and not finished
        self.reconnects = 0
        self.auto_reruns = 0
        self.runs_failed: list[str] = []

    # --- connection -------------------------------------------------------------------------

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        jar = http.cookies.SimpleCookie()
        for c in set_cookies:
            jar.load(c)
        self.cookies.update({k: m.value for k, m in jar.items()})

    async def _connect(self, first: bool, resume: bool = False) -> None:
        r = self.result
        if first:  # the page itself; a reconnecting frontend only asks for health and host-config
            body, cookies, self.headers = await asyncio.to_thread(
                _http, self.base + self.page, self.timeout, self.cookies
            )
            self._keep_cookies(cookies)
            r.http_bytes_in += len(body)
        for path in ("/_stcore/health", "/_stcore/host-config"):
            body, cookies, _ = await asyncio.to_thread(_http, self.base + path, self.timeout, self.cookies)
            self._keep_cookies(cookies)
            r.http_bytes_in += len(body)
        xsrf = self.cookies.get("_streamlit_xsrf")
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await connect(
            "ws" + self.base[len("http") :] + "/_stcore/stream",
            origin=self.base,
            # The frontend offers its last session id when it reconnects: the server resumes that
            # session if it still has it (a network blip), else starts a new one (a restarted server).
            subprotocols=["streamlit", xsrf or "PLACEHOLDER_AUTH_TOKEN"]
            + ([self.session_id] if resume and self.session_id else []),
            additional_headers={"Cookie": cookie} if cookie else None,
            user_agent_header="classroom-loadgen",
            proxy=None,
            open_timeout=self.timeout,
            ping_interval=None,
            max_size=MAX_MESSAGE,
            max_queue=None,
            create_connection=CountingConnection,
        )
        self.connected = True
        r.connected_at = time.monotonic()
        self.cache.clear()  # a new session (maybe on another server) knows none of our hashes
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._tick())]

    async def start(self) -> RunResult:
        """Open the page (HTTP, websocket) and run it once, as a browser opening the link."""
        await self._connect(first=True)
        return await self.rerun(first=True)

    async def reconnect(self, within: float = 60.0) -> float:
        """Reopen the socket after the server went away, retrying as the frontend does, then rerun
        the page with the widget values this tab holds. Returns the seconds it took."""
        t0 = time.monotonic()
        await self._drop()
        delay = 0.2
        while True:
            try:
                await self._connect(first=False, resume=True)
                break
            except (OSError, TimeoutError, Exception) as exc:  # refused, 502 from a proxy, handshake cut
                if time.monotonic() - t0 > within:
                    raise Disconnected(f"could not reconnect within {within:g} s: {exc}") from exc
                await asyncio.sleep(delay)
                delay = min(1.0, delay * 1.5)
        self.reconnects += 1
        self.page_script_hash = ""  # a new session resolves the page from its name again
        run = await self.rerun(first=True)
        if not run.ok:
            raise Disconnected(f"page did not run after reconnecting: {run.status}")
        self.reconnect_seconds.append(time.monotonic() - t0)
        return self.reconnect_seconds[-1]

    async def reload(self) -> RunResult:
        """What a reload button does: a new page load, a new session (its widget values forgotten)."""
        await self._drop()
        self.states.clear()
        self.session_id, self.page_script_hash = "", ""
        self.reloads += 1
        return await self.start()

    async def _drop(self) -> None:
        self.connected = False
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        self._tasks = []
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 2)
        if self._inflight is not None and not self._inflight.done():
            self._inflight.set_exception(Disconnected("socket closed"))

    async def close(self) -> None:
        if self.ws is not None:
            self.result.wire_bytes_in += self.ws.wire_bytes_in
        await self._drop()

    # --- reading the page -------------------------------------------------------------------

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for data in self.ws:
                if isinstance(data, str):
                    continue
                self.result.bytes_in += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                if msg.WhichOneof("type") == "ref_hash":
                    cached = self.cache.get(msg.ref_hash)
                    if cached is None:
                        self.runs_failed.append(f"ForwardMsg cache miss {msg.ref_hash}")
                        continue
                    self.cache[msg.ref_hash] = (cached[0], self.run_count)
                    self.result.cache_hits += 1
                    msg = ForwardMsg()
                    msg.ParseFromString(cached[0])
                elif msg.metadata.cacheable and msg.hash and msg.hash not in self.cache:
                    self.cache[msg.hash] = (data, self.run_count)
                self._take(msg)
                async with self._changed:
                    self._changed.notify_all()
        except Exception:  # ConnectionClosed and friends: the server went away
            pass
        self.connected = False
        if self._inflight is not None and not self._inflight.done():
            self._inflight.set_exception(Disconnected("socket closed during a run"))
        async with self._changed:
            self._changed.notify_all()

    def _take(self, msg: ForwardMsg) -> None:
        self._look_at(msg)
        kind = msg.WhichOneof("type")
        if kind == "new_session":  # a run starts; only this and script_finished name their run
            self.running = True
            self._run_id = msg.metadata.run.script_run_id
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self._fragment_run = bool(msg.metadata.run.fragment_ids)
            if not self._fragment_run:  # the frontend drops every fragment timer when the whole page reruns;
                self.fragments.clear()  # the run registers its fragments again (a stale id gets no answer)
                self._due.clear()
        run_id = self._run_id
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            which, text = element_text(el)
            w = _widget(el)
            if which == "html":  # a browser runs the page's script; the one thing it may do here is set a cookie
                self.cookies.update(SET_COOKIE_JS.findall(el.html.body))
            self.elements[tuple(msg.metadata.delta_path)] = (which, text, run_id, w.id if w else "")
            self.seen.append((time.monotonic(), which, text))
            if w is not None and w.key:
                self.widgets[w.key] = w
        elif kind == "auto_rerun":
            fid, every = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            self._due[fid] = time.monotonic() + every  # a timer starts when its auto_rerun arrives
            self.fragments[fid] = every
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self.fragments.pop(fid, None)
                self._due.pop(fid, None)
        elif kind == "script_finished":
            status = msg.script_finished
            self._age_cache()
            self.running = status == FINISHED_EARLY_FOR_RERUN
            if status == FINISHED_OK and run_id and not self._fragment_run:  # what a whole run did not draw is gone
                self.elements = {p: e for p, e in self.elements.items() if e[2] == run_id}
            if status != FINISHED_EARLY_FOR_RERUN and self._inflight is not None and not self._inflight.done():
                self._inflight.set_result(status)

    def texts(self) -> list[str]:
        """What the page shows now, element by element in page order."""
        return [e[1] for _, e in sorted(self.elements.items()) if e[1]]

    def text(self) -> str:
        return "\n".join(self.texts())

    def alerts(self) -> list[str]:
        return [e[1] for _, e in sorted(self.elements.items()) if e[0] == "alert"]

    def exceptions(self) -> list[str]:
        return [e[1] for _, e in sorted(self.elements.items()) if e[0] == "exception"]

    async def wait_until(self, check: Callable[[LiveTab], T | None], timeout: float) -> T:
        """The first non-None ``check(self)``, tried now and after every message; TimeoutError after
        ``timeout`` s, Disconnected if the socket closes first."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                found = check(self)
                if found is not None:
                    return found
                if not self.connected:
                    raise Disconnected("socket closed while waiting")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"tab {self.result.index}: not seen within {timeout:g} s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), left)

    # --- acting on it -----------------------------------------------------------------------

    def find(self, key: str) -> Widget:
        w = self.widgets.get(key)
        if w is None:
            raise KeyError(f"tab {self.result.index}: no widget with key {key!r} on the page ({sorted(self.widgets)})")
        return w

    def on_page(self) -> set[str]:
        """The keys of the widgets on the page now."""
        on_page = {e[3] for e in self.elements.values() if e[3]}
        return {k for k, w in self.widgets.items() if w.id in on_page}

    def has(self, key: str) -> bool:
        """Whether the page as it is now has a widget with this key."""
        w = self.widgets.get(key)
        return w is not None and any(e[3] == w.id for e in self.elements.values())

    async def set(self, key: str, value: Any, rerun: bool | None = None) -> RunResult | None:
        """Set a widget's value as a user would: the option's text for radio/selectbox, a list of
        them for pills/segmented control/multiselect, text, a number or a bool. Reruns the page
        unless the widget is in a form (then its submit button sends it)."""
        w = self.find(key)
        state = WidgetState(id=w.id)
        if w.kind in ("radio", "selectbox", "text_input", "text_area"):
            state.string_value = str(value)
        elif w.kind in ("button_group", "multiselect"):
            state.string_array_value.data.extend([value] if isinstance(value, str) else list(value))
        elif w.kind == "checkbox":
            state.bool_value = bool(value)
        elif w.kind == "number_input":
            state.double_value = float(value)
        else:
            raise ValueError(f"cannot set a {w.kind} ({key!r}); click it instead")
        self.states[w.id] = state
        if rerun is None:
            rerun = not w.form_id
        return await self.rerun() if rerun else None

    async def click(self, key: str) -> RunResult:
        """Click a button (or a form's submit button, sending the form's held values)."""
        w = self.find(key)
        return await self.rerun(trigger=WidgetState(id=w.id, trigger_value=True))

    async def rerun(self, *, first: bool = False, trigger: Any = None, fragment_id: str = "") -> RunResult:
        """Send one rerun (the whole page, or one fragment) and wait for its script_finished."""
        async with self._run_lock:
            if self.ws is None or not self.connected:
                raise Disconnected("not connected")
            msg = rerun_message(self, first)
            cs = msg.rerun_script
            cs.widget_states.widgets.extend(self.states.values())
            if trigger is not None:
                cs.widget_states.widgets.append(trigger)
            if fragment_id:
                cs.fragment_id, cs.is_auto_rerun = fragment_id, True
            payload = msg.SerializeToString()
            self.result.bytes_out += len(payload)
            self._inflight = asyncio.get_running_loop().create_future()
            t0 = time.monotonic()
            run = RunResult(0.0, False, "timeout")
            try:
                await self.ws.send(payload)
                status = await asyncio.wait_for(asyncio.shield(self._inflight), self.timeout)
                run.ok = status in RUN_OK
                run.status = STATUS_NAMES.get(status, str(status))
            except TimeoutError:
                run.status = f"timeout after {self.timeout:g} s"
            except Disconnected:
                raise
            except Exception as exc:  # the socket closed as we sent
                raise Disconnected(f"{type(exc).__name__}: {exc}") from exc
            finally:
                self._inflight = None
            run.seconds = time.monotonic() - t0
            self.result.runs.append(run)
            if not run.ok:
                self.runs_failed.append(run.status)
            return run

    async def _tick(self) -> None:
        """Rerun each fragment when its timer is due, as the frontend's interval timers do."""
        while self.connected:
            await asyncio.sleep(0.05)
            now = time.monotonic()
            for fid, due in list(self._due.items()):
                if due <= now and not self._run_lock.locked() and fid in self.fragments:
                    self._due[fid] = now + self.fragments[fid]
                    with contextlib.suppress(Disconnected):
                        await self.rerun(fragment_id=fid)
                        self.auto_reruns += 1
