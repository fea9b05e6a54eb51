"""Classroom load benchmark: every dashboard page under a class's worth of tabs, next to a one-line page.

    .venv/bin/python bench/bench_load.py            # 40 sessions over 5 s, 10 reruns each: defaults + steps
    .venv/bin/python bench/bench_load.py --only compare,step:class-45:8 --sessions 10 --final-settle 0   # quicker
    .venv/bin/python bench/bench_load.py --profile  # also py-spy each page's single-session reruns
    .venv/bin/python bench/bench_load.py --only compare --profile-load   # py-spy the server under the class load
    .venv/bin/python bench/bench_load.py --fresh --reruns 4   # the cold path: a fresh server per row, no warm-up

Starts two servers from the repository root (so both read the same .streamlit/config.toml):
``streamlit run dashboard/app.py`` and ``streamlit run bench/oneline_app.py`` (``st.write("Hello")``),
each on 127.0.0.1 with ``--server.headless true``, waits for ``/_stcore/health``, opens every page once
(warm-up: imports and the cached dataset are not what a class waits for), then for each page:

* single session: 1 tab, 30 warm reruns, on the dashboard and on the one-line page;
* classroom: 40 tabs connecting over 5 s, each opening the page's deep link and rerunning it 10 times
  (bench/loadgen.py), on the dashboard and then the same load on the one-line page.

It prints the machine, the versions, the date, a table per kind of run and PASS/FAIL per target,
and stops both servers (their whole process groups) however it ends. All traffic is to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import collections
import contextlib
import datetime as dt
import importlib.metadata
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import loadgen  # noqa: E402
from loadgen import LoadReport, WidgetChange, mb, percentile, run_load  # noqa: E402

sys.path.insert(0, str(ROOT))
from dashboard.data.dataset import Dataset, load_dataset  # noqa: E402

MB = 1_000_000


@dataclass(frozen=True)
class PageCase:
    name: str
    link: str  # URL path + query string: what a teacher would paste into the class chat
    title: str  # the page's title, which must appear in its elements (proves the deep link opened it)
    widget: WidgetChange | None = None  # a text input set to a new value on each rerun


# Hand-picked deep links (the rows of earlier runs): narrower than what a class opens, kept for comparison.
LINKS = [
    PageCase("link:overview", "/", "Venezuela at the negotiating table"),
    PageCase("link:timeline", "/timeline?event=oslo-talks-2019", "Timeline"),
    PageCase("link:positions", "/positions?asof=2019-05&actor=guaido&issue=negotiate", "Actor positions"),
    PageCase("link:compare", "/compare?by=event&subject=oslo-talks-2019&voices=all", "Compare outlets"),
    PageCase("link:quiz", "/quiz?seed=7&question=2", "Guess the outlet"),
    PageCase("link:methods", "/methods", "Methods & data"),
]
# One variant that changes a real filter on every rerun: the timeline's search box, typed and cleared.
SEARCH_VARIANT = PageCase(
    "link:timeline+search",
    "/timeline?event=oslo-talks-2019",
    "Timeline",
    WidgetChange("Search titles, summaries and quotes", ("oslo", "")),
)
GROUPS = ("defaults", "steps", "links", "all")  # --only also takes row names: compare, step:class-45:8, ...


def default_cases(dataset: Dataset) -> list[PageCase]:
    """Every view's default view: its bare URL, what the menu opens."""
    from dashboard.markup.safe import md
    from dashboard.views import VIEWS

    return [
        PageCase(v.id, "/" if v.default else f"/{v.id}", md(dataset.meta.title) if v.default else v.title)
        for v in VIEWS
    ]


def step_cases(dataset: Dataset) -> list[PageCase]:
    """Every step of every presenter path in the data, at the link the app's Previous / Next buttons give it."""
    from unittest import mock

    from streamlit.runtime.context import ContextProxy

    from dashboard.markup.safe import md_html_text
    from dashboard.shell.classroom import page_url
    from dashboard.views import VIEWS
    from dashboard.views.steps import step_link_params

    home = next(v for v in VIEWS if v.default)
    base = "http://127.0.0.1"
    cases = []
    # page_url builds the address from the browser's (st.context.url): give it this server's home page.
    with mock.patch.object(ContextProxy, "url", new=property(lambda self: base + "/")):
        for path in dataset.paths:
            for i, step in enumerate(path.steps):
                url = page_url(home, step.page, step_link_params(path, i))
                assert url is not None and url.startswith(base), url
                link = "/" + url[len(base) :].lstrip("/")
                # The step's title is the page's first heading in presentation mode (the view's own is not drawn).
                cases.append(PageCase(f"step:{path.id}:{i + 1}", link, md_html_text(step.title)))
    return cases


def select_cases(only: str, dataset: Dataset, search_variant: bool) -> list[PageCase]:
    """The rows ``only`` asks for: groups (defaults, steps, links, all) and row names, comma-separated."""
    by_group = {"defaults": default_cases(dataset), "steps": step_cases(dataset), "links": list(LINKS)}
    if search_variant:
        by_group["links"].append(SEARCH_VARIANT)
    every = [c for g in ("defaults", "steps", "links") for c in by_group[g]]
    by_name = {c.name: c for c in every}
    chosen: list[PageCase] = []
    for word in filter(None, (w.strip() for w in only.split(","))):
        if word == "all":
            found = every
        elif word in by_group:
            found = by_group[word]
        elif word in by_name:
            found = [by_name[word]]
        else:
            raise SystemExit(
                f"--only: no row or group {word!r}; rows: {', '.join(by_name)}; groups: {', '.join(GROUPS)}"
            )
        chosen += [c for c in found if c not in chosen]
    return chosen


ONELINE_TEXT = "Hello"

# Targets
P95_RATIO_MAX = 1.5  # classroom p95 vs the one-line page's p95 under the same load
SINGLE_RATIO_MAX = 2.0  # single-session median warm rerun vs the one-line page's
RSS_MAX = 600 * MB  # with every tab of the class open
RETURN_FRACTION, RETURN_SLACK = 0.20, 20 * MB  # after <= before * 1.2 + 20 MB


# -- servers ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m streamlit run APP`` on 127.0.0.1, cwd = repository root, in its own process group."""

    def __init__(
        self,
        app: str,
        port: int,
        log_dir: Path,
        options: list[str] | None = None,
        root: Path = ROOT,
        env: dict[str, str] | None = None,
    ) -> None:
        self.app, self.port, self.options, self.root, self.env = app, port, options or [], root, env or {}
        self.url = f"http://127.0.0.1:{port}"
        self.log = log_dir / f"{Path(app).stem}-{port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.append_log = False  # a server restarted keeps one log

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.app,
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            *(f"--{o}" for o in self.options),
        ]
        with self.log.open("ab" if self.append_log else "wb") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=self.root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=self.environment()
            )
        self.started = time.monotonic()

    def environment(self) -> dict[str, str] | None:
        """The server's environment (None: this process's own)."""
        return {**os.environ, **self.env} if self.env else None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def wait_healthy(self, timeout: float = 90.0, poll: float = 0.5) -> float:
        """Wait for ``/_stcore/health``; the seconds from ``start`` until it answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.app} exited with {self.proc.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(poll)
        raise RuntimeError(f"{self.app} not healthy after {timeout:g} s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


# -- machine ---------------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1e6:.1f} GB"
    versions = []
    for pkg in ("streamlit", "pandas", "plotly", "pydantic", "uvicorn", "starlette", "websockets", "protobuf"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{pkg} {importlib.metadata.version(pkg)}")
    return [
        f"date      {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}",
        f"machine   {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, {mem} RAM, "
        f"{platform.system()} {platform.release()}",
        f"python    {platform.python_version()}; " + ", ".join(versions),
        f"load avg  {load_avg()} (other work on this machine shares its CPUs)",
        f"uptime    {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}",
    ]


def load_avg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# -- profiling (optional) --------------------------------------------------------------------------


def py_spy() -> str | None:
    return shutil.which("py-spy") or next(
        (str(p) for p in [Path(sys.executable).parent / "py-spy"] if p.exists()), None
    )


def summarize_raw(raw: Path, top: int = 12) -> list[str]:
    """Self and inclusive shares of the busiest functions in a py-spy raw (collapsed stacks) file."""
    incl: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames, count = stack.split(";"), int(n)
        total += count
        for f in set(frames):
            incl[f] += count
        own[frames[-1]] += count
    if not total:
        return ["(no samples)"]
    site = "site-packages/"

    def short(f: str) -> str:
        return f.replace(str(ROOT) + "/", "").split(site)[-1]

    out = [f"{total} samples of the server thread holding the GIL (py-spy --gil)"]
    out += ["  self  " + f"{100 * c / total:5.1f}%  {short(f)}" for f, c in own.most_common(top)]
    boring = ("threading.py", "_bootstrap", "runpy", "click/", "asyncio/", "concurrent/futures", "<module> (")
    ours = [(f, c) for f, c in incl.most_common(400) if not any(b in f for b in boring)]
    out += ["  incl  " + f"{100 * c / total:5.1f}%  {short(f)}" for f, c in ours[: top * 2]]
    return out


async def spied(spy: str | None, pid: int, name: str, load: Coroutine[Any, Any, LoadReport]) -> tuple[Any, Any]:
    """Run ``load`` while py-spy samples the server (if ``spy``); returns (its report, the profile's summary)."""
    if spy is None:
        return await load, None
    raw = Path(tempfile.mkstemp(suffix=".raw", prefix=f"spy-{name.replace(':', '-')}-")[1])
    spy_cmd = [spy, "record", "-p", str(pid), "-r", "100", "-f", "raw", "-o", str(raw), "--gil", "--nonblocking"]
    proc = subprocess.Popen(spy_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    await asyncio.sleep(1.0)
    try:
        report = await load
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    profile = summarize_raw(raw) if raw.stat().st_size else ["(py-spy wrote nothing)"]
    raw.unlink(missing_ok=True)
    return report, profile


# -- the run ---------------------------------------------------------------------------------------


@dataclass
class PageResult:
    case: PageCase
    ours: LoadReport
    oneline: LoadReport
    single: LoadReport | None = None
    single_oneline: LoadReport | None = None
    profile: list[str] | None = None
    load_profile: list[str] | None = None  # py-spy of the dashboard server during the class load
    load_avg: str = ""  # the machine's 1-minute load average after this row's loads


def ms(s: float) -> str:
    return f"{s * 1000:,.0f}"


def ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("inf")


def cpu_per_run(r: LoadReport) -> float:
    return r.server_cpu_seconds / max(1, r.runs)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def returned(r: LoadReport) -> bool:
    return r.rss_after <= r.rss_before * (1 + RETURN_FRACTION) + RETURN_SLACK


async def bench(args: argparse.Namespace, ours: Server, one: Server) -> list[PageResult]:
    cases = select_cases(args.only, load_dataset(), args.search_variant)
    load = dict(sessions=args.sessions, ramp=args.ramp, reruns=args.reruns, timeout=args.timeout, settle=args.settle)

    print("warm-up: each page opened once on each server", flush=True)
    for case in cases:
        w = await run_load(ours.url, case.link, 1, 0, 2, ours.pid, case.title, timeout=args.timeout, settle=0)
        w1 = await run_load(one.url, case.link, 1, 0, 2, one.pid, ONELINE_TEXT, timeout=args.timeout, settle=0)
        if w.failures or not w.title_seen or w1.failures or not w1.title_seen:
            print(f"  {case.name}: WARNING {w.failure_kinds or ''} title seen {w.title_seen}; {w1.failure_kinds or ''}")

    spy = py_spy() if args.profile or args.profile_load else None
    if (args.profile or args.profile_load) and not spy:
        print("--profile: py-spy not found (pip install py-spy); profiling skipped")
    results: list[PageResult] = []
    for case in cases:
        print(f"{case.name}: {case.link}", flush=True)
        res = PageResult(case, LoadReport("", "", 0, 0, 0), LoadReport("", "", 0, 0, 0))
        if args.single_reruns > 0:
            res.single, res.profile = await spied(
                spy,
                ours.pid,
                case.name,
                run_load(
                    ours.url,
                    case.link,
                    1,
                    0,
                    args.single_reruns,
                    ours.pid,
                    case.title,
                    args.timeout,
                    settle=0,
                    widget=case.widget,
                ),
            )
            res.single_oneline = await run_load(
                one.url, case.link, 1, 0, args.single_reruns, one.pid, ONELINE_TEXT, args.timeout, settle=0
            )
            print(
                f"  single   ours p50 {ms(res.single.p50)} ms, one-line p50 {ms(res.single_oneline.p50)} ms",
                flush=True,
            )
        res.ours, res.load_profile = await spied(
            spy if args.profile_load else None,
            ours.pid,
            case.name,
            run_load(ours.url, case.link, server_pid=ours.pid, expect_text=case.title, widget=case.widget, **load),
        )
        print(f"  ours     {loadgen.describe(res.ours).replace(chr(10), chr(10) + '           ')}", flush=True)
        reuse = case.widget is not None and any(r.case.link == case.link for r in results)
        if reuse:  # the one-line page has no search box: the plain page's one-line load is the same load
            res.oneline = next(r.oneline for r in results if r.case.link == case.link)
        else:
            res.oneline = await run_load(one.url, case.link, server_pid=one.pid, expect_text=ONELINE_TEXT, **load)
        print(f"  one-line {loadgen.describe(res.oneline).replace(chr(10), chr(10) + '           ')}", flush=True)
        res.load_avg = load_avg().split()[0]
        print(f"  p95 ratio {ratio(res.ours.p95, res.oneline.p95):.2f}x; load avg {load_avg()}", flush=True)
        results.append(res)
    return results


# -- fresh servers: the first class after a deploy, a restart or a free tier waking up ---------------


@dataclass
class FreshResult:
    case: PageCase
    ours: LoadReport
    oneline: LoadReport
    healthy_s: float  # from the dashboard server's start to its first healthy answer
    load_avg: str  # the machine's 1-minute load average just before the class arrived
    load_avg_after: str


async def fresh_row(args: argparse.Namespace, case: PageCase, log_dir: Path) -> FreshResult:
    """One row: a new dashboard server and a new one-line server, the class arriving as soon as each is healthy."""
    ours = Server("dashboard/app.py", free_port(), log_dir, args.server_option, root=args.root, env=args.env)
    one = Server("bench/oneline_app.py", free_port(), log_dir, args.server_option)
    load = dict(sessions=args.sessions, ramp=args.ramp, reruns=args.reruns, timeout=args.timeout, settle=args.settle)
    try:
        before = load_avg().split()[0]
        ours.start()
        healthy = ours.wait_healthy(poll=0.1)
        await asyncio.sleep(args.fresh_wait)
        mine = await run_load(ours.url, case.link, server_pid=ours.pid, expect_text=case.title, **load)
        ours.stop()
        one.start()
        one.wait_healthy(poll=0.1)
        await asyncio.sleep(args.fresh_wait)
        theirs = await run_load(one.url, case.link, server_pid=one.pid, expect_text=ONELINE_TEXT, **load)
    finally:
        ours.stop()
        one.stop()
    return FreshResult(case, mine, theirs, healthy, before, load_avg().split()[0])


async def fresh(args: argparse.Namespace, log_dir: Path) -> list[FreshResult]:
    cases = select_cases(args.only, load_dataset(), search_variant=False)
    results = []
    for case in cases:
        print(f"{case.name}: {case.link} (fresh servers)", flush=True)
        r = await fresh_row(args, case, log_dir)
        q = ratio(every_p(r.ours, 95), every_p(r.oneline, 95))
        print(
            f"  p95 (opens and reruns) {ms(every_p(r.ours, 95))} ms vs one-line {ms(every_p(r.oneline, 95))} ms: "
            f"{q:.2f}x; max {ms(every_max(r.ours))} ms; "
            f"failures {r.ours.failures}, exceptions {r.ours.exceptions}; load avg {r.load_avg} -> {r.load_avg_after}",
            flush=True,
        )
        for name, rep in (("ours", r.ours), ("one-line", r.oneline)):
            print(f"  {name:8} {loadgen.describe(rep).replace(chr(10), chr(10) + '           ')}", flush=True)
        results.append(r)
    return results


def every_p(r: LoadReport, q: float) -> float:
    """A percentile over every run of the load: the tabs' first opens (where a cold server builds) and reruns."""
    return percentile(r.open_latencies + r.rerun_latencies, q)


def every_max(r: LoadReport) -> float:
    return max(r.open_latencies + r.rerun_latencies, default=0.0)


def fresh_report(args: argparse.Namespace, results: list[FreshResult]) -> list[str]:
    root = "" if args.root == ROOT else f" (dashboard from {args.root})"
    out = [
        "",
        f"## Fresh server per row{root}: {args.sessions} tabs connecting over {args.ramp:g} s as soon as the "
        f"server is healthy (+{args.fresh_wait:g} s), {args.reruns} reruns each (latency ms over every run: "
        "each tab's first open, where a cold server builds, and its reruns)",
        "",
        "| row | link | p50 | p95 | first open p95 | max | one-line p95 | p95 ratio | failures | exceptions "
        "| title seen | healthy after s | server CPU s ours / one-line | RSS peak MB | load avg before / after |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|---|",
    ]
    for r in results:
        o, b = r.ours, r.oneline
        q = ratio(every_p(o, 95), every_p(b, 95))
        out.append(
            f"| {r.case.name} | `{r.case.link}` | {ms(every_p(o, 50))} | {ms(every_p(o, 95))} "
            f"| {ms(percentile(o.open_latencies, 95))} | {ms(every_max(o))} | {ms(every_p(b, 95))} "
            f"| {q:.2f}x {verdict(q <= P95_RATIO_MAX)} | {o.failures} | {o.exceptions} | {o.title_seen}/{o.sessions} "
            f"| {r.healthy_s:.1f} | {o.server_cpu_seconds:.1f} / {b.server_cpu_seconds:.1f} "
            f"| {o.rss_peak / MB:.0f} | {r.load_avg} / {r.load_avg_after} |"
        )
    for r in results:
        if r.ours.failure_kinds:
            out.append(f"- {r.case.name} failures: {r.ours.failure_kinds}")
        if r.ours.exception_examples:
            out.append(f"- {r.case.name} exceptions: {r.ours.exception_examples}")
    return out


def report(args: argparse.Namespace, results: list[PageResult], final: dict[str, tuple[int, int]]) -> list[str]:
    out = [
        "",
        f"## Classroom load: {args.sessions} sessions connecting over {args.ramp:g} s, "
        f"{args.reruns} reruns each (latency ms, rerun = send to script_finished)",
        "",
        "| row | link | p50 | p95 | one-line p95 | p95 ratio | kB/run | CPU ms/run ours / one-line | max "
        "| failures | exceptions | title seen | RSS before / peak / after (MB) | load avg |",
        "|---|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|---|---|",
    ]
    for r in results:
        o, b = r.ours, r.oneline
        q = ratio(o.p95, b.p95)
        out.append(
            f"| {r.case.name} | `{r.case.link}` | {ms(o.p50)} | {ms(o.p95)} | {ms(b.p95)} "
            f"| {q:.2f}x {verdict(q <= P95_RATIO_MAX)} | {o.bytes_in / max(1, o.runs) / 1e3:.1f} "
            f"| {ms(cpu_per_run(o))} / {ms(cpu_per_run(b))} | {ms(o.max)} | {o.failures} | {o.exceptions} "
            f"| {o.title_seen}/{o.sessions} "
            f"| {o.rss_before / MB:.0f} / {o.rss_peak / MB:.0f} / {o.rss_after / MB:.0f} | {r.load_avg} |"
        )
    if any(r.single for r in results):
        out += [
            "",
            f"## Single session: 1 tab, {args.single_reruns} warm reruns (median and p95, ms)",
            "",
            "| page | ours p50 | ours p95 | one-line p50 | one-line p95 | p50 ratio | kB/run |",
            "|---|--:|--:|--:|--:|--:|--:|",
        ]
        for r in results:
            if r.single and r.single_oneline:
                s, s1 = r.single, r.single_oneline
                out.append(
                    f"| {r.case.name} | {ms(s.p50)} | {ms(s.p95)} | {ms(s1.p50)} | {ms(s1.p95)} "
                    f"| {ratio(s.p50, s1.p50):.1f}x | {s.bytes_in / max(1, s.runs) / 1e3:.0f} |"
                )
    out += ["", "## Targets", ""]
    for r in results:
        o, b = r.ours, r.oneline
        checks = [
            (f"0 failures ({o.failures})", o.failures == 0 and o.title_seen == o.sessions),
            (f"0 exceptions ({o.exceptions})", o.exceptions == 0),
            (f"p95 <= {P95_RATIO_MAX:g}x one-line ({ratio(o.p95, b.p95):.1f}x)", o.p95 <= P95_RATIO_MAX * b.p95),
            (f"RSS <= {RSS_MAX / MB:.0f} MB ({mb(o.rss_peak)})", o.rss_peak <= RSS_MAX),
            (f"memory returns ({mb(o.rss_after)} vs {mb(o.rss_before)} before)", returned(o)),
        ]
        if r.single and r.single_oneline:
            q = ratio(r.single.p50, r.single_oneline.p50)
            checks.append((f"single rerun <= {SINGLE_RATIO_MAX:g}x ({q:.1f}x)", q <= SINGLE_RATIO_MAX))
        out.append(f"- {r.case.name}: " + "; ".join(f"{verdict(ok)} {what}" for what, ok in checks))
        if o.failure_kinds:
            out.append(f"  - failures: {o.failure_kinds}")
        if o.exception_examples:
            out.append(f"  - exceptions: {o.exception_examples}")
    for name, (base, end) in final.items():
        ok = end <= base * (1 + RETURN_FRACTION) + RETURN_SLACK
        out.append(
            f"- {name} server after the last load and Streamlit's 2-minute reconnect window: "
            f"{verdict(ok)} {mb(end)} vs {mb(base)} after warm-up"
        )
    for r in results:
        if r.profile:
            out += ["", f"### py-spy, {r.case.name}, single session", "", "```", *r.profile, "```"]
        if r.load_profile:
            out += ["", f"### py-spy, {r.case.name}, the class load", "", "```", *r.load_profile, "```"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=40)
    ap.add_argument("--ramp", type=float, default=5.0)
    ap.add_argument("--reruns", type=int, default=10)
    ap.add_argument("--single-reruns", type=int, default=30, help="0 skips the single-session comparison")
    ap.add_argument(
        "--only",
        "--pages",
        default="defaults,steps",
        help="comma-separated rows or groups (" + ", ".join(GROUPS) + "), e.g. compare,step:class-45:8",
    )
    ap.add_argument("--list", action="store_true", help="print the rows and their links, and stop")
    ap.add_argument(
        "--no-search-variant",
        dest="search_variant",
        action="store_false",
        help="skip the timeline run that types into the search box on every rerun",
    )
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds allowed per step of a tab")
    ap.add_argument("--settle", type=float, default=5.0, help="seconds after a load before reading RSS again")
    ap.add_argument(
        "--final-settle",
        type=float,
        default=130.0,
        help="seconds to wait at the end (past the 2-minute reconnect window) before the last RSS",
    )
    ap.add_argument("--profile", action="store_true", help="py-spy the dashboard server during single sessions")
    ap.add_argument("--profile-load", action="store_true", help="py-spy the dashboard server during each class load")
    ap.add_argument(
        "--server-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Streamlit option for BOTH servers, on top of .streamlit/config.toml (e.g. runner.postScriptGC=false)",
    )
    ap.add_argument(
        "--fresh",
        action="store_true",
        help="a fresh dashboard server and a fresh one-line server per row, no warm-up (the cold path)",
    )
    ap.add_argument("--fresh-wait", type=float, default=0.0, help="--fresh: seconds between healthy and the class")
    ap.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="--fresh: run the dashboard from this checkout (e.g. `git archive` of main) to compare before/after",
    )
    ap.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="--fresh: the dashboard server's environment"
    )
    args = ap.parse_args(argv)
    args.env = dict(e.split("=", 1) for e in args.env)

    if args.list:
        for c in select_cases(args.only, load_dataset(), args.search_variant):
            print(f"{c.name:24} {c.link}   (expects {c.title!r})")
        return 0
    print("\n".join(machine()), flush=True)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    if args.fresh:
        started = time.monotonic()
        rows = asyncio.run(fresh(args, log_dir))
        lines = fresh_report(args, rows)
        lines.append(f"\n(total {time.monotonic() - started:.0f} s; logs {log_dir}; at the end: {load_avg()})")
        print("\n".join(lines), flush=True)
        bad = [r for r in rows if r.ours.failures or r.ours.exceptions or r.ours.title_seen != r.ours.sessions]
        return 1 if bad else 0
    ours = Server("dashboard/app.py", free_port(), log_dir, args.server_option)
    one = Server("bench/oneline_app.py", free_port(), log_dir, args.server_option)
    if args.server_option:
        print(f"options   both servers: .streamlit/config.toml + {' '.join(args.server_option)}")

    def on_term(signum: int, frame: object) -> None:
        for server in (ours, one):  # first the servers' process groups, whatever the unwinding below does
            if server.proc is not None and server.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.proc.pid, signal.SIGTERM)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    atexit.register(ours.stop)
    atexit.register(one.stop)
    try:
        ours.start()
        one.start()
        ours.wait_healthy()
        one.wait_healthy()
        print(f"servers   dashboard {ours.url} (pid {ours.pid}), one-line {one.url} (pid {one.pid}); logs {log_dir}")
        started = time.monotonic()
        results = asyncio.run(bench(args, ours, one))
        final: dict[str, tuple[int, int]] = {}
        if args.final_settle > 0 and results:
            print(f"waiting {args.final_settle:g} s for disconnected sessions to expire ...", flush=True)
            time.sleep(args.final_settle)
            first_ours, first_one = results[0].ours.rss_before, results[0].oneline.rss_before
            final = {
                "dashboard": (first_ours, loadgen.tree_rss_bytes(ours.pid)),
                "one-line": (first_one, loadgen.tree_rss_bytes(one.pid)),
            }
        lines = report(args, results, final)
        uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        lines.append(f"\n(total {time.monotonic() - started:.0f} s; at the end: {uptime})")
        print("\n".join(lines), flush=True)
        bad = any(r.ours.failures or r.ours.exceptions or r.ours.title_seen != r.ours.sessions for r in results)
        return 1 if bad else 0
    finally:
        ours.stop()
        one.stop()


if __name__ == "__main__":
    sys.exit(main())
