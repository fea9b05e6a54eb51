"""The code behind the pages that needs no Streamlit: filters and figures, on the small invented dataset.

Expectations are read from tests/pages/fixtures/small.yaml with PyYAML, independently of the
dashboard's reader. Only ``test_outlet_colours_of_the_curated_outlets_are_distinct`` reads the curated data;
editing the curated data cannot break the others.
(URL settings are tested in tests/test_links.py, highlighting and escaping in tests/test_markup.py.)
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from typing import Any

import pandas as pd
import pytest
from page_kit import (
    SMALL,
    article_outlet,
    claims_of_event,
    date_range,
    event_span,
    held_stances,
    names,
    outlets_of_event,
    precision,
    raw_data,
)

from dashboard.data.dataset import load_dataset
from dashboard.data.filters import claims_about, filter_events, for_outlets, month_end, month_options
from dashboard.data.frames import STANCE_LABEL, STANCE_SCORE, positions_as_of, tables_of
from dashboard.data.metrics import voices_by_camp
from dashboard.views.charts import BASIS_MARK, OUTLET_PALETTE, STANCE_COLOUR, STANCE_SYMBOL, outlet_colours
from dashboard.views.compare.figure import voices_figure
from dashboard.views.positions.figure import matrix_figure, matrix_frame, stance_steps_figure
from dashboard.views.timeline.figure import timeline_figure


# The small dataset, under the names the tests use (overriding conftest's curated ``raw``).
@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return raw_data(SMALL)


@pytest.fixture(scope="module")
def tables():
    return tables_of(load_dataset(SMALL))


# == filters ============================================================================================
def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.fixture
def small() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three events: a long span, a day-precise event, and a month-precise one no outlet reports."""
    events = pd.DataFrame(
        [
            {
                "event": "protests",
                "title": "Anti-government protests",
                "summary": "Street protests.",
                "start": _ts("2014-01-01"),
                "end": _ts("2017-12-31"),
                "category": "repression",
                "actors": ("gov",),
                "outlets": ("a",),
            },
            {
                "event": "oslo",
                "title": "Talks in Oslo",
                "summary": "Envoys meet through mediators.",
                "start": _ts("2019-05-20"),
                "end": _ts("2019-05-20"),
                "category": "negotiations",
                "actors": ("gov", "norway"),
                "outlets": ("a", "b"),
            },
            {
                "event": "vote",
                "title": "Regional vote",
                "summary": "The Opposition runs again.",
                "start": _ts("2019-06-01"),
                "end": _ts("2019-06-30"),
                "category": "elections",
                "actors": ("opposition",),
                "outlets": ("b",),
            },
        ]
    )
    claims = pd.DataFrame(
        [
            {"claim": "c1", "events": ("oslo",), "quote": "The REGIME refused to budge."},
            {"claim": "c2", "events": ("protests", "vote"), "quote": "Crackdown on dissent."},
            {"claim": "c3", "events": (), "quote": "Nothing about events: oslo regime vote."},
        ]
    )
    return events, claims


def _ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["event"])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2016-06-01", "2016-06-30", ["protests"]),  # inside a span: the span overlaps the window
        ("2017-12-31", "2019-05-20", ["protests", "oslo"]),  # both boundaries inclusive
        ("2018-01-01", "2019-05-19", []),
        ("2019-05-21", "2019-06-01", ["vote"]),  # the window reaches the first day of the month
        ("2019-06-15", "2030-01-01", ["vote"]),  # the window starts inside the month
        ("2010-01-01", "2013-12-31", []),
    ],
)
def test_filter_by_dates_keeps_events_overlapping_the_window(small, start, end, expected):
    events, claims = small
    shown = filter_events(events, claims, start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
    assert _ids(shown) == expected


def test_filter_without_options_keeps_everything(small):
    events, claims = small
    assert _ids(filter_events(events, claims)) == ["protests", "oslo", "vote"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"categories": ["negotiations", "elections"]}, ["oslo", "vote"]),
        ({"categories": []}, []),
        ({"actors": ["norway", "opposition"]}, ["oslo", "vote"]),  # any of them
        ({"actors": ["gov"]}, ["protests", "oslo"]),
        ({"actors": []}, ["protests", "oslo", "vote"]),  # no actor chosen: no actor filter
        ({"outlets": ["b"]}, ["oslo", "vote"]),
        ({"outlets": []}, []),
        ({"categories": ["negotiations", "repression"], "actors": ["gov"], "outlets": ["b"]}, ["oslo"]),
    ],
)
def test_filter_by_categories_actors_and_outlets(small, kwargs, expected):
    events, claims = small
    assert _ids(filter_events(events, claims, **kwargs)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("oslo", ["oslo"]),  # title
        ("MEDIATORS", ["oslo"]),  # summary, case-insensitive
        ("regime", ["oslo"]),  # a quote that reports the event (c3 reports none)
        ("crackdown", ["protests", "vote"]),  # one quote reporting two events
        ("talks refused", ["oslo"]),  # every word must match, anywhere in the event's text
        ("talks crackdown", []),  # words matching different events
        ("  ", ["protests", "oslo", "vote"]),
        ("zzzznomatch", []),
    ],
)
def test_filter_by_query(small, query, expected):
    events, claims = small
    assert _ids(filter_events(events, claims, query=query)) == expected


def test_filter_never_changes_the_shared_frames(small):
    events, claims = small
    before_e, before_c = events.copy(deep=True), claims.copy(deep=True)
    filter_events(events, claims, start=dt.date(2019, 1, 1), categories=["elections"], query="vote", outlets=["b"])
    pd.testing.assert_frame_equal(events, before_e)
    pd.testing.assert_frame_equal(claims, before_c)


def test_filter_by_category_counts_as_the_yaml_does(raw, tables):
    for category in {e["category"] for e in raw["events"]}:
        shown = filter_events(tables.events, tables.claims, categories=[category])
        assert sorted(shown["event"]) == sorted(e["id"] for e in raw["events"] if e["category"] == category)


@pytest.mark.parametrize("event_id", ["talks-2024", "vote-2024", "protests-2023"])
def test_claims_about_an_event(raw, tables, event_id):
    found = claims_about(tables.claims, "event", event_id)
    assert set(found["claim"]) == {c["id"] for c in claims_of_event(raw, event_id)}
    of = article_outlet(raw)
    some = sorted(outlets_of_event(raw, event_id))[:1]
    narrowed = claims_about(tables.claims, "event", event_id, some)
    assert set(narrowed["claim"]) == {c["id"] for c in claims_of_event(raw, event_id) if of[c["article"]] in some}


@pytest.mark.parametrize("actor", ["minister", "leader"])
def test_claims_about_an_actor_named_or_speaking(raw, tables, actor):
    found = set(claims_about(tables.claims, "actor", actor)["claim"])
    named = {c["id"] for c in raw["claims"] if actor in c.get("actors", [])}
    speaking = {c["id"] for c in raw["claims"] if c["speaker"] == actor}
    assert found == named | speaking
    assert speaking, "each of these actors is quoted in the data"


@pytest.mark.parametrize("issue", ["negotiate", "vote_first"])
def test_claims_about_an_issue(raw, tables, issue):
    found = set(claims_about(tables.claims, "issue", issue)["claim"])
    assert found == {c["id"] for c in raw["claims"] if issue in c.get("issues", [])}
    assert set(claims_about(tables.claims, "issue", issue, [])["claim"]) == set()


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2019-11-15", "2020-02-01", ["2019-11", "2019-12", "2020-01", "2020-02"]),
        ("2019-05-31", "2019-05-01", ["2019-05"]),  # months, not days, are compared
        ("2019-05-01", "2019-05-31", ["2019-05"]),
        ("2019-06-01", "2019-05-31", []),
    ],
)
def test_month_options(first, last, expected):
    assert month_options(dt.date.fromisoformat(first), dt.date.fromisoformat(last)) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [("2024-02", "2024-02-29"), ("2023-02", "2023-02-28"), ("2019-12", "2019-12-31"), ("2021-04", "2021-04-30")],
)
def test_month_end(month, expected):
    assert month_end(month) == dt.date.fromisoformat(expected)


def test_for_outlets_narrows_only_the_outlet_tables(tables):
    sizes = {name: len(getattr(tables, name)) for name in ("claims", "labels", "articles")}
    narrowed = for_outlets(tables, ["radio"])
    for name in ("claims", "labels", "articles"):
        frame = getattr(narrowed, name)
        assert set(frame["outlet"]) == {"radio"}
        original = getattr(tables, name)
        assert len(frame) == int(original["outlet"].isin(["radio"]).sum()) < len(original)
        assert len(original) == sizes[name], "the shared frame must stay as it was"
    assert narrowed.events is tables.events
    assert narrowed.positions is tables.positions
    assert len(for_outlets(tables, []).claims) == 0


# == figures ============================================================================================
PRECISION_SHAPE = {"day": "circle", "month": "square", "year": "diamond"}


def _markers(fig) -> list[tuple[Any, ...]]:
    """(event id, lane, symbol, colour, size) for every marker that stands for an event."""
    out = []
    for tr in fig.data:
        if tr.type != "scatter" or tr.customdata is None:
            continue
        n = len(tr.customdata)
        colours = tr.marker.color if isinstance(tr.marker.color, list | tuple) else [tr.marker.color] * n
        sizes = tr.marker.size if isinstance(tr.marker.size, list | tuple) else [tr.marker.size] * n
        for cd, lane, colour, size in zip(tr.customdata, tr.y, colours, sizes, strict=True):
            out.append((cd[0], lane, tr.marker.symbol, colour, size))
    return out


def _bars(fig) -> Counter:
    """(lane, first day, last day) of every period bar."""
    found: Counter = Counter()
    for tr in fig.data:
        if tr.type != "bar":
            continue
        for lane, base, length in zip(tr.y, tr.base, tr.x, strict=True):
            first = pd.Timestamp(base)
            after = first + pd.Timedelta(milliseconds=float(length))
            found[(lane, first.date(), (after - pd.Timedelta(days=1)).date())] += 1
    return found


@pytest.fixture(scope="module")
def figure_inputs(tables):
    t = tables
    outlet_names = dict(zip(t.outlets["outlet"], t.outlets["name"], strict=True))
    camps_of = dict(zip(t.actors["actor"], t.actors["camp_name"], strict=True))
    colours = outlet_colours(list(t.outlets["outlet"]))
    return outlet_names, camps_of, colours


def test_timeline_draws_every_event_once_with_its_precision_shape(raw, tables, figure_inputs):
    fig = timeline_figure(tables.events, "category", *figure_inputs)
    markers = _markers(fig)
    assert len(markers) == len(raw["events"])
    assert sorted(m[0] for m in markers) == sorted(e["id"] for e in raw["events"])
    categories = names(raw, "categories")
    for event in raw["events"]:
        (mark,) = [m for m in markers if m[0] == event["id"]]
        assert mark[2] == PRECISION_SHAPE[precision(event["date"])], event["id"]
        assert mark[1] == categories[event["category"]]


def test_timeline_bars_span_each_imprecise_date_or_period_in_full(raw, tables, figure_inputs):
    fig = timeline_figure(tables.events, "category", *figure_inputs)
    categories = names(raw, "categories")
    expected: Counter = Counter()
    for event in raw["events"]:
        first, last = event_span(event)
        if last > first:
            expected[(categories[event["category"]], first, last)] += 1
    assert any(precision(e["date"]) == "year" for e in raw["events"]), "the data has year-precise events"
    assert any(precision(e["date"]) == "month" and not e.get("end") for e in raw["events"])
    assert _bars(fig) == expected


def test_timeline_bar_for_a_month_covers_the_whole_month(figure_inputs):
    events = pd.DataFrame(
        [
            {
                "event": "feb",
                "title": "February",
                "date": "February 2024",
                "start": _ts("2024-02-01"),
                "end": _ts("2024-02-29"),
                "precision": "month",
                "category": "c",
                "category_name": "C",
                "actors": (),
                "outlets": (),
            }
        ]
    )
    fig = timeline_figure(events, "category", *figure_inputs)
    assert _bars(fig) == Counter({("C", dt.date(2024, 2, 1), dt.date(2024, 2, 29)): 1})
    assert _markers(fig)[0][2] == "square"


def test_a_timeline_of_one_day_has_an_axis_of_days_not_hours(figure_inputs):
    one = {"title": "One", "date": "2024-02-10", "precision": "day", "category": "c", "category_name": "C"}
    events = pd.DataFrame(
        [{"event": "one", **one, "start": _ts("2024-02-10"), "end": _ts("2024-02-10"), "actors": (), "outlets": ()}]
    )
    first, last = (pd.Timestamp(x) for x in timeline_figure(events, "category", *figure_inputs).layout.xaxis.range)
    assert last - first == pd.Timedelta(days=60) and first < _ts("2024-02-10") < last


def test_a_timeline_of_years_keeps_plotlys_own_range(tables, figure_inputs):
    assert timeline_figure(tables.events, "category", *figure_inputs).layout.xaxis.range is None


def test_timeline_outlet_lanes_have_one_marker_per_event_and_outlet(raw, tables, figure_inputs):
    outlet_names, _, colours = figure_inputs
    fig = timeline_figure(tables.events, "outlet", *figure_inputs)
    markers = _markers(fig)
    expected = Counter((e["id"], outlet_names[o]) for e in raw["events"] for o in outlets_of_event(raw, e["id"]))
    assert Counter((m[0], m[1]) for m in markers) == expected
    by_name = {v: k for k, v in outlet_names.items()}
    for _, lane, _, colour, _ in markers:
        assert colour == colours[by_name[lane]], "a marker in an outlet lane wears that outlet's colour"


def test_timeline_camp_lanes_have_one_marker_per_event_and_camp(raw, tables, figure_inputs):
    fig = timeline_figure(tables.events, "camp", *figure_inputs)
    camp_of = {a["id"]: a["camp"] for a in raw["actors"]}
    camp_names = names(raw, "camps")
    expected = Counter((e["id"], camp) for e in raw["events"] for camp in {camp_names[camp_of[a]] for a in e["actors"]})
    assert Counter((m[0], m[1]) for m in _markers(fig)) == expected


def test_timeline_selected_event_is_drawn_larger(tables, figure_inputs):
    fig = timeline_figure(tables.events, "category", *figure_inputs, selected="talks-2024")
    sizes = {m[0]: m[4] for m in _markers(fig)}
    assert sizes["talks-2024"] > max(s for e, s in sizes.items() if e != "talks-2024")


def test_timeline_hover_text_is_escaped(tables, figure_inputs):
    events = tables.events.copy()
    events.loc[events["event"] == "talks-2024", "title"] = "Oslo <script>alert(1)</script> & <b>talks</b>"
    fig = timeline_figure(events, "category", *figure_inputs)
    hover = {cd[0]: cd for tr in fig.data if tr.customdata is not None for cd in tr.customdata}
    assert hover["talks-2024"][1] == "Oslo &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;talks&lt;/b&gt;"
    assert all("<" not in str(v) for cd in hover.values() for v in cd)


def _basis_of(tables, actor: str, issue: str, month: str) -> str:
    held = positions_as_of(tables.positions, month_end(month))
    return held[(held["actor"] == actor) & (held["issue"] == issue)]["basis"].iloc[0]


def _cells(tables, month: str):
    held = positions_as_of(tables.positions, month_end(month))
    cells = matrix_frame(held, tables.actors, tables.issues)
    return cells, list(dict.fromkeys(cells["actor"])), list(dict.fromkeys(cells["issue"]))


@pytest.mark.parametrize("month", ["2024-01", "2024-02", "2024-06"])
def test_matrix_puts_each_held_stance_in_its_cell_with_its_colour_and_symbol(raw, tables, month):
    cells, actor_order, issue_order = _cells(tables, month)
    fig = matrix_figure(cells, actor_order, issue_order, None)
    expected = held_stances(raw, month)
    actors, shorts = names(raw, "actors"), {i["id"]: i.get("short") or i["question"] for i in raw["issues"]}
    colour_stance = {c: s for s, c in STANCE_COLOUR.items()}
    drawn = {}
    for tr in fig.data:
        stance = colour_stance[tr.marker.color]
        assert tr.name == f"{STANCE_SYMBOL[stance]} {STANCE_LABEL[stance]}"
        for cd, x, y, text in zip(tr.customdata, tr.x, tr.y, tr.text, strict=True):
            # The stance's symbol, and under it the letter of what the stance rests on.
            assert text.split("<br>")[0] == STANCE_SYMBOL[stance]
            assert text.split("<br>")[1] == BASIS_MARK[_basis_of(tables, cd[0], cd[1], month)]
            actor, issue = cd[0], cd[1]
            assert (actor, issue) not in drawn, "one square per cell"
            drawn[(actor, issue)] = stance
            assert y == actors[actor]
            assert x.replace("<br>", " ") == shorts[issue]
    assert drawn == expected


def test_matrix_marks_the_selected_cell(tables):
    cells, actor_order, issue_order = _cells(tables, "2024-01")
    fig = matrix_figure(cells, actor_order, issue_order, ("leader", "negotiate"))
    widths = {(cd[0], cd[1]): w for tr in fig.data for cd, w in zip(tr.customdata, tr.marker.line.width, strict=True)}
    assert widths.pop(("leader", "negotiate")) > max(widths.values())


@pytest.mark.parametrize("short", ["Deal <script>alert(1)</script> & more?", "Ceasefire&amnesty deal?"])
def test_matrix_escapes_names_and_never_breaks_an_entity(tables, short):
    cells, actor_order, issue_order = _cells(tables, "2024-01")
    cells = cells.copy()
    cells["actor_name"] = cells["actor_name"] + " <img src=x>"
    cells["short"] = short
    fig = matrix_figure(cells, actor_order, issue_order, None)
    labels = [x for tr in fig.data for x in tr.x] + list(fig.layout.xaxis.categoryarray)
    for label in labels:
        for line in label.split("<br>"):
            assert "<" not in line and ">" not in line, line
            # Each '&' starts a whole entity: a line break inside one would show as '&l' and 't;'.
            assert line.count("&") == line.count("&lt;") + line.count("&gt;") + line.count("&amp;"), label
        shown = html.unescape(label.replace("<br>", ""))
        assert shown.replace(" ", "") == short.replace(" ", ""), "every character shown, in order"
    assert all(y.endswith(" &lt;img src=x&gt;") for tr in fig.data for y in tr.y)


def test_stance_steps_follow_the_score_over_time(raw, tables):
    history = tables.positions[(tables.positions["actor"] == "leader") & (tables.positions["issue"] == "negotiate")]
    mine = sorted(
        (p for p in raw["positions"] if (p["actor"], p["issue"]) == ("leader", "negotiate")),
        key=lambda p: date_range(p["from"])[0],
    )
    assert len({p["stance"] for p in mine}) > 1, "the small dataset has a stance that changes"
    until = dt.date(2024, 6, 30)
    fig = stance_steps_figure(history, until)
    (trace,) = fig.data
    scores = [STANCE_SCORE[p["stance"]] for p in mine]
    assert list(trace.y) == [*scores, scores[-1]]
    assert [pd.Timestamp(x).date() for x in trace.x] == [*(date_range(p["from"])[0] for p in mine), until]
    assert list(trace.marker.color[: len(mine)]) == [STANCE_COLOUR[p["stance"]] for p in mine]
    assert trace.line.shape == "hv"
    assert list(fig.layout.yaxis.tickvals) == list(STANCE_SCORE.values())


def test_outlet_colours_distinct_stable_and_overridable():
    ids = ["a", "b", "c", "d", "e", "f"]
    colours = outlet_colours(ids)
    assert list(colours) == ids
    assert len(set(colours.values())) == len(ids)
    assert outlet_colours(ids) == colours
    assert {k: v for k, v in outlet_colours([*ids, "g"]).items() if k in ids} == colours, "adding one keeps the rest"
    full = outlet_colours([f"o{i}" for i in range(len(OUTLET_PALETTE))])
    assert len(set(full.values())) == len(OUTLET_PALETTE)
    custom = outlet_colours(ids, {"c": "#123456", "d": ""})
    assert custom["c"] == "#123456"
    assert {k: v for k, v in custom.items() if k != "c"} == {k: v for k, v in colours.items() if k != "c"}


def test_outlet_colours_of_the_curated_outlets_are_distinct():
    curated = raw_data()
    colours = outlet_colours(
        [o["id"] for o in curated["outlets"]], {o["id"]: o.get("colour", "") for o in curated["outlets"]}
    )
    assert len(set(colours.values())) == len(curated["outlets"])


def test_voices_figure_has_one_trace_per_camp(tables):
    voices = voices_by_camp(tables)
    fig = voices_figure(voices)
    assert len(fig.data) == voices["camp_name"].nunique()
    assert {tr.name for tr in fig.data} == {html.escape(c, quote=False) for c in voices["camp_name"]}
    for tr in fig.data:
        assert (
            sum(tr.x)
            == voices.loc[voices["camp_name"].map(lambda c: html.escape(c, quote=False)) == tr.name, "claims"].sum()
        )
    assert fig.layout.barmode == "stack"
    assert len({tr.marker.color for tr in fig.data}) == len(fig.data)
