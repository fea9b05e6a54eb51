"""How the dashboard holds up on a large dataset: loading, checking, frames, and every page's reruns.

    python bench/bench_scale.py [--events 10000 --claims 50000] [--outlets 6] [--seed 1]
    python bench/bench_scale.py --data data/events.yaml          # the real dataset, for comparison

Generates the synthetic file with bench/synth.py (cached under bench/.cache/,
keyed by the sizes, the seed and the generator's own source), then measures,
as the median of several runs, wall-clock and CPU time of:

- the floor: PyYAML's ``yaml.load(text, Loader=yaml.CSafeLoader)`` on the same text;
- ``check_dataset(path)`` (read + validate; broken down into its stages);
- ``build_tables`` and ``outlet_metrics``;
- load + validate + frames, what the app's cached loader does on a first visit;
- each page's first run and warm rerun through ``streamlit.testing.v1.AppTest``
  (in a fresh interpreter, with ``DASHBOARD_DATA`` pointing at the file), and
  the same for a one-line Streamlit page as the floor of any rerun. The
  server's ``gc.collect(2)`` after every run, which AppTest leaves out, is
  added back (``--no-post-gc`` to leave it out).

Targets: load + validate + frames <= 3x the CSafeLoader parse; every page's
warm rerun <= 1 s. Each is printed as PASS or FAIL with its numbers. CPU times
are printed beside wall times because a shared machine's wall clock includes
time spent waiting for a core; the load average before and after is printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
APP = ROOT / "dashboard" / "app.py"
ONELINE = BENCH / "oneline_app.py"
CACHE = BENCH / ".cache"
for p in (ROOT, BENCH):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from dashboard.views import VIEWS  # noqa: E402 - the project folder is put on sys.path just above

PAGES = [v.id for v in VIEWS]
LOAD_RATIO_TARGET = 3.0
RERUN_TARGET_S = 1.0


# -- the dataset ----------------------------------------------------------------------------------
def synthetic_path(events: int, claims: int, outlets: int, seed: int, regen: bool = False) -> Path:
    """The cached synthetic file for these sizes.

    Regenerated when the generator, the real file (whose lexicon it reuses) or
    dashboard/data/text.py (which decides what the lexicon matches) changes.
    """
    digest = hashlib.sha256()
    for source in (BENCH / "synth.py", ROOT / "data" / "events.yaml", ROOT / "dashboard" / "data" / "text.py"):
        digest.update(source.read_bytes())
    name = f"synth-e{events}-c{claims}-o{outlets}-s{seed}-{digest.hexdigest()[:10]}.yaml"
    path = CACHE / name
    if regen or not path.exists():
        import synth

        CACHE.mkdir(exist_ok=True)
        started = time.perf_counter()
        text = synth.generate(events, claims, outlets, seed)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        print(f"generated {path.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s", flush=True)
    else:
        print(f"reusing {path.relative_to(ROOT)}", flush=True)
    return path


# -- timing ---------------------------------------------------------------------------------------
class Timed:
    """Wall and CPU seconds of each run of one measurement."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.wall) if self.wall else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    def as_dict(self) -> dict[str, Any]:
        return {"wall": self.wall, "cpu": self.cpu, "median": self.median, "cpu_median": self.cpu_median}


def timed(record: Timed, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    record.add(time.perf_counter() - wall, time.process_time() - cpu)
    return result


def machine() -> dict[str, str]:
    import pandas
    import plotly
    import pydantic
    import streamlit
    import yaml

    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "pandas": pandas.__version__,
        "plotly": plotly.__version__,
        "pyyaml": f"{yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'})",
        "pydantic": pydantic.__version__,
        "code": code_version(),
    }


def code_version() -> str:
    """The commit measured, and whether dashboard/ had uncommitted changes (others may be editing it)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "dashboard"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    digest = hashlib.sha256()
    for source in sorted((ROOT / "dashboard").rglob("*.py")):
        digest.update(source.read_bytes())
    dirty = [line for line in changed if line.strip()]
    state = f"{len(dirty)} uncommitted file(s) in dashboard/" if dirty else "clean"
    return f"{head}, {state}; dashboard/*.py sha256 {digest.hexdigest()[:10]}"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# -- load, validate, frames -----------------------------------------------------------------------
def measure_load(path: Path, runs: int) -> dict[str, Any]:
    import yaml

    from dashboard.data import checks
    from dashboard.data import dataset as dataset_module
    from dashboard.data.frames import build_tables
    from dashboard.data.metrics import outlet_metrics

    # Time check_dataset's stages by wrapping them (a few calls each, so the wrappers cost nothing).
    stages: dict[str, Timed] = {}
    stage_runs: dict[str, tuple[float, float]] = {}

    def wrap(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                before = stage_runs.get(label, (0.0, 0.0))
                stage_runs[label] = (
                    before[0] + time.perf_counter() - wall,
                    before[1] + time.process_time() - cpu,
                )

        setattr(owner, name, wrapper)

    wrap(dataset_module, "read_yaml", "read_yaml (event-stream reader)")
    wrap(checks._Checker, "run", "_Checker.run (pydantic + references)")
    wrap(checks._Checker, "_check_references", "_Checker._check_references")

    text = path.read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    results = {name: Timed() for name in ("floor", "check_dataset", "build_tables", "outlet_metrics", "total")}
    for run in range(runs):
        gc.collect()
        timed(results["floor"], yaml.load, text, Loader=yaml.CSafeLoader)
        gc.collect()
        stage_runs.clear()
        ds, problems = timed(results["check_dataset"], dataset_module.check_dataset, path)
        if ds is None:
            shown = "\n  ".join(map(str, problems[:5]))
            print(f"{path}: {len(problems)} problem(s); the first:\n  {shown}", file=sys.stderr)
            print("A synthetic file the checker rejects: regenerate it with --regen, or fix bench/synth.py.")
            raise SystemExit(1)
        counts = ds.counts()
        for label, (wall, cpu) in stage_runs.items():
            stages.setdefault(label, Timed()).add(wall, cpu)
        gc.collect()
        tables = timed(results["build_tables"], build_tables, ds)
        timed(results["outlet_metrics"], outlet_metrics, tables)
        results["total"].add(
            results["check_dataset"].wall[-1] + results["build_tables"].wall[-1],
            results["check_dataset"].cpu[-1] + results["build_tables"].cpu[-1],
        )
        print(
            f"  load run {run + 1}/{runs}: floor {results['floor'].wall[-1]:.2f} s, check_dataset "
            f"{results['check_dataset'].wall[-1]:.2f} s, build_tables {results['build_tables'].wall[-1]:.2f} s",
            flush=True,
        )
        del ds, tables
    out = {name: t.as_dict() for name, t in results.items()}
    out["counts"] = counts
    out["stages"] = {label: t.as_dict() for label, t in stages.items()}
    return out


# -- pages (run in a fresh interpreter) -------------------------------------------------------------
def _msg_sizes() -> list[int]:
    """Record the bytes of the messages each AppTest run produces (what a browser would be sent)."""
    from streamlit.testing.v1 import local_script_runner

    sizes: list[int] = []
    original = local_script_runner.parse_tree_from_messages

    def parse(messages: list[Any]) -> Any:
        sizes.append(sum(m.ByteSize() for m in messages))
        return original(messages)

    local_script_runner.parse_tree_from_messages = parse
    return sizes


def _emulate_post_script_gc() -> bool:
    """Make AppTest collect garbage after each run, as the server does and AppTest does not.

    Streamlit's server runs ``gc.collect(2)`` at the end of every script run
    (``runner.postScriptGC``, on by default) in ``ScriptRunner._on_script_finished``;
    AppTest's ``LocalScriptRunner`` overrides that method without it. A full
    collection walks every tracked object, so with a large dataset in memory it
    is part of what every rerun costs. Returns whether the emulation is on.
    """
    import gc as gc_module

    from streamlit import config
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    if not config.get_option("runner.postScriptGC"):
        return False
    original = LocalScriptRunner._on_script_finished

    def finished(self: Any, *args: Any, **kwargs: Any) -> None:
        gc_module.collect(2)  # before the finish event, so the run's time includes it, as on the server
        original(self, *args, **kwargs)

    LocalScriptRunner._on_script_finished = finished
    return True


def pages_worker(data: Path, pages: list[str], runs: int, post_gc: bool = True) -> dict[str, Any]:
    os.environ["DASHBOARD_DATA"] = str(data)
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    sizes = _msg_sizes()
    post_gc = _emulate_post_script_gc() if post_gc else False
    timeout = 1800
    out: dict[str, Any] = {"post_script_gc": post_gc}

    def problems(at: AppTest) -> list[str]:
        return [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]

    # The floor: a one-line page.
    floor_first, floor_warm = Timed(), Timed()
    at = AppTest.from_file(str(ONELINE), default_timeout=timeout)
    timed(floor_first, at.run)
    for _ in range(runs):
        timed(floor_warm, at.run)
    out["oneline"] = {"first": floor_first.as_dict(), "warm": floor_warm.as_dict(), "bytes": sizes[-1]}

    # The first visitor: imports, loading the dataset into the cache, and the default page.
    cold = Timed()
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    timed(cold, at.run)
    out["cold_start"] = {"time": cold.as_dict(), "problems": problems(at)}

    for page in pages:
        first, warm = Timed(), Timed()
        at = AppTest.from_file(str(APP), default_timeout=timeout)
        at.run()  # a new session lands on the default page; the dataset is already cached
        at._page_hash = calc_hash(page)  # pages are callables: AppTest switches by file only
        timed(first, at.run)
        first_bytes = sizes[-1]
        for _ in range(runs):
            timed(warm, at.run)
        out[page] = {
            "first": first.as_dict(),
            "warm": warm.as_dict(),
            "bytes": first_bytes,
            "warm_bytes": sizes[-1],
            "problems": problems(at),
        }
        print(
            f"  page {page}: first {first.median:.2f} s, warm {warm.median:.2f} s (cpu {warm.cpu_median:.2f} s)",
            file=sys.stderr,
            flush=True,
        )
    return out


def measure_pages(data: Path, pages: list[str], runs: int, post_gc: bool = True) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--_pages-worker", "--data", str(data), "--page-runs", str(runs)]
    cmd += ["--pages", ",".join(pages)] + ([] if post_gc else ["--no-post-gc"])
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"page worker failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- report ---------------------------------------------------------------------------------------
def fmt_s(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def verdicts(wall: float, cpu: float, target: float, unit: str) -> str:
    """PASS or FAIL on the wall-clock figure (what a visitor waits), with the CPU figure's verdict beside it."""

    def one(value: float) -> str:
        if value <= target:
            return "PASS"
        return f"FAIL by {value - target:.3f} {unit}" if unit == "s" else f"FAIL by {value / target:.2f}x"

    return f"{one(wall)} (wall); cpu: {one(cpu)}"


def report(
    info: dict[str, str], data: Path, load: dict[str, Any] | None, pages: dict[str, Any] | None, before: str
) -> bool:
    ok = True
    print()
    print("## Machine")
    for key, value in info.items():
        print(f"  {key:10} {value}")
    print(f"  {'load avg':10} {before} before, {loadavg()} after (1, 5, 15 min)")
    print()
    size = data.stat().st_size
    print(f"## Dataset: {data} ({size / 1e6:.1f} MB)")
    if load:
        print("  " + ", ".join(f"{n} {name}" for name, n in load["counts"].items()))
        print()
        print(f"## Load, validate, frames (median of {len(load['floor']['wall'])} runs)")
        print(f"  {'step':56} {'wall':>10} {'cpu':>10}")
        rows = [
            ("file size", None),
            ("floor: yaml.load(text, Loader=yaml.CSafeLoader)", "floor"),
            ("check_dataset(path)  (read + validate)", "check_dataset"),
            ("build_tables(dataset)", "build_tables"),
            ("outlet_metrics(tables)", "outlet_metrics"),
            ("load + validate + frames (check_dataset + build_tables)", "total"),
        ]
        for label, key in rows:
            if key is None:
                print(f"  {label:56} {size / 1e6:>8.1f} MB")
                continue
            print(f"  {label:56} {fmt_s(load[key]['median']):>10} {fmt_s(load[key]['cpu_median']):>10}")
        print("  check_dataset's stages:")
        stages = load["stages"]
        for label, t in stages.items():
            print(f"    {label:52} {fmt_s(t['median']):>10} {fmt_s(t['cpu_median']):>10}")
        run, refs = stages.get("_Checker.run (pydantic + references)"), stages.get("_Checker._check_references")
        if run and refs:
            label = "  of which pydantic (run minus references)"
            wall, cpu = run["median"] - refs["median"], run["cpu_median"] - refs["cpu_median"]
            print(f"    {label:52} {fmt_s(wall):>10} {fmt_s(cpu):>10}")
        ratio = load["total"]["median"] / load["floor"]["median"]
        cpu_ratio = load["total"]["cpu_median"] / load["floor"]["cpu_median"]
        ok &= ratio <= LOAD_RATIO_TARGET
        print(
            f"  ratio total/floor: {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu (target <= {LOAD_RATIO_TARGET:g}x): "
            + verdicts(ratio, cpu_ratio, LOAD_RATIO_TARGET, "x")
        )
    if pages:
        print()
        runs = len(pages["oneline"]["warm"]["wall"])
        print(f"## Pages through AppTest (first run, then the median of {runs} warm reruns)")
        gc_note = "included, as the server runs it" if pages.get("post_script_gc") else "NOT included (--no-post-gc)"
        print(f"  Streamlit's gc.collect(2) after each run: {gc_note}")
        cold = pages["cold_start"]
        print(f"  first visitor (imports + load into cache + overview): {fmt_s(cold['time']['median'])}")
        print(f"  {'page':18} {'first':>10} {'warm':>10} {'warm cpu':>10} {'sent':>9}  warm <= {RERUN_TARGET_S:g} s")
        for page in ["oneline", *[p for p in PAGES if p in pages]]:
            r = pages[page]
            warm = r["warm"]["median"]
            label = "one-line (floor)" if page == "oneline" else page
            verdict = ""
            if page != "oneline":
                passed = warm <= RERUN_TARGET_S and not r["problems"]
                ok &= passed
                verdict = verdicts(warm, r["warm"]["cpu_median"], RERUN_TARGET_S, "s")
                if r["problems"]:
                    verdict += f"  errors: {r['problems'][:2]}"
            print(
                f"  {label:18} {fmt_s(r['first']['median']):>10} {fmt_s(warm):>10} "
                f"{fmt_s(r['warm']['cpu_median']):>10} {r.get('warm_bytes', r['bytes']) / 1e6:>6.2f} MB  {verdict}"
            )
        print("  sent: bytes of the messages a warm rerun produces, what a browser would be sent each time")
        if cold["problems"]:
            print(f"  errors on first visit: {cold['problems'][:2]}")
            ok = False
    print()
    print("ALL TARGETS PASS" if ok else "SOME TARGETS FAIL")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--outlets", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", help="measure this file instead of a synthetic one (e.g. data/events.yaml)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each load measurement (median)")
    parser.add_argument("--page-runs", type=int, default=5, help="warm reruns of each page (median)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated pages to run")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument(
        "--no-post-gc",
        action="store_true",
        help="do not add the server's gc.collect(2) after each page run (AppTest leaves it out)",
    )
    parser.add_argument("--regen", action="store_true", help="generate the synthetic file even if it is cached")
    parser.add_argument("--json", help="also write every measurement to this file")
    parser.add_argument("--_pages-worker", dest="pages_worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}; choose from {', '.join(PAGES)}")

    if args.pages_worker:
        result = pages_worker(Path(args.data), pages, args.page_runs, not args.no_post_gc)
        print(json.dumps(result))
        return 0

    before = loadavg()
    info = machine()
    data = (
        Path(args.data).resolve()
        if args.data
        else synthetic_path(args.events, args.claims, args.outlets, args.seed, args.regen)
    )
    load = None if args.skip_load else measure_load(data, args.runs)
    page_results = None
    if not args.skip_pages:
        print("running pages in a fresh interpreter…", flush=True)
        page_results = measure_pages(data, pages, args.page_runs, not args.no_post_gc)
    ok = report(info, data, load, page_results, before)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"machine": info, "data": str(data), "load": load, "pages": page_results}, indent=1)
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
