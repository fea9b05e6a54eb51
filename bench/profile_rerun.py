"""Where a page's warm rerun goes at scale: a profile of the script thread, split by whose code it is.

    python bench/profile_rerun.py [PAGE ...] [--events 10000 --claims 50000] [--data PATH] [--top 25]
    python bench/profile_rerun.py timeline --sample          # statistical sampling instead of cProfile
    python bench/profile_rerun.py "/compare?by=issue&subject=negotiate&path=class-45&step=8" --data data/events.yaml

For each page (default: all), a fresh AppTest session with ``DASHBOARD_DATA``
pointing at the dataset runs the app, switches to the page, runs it once
(first run) and once more unprofiled (the warm rerun, timed), then profiles
warm reruns (Streamlit's server also collects garbage after every run, which
AppTest leaves out: see bench_scale.py). Profiling happens inside Streamlit's script thread, where the
page's code runs; the test harness's own thread only waits.

Printed per page: the unprofiled warm rerun's wall and CPU time; the share of
the profiled time spent in each group (our code = dashboard/, Streamlit,
pandas/numpy/pyarrow, plotly, other); the top functions by cumulative time,
each tagged with its group; and the top functions of our own code and of each
library.

Two ways to profile:

- cProfile (default), counting the script thread's CPU time (``--timer wall``
  for wall time), so other work on a shared machine is not charged to whatever
  function was waiting. Built-in functions (``re.Pattern.search``, ``str.join``)
  are charged to the group of the code that called them. cProfile adds a fixed
  cost to every Python call, so code made of many small calls (plotly's
  validators, per-row lambdas, generator expressions) looks slower under it
  than it is.
- ``--first`` profiles the page's first run in a new session instead: what a
  new visitor, or a click that asks for settings nobody asked for yet, costs.
- ``--sample``: a thread samples the script thread's stack every millisecond
  over several reruns. Almost no overhead and no such distortion; coarser.
  Read its percentages of samples as shares of the rerun.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for p in (ROOT, BENCH):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from bench_scale import APP, PAGES, synthetic_path  # noqa: E402

SITE = "site-packages"
GROUPS = ("ours", "streamlit", "pandas", "plotly", "other")
Func = tuple[str, int, str]  # (filename, first line, name), as pstats keys functions


def group_of(filename: str) -> str:
    if filename.startswith(str(ROOT / "dashboard")):
        return "ours"
    if SITE in filename:
        package = filename.split(SITE + os.sep, 1)[1].split(os.sep, 1)[0]
        if package in ("streamlit", "google", "protobuf", "tornado", "blinker"):
            return "streamlit"
        if package in ("pandas", "numpy", "pyarrow"):
            return "pandas"
        if package in ("plotly", "_plotly_utils", "narwhals"):
            return "plotly"
    return "other"


HARNESS = (str(Path(__file__).resolve()), "threading.py", "local_script_runner.py")


def harness(func: Func) -> bool:
    """This file's hook and the threads around the script: on every stack, so left out of the listings."""
    return func[0].endswith(HARNESS)


def short(func: Func) -> str:
    filename, line, name = func
    if filename.startswith(str(ROOT)):
        filename = os.path.relpath(filename, ROOT)
    elif SITE in filename:
        filename = filename.split(SITE + os.sep, 1)[1]
    elif filename == "~":
        return name
    return f"{filename}:{line}({name})"


# -- running a page with a hook in its script thread -----------------------------------------------
class ScriptThreadHook:
    """Calls ``around(run)`` in Streamlit's script thread for each rerun while ``active``."""

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner import script_runner

        self._cls = script_runner.ScriptRunner
        self._original = self._cls._run_script_thread
        self.around: Callable[[Callable[[], None]], None] | None = None
        original, hook = self._original, self

        def run_thread(runner: Any) -> None:
            if hook.around is None:
                return original(runner)
            hook.around(lambda: original(runner))
            return None

        self._cls._run_script_thread = run_thread

    def close(self) -> None:
        self._cls._run_script_thread = self._original


def page_and_query(page: str) -> tuple[str, dict[str, list[str]]]:
    """``compare`` or a link such as ``/compare?by=issue&path=class-45&step=8`` -> (view id, its query)."""
    path, _, query = page.partition("?")
    from dashboard.views import VIEWS

    view_id = path.strip("/") or next(v.id for v in VIEWS if v.default)
    return view_id, parse_qs(query, keep_blank_values=True)


def open_page(page: str, first_only: bool = False) -> tuple[Any, float, float, float]:
    """A session on ``page`` after its first run; returns (AppTest, first run s, warm wall s, warm cpu s).

    With ``first_only`` the page is switched to but not run yet, so the next run is its first.
    """
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(APP), default_timeout=1800)
    at.run()
    view_id, query = page_and_query(page)
    at._page_hash = calc_hash(view_id)  # pages are callables: AppTest switches by file only
    at.query_params.clear()
    at.query_params.update(query)
    if first_only:
        return at, float("nan"), float("nan"), float("nan")
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    at.run()
    return at, first, time.perf_counter() - wall, time.process_time() - cpu


def header(page: str, at: Any, first: float, wall: float, cpu: float, how: str) -> list[str]:
    lines = [f"### {page}", ""]
    if first == first:  # not NaN: the unprofiled runs happened
        lines.append(f"first run {first:.3f} s; warm rerun {wall:.3f} s wall, {cpu:.3f} s cpu (unprofiled); {how}")
    else:
        lines.append(f"{how} (for unprofiled first-run times, see bench_scale.py)")
    errors = [str(e.value)[:200] for e in at.exception]
    if errors:
        lines.append(f"exceptions: {errors}")
    lines.append("")
    return lines


# -- cProfile ----------------------------------------------------------------------------------------
def charged_groups(raw: dict[Func, tuple]) -> dict[str, float]:
    """Self time per group, with each built-in function's time charged to the groups of its callers."""
    by_group = dict.fromkeys(GROUPS, 0.0)
    for func, (_, _, tottime, _, callers) in raw.items():
        if func[0] != "~" or not callers:
            by_group[group_of(func[0])] += tottime
            continue
        weights = {caller: stats[2] for caller, stats in callers.items()}  # time spent when called from each
        total = sum(weights.values()) or float(len(weights))
        for caller, weight in weights.items():
            share = (weight / total) if sum(weights.values()) else 1 / len(weights)
            by_group[group_of(caller[0])] += tottime * share
    return by_group


def cprofile_page(page: str, top: int, timer: str, first_run: bool = False) -> str:
    hook = ScriptThreadHook()
    try:
        at, first, wall, cpu = open_page(page, first_run)
        # CPU time of the script thread by default: on a shared machine, wall time also counts waiting for a core.
        profiler = cProfile.Profile(time.thread_time) if timer == "cpu" else cProfile.Profile()

        def around(run: Callable[[], None]) -> None:
            profiler.enable()  # in the script thread itself: cProfile follows only the thread it is enabled in
            try:
                run()
            finally:
                profiler.disable()

        hook.around = around
        profiled = time.perf_counter()
        at.run()
        profiled = time.perf_counter() - profiled
    finally:
        hook.close()

    raw: dict[Func, tuple] = pstats.Stats(profiler, stream=io.StringIO()).stats  # type: ignore[attr-defined]
    by_group = charged_groups(raw)
    total = sum(by_group.values()) or 1e-9
    what = "the page's first run" if first_run else "a warm rerun"
    lines = header(page, at, first, wall, cpu, f"profiled {what}: {profiled:.3f} s wall; times below are {timer} s")
    lines.append("self time by group (profiled; built-ins charged to their callers):")
    for g in GROUPS:
        lines.append(f"  {g:10} {by_group[g]:8.3f} s  {100 * by_group[g] / total:5.1f} %")
    lines.append("")
    ranked = sorted(((f, v) for f, v in raw.items() if not harness(f)), key=lambda kv: kv[1][3], reverse=True)
    lines.append(f"top {top} by cumulative time (profiled):")
    lines.append(f"  {'cum s':>8} {'self s':>8} {'calls':>9}  {'group':9}  function")
    for func, (_, ncalls, tottime, cumtime, _) in ranked[:top]:
        lines.append(f"  {cumtime:8.3f} {tottime:8.3f} {ncalls:9d}  {group_of(func[0]):9}  {short(func)}")
    lines.append("")
    lines.append("our code, top 12 by cumulative time:")
    for func, (_, ncalls, tottime, cumtime, _) in [kv for kv in ranked if group_of(kv[0][0]) == "ours"][:12]:
        lines.append(f"  {cumtime:8.3f} {tottime:8.3f} {ncalls:9d}  {short(func)}")
    by_self = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)
    for g in ("pandas", "plotly", "streamlit", "other"):
        lines.append("")
        lines.append(f"{g}, top 6 by self time:")
        for func, (_, ncalls, tottime, cumtime, _) in [kv for kv in by_self if group_of(kv[0][0]) == g][:6]:
            lines.append(f"  {cumtime:8.3f} {tottime:8.3f} {ncalls:9d}  {short(func)}")
    return "\n".join(lines)


# -- sampling ----------------------------------------------------------------------------------------
def sample_page(page: str, top: int, reruns: int, interval: float) -> str:
    hook = ScriptThreadHook()
    inclusive: Counter[Func] = Counter()
    leaf_group: Counter[str] = Counter()
    leaves: Counter[Func] = Counter()
    samples = 0
    try:
        at, first, wall, cpu = open_page(page)

        def around(run: Callable[[], None]) -> None:
            nonlocal samples
            target = threading.get_ident()
            done = threading.Event()

            def sampler() -> None:
                nonlocal samples
                while not done.wait(interval):
                    frame = sys._current_frames().get(target)
                    seen: set[Func] = set()
                    leaf = None
                    while frame is not None:
                        code = frame.f_code
                        func = (code.co_filename, code.co_firstlineno, code.co_name)
                        leaf = leaf or func
                        seen.add(func)
                        frame = frame.f_back
                    if leaf is None:
                        continue
                    samples += 1
                    inclusive.update(seen)
                    leaves[leaf] += 1
                    leaf_group[group_of(leaf[0])] += 1

            thread = threading.Thread(target=sampler, daemon=True)
            thread.start()
            try:
                run()
            finally:
                done.set()
                thread.join()

        switch = sys.getswitchinterval()
        sys.setswitchinterval(interval / 2)  # let the sampler in at least that often
        hook.around = around
        sampled = time.perf_counter()
        for _ in range(reruns):
            at.run()
        sampled = (time.perf_counter() - sampled) / reruns
        sys.setswitchinterval(switch)
    finally:
        hook.close()

    n = samples or 1
    how = f"{samples} samples over {reruns} sampled reruns ({sampled:.3f} s each, wall)"
    lines = header(page, at, first, wall, cpu, how)
    lines.append("share of samples by the group of the running Python function (C code counts as its caller):")
    for g in GROUPS:
        lines.append(f"  {g:10} {100 * leaf_group[g] / n:5.1f} %")
    lines.append("")
    lines.append(f"top {top} functions on the stack (inclusive share of samples):")
    for func, count in [kv for kv in inclusive.most_common() if not harness(kv[0])][:top]:
        lines.append(f"  {100 * count / n:5.1f} %  {group_of(func[0]):9}  {short(func)}")
    lines.append("")
    lines.append("our code, top 12 (inclusive):")
    for func, count in [kv for kv in inclusive.most_common() if group_of(kv[0][0]) == "ours"][:12]:
        lines.append(f"  {100 * count / n:5.1f} %  {short(func)}")
    lines.append("")
    lines.append("top 10 running functions (exclusive):")
    for func, count in leaves.most_common(10):
        lines.append(f"  {100 * count / n:5.1f} %  {group_of(func[0]):9}  {short(func)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help=f"pages to profile (default: all): {', '.join(PAGES)}")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--outlets", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", help="profile with this file instead of a synthetic one")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--timer", choices=["cpu", "wall"], default="cpu", help="cProfile: the script thread's CPU time or wall time"
    )
    parser.add_argument(
        "--first",
        action="store_true",
        help="cProfile the page's first run in a session (what a new visitor or new settings cost) instead",
    )
    parser.add_argument("--sample", action="store_true", help="sample the stack instead of using cProfile")
    parser.add_argument("--reruns", type=int, default=5, help="--sample: warm reruns to sample")
    parser.add_argument("--interval", type=float, default=0.001, help="--sample: seconds between samples")
    args = parser.parse_args(argv)
    pages = args.pages or PAGES
    unknown = {p for p in pages if page_and_query(p)[0] not in PAGES}
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}; choose from {', '.join(PAGES)}")
    data = Path(args.data).resolve() if args.data else synthetic_path(args.events, args.claims, args.outlets, args.seed)
    os.environ["DASHBOARD_DATA"] = str(data)
    print(f"dataset {data} ({data.stat().st_size / 1e6:.1f} MB); the first page loads it into the cache", flush=True)
    for page in pages:
        print()
        if args.sample:
            print(sample_page(page, args.top, args.reruns, args.interval), flush=True)
        else:
            print(cprofile_page(page, args.top, args.timer, args.first), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
