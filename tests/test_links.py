"""A view's settings as URL query parameters (dashboard/views/links.py): lenient parsing, minimal writing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples

from dashboard.views.links import MAX_TEXT, Param, encode, parse

D1, D2 = dt.date(2014, 1, 1), dt.date(2025, 1, 31)
SPEC = [
    Param("lanes", "one", "category", choices=["category", "outlet", "camp"]),
    Param("from", "date", D1, lo=D1, hi=D2),
    Param("to", "date", D2, lo=D1, hi=D2),
    Param("cats", "many", ["a", "b", "c"], choices=["a", "b", "c"]),
    Param("actors", "many", [], choices=["x", "y", "z"]),
    Param("q", "text", ""),
    Param("n", "int", 1, lo=1, hi=50),
]
DEFAULTS = {p.name: p.default for p in SPEC}


def test_parse_of_an_empty_link_gives_the_defaults_without_notices():
    parsed = parse({}, SPEC)
    assert parsed.values == DEFAULTS
    assert parsed.notices == []


def test_encode_leaves_out_every_default():
    assert encode(DEFAULTS, SPEC) == {}
    assert encode({}, SPEC) == {}
    assert encode({"cats": ["a", "b", "c"], "actors": [], "q": ""}, SPEC) == {}


def test_encode_writes_each_kind():
    values = {
        "lanes": "outlet",
        "from": dt.date(2019, 5, 1),
        "cats": ["c", "a"],
        "actors": ["y", "x"],
        "q": "oslo talks",
        "n": 7,
    }
    assert encode(values, SPEC) == {
        "lanes": "outlet",
        "from": "2019-05-01",
        "cats": "c,a",  # many-valued: comma-joined, in the chosen order
        "actors": "y,x",
        "q": "oslo talks",
        "n": "7",
    }


def test_an_emptied_many_valued_setting_is_written_as_empty_and_read_back_as_empty():
    assert encode({"cats": []}, SPEC) == {"cats": ""}
    parsed = parse({"cats": ""}, SPEC)
    assert parsed.values["cats"] == []
    assert parsed.notices == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a,c", ["a", "c"]),
        (["a", "c"], ["a", "c"]),
        ("c,a,c", ["c", "a"]),
        (",a,,", ["a"]),
        (["a,b", "c"], ["a", "b", "c"]),
    ],
)
def test_parse_many_valued(raw, expected):
    parsed = parse({"cats": raw}, SPEC)
    assert parsed.values["cats"] == expected
    assert parsed.notices == []


def test_parse_many_valued_keeps_the_good_values_and_reports_each_bad_one():
    parsed = parse({"cats": "a,zz,b,yy"}, SPEC)
    assert parsed.values["cats"] == ["a", "b"]
    assert len(parsed.notices) == 2
    assert "zz" in parsed.notices[0] and "yy" in parsed.notices[1]
    assert all(n.startswith("cats:") for n in parsed.notices)


def test_unknown_keys_are_reported_and_long_ones_shortened():
    long_key = "k" * 100
    parsed = parse({"nope": "1", long_key: "2"}, SPEC)
    assert parsed.values == DEFAULTS
    assert len(parsed.notices) == 2
    assert "“nope”" in parsed.notices[0]
    assert long_key not in parsed.notices[1]
    assert "k" * 37 + "…" in parsed.notices[1]


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("lanes", "sideways"),
        ("lanes", ""),
        ("from", "2019-13-01"),
        ("from", "yesterday"),
        ("from", "2013-12-31"),  # a day before the first allowed date
        ("to", "2025-02-01"),  # a day after the last
        ("n", "seven"),
        ("n", "0"),
        ("n", "51"),
        ("n", "1.5"),
    ],
)
def test_bad_values_fall_back_to_the_default_with_a_notice(name, bad):
    parsed = parse({name: bad}, SPEC)
    assert parsed.values[name] == DEFAULTS[name]
    assert len(parsed.notices) == 1
    assert parsed.notices[0].startswith(f"{name}:") and f"“{bad}”" in parsed.notices[0]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("from", "2014-01-01", D1), ("to", "2025-01-31", D2), ("n", "1", 1), ("n", "50", 50)],
)
def test_bounds_are_inclusive(name, value, expected):
    parsed = parse({name: value}, SPEC)
    assert parsed.values[name] == expected
    assert parsed.notices == []


def test_text_is_normalised_and_cut():
    assert parse({"q": "  oslo \n\t talks  "}, SPEC).values["q"] == "oslo talks"
    long = parse({"q": "x" * (MAX_TEXT + 50)}, SPEC)
    assert long.values["q"] == "x" * MAX_TEXT
    assert long.notices == []


def test_a_repeated_single_valued_key_uses_its_last_value():
    assert parse({"lanes": ["camp", "outlet"]}, SPEC).values["lanes"] == "outlet"


def test_bad_values_in_notices_are_shortened():
    parsed = parse({"lanes": "z" * 100}, SPEC)
    assert "z" * 37 + "…" in parsed.notices[0]
    assert "z" * 38 not in parsed.notices[0]


_words = st.text(alphabet="abcxyz <>&\"'#:[]()", min_size=0, max_size=300).map(lambda t: " ".join(t.split())[:MAX_TEXT])


@settings(max_examples=examples(150), deadline=None)
@given(
    lanes=st.sampled_from(["category", "outlet", "camp"]),
    start=st.dates(D1, D2),
    end=st.dates(D1, D2),
    cats=st.lists(st.sampled_from(["a", "b", "c"]), unique=True),
    actors=st.lists(st.sampled_from(["x", "y", "z"]), unique=True),
    q=_words,
    n=st.integers(1, 50),
)
def test_encode_then_parse_gives_the_same_values(lanes, start, end, cats, actors, q, n):
    values = {"lanes": lanes, "from": start, "to": end, "cats": cats, "actors": actors, "q": q, "n": n}
    link = encode(values, SPEC)
    assert all(p.name not in link for p in SPEC if values[p.name] == p.default)
    parsed = parse(link, SPEC)
    assert parsed.notices == []
    assert parsed.values == values


# -- a setting whose URL name is not its field name ------------------------------------------------------------
RENAMED = [Param("from", "date", D1, lo=D1, hi=D2, field="start"), Param("to", "date", D2, lo=D1, hi=D2, field="end")]


def test_a_renamed_setting_is_read_by_its_url_name_into_its_field():
    parsed = parse({"from": "2019-05-01"}, RENAMED)
    assert parsed.values == {"start": dt.date(2019, 5, 1), "end": D2}
    assert parsed.notices == []
    assert parse({"start": "2019-05-01"}, RENAMED).notices == ["unknown setting “start”"]


def test_a_renamed_setting_is_written_from_its_field_under_its_url_name():
    assert encode({"start": dt.date(2019, 5, 1), "end": D2}, RENAMED) == {"from": "2019-05-01"}
    assert encode({"from": dt.date(2019, 5, 1)}, RENAMED) == {}, "a URL name is not a field"
    bad = parse({"to": "2030-01-01"}, RENAMED)
    assert bad.values["end"] == D2 and bad.notices[0].startswith("to:"), "notices use the name the link used"
