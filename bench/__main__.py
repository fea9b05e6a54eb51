"""One way to run a benchmark: ``python -m bench NAME [options]``; ``python -m bench --list``.

Each benchmark is a script in this folder with its own ``--help``; this entry point names them, says
what each measures and its goal, and runs the chosen one with the remaining arguments, exactly as
``.venv/bin/python bench/SCRIPT.py [options]`` would. Run it from the repository root with the
virtual environment's Python (``.venv/bin/python -m bench ...``).
"""

from __future__ import annotations

import runpy
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    measures: str
    goal: str


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "load",
        "bench_load.py",
        "every default view and presenter step under 40 tabs, beside a one-line page; --fresh: a fresh "
        "server per row (the cold path: a class arriving at a server that has just started)",
        "p95 <= 1.5x the one-line page",
    ),
    Benchmark(
        "scale",
        "bench_scale.py",
        "loading, checking, frames and every page's reruns at 10,000 events / 50,000 claims",
        "warm rerun within the README's figures",
    ),
    Benchmark(
        "browser",
        "bench_browser.py",
        "a page drawn in headless Chromium, from navigation to its charts painted (--baseline: one-line page)",
        "within 2x the one-line page; the 10,000-event timeline within 3 s",
    ),
    Benchmark(
        "warm",
        "bench_warm.py",
        "what a fresh server costs: seconds to healthy, the first page while warming, memory",
        "health check and first page not delayed by warming",
    ),
    Benchmark("profile", "profile_rerun.py", "where a page's warm rerun goes", "none: a profile"),
    Benchmark(
        "upload",
        "bench_upload.py",
        "a class of 40 rerunning while visitors upload the largest allowed file",
        "class p95 <= 1.5x without uploads; server memory <= 600 MB",
    ),
    Benchmark("upload-memory", "mem_upload.py", "where an upload's memory goes (one visitor)", "none: a breakdown"),
    Benchmark(
        "room-class",
        "bench_room_class.py",
        "a live room: a projector and 40 phones playing the quiz or, --activity spot, Spot the framing "
        "(SQLite, PostgreSQL, --nginx, --faults)",
        "0 answers lost; projector refresh p95 within the README's target",
    ),
    Benchmark("room-refresh", "bench_room_refresh.py", "what one live refresh of a room page costs", "none: a cost"),
    Benchmark("room-store", "bench_rooms.py", "the room store alone: 40 students answer at the same instant", "0 lost"),
    Benchmark(
        "validate",
        "bench_validate.py",
        "the validator on a flood of bad records",
        "a bounded, located report within its budgets",
    ),
    Benchmark(
        "build-page",
        "bench_build_page.py",
        "each edit's rerun of the Build a story page with a draft of six articles",
        "each edit's rerun within 0.5 s (p95)",
    ),
    Benchmark(
        "builder",
        "bench_builder.py",
        "the story builder's suggestions on the five source texts, scored against the curated story",
        "quotes >= 95%, speaker >= 85% direct / 70% all, kind >= 80%, lexicon 100%/90%, scare quotes 90%, 2 s",
    ),
    Benchmark(
        "loadgen",
        "loadgen.py",
        "the load generator alone: many tabs on one deep link of a running server",
        "none: a tool",
    ),
    Benchmark("synth", "synth.py", "makes a valid synthetic dataset of any size", "none: a tool"),
)
BY_NAME = {b.name: b for b in BENCHMARKS}


def listing() -> str:
    width = max(len(b.name) for b in BENCHMARKS)
    rows = [f"{b.name:<{width}}  {b.measures}\n{'':<{width}}  goal: {b.goal}" for b in BENCHMARKS]
    return "python -m bench NAME [options]   (NAME --help for a benchmark's options)\n\n" + "\n".join(rows)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "--list"}:
        print(listing())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in BY_NAME:
        print(f"python -m bench: no benchmark named {name!r}.\n\n{listing()}", file=sys.stderr)
        return 2
    script = HERE / BY_NAME[name].script
    # The scripts import their siblings by name (``import loadgen``) and the app as ``dashboard``.
    for folder in (str(HERE.parent), str(HERE)):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    sys.argv = [str(script), *rest]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
