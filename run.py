#!/usr/bin/env python3
"""Set up and run Negotiating Table with nothing but Python 3.11+.

    python3 run.py dashboard [streamlit options]   # install if needed, then serve the app
    python3 run.py tests [pytest options]          # install if needed, then run the whole test suite
    python3 run.py tests tests/pages -x            # or a part of it, in one process

The whole suite runs on every core, with one worker more than cores (pytest-xdist; each worker
starts the app server and one browser once for its browser tests); a run given test paths, or -n,
runs as told.

Both keep a virtual environment in .venv, installed from the pinned
requirements files, and reinstall only when those files change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
REQUIREMENTS = {"dashboard": ROOT / "requirements.txt", "tests": ROOT / "requirements-test.txt"}


def ensure_environment(requirements: Path) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older Python
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating {VENV.relative_to(ROOT)} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{requirements.stem}-{digest}"
    if stamp.exists():
        return
    print(f"Installing {requirements.name} into {VENV.relative_to(ROOT)} ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(requirements)], check=True)
    stamp.touch()


# The whole suite in parallel: one worker per core and one more, since a browser test spends part of its
# time waiting (for the app to rerun, for a live room's refresh) and the extra worker fills those waits
# (on 2 cores: 4:54 against 5:19 with 2 workers). Tests are handed out as workers free up, but every test
# of an xdist_group (a browser module serving an app of its own) goes to the same worker.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
PARALLEL = ["-n", str(CORES + 1), "--dist", "loadgroup"]


def pytest_args(rest: list[str]) -> list[str]:
    """The whole suite runs in parallel; a run that names tests or says how to run (-n, --pdb, ...) runs as told."""
    told = any(
        a.startswith(("-n", "--numprocesses", "--dist", "--pdb", "--trace"))
        or a in ("-s", "no:xdist")
        or (not a.startswith("-") and (a == "tests" or a.startswith("tests/") or "::" in a or (ROOT / a).exists()))
        for a in rest
    )
    return rest if told else [*PARALLEL, *rest]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in REQUIREMENTS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment(REQUIREMENTS[command])
    if command == "dashboard":
        args = [str(PYTHON), "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"), *rest]
    else:
        args = [str(PYTHON), "-m", "pytest", *pytest_args(rest)]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
