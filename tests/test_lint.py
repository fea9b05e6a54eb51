"""The tree is ruff-clean: ``ruff check`` and ``ruff format --check`` pass with the settings in pyproject.toml.

Lint runs as a test rather than as a separate step of .ci/run, so that ``python3 run.py tests`` stays
the one command that says whether the project is good: what the README tells a contributor to run is
exactly what CI runs. ruff comes from requirements-test.txt, so it is in the same virtual environment.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from dataset_helpers import REPO


@pytest.mark.parametrize(
    "command",
    [["check", "--output-format", "concise"], ["format", "--check"]],
    ids=["ruff-check", "ruff-format"],
)
def test_the_tree_is_ruff_clean(command: list[str]):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--no-cache", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    fix = "ruff check --fix ." if command[0] == "check" else "ruff format ."
    assert result.returncode == 0, f"{result.stdout}{result.stderr}\n(run `.venv/bin/{fix}` to fix what it can)"
