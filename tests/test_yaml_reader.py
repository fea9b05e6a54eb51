"""The located YAML reader: every class of bad input is reported at its line and column, never raised."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest
from dataset_helpers import where

from dashboard.data.located import LocatedDict, LocatedList, Problem, locate
from dashboard.data.yaml_reader import Budgets, read_yaml

PATH = "in.yaml"


def read(text: str | bytes, budgets: Budgets | None = None):
    return read_yaml(text, PATH, budgets)


def only_problem(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_located(problem: Problem, line: int, col: int, *words: str) -> None:
    """The problem is at (line, col) of PATH, and its message holds every one of ``words``."""
    assert (problem.path, problem.line, problem.col) == (PATH, line, col), str(problem)
    for word in words:
        assert word.lower() in problem.message.lower(), f"{word!r} not in {problem}"
    assert str(problem) == f"{PATH}:{line}:{col}: {problem.message}"


# -- malformed input ----------------------------------------------------------------


def test_malformed_yaml_is_located_where_the_parser_stops():
    text = "title: ok\nwho: said: this\n"
    root, problems = read(text)
    assert root is None
    assert_located(only_problem(problems), *where(text, ": this"), "malformed YAML", "mapping values are not allowed")


def test_unclosed_flow_sequence_is_reported_not_raised():
    text = "items: [1, 2\nnext: 3\n"
    root, problems = read(text)
    assert root is None
    problem = only_problem(problems)
    assert problem.line == 2  # the parser only notices at the next line
    assert "malformed YAML" in problem.message
    assert "']'" in problem.message


def test_tab_indentation_is_located_at_the_tab():
    text = "meta:\n\ttitle: x\n"
    root, problems = read(text)
    assert root is None
    assert_located(only_problem(problems), 2, 1, "malformed YAML", "cannot start any token")


def test_duplicate_key_names_the_first_line_and_keeps_the_first_value():
    text = "title: first\nother: 1\ntitle: second\n"
    root, problems = read(text)
    assert_located(only_problem(problems), 3, 1, "duplicate key 'title'", "first at line 1")
    assert root["title"] == "first"


def test_duplicate_key_in_a_nested_mapping():
    text = "claims:\n  - id: a\n    quote: one\n    quote: two\n"
    _, problems = read(text)
    assert_located(only_problem(problems), 4, 5, "duplicate key 'quote'", "first at line 3")


# -- YAML 1.1 coercions ----------------------------------------------------------------


@pytest.mark.parametrize("word", ["NO", "no", "No", "yes", "Yes", "on", "OFF", "y", "N"])
def test_yaml11_booleans_are_reported_and_kept_as_strings(word):
    text = f"country: {word}\n"
    root, problems = read(text)
    assert_located(only_problem(problems), 1, 10, f"ambiguous value {word}", "boolean", "quote it")
    assert root["country"] == word


def test_unquoted_date_is_reported_at_its_value():
    text = "title: x\ndate: 2019-05-22\n"
    root, problems = read(text)
    assert_located(only_problem(problems), 2, 7, "unquoted date 2019-05-22", '"2019-05-22"')
    assert root["date"] == "2019-05-22"


def test_unquoted_timestamp_with_time_is_reported():
    _, problems = read("when: 2019-05-22 10:30:00\n")
    assert_located(only_problem(problems), 1, 7, "unquoted date")


def test_sexagesimal_number_is_reported():
    text = "duration: 1:20\n"
    root, problems = read(text)
    assert_located(only_problem(problems), 1, 11, "ambiguous value 1:20", "base-60")
    assert root["duration"] == "1:20"


@pytest.mark.parametrize("number", ["0755", "012", "-017"])
def test_leading_zero_octal_is_reported(number):
    text = f"code: {number}\n"
    root, problems = read(text)
    assert_located(only_problem(problems), 1, 7, f"ambiguous number '{number}'", "octal")
    assert root["code"] == number


def test_yaml11_binary_and_underscored_numbers_are_reported():
    text = "a: 0b101\nb: 1_000\n"
    _, problems = read(text)
    assert [(p.line, p.col) for p in problems] == [(1, 4), (2, 4)]
    assert all("ambiguous number" in p.message for p in problems)


def test_quoted_ambiguous_values_are_fine():
    root, problems = read("a: 'NO'\nb: \"2019-05-22\"\nc: '1:20'\nd: '0755'\n")
    assert problems == []
    assert root == {"a": "NO", "b": "2019-05-22", "c": "1:20", "d": "0755"}


# -- tags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:os.system {{args: ['touch {marker}']}}",
        "!!python/object/new:os.system ['touch {marker}']",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/object:collections.OrderedDict {{a: 1}}",
        "!!python/str touch {marker}",
    ],
)
def test_python_tags_are_reported_and_never_executed(tmp_path: Path, form: str):
    marker = tmp_path / "executed"
    text = "title: ok\npayload: " + form.format(marker=marker) + "\n"
    root, problems = read(text)
    assert not marker.exists()
    assert_located(only_problem(problems), 2, 10, "tag !!python/", "would build a Python object")
    assert isinstance(root, LocatedDict)  # read as plain data, nothing built


def test_python_tag_is_not_executed_by_the_dataset_check_either(tmp_path: Path):
    from dashboard.data.dataset import check_dataset

    marker = tmp_path / "executed"
    data = f"!!python/object/apply:os.system ['touch {marker}']\n".encode()
    dataset, problems = check_dataset(data=data, name=PATH)
    assert dataset is None
    assert not marker.exists()
    assert any(p.line == 1 and p.col == 1 and "would build a Python object" in p.message for p in problems)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("!custom thing", ["tag !custom is not allowed"]),
        ("!custom {a: 1}", ["tag !custom is not allowed"]),
        ("!custom [1, 2]", ["tag !custom is not allowed"]),
        ("!<tag:example.com,2024:x> thing", ["tag tag:example.com,2024:x is not allowed"]),
        ("!!binary aGVsbG8=", ["tag !!binary is not allowed"]),
        ("!!timestamp 2019-05-22", ["tag !!timestamp is not allowed"]),
        ("!!set {a, b}", ["tag !!set is not allowed"]),
        ("!!omap [a: 1]", ["tag !!omap is not allowed"]),
        ("!!seq {a: 1}", ["tag !!seq is not allowed"]),
        ("!!int twelve", ["'twelve' is not a valid !!int"]),
        ("!!bool yes", ["'yes' is not a valid !!bool"]),
    ],
)
def test_non_plain_tags_are_reported(value: str, words: list[str]):
    _, problems = read(f"x: {value}\n")
    assert_located(only_problem(problems), 1, 4, *words)


def test_standard_tags_that_say_nothing_more_are_accepted():
    root, problems = read("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!map {k: v}\ne: !!seq [1]\nf: ! 3\n")
    assert problems == []
    assert root == {"a": "12", "b": 7, "c": 1.0, "d": {"k": "v"}, "e": [1], "f": "3"}
    assert isinstance(root["c"], float)


# -- budgets and hostile input --------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["a: &a [" + ", ".join(['"lol"'] * width) + "]"]
    prev = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_stopped_quickly():
    text = billion_laughs()  # 9**9 = 387 million strings if expanded
    started = time.monotonic()
    root, problems = read(text)
    elapsed = time.monotonic() - started
    assert elapsed < 1.0
    assert root is None
    problem = only_problem(problems)
    assert "aliases counted expanded" in problem.message
    assert problem.line <= text.count("\n")


def test_too_many_aliases_are_stopped_at_the_one_over_the_limit():
    text = "x: &x 1\nys:\n" + "".join("  - *x\n" for _ in range(11))
    root, problems = read(text, Budgets(max_aliases=10))
    assert root is None
    assert_located(only_problem(problems), 13, 5, "more than 10 aliases")


def test_item_budget_counts_aliases_expanded():
    text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a]\n"
    assert read(text, Budgets(max_items=100))[1] == []
    root, problems = read(text, Budgets(max_items=30))
    assert root is None
    assert_located(only_problem(problems), *where(text, "*a", 2), "more than 30 values")


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_extreme_nesting_is_stopped_without_recursion_error(opener: str):
    text = "x: " + opener * 100_000
    started = time.monotonic()
    root, problems = read(text)
    assert time.monotonic() - started < 1.0
    assert root is None
    problem = only_problem(problems)
    assert "nesting is deeper than 32 levels" in problem.message
    # The top-level mapping is the first level, so the 32nd opener is one too many.
    assert (problem.line, problem.col) == (1, 4 + 31 * len(opener))


def test_block_nesting_is_stopped_at_the_budget():
    text = "".join("  " * i + f"k{i}:\n" for i in range(10)) + "  " * 10 + "leaf\n"
    assert read(text, Budgets(max_depth=10))[1] == []
    root, problems = read(text, Budgets(max_depth=5))
    assert root is None
    assert_located(only_problem(problems), 6, 11, "nesting is deeper than 5 levels")


def test_oversized_input_is_refused_before_parsing():
    text = "title: " + "x" * 200 + "\n"
    root, problems = read(text, Budgets(max_bytes=100))
    assert root is None
    assert_located(only_problem(problems), 1, 1, f"file is {len(text)} bytes", "limit is 100")
    assert read(text, Budgets(max_bytes=len(text)))[1] == []


def test_oversized_str_input_is_measured_in_utf8_bytes():
    text = "a: " + "é" * 60 + "\n"  # 64 characters, 124 bytes
    _, problems = read(text, Budgets(max_bytes=100))
    assert_located(only_problem(problems), 1, 1, "124 bytes")


def test_time_budget_stops_a_slow_read():
    text = "".join(f"- item {i}\n" for i in range(5000))
    root, problems = read(text, Budgets(max_seconds=0))
    assert root is None
    assert "reading took longer than 0 s" in only_problem(problems).message


def test_non_utf8_byte_is_located():
    data = b"title: ok\nname: Caf\xe9 Tortoni\n"
    root, problems = read(data)
    assert root is None
    assert_located(only_problem(problems), 2, 10, "not valid UTF-8", "0xe9")


def test_non_utf8_column_counts_bytes_after_multibyte_characters():
    data = "a: ok\nb: déjà ".encode() + b"\xff\n"  # é and à are two bytes each
    _, problems = read(data)
    assert_located(only_problem(problems), 2, 9, "0xff")


def test_utf8_bom_is_accepted():
    root, problems = read("\ufefftitle: ok\n".encode())
    assert problems == []
    assert root == {"title": "ok"}


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_are_located(char: str):
    text = f"title: ok\nname: ab{char}cd\n"
    root, problems = read(text)
    assert root is None
    assert_located(only_problem(problems), 2, 9, "control characters are not allowed")


def test_multiple_documents_are_refused_at_the_second():
    text = "title: one\n---\ntitle: two\n"
    root, problems = read(text)
    assert root is None
    assert_located(only_problem(problems), 2, 1, "more than one YAML document")


def test_undefined_alias_is_located():
    text = "a: 1\nb: *nowhere\n"
    root, problems = read(text)
    assert_located(only_problem(problems), 2, 4, "alias *nowhere", "no anchor")
    assert root["b"] is None


def test_alias_before_its_anchor_is_undefined():
    _, problems = read("a: *later\nb: &later 1\n")
    assert_located(only_problem(problems), 1, 4, "alias *later")


def test_self_referencing_anchor_is_reported():
    text = "a: &loop [1, *loop]\n"
    _, problems = read(text)
    assert_located(only_problem(problems), *where(text, "*loop"), "alias *loop", "no anchor")


def test_defined_alias_copies_the_value():
    root, problems = read("a: &name Alba\nb: *name\n")
    assert problems == []
    assert root == {"a": "Alba", "b": "Alba"}


def test_merge_keys_are_reported():
    text = "base: &base {kind: narration}\nclaim:\n  <<: *base\n  id: c1\n"
    _, problems = read(text)
    assert_located(only_problem(problems), 3, 3, "merge keys (<<) are not supported")


def test_complex_keys_are_reported():
    _, problems = read("? [a, b]\n: value\n")
    assert_located(only_problem(problems), 1, 3, "mapping key must be a plain value")


def test_many_problems_are_all_reported_in_order():
    text = "a: NO\nb: 2019-05-22\na: 1\nc: !custom x\n"
    _, problems = read(text)
    assert [(p.line, p.col) for p in problems] == [(1, 4), (2, 4), (3, 1), (4, 4)]


# -- what is read -------------------------------------------------------------------------


def test_scalars_resolve_by_the_yaml_12_core_schema():
    text = (
        "t: true\nT: True\nf: false\nF: FALSE\nnul: null\ntilde: ~\nempty:\n"
        "int: 12\nneg: -3\nplus: +4\nzero: 0\nhex: 0x1F\noct: 0o17\n"
        "float: 1.5\nexp: 1e3\ndot: .5\ninf: .inf\nninf: -.Inf\nnan: .nan\n"
        "s1: '12'\ns2: \"true\"\ns3: 'null'\ns4: plain text\nblock: |\n  yes\n"
    )
    root, problems = read(text)
    assert problems == []
    assert root["t"] is True and root["T"] is True
    assert root["f"] is False and root["F"] is False
    assert root["nul"] is None and root["tilde"] is None and root["empty"] is None
    assert [root[k] for k in ("int", "neg", "plus", "zero", "hex", "oct")] == [12, -3, 4, 0, 31, 15]
    assert all(type(root[k]) is int for k in ("int", "neg", "plus", "zero", "hex", "oct"))
    assert [root[k] for k in ("float", "exp", "dot")] == [1.5, 1000.0, 0.5]
    assert all(type(root[k]) is float for k in ("float", "exp", "dot"))
    assert root["inf"] == math.inf and root["ninf"] == -math.inf and math.isnan(root["nan"])
    assert [root[k] for k in ("s1", "s2", "s3", "s4", "block")] == ["12", "true", "null", "plain text", "yes\n"]


def test_values_are_plain_python_containers():
    root, _ = read("a: [1, {b: c}]\n")
    assert isinstance(root, dict) and isinstance(root, LocatedDict)
    assert isinstance(root["a"], list) and isinstance(root["a"], LocatedList)
    assert root == {"a": [1, {"b": "c"}]}


def test_empty_input_reads_as_nothing_without_problems():
    assert read("") == (None, [])
    assert read("# just a comment\n") == (None, [])


def test_locate_finds_keys_values_and_list_items():
    text = "meta:\n  title: Hello\nclaims:\n  - id: c1\n    quote: first\n  - id: c2\n    quote: second\n"
    root, problems = read(text)
    assert problems == []
    assert locate(root, ()) == (1, 1)
    assert locate(root, ("meta",)) == (2, 3)
    assert locate(root, ("meta", "title")) == where(text, "Hello")
    assert locate(root, ("meta", "title"), at_key=True) == where(text, "title")
    assert locate(root, ("claims", 1)) == where(text, "id: c2")
    assert locate(root, ("claims", 1, "quote")) == where(text, "second")
    assert locate(root, ("claims", 1, "quote"), at_key=True) == where(text, "quote", 2)


def test_locate_falls_back_to_the_nearest_existing_parent():
    text = "claims:\n  - id: c1\n    quote: first\n"
    root, _ = read(text)
    assert locate(root, ("claims", 0, "speaker")) == where(text, "id: c1")
    assert locate(root, ("claims", 5, "quote")) == where(text, "- id")
    assert locate(root, ("nothing", 0)) == (1, 1)
    assert locate(None, ("claims",)) == (1, 1)
