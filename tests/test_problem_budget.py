"""The budget on problems: past ``max_problems`` the check lists that many, says more exist, and stops working.

Each stage (the YAML reader, the record checks, the cross-references) must stop
once the budget is spent; these tests count the work each stage did rather than
time it. The targets on the 57 MB file are measured in bench/bench_validate.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from dataset_helpers import MINIMAL, REPO, edit, write_yaml

from dashboard.data import dataset as dataset_module
from dashboard.data.dataset import check_dataset

LOCATED = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
STOPPED = re.compile(r"^… and at least (\d+) more problems?; checking stopped at the limit of (\d+)$")


def with_bad_claims(n: int) -> str:
    """MINIMAL with ``n`` more claims, each with exactly three problems: no article, no speaker, a bad kind."""
    bad = "".join(f"  - {{id: bad{i}, kind: guess, quote: Words}}\n" for i in range(n))
    return edit(MINIMAL, "claims:\n", "claims:\n" + bad)


def with_unquoted_dates(n: int) -> str:
    """MINIMAL with ``n`` more events whose dates the YAML reader refuses (unquoted)."""
    bad = "".join(f"  - {{id: e{i}, title: T, summary: S, date: 2024-01-15, category: talks}}\n" for i in range(n))
    return edit(MINIMAL, "events:\n", "events:\n" + bad)


def with_unknown_articles(n: int) -> str:
    """MINIMAL with ``n`` more claims that pass the schema but each name an article that does not exist."""
    bad = "".join(
        f"  - {{id: ref{i}, article: nowhere{i}, quote: Q, speaker: narration, kind: narration}}\n" for i in range(n)
    )
    return edit(MINIMAL, "claims:\n", "claims:\n" + bad)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts of what the check did: YAML events read, records checked, references looked up."""
    counts = {"events": 0, "records": 0, "references": 0}
    parse = yaml.parse

    def counting_parse(*args: object, **kwargs: object) -> Iterator[object]:
        for event in parse(*args, **kwargs):
            counts["events"] += 1
            yield event

    def wrap(name: str, key: str) -> None:
        original = getattr(dataset_module._Checker, name)

        def counting(*args: object, **kwargs: object) -> object:
            counts[key] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(dataset_module._Checker, name, counting)

    monkeypatch.setattr(yaml, "parse", counting_parse)
    wrap("_check_record", "records")
    wrap("_ref", "references")
    return counts


def events_in(text: str) -> int:
    return sum(1 for _ in yaml.parse(text, Loader=yaml.CSafeLoader))


def test_exactly_the_limit_is_listed_in_full(tmp_path: Path):
    path = write_yaml(tmp_path, with_bad_claims(4))
    dataset, problems = check_dataset(path, max_problems=12)
    assert dataset is None
    assert len(problems) == 12 and problems.complete and problems.tail() is None
    assert sum("missing required field 'article'" in p.message for p in problems) == 4


def test_one_past_the_limit_stops_and_says_so(tmp_path: Path):
    path = write_yaml(tmp_path, with_bad_claims(4))
    _, everything = check_dataset(path, max_problems=100)
    dataset, problems = check_dataset(path, max_problems=11)
    assert dataset is None
    assert len(everything) == 12 and len(problems) == 11
    assert not problems.complete and problems.more == 1
    assert problems.tail() == "… and at least 1 more problem; checking stopped at the limit of 11"
    assert problems == sorted(problems)
    assert set(problems) <= set(everything)


def test_default_budget_is_200(tmp_path: Path):
    path = write_yaml(tmp_path, with_bad_claims(100))  # 300 problems
    _, problems = check_dataset(path)
    assert len(problems) == 200 and not problems.complete


def test_record_checks_stop_the_reading(tmp_path: Path, counted: dict[str, int]):
    text = with_bad_claims(20_000)  # 60,000 problems
    path = write_yaml(tmp_path, text)
    _, problems = check_dataset(path, max_problems=50)
    assert len(problems) == 50 and not problems.complete
    assert counted["records"] < 100  # of 20,000: about 17 records make 51 problems
    assert counted["events"] < events_in(text) // 100
    assert counted["references"] == 0  # the cross-references are never reached


def test_reader_problems_stop_the_reading(tmp_path: Path, counted: dict[str, int]):
    text = with_unquoted_dates(20_000)
    path = write_yaml(tmp_path, text)
    _, problems = check_dataset(path, max_problems=50)
    assert len(problems) == 50 and not problems.complete
    assert any("unquoted date 2024-01-15" in p.message for p in problems)
    assert counted["events"] < events_in(text) // 100


def test_cross_reference_checks_stop(tmp_path: Path, counted: dict[str, int]):
    path = write_yaml(tmp_path, with_unknown_articles(5_000))
    _, problems = check_dataset(path, max_problems=50)
    assert len(problems) == 50 and not problems.complete
    assert any("unknown article 'nowhere" in p.message for p in problems)
    assert counted["records"] > 5_000  # every record had to be read and checked: the references come after
    assert counted["references"] < 200  # of more than 5,000


def run_validator(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    return result, time.monotonic() - started


def test_cli_on_a_flood_lists_the_limit_and_one_more_line(tmp_path: Path):
    path = write_yaml(tmp_path, with_bad_claims(60_000))  # about 2.8 MB, 180,000 problems
    assert path.stat().st_size > 2_000_000
    result, elapsed = run_validator(str(path), "--max-problems", "40")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) + len(result.stderr.splitlines()) <= 40 + 2
    located = [LOCATED.match(line) for line in lines[:-1]]
    assert len(located) == 40 and all(located), lines
    positions = [(int(m["line"]), int(m["col"])) for m in located]
    assert positions == sorted(positions)
    assert STOPPED.match(lines[-1]) and STOPPED.match(lines[-1])[2] == "40", lines[-1]
    assert result.stderr.strip() == f"{path}: at least 41 problems; checking stopped (--max-problems N lists more)"
    assert elapsed < 120  # generous: start-up and imports take seconds; all 60,000 records took far longer


def test_cli_under_the_limit_lists_every_problem(tmp_path: Path):
    path = write_yaml(tmp_path, with_bad_claims(2))
    result, _ = run_validator(str(path), "--max-problems", "6")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 6 and all(LOCATED.match(line) for line in lines)
    assert result.stderr.strip() == f"{path}: 6 problem(s)"


@pytest.mark.parametrize(
    ("value", "words"),
    [("0", "must be at least 1, not 0"), ("-3", "must be at least 1, not -3"), ("lots", "expected a whole number")],
)
def test_a_bad_max_problems_is_a_usage_error(value: str, words: str):
    result, _ = run_validator(f"--max-problems={value}")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"argument --max-problems: {words}" in result.stderr
