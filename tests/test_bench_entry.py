"""``python -m bench``: one entry point names every benchmark script and runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_every_runnable_script_in_bench_is_listed() -> None:
    runnable = {p.name for p in BENCH.glob("*.py") if 'if __name__ == "__main__":' in p.read_text()}
    runnable.discard("__main__.py")
    sys.path.insert(0, str(REPO))
    try:
        from bench.__main__ import BENCHMARKS
    finally:
        sys.path.remove(str(REPO))
    assert runnable == {b.script for b in BENCHMARKS}, "a script in bench/ is missing from python -m bench"
    listed = _bench("--list")
    assert listed.returncode == 0
    for b in BENCHMARKS:
        assert b.name in listed.stdout and b.goal in listed.stdout


def test_a_benchmark_runs_from_the_entry_point_with_its_own_options() -> None:
    out = _bench("synth", "--help")
    assert out.returncode == 0, out.stderr
    assert "--events" in out.stdout


def test_an_unknown_name_is_refused_with_the_list() -> None:
    out = _bench("nope")
    assert out.returncode == 2
    assert "no benchmark named 'nope'" in out.stderr and "load" in out.stderr
