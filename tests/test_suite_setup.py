"""How the suite itself runs: Hypothesis' profiles, and the parallel run of ``python3 run.py tests``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
from hypothesis import settings
from strategies import examples

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run.py sits beside tests/, outside the package

import run  # noqa: E402


@pytest.fixture
def profile() -> Iterator[Callable[[str], None]]:
    """Load a profile for one test and put the session's back afterwards."""
    before = settings.get_current_profile_name()
    yield settings.load_profile
    settings.load_profile(before)


def test_the_session_runs_the_profile_asked_for_or_dev(request: pytest.FixtureRequest) -> None:
    asked = request.config.getoption("--hypothesis-profile", default=None)
    assert settings.get_current_profile_name() == (asked or "dev")


def test_dev_runs_a_quarter_of_each_tests_examples_and_ci_all_of_them(profile) -> None:
    profile("dev")
    assert [examples(n) for n in (150, 80, 30, 6)] == [38, 20, 8, 2]
    profile("ci")
    assert [examples(n) for n in (150, 80, 30, 6)] == [150, 80, 30, 6]
    assert settings.default.derandomize and settings.default.database is None  # Hypothesis' own CI settings


@pytest.mark.parametrize(
    ("given", "parallel"),
    [
        ([], True),
        (["-q", "-x", "--durations=40"], True),
        (["-p", "no:cacheprovider"], True),  # .ci/run's
        (["-k", "tests_of_links"], True),  # a keyword is no path
        (["tests/pages", "-x"], False),
        (["tests"], False),
        (["tests/test_links.py::test_bad_values_in_notices_are_shortened"], False),
        (["-n", "0"], False),
        (["-n4"], False),
        (["-p", "no:xdist"], False),
        (["--pdb"], False),
        (["-s"], False),
    ],
)
def test_run_py_runs_the_whole_suite_in_parallel_and_a_part_as_told(given: list[str], parallel: bool) -> None:
    args = run.pytest_args(given)
    assert args == ([*run.PARALLEL, *given] if parallel else given)


def test_every_folder_of_tests_is_collected_by_the_whole_run(pytestconfig: pytest.Config) -> None:
    """pytest skips folders matching ``norecursedirs`` (its default names ``build`` and ``dist``) without a
    word: a folder of tests so named would never run in ``python3 run.py tests``."""
    skipped = pytestconfig.getini("norecursedirs")
    folders = {p.parent.relative_to(REPO / "tests") for p in (REPO / "tests").rglob("test_*.py")}
    folders = {f for f in folders if "node_modules" not in f.parts}
    hidden = sorted(str(f) for f in folders if any(fnmatch(part, pat) for part in f.parts for pat in skipped))
    assert hidden == [], f"these folders of tests are never collected (norecursedirs {skipped}): {hidden}"
