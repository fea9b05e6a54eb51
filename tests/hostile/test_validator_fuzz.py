"""Fuzz the dataset checker and its CLI: whatever the file holds, the answer is located problems, quickly.

``check_dataset`` must never raise, must return a dataset exactly when it
reports no problem, and must point every problem at ``NAME:LINE:COL``; the CLI
(``python -m dashboard.validate``) must exit 0 or 1, never 2 (its "internal
error"), never print a traceback, and survive alias bombs and deep nesting
within a 1 GiB address space.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import examples

from dashboard.data import schema as s
from dashboard.data.dataset import Dataset, check_dataset
from dashboard.data.located import Problem
from dashboard.data.yaml_reader import Budgets

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "events.yaml"
REAL = DATA.read_text(encoding="utf-8")  # mutated at random: any content will do, valid or not
REAL_LINES = REAL.splitlines(keepends=True)
# Where a case edits a particular record, it edits the classroom fixture, which no editor touches.
STORY = (REPO / "tests" / "classroom" / "classroom.yaml").read_text(encoding="utf-8")
NAME = "fuzz.yaml"
LOCATED = re.compile(r"fuzz\.yaml:\d+:\d+: .+")
TIGHT = Budgets(max_seconds=2.0)
SLOW = "reading took longer than"
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "0"))  # 0: each test's own default


def fuzz(n: int) -> settings:
    return settings(
        max_examples=EXAMPLES or examples(n),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def check(data: bytes | str, budgets: Budgets | None = None, **kwargs: Any) -> tuple[Dataset | None, list[Problem]]:
    """check_dataset with every promise of its contract asserted."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    dataset, problems = check_dataset(data=raw, name=NAME, budgets=budgets, **kwargs)
    assert (dataset is None) == bool(problems), "a dataset comes back exactly when there is no problem"
    try:
        lines = len(raw.decode("utf-8").splitlines()) + 1  # YAML also breaks lines at \r, \x85, \u2028 ...
    except UnicodeDecodeError:
        lines = raw.count(b"\n") + 1
    for p in problems:
        assert LOCATED.fullmatch(str(p)), f"not one located line: {str(p)[:300]!r}"
        assert 1 <= p.line <= lines + 1 and p.col >= 1, (p.line, p.col, lines)
    return dataset, problems


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    wall, cpu = time.monotonic(), time.process_time()
    result = fn()
    return result, time.monotonic() - wall, time.process_time() - cpu


# -- (a) random YAML documents -------------------------------------------------------------------
FIELDS = sorted({f.alias or n for model, _ in s.SECTIONS.values() for n, f in model.model_fields.items()})
TRICKY = ["NO", "yes", "on", "2019-05-22", "1:20", "0777", "1_000", "~", "null", ".inf", ".nan", "unknown"]
TRICKY += ["narration", "unnamed", "<script>alert(1)</script>", "ſanctions", "İ", "\u202e", "\x00", "a\nb", "#", "&a"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(TRICKY),
)
keys = st.one_of(
    st.sampled_from(["schema_version", "meta", "<<", *s.SECTIONS, *FIELDS]),
    st.text(max_size=10),
    st.integers(),
    st.booleans(),
    st.none(),
)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30,
)
# Shaped like a dataset, so the checker gets past "not a mapping" into records and references.
records = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), documents, max_size=6)
datasets = st.fixed_dictionaries(
    {"schema_version": st.just(1) | scalars},
    optional={"meta": records, **{name: st.lists(records, max_size=3) | documents for name in s.SECTIONS}},
)


@fuzz(80)
@given(doc=documents | datasets, unicode=st.booleans(), flow=st.sampled_from([None, True, False]))
def test_random_yaml_documents_get_located_problems(doc: object, unicode: bool, flow: bool | None) -> None:
    text = yaml.safe_dump(doc, allow_unicode=unicode, default_flow_style=flow, sort_keys=False)
    dataset, problems = check(text)
    assert dataset is None and problems  # none of these is a complete dataset


# -- (a) mutations of the real file ----------------------------------------------------------------
INSERTS = ["\t", ": ", "- ", "&a ", "*a ", "!!python/name:os.system ", "{", "[", '"', "'", "#", "%", "@", "`"]
INSERTS += ["|", ">", "\x00", "\ufeff", "ſ", "İ", "\u2028", "<<: *a", "? ", "---\n", "...\n", "\\", "🗂️"]


@st.composite
def mutated_real_file(draw: st.DrawFn) -> bytes:
    lines = list(REAL_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "insert"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            col = draw(st.integers(0, len(lines[i])))
            junk = draw(st.sampled_from(INSERTS) | st.text(min_size=1, max_size=4))
            lines[i] = lines[i][:col] + junk + lines[i][col:]
    raw = "".join(lines).encode("utf-8")
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]  # may cut a UTF-8 sequence in two
    return raw


@fuzz(30)
@given(raw=mutated_real_file())
def test_mutations_of_the_real_file_get_located_problems(raw: bytes) -> None:
    check(raw)


# -- (b) random bytes ------------------------------------------------------------------------------
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xef\xbb\xbf" * 2]


@fuzz(80)
@given(bom=st.sampled_from(BOMS), body=st.binary(max_size=400) | st.sampled_from([b"\x00", b"\xc3", b"\xed\xa0\x80"]))
def test_random_bytes_get_located_problems(bom: bytes, body: bytes) -> None:
    check(bom + body)


@fuzz(40)
@given(at=st.integers(0, len(REAL.encode("utf-8"))), junk=st.binary(min_size=1, max_size=8))
def test_bytes_spliced_into_the_real_file_get_located_problems(at: int, junk: bytes) -> None:
    raw = REAL.encode("utf-8")
    check(raw[:at] + junk + raw[at:])


# -- (c) hostile constructs, with a 2-second budget ---------------------------------------------------
def laughs(depth: int, width: int) -> str:
    lines = ['l0: &l0 "lol"']
    lines += [f"l{d}: &l{d} [{', '.join([f'*l{d - 1}'] * width)}]" for d in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


def nested_block(depth: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x\n"


def with_real(extra: str) -> str:
    return REAL + extra


def story_with(old: str, new: str, count: int = 1) -> str:
    assert old in STORY
    return STORY.replace(old, new, count)


PYTHON_TAGS = [
    '!!python/object/apply:os.system ["touch /tmp/nt-hostile-pwned"]\n',
    "x: !!python/object/apply:subprocess.check_output [[touch, /tmp/nt-hostile-pwned]]\n",
    "x: !!python/object/new:os.system {args: [touch /tmp/nt-hostile-pwned]}\n",
    "x: !!python/name:os.system ''\n",
    "x: !!python/str abc\n",
    "x: !<tag:yaml.org,2002:python/object/apply:os.system> [touch /tmp/nt-hostile-pwned]\n",
    "!!python/object:dashboard.data.dataset.Dataset {source: x}\n",
]
HOSTILE: dict[str, tuple[Callable[[], str | bytes], str | None]] = {
    "laughs-3x10": (lambda: laughs(3, 10), "unknown section"),
    "laughs-9x10": (lambda: laughs(9, 10), "aliases counted expanded"),
    "laughs-30x2": (lambda: laughs(30, 2), "aliases counted expanded"),
    "laughs-in-real-file": (lambda: with_real(laughs(9, 10)), "aliases counted expanded"),
    "many-aliases": (lambda: "a: &a x\nb: [" + "*a, " * 5000 + "]\n", "aliases (*name)"),
    "undefined-alias": (lambda: "schema_version: *nope\n", "refers to no anchor"),
    "self-alias": (lambda: "a: &a [1, *a]\n", "refers to no anchor"),
    "flow-nesting-1e5": (lambda: "[" * 100_000 + "]" * 100_000, "nesting is deeper than"),
    "flow-map-nesting-1e5": (lambda: "{a: " * 100_000 + "1" + "}" * 100_000, "nesting is deeper than"),
    "unclosed-nesting-1e5": (lambda: "[" * 100_000, "nesting is deeper than"),
    "compact-seq-nesting": (lambda: "- " * 10_000 + "x\n", "nesting is deeper than"),
    "block-nesting-500": (lambda: nested_block(500), "nesting is deeper than"),
    "huge-scalar-under-budget": (lambda: 'x: "' + "a" * (4 * 2**20 - 16) + '"\n', "unknown section"),
    "huge-key-under-budget": (lambda: "? " + "a" * (4 * 2**20 - 16) + "\n: 1\n", "unknown section"),
    "huge-scalar-over-budget": (lambda: "x: " + "a" * (64 * 2**20), "the limit is"),
    "huge-integer": (lambda: "schema_version: 1" + "0" * 5000 + "\n", "digits is too long"),
    "huge-tagged-integer": (lambda: "schema_version: !!int " + "1" * 5000 + "\n", "is not a valid !!int"),
    "underscored-number": (lambda: "x: 1" + "_" * 200_000 + "x\n", "unknown section"),
    "many-keys": (lambda: "".join(f"k{i}: {i}\n" for i in range(30_000)), "unknown section 'k29999'"),
    "many-unknown-refs": (
        lambda: story_with(
            "\nactors:\n",
            "\nactors:\n" + "".join(f"  - {{id: x{i}, name: n, camp: no{i}, type: person}}\n" for i in range(3_000)),
        ),
        "unknown camp 'no2999'",
    ),
    "long-id-list": (
        lambda: story_with("    actors: [", "    actors: [" + ", ".join(f"a{i}" for i in range(40_000)) + ", "),
        "unknown actor 'a39999'",
    ),
    **{f"python-tag-{i}": (lambda t=t: t, "would build a Python object") for i, t in enumerate(PYTHON_TAGS)},
    "binary": (lambda: "x: !!binary aGVsbG8=\n", "tag !!binary is not allowed here"),
    "set": (lambda: "x: !!set {a, b}\n", "tag !!set is not allowed here"),
    "omap": (lambda: "x: !!omap [a: 1]\n", "tag !!omap is not allowed here"),
    "local-tag": (lambda: "x: !evil 1\n", "tag !evil is not allowed"),
    "anchor-on-key": (lambda: "&k a: 1\n*k : 2\n", "duplicate key 'a'"),
    "complex-key": (lambda: "? [a]\n: b\n", "a mapping key must be a plain value"),
    "complex-flow-key": (lambda: "{[a, b]: c, {d: e}: f}\n", "a mapping key must be a plain value"),
    "merge-key": (lambda: "base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys (<<) are not supported"),
    "merge-in-real-file": (
        lambda: story_with("  - {id: alba,", "  - {<<: {}, id: alba,"),
        "<<",
    ),
    "two-documents": (lambda: "a: 1\n---\nb: 2\n", "more than one YAML document"),
    "many-documents": (lambda: "---\n" * 10_000, "more than one YAML document"),
    "real-file-twice": (lambda: REAL + "\n---\n" + REAL, "more than one YAML document"),
    "tabs": (lambda: "meta:\n\ttitle: x\n", "malformed YAML"),
    "yaml-1.1-directive": (lambda: "%YAML 1.1\n---\n" + REAL, None),
    "yaml-2-directive": (lambda: "%YAML 2.0\n---\na: 1\n", "malformed YAML"),
    "tag-directive": (lambda: "%TAG ! tag:evil.example,2000:\n--- !doc\na: !x 1\n", "is not allowed"),
    "unknown-directive": (lambda: "%EVIL x\n---\na: 1\n", None),
    "nul-in-middle": (lambda: story_with("meta:", "meta:\x00"), "malformed YAML"),
    "bom-in-middle": (lambda: story_with("meta:", "\ufeffmeta:"), None),
    "escape-codes": (lambda: 'x: "\\e[31mred\\e[0m\\x07"\n', "control character"),
    "line-separators": (lambda: '"a\\Lb\\Pc\\nd": 1\n', "unknown section"),
    "surrogate-escape": (lambda: 'x: "\\ud800"\n', "malformed YAML"),
    "long-line-flow": (lambda: "{" + ", ".join(f"k{i}: v" for i in range(50_000)) + "}", "unknown section"),
    "dotless-i-and-long-s-in-quotes": (
        lambda: "\n".join(
            re.sub(r"regime|dictator|strongman", lambda m: m[0].replace("i", "ı").replace("s", "ſ"), line)
            if line.lstrip().startswith("quote:")
            else line
            for line in STORY.split("\n")
        ),
        "loaded_terms not found in the quote",
    ),
    "spaces-after-scare-quote": (
        lambda: story_with("the “dialogue” in May", "the “dialogue" + " " * 19_000 + "x in May"),
        None,
    ),
}


# Floods of problems: with the problem budget lifted, the checker must still reach the last one quickly
# (it is linear); with the default budget it stops early (test_the_problem_budget_stops_a_flood).
FLOODS = {"many-keys", "many-unknown-refs", "long-id-list"}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_constructs_end_quickly_with_located_problems(name: str) -> None:
    make, expected = HOSTILE[name]
    data = make()
    unlimited = {"max_problems": 10**6} if name in FLOODS else {}
    (dataset, problems), wall, cpu = timed(lambda: check(data, TIGHT, **unlimited))
    assert cpu < 10 and wall < 60, f"took {cpu:.1f} s of CPU ({wall:.1f} s)"
    if expected is not None:  # (the others may even be valid: a directive, a BOM, a long run of spaces)
        assert dataset is None
        # A loaded machine may hit the (wall-clock) reading budget first: also a located stop.
        assert any(expected in p.message or p.message.startswith(SLOW) for p in problems), [
            str(p)[:200] for p in problems[:10]
        ]
    assert not Path("/tmp/nt-hostile-pwned").exists()


@pytest.mark.parametrize("name", sorted(FLOODS))
def test_the_problem_budget_stops_a_flood(name: str) -> None:
    (dataset, problems), _, cpu = timed(lambda: check(HOSTILE[name][0](), TIGHT, max_problems=50))
    assert dataset is None
    assert len(problems) == 50, len(problems)
    assert problems == sorted(problems), "the first problems by position are listed"
    assert problems.complete is False and problems.more >= 1  # type: ignore[attr-defined]
    assert problems.tail().startswith("… and at least ")  # type: ignore[attr-defined]
    assert cpu < 10


@pytest.mark.parametrize("section", ["prompts", "paths", "claims"])
def test_a_null_record_is_a_located_problem(section: str) -> None:
    """A record that is null, not a mapping, is named at its line (records are checked as they are read)."""
    _, problems = check(f"schema_version: 1\n{section}:\n  - null\n")
    assert any(p.line == 3 for p in problems), [str(p) for p in problems]


def test_a_line_break_in_a_key_stays_on_the_problem_line() -> None:
    _, problems = check('"a\\nb": 1\n"c\\u2028d": 2\n')
    assert any(str(p).endswith("unknown section 'a\\nb'") for p in problems)
    assert any(str(p).endswith("unknown section 'c\\u2028d'") for p in problems)


def test_a_slow_read_is_stopped_by_the_time_budget() -> None:
    text = "[" + ", ".join(["1"] * 300_000) + "]"
    (dataset, problems), wall, _ = timed(lambda: check(text, Budgets(max_seconds=0.05)))
    assert dataset is None
    assert [p.message for p in problems] == ["reading took longer than 0.05 s; stopped"], problems
    assert wall < 30


# -- the CLI as a subprocess ---------------------------------------------------------------------------
CLI_CASES = [
    "laughs-9x10",
    "many-aliases",
    "flow-nesting-1e5",
    "python-tag-0",
    "merge-in-real-file",
    "two-documents",
    "huge-integer",
    "dotless-i-and-long-s-in-quotes",
    "tabs",
    "escape-codes",
]
CLI_LINE = re.compile(r".+:\d+:\d+: .+")


def start_cli(path: Path, limit_memory: bool = False) -> subprocess.Popen[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DATA"}
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.validate", str(path)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        preexec_fn=limit if limit_memory else None,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"the validator did not finish within 30 s: {proc.args}")
    return proc.returncode, out, err


def assert_located_output(code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err, out + err
    assert code == 1, (code, out[-2000:], err[-2000:])
    lines = out.splitlines()
    assert lines, err
    if lines[-1].startswith("… and at least "):  # the listing stopped at the problem budget
        lines = lines[:-1]
    assert all(CLI_LINE.fullmatch(line) for line in lines), [x for x in lines if not CLI_LINE.fullmatch(x)][:5]


def test_cli_answers_hostile_files_with_located_lines(tmp_path: Path) -> None:
    procs = []
    for name in CLI_CASES:
        data = HOSTILE[name][0]()
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        procs.append((name, start_cli(path)))
    valid = start_cli(DATA)
    for name, proc in procs:
        code, out, err = finish(proc)
        try:
            assert_located_output(code, out, err)
        except AssertionError as e:
            raise AssertionError(f"{name}: {e}") from e
    code, out, err = finish(valid)
    assert code == 0 and "Traceback" not in out + err, (code, out, err)
    assert ": valid;" in out


def test_cli_unreadable_paths_are_located(tmp_path: Path) -> None:
    for path in (tmp_path / "missing.yaml", tmp_path):
        code, out, err = finish(start_cli(path))
        assert_located_output(code, out, err)
        assert "cannot read the file" in out


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="needs RLIMIT_AS")
def test_cli_survives_bombs_in_one_gib(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(laughs(12, 10), encoding="utf-8")
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 1_000_000 + "]" * 1_000_000, encoding="utf-8")
    deep_map = tmp_path / "deep-map.yaml"
    deep_map.write_text("{a: " * 1_000_000, encoding="utf-8")
    running = [(p, start_cli(p, limit_memory=True)) for p in (bomb, deep, deep_map)]
    results = {p.name: finish(proc) for p, proc in running}
    for name, (code, out, err) in results.items():
        try:
            assert_located_output(code, out, err)
        except AssertionError as e:
            raise AssertionError(f"{name}: {e}") from e
    assert "aliases counted expanded" in results["bomb.yaml"][1]
    assert "nesting is deeper than 32 levels" in results["deep.yaml"][1]
    assert "nesting is deeper than 32 levels" in results["deep-map.yaml"][1]
