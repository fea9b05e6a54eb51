"""Every page driven through Streamlit's AppTest on the curated data: default views, deep links, bad
links, filters that match nothing, URL round trips, and the quiz's links.

Expected values come from data/events.yaml read independently (see page_kit.py). The pages on
datasets written for a test (a broken file, hostile text, empty datasets) are in test_edited_data.py;
moving between pages is in test_navigation.py, shared links in test_shared_links.py.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import html
import re
from typing import Any

import pytest
from page_kit import (
    article_outlet,
    assert_clean,
    chart_spec,
    claims_of_event,
    date_range,
    held_stances,
    key,
    names,
    notices,
    open_page,
    outlets_of_event,
    outlets_with_text,
    plain,
    query,
    widget,
)
from streamlit.testing.v1 import AppTest

from dashboard.data.frames import STANCE_LABEL
from dashboard.views import BY_ID, VIEWS
from dashboard.views.base import View

TIMELINE, POSITIONS, COMPARE, QUIZ = "timeline", "positions", "compare", "quiz"
CLAIM_ID = re.compile(r"claim ([\w.-]+)</span></blockquote>")
VIEW_IDS = [v.id for v in VIEWS]


def expected_title(view: View, raw: dict[str, Any]) -> str:
    """The page's own title; the default page (the overview) is titled with the dataset's title."""
    return raw["meta"]["title"] if view.default else view.title


def claim_ids(blocks: list[str]) -> set[str]:
    """Claim ids of the excerpt quote blocks among some markdown sources."""
    return {m for b in blocks for m in CLAIM_ID.findall(b)}


def columns_after(at: AppTest, subheader: str) -> list[Any]:
    """The columns of the first row of columns drawn after the subheader reading ``subheader``."""
    seen = False
    for node in at.main.children.values():
        if getattr(node, "type", None) == "subheader" and plain(node.value) == subheader:
            seen = True
        elif seen and getattr(node, "type", None) == "flex_container" and (cols := _first_columns(node)):
            return cols
    raise AssertionError(f"no columns after the subheader {subheader!r}")


def _first_columns(node: Any) -> list[Any]:
    """The columns of the first row of columns in ``node`` (a keyed container may hold the row)."""
    cols = [c for c in node.children.values() if getattr(c, "type", None) == "column"]
    if cols:
        return cols
    for child in node.children.values():
        if getattr(child, "type", None) == "flex_container" and (found := _first_columns(child)):
            return found
    return []


def column_header(col: Any) -> str:
    """The outlet name heading a column: bold markdown, or a <strong> element in an HTML heading."""
    first = col.markdown[0].value
    strong = re.search(r"<strong>(.*?)</strong>", first)
    if strong:
        return html.unescape(strong.group(1))
    text = plain(first)
    assert text.startswith("**") and text.endswith("**"), first
    return text[2:-2]


def chart_event_ids(at: AppTest) -> list[str]:
    return [cd[0] for tr in chart_spec(at)["data"] if tr.get("customdata") for cd in tr["customdata"]]


def month_label(text: str) -> str:
    y, m = (int(x) for x in text.split("-"))
    return f"{calendar.month_name[m]} {y}"


# -- every page: default view ---------------------------------------------------------------------
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.id)
def test_default_view_has_title_no_error_and_a_clean_link(view, raw):
    at = open_page(view.id)
    assert_clean(at)
    assert [plain(t.value) for t in at.title] == [expected_title(view, raw)]
    assert not notices(at)
    assert query(at) == {}, "a view at its defaults must not write anything into the link"


def test_overview_counts_match_the_data(raw):
    at = open_page("overview")
    shown = {m.label: m.value for m in at.metric}
    for section in ("outlets", "articles", "events", "claims", "actors", "positions"):
        assert shown[section.capitalize()] == str(len(raw[section])), section


def test_methods_offers_every_table_with_its_row_count(raw):
    at = open_page("methods")
    labels = [b.proto.label for b in at.get("download_button")]
    for section in ("outlets", "articles", "actors", "issues", "events", "claims", "positions"):
        assert f"{section}.csv ({len(raw[section])} rows)" in labels


def test_timeline_default_draws_every_event(raw):
    at = open_page(TIMELINE)
    n = len(raw["events"])
    assert f"{n} of {n} events shown." in [c.value for c in at.caption]
    assert sorted(chart_event_ids(at)) == sorted(e["id"] for e in raw["events"])


def test_compare_default_shows_a_column_per_outlet_with_text(raw):
    at = open_page(COMPARE)
    assert_clean(at)
    subject = at.session_state[key(COMPARE, "subject")]
    header = plain(at.subheader[0].value)
    assert header == names(raw, "actors")[subject]
    outlet_names = names(raw, "outlets")
    assert [column_header(c) for c in columns_after(at, header)] == [outlet_names[o] for o in outlets_with_text(raw)]


# -- deep links ------------------------------------------------------------------------------------
def _check_event_detail(at: AppTest, raw: dict[str, Any], event_id: str) -> None:
    event = next(e for e in raw["events"] if e["id"] == event_id)
    texts = [plain(m.value) for m in at.markdown]
    assert f"#### {event['title']}" in texts
    assert " ".join(event["summary"].split()) in texts
    outlet_names = names(raw, "outlets")
    reporting = outlets_of_event(raw, event_id)
    of = article_outlet(raw)
    if not reporting:
        return
    cols = columns_after(at, "Event details")
    assert {column_header(c) for c in cols} == {outlet_names[o] for o in reporting}
    for col in cols:
        outlet = next(o for o in reporting if outlet_names[o] == column_header(col))
        expected = {c["id"] for c in claims_of_event(raw, event_id) if of[c["article"]] == outlet}
        assert claim_ids([m.value for m in col.markdown]) == expected, outlet
    silent = [outlet_names[o] for o in outlets_with_text(raw) if o not in reporting]
    if silent:
        assert "Not mentioned by: " + ", ".join(silent) in [plain(c.value) for c in at.caption]


@pytest.mark.parametrize("event_id", ["oslo-talks-2019", "mou-mexico-2021", "wsj-amnesty-report-2024"])
def test_timeline_event_link_shows_the_event_and_each_outlets_excerpts(raw, event_id):
    at = open_page(TIMELINE, {"event": event_id})
    assert_clean(at)
    assert not notices(at)
    assert at.selectbox(key=key(TIMELINE, "event")).value == event_id
    assert query(at) == {"event": event_id}
    _check_event_detail(at, raw, event_id)


def test_timeline_every_event_detail_matches_the_data(raw):
    at = open_page(TIMELINE)
    for event in raw["events"]:
        at.selectbox(key=key(TIMELINE, "event")).set_value(event["id"]).run()
        assert_clean(at)
        assert query(at) == {"event": event["id"]}
        _check_event_detail(at, raw, event["id"])


def test_timeline_outlet_lanes_link_is_accepted(raw):
    at = open_page(TIMELINE, {"lanes": "outlet"})
    assert_clean(at)
    assert not notices(at)
    assert at.session_state[key(TIMELINE, "lanes")] == "outlet"
    assert query(at) == {"lanes": "outlet"}
    outlet_names = names(raw, "outlets")
    lanes = {y for tr in chart_spec(at)["data"] if tr.get("customdata") for y in tr["y"]}
    assert lanes == {outlet_names[o] for o in outlets_with_text(raw)}
    pairs = sum(len(outlets_of_event(raw, e["id"])) for e in raw["events"])
    assert len(chart_event_ids(at)) == pairs


def test_positions_actor_issue_link_shows_the_evidence(raw):
    at = open_page(POSITIONS, {"actor": "opposition", "issue": "step_down_first"})
    assert_clean(at)
    assert not notices(at)
    shown = (at.selectbox(key=key(POSITIONS, "actor")).value, at.selectbox(key=key(POSITIONS, "issue")).value)
    assert shown == ("opposition", "step_down_first")
    assert "The evidence for one cell" in [s.value for s in at.header]
    actor = names(raw, "actors")["opposition"]
    question = names(raw, "issues", "question")["step_down_first"]
    texts = [plain(m.value) for m in at.markdown]
    assert f"{actor} — {question}" in texts
    history = [p for p in raw["positions"] if (p["actor"], p["issue"]) == ("opposition", "step_down_first")]
    assert history, "the data should hold this actor's stances on this question"
    shown = [t for t in texts if t.startswith("**") and " · " in t]
    for p in history:
        assert any(STANCE_LABEL[p["stance"]] in t for t in shown), p["stance"]
    evidence = {c for p in history for c in p["evidence"]}
    assert claim_ids([m.value for m in at.markdown]) == evidence


def _month(date_text: str, shift: int = 0) -> str:
    """'YYYY-MM' of the first day a data date stands for, moved ``shift`` months."""
    first = date_range(date_text)[0]
    n = first.year * 12 + first.month - 1 + shift
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def test_positions_asof_shows_the_stances_held_that_month(raw, real_bundle):
    """Moving the slider across each change of one cell's stance (the README's example cell)."""
    cell = ("opposition", "step_down_first")
    history = [p for p in raw["positions"] if (p["actor"], p["issue"]) == cell]
    allowed = BY_ID[POSITIONS].params(real_bundle)[0].choices
    months = sorted({_month(p["from"], shift) for p in history for shift in (-1, 0)} & set(allowed))
    assert months, "the data should hold this actor's stances on this question"
    at = open_page(POSITIONS, {"actor": cell[0], "issue": cell[1]})
    at.session_state[key(POSITIONS, "table")] = True  # "Show as a table" opened: its table is sent from now on
    actors, questions = names(raw, "actors"), names(raw, "issues", "question")
    for asof in months:
        at.select_slider(key=key(POSITIONS, "asof")).set_value(asof).run()
        assert_clean(at)
        assert query(at).get("asof", allowed[-1]) == asof
        table = at.dataframe[0].value
        held = held_stances(raw, asof)
        row = table[(table["actor_name"] == actors[cell[0]]) & (table["question"] == questions[cell[1]])]
        assert list(row["stance_label"]) == ([STANCE_LABEL[held[cell]]] if cell in held else []), asof
        # The whole table is the set of stances held at the end of that month, by the data.
        expected = {(actors[a], questions[i], STANCE_LABEL[s]) for (a, i), s in held.items()}
        assert set(zip(table["actor_name"], table["question"], table["stance_label"], strict=True)) == expected
        assert len(table) == len(expected)


def test_compare_event_link_shows_subject_and_outlet_columns(raw):
    at = open_page(COMPARE, {"by": "event", "subject": "oslo-talks-2019"})
    assert_clean(at)
    assert not notices(at)
    event = next(e for e in raw["events"] if e["id"] == "oslo-talks-2019")
    header = f"{month_label(event['date'])} · {event['title']}"
    assert plain(at.subheader[0].value) == header
    at.toggle(key=key(COMPARE, "all_excerpts")).set_value(True).run()  # every excerpt, not the top ones
    outlet_names = names(raw, "outlets")
    cols = columns_after(at, header)
    assert [column_header(c) for c in cols] == [outlet_names[o] for o in outlets_with_text(raw)]
    of = article_outlet(raw)
    for col, outlet in zip(cols, outlets_with_text(raw), strict=True):
        expected = {c["id"] for c in claims_of_event(raw, "oslo-talks-2019") if of[c["article"]] == outlet}
        assert claim_ids([m.value for m in col.markdown]) == expected, outlet
        if not expected:
            assert "No excerpt." in [c.value for c in col.caption]


def test_compare_outlets_in_the_link_limit_the_columns(raw):
    at = open_page(COMPARE, {"by": "event", "subject": "oslo-talks-2019", "outlets": "wlrn,breitbart"})
    assert_clean(at)
    assert at.multiselect(key=key(COMPARE, "outlets")).value == ["wlrn", "breitbart"]
    event = next(e for e in raw["events"] if e["id"] == "oslo-talks-2019")
    header = f"{month_label(event['date'])} · {event['title']}"
    outlet_names = names(raw, "outlets")
    assert [column_header(c) for c in columns_after(at, header)] == [outlet_names["wlrn"], outlet_names["breitbart"]]
    assert query(at) == {"by": "event", "subject": "oslo-talks-2019", "outlets": "wlrn,breitbart"}
    # The sections below the columns are chosen one at a time, each by its own link.
    framing = open_page(COMPARE, {"outlets": "wlrn,breitbart", "section": "framing"})
    assert_clean(framing)
    assert [column_header(c) for c in columns_after(framing, "Framing: Entman's four functions")] == [
        outlet_names["wlrn"],
        outlet_names["breitbart"],
    ]
    metrics = open_page(COMPARE, {"outlets": "wlrn,breitbart", "section": "metrics"})
    assert_clean(metrics)
    assert list(metrics.dataframe[0].value["Outlet"]) == [outlet_names["wlrn"], outlet_names["breitbart"]]
    assert query(metrics) == {"outlets": "wlrn,breitbart", "section": "metrics"}


# -- bad links -------------------------------------------------------------------------------------
BAD_LINKS = [
    pytest.param(
        TIMELINE,
        {
            "foo": "1",
            "lanes": "sideways",
            "from": "1900-01-01",
            "to": "2020-13-45",
            "categories": "negotiations,bogus",
            "event": "oslo-talks-2019",
        },
        ["foo", "sideways", "1900-01-01", "2020-13-45", "bogus"],
        {"categories": "negotiations", "event": "oslo-talks-2019"},
        id="timeline",
    ),
    pytest.param(
        TIMELINE, {"to": "2099-01-01", "actors": "nobody"}, ["2099-01-01", "nobody"], {}, id="timeline-late-date"
    ),
    pytest.param(
        POSITIONS,
        {"asof": "1999-01", "actor": "nobody", "issue": "step_down_first", "zzz": ""},
        ["1999-01", "nobody", "zzz"],
        {"issue": "step_down_first"},
        id="positions",
    ),
    pytest.param(
        COMPARE,
        {"by": "nonsense", "outlets": "wlrn,nyt", "subject": "nobody"},
        ["nonsense", "nyt", "nobody"],
        {"outlets": "wlrn"},
        id="compare",
    ),
]


@pytest.mark.parametrize(("page", "params", "bad", "kept"), BAD_LINKS)
def test_bad_link_shows_a_notice_and_drops_what_it_did_not_understand(page, params, bad, kept):
    at = open_page(page, params)
    assert_clean(at)
    shown = notices(at)
    assert len(shown) == 1
    for value in bad:
        assert f"“{value}”" in shown[0], value
    assert query(at) == kept


@pytest.mark.parametrize("view_id", VIEW_IDS)
def test_any_page_survives_a_garbage_link(view_id):
    at = open_page(view_id, {"x": "<script>", "asof": "%%%", "from": "not-a-date", "outlets": ",,,"})
    assert_clean(at)
    assert at.title


def test_bad_link_values_fall_back_to_the_defaults(raw):
    at = open_page(TIMELINE, {"lanes": "sideways", "from": "1900-01-01"})
    assert at.session_state[key(TIMELINE, "lanes")] == "category"
    first = min(date_range(e["date"])[0] for e in raw["events"])
    assert at.date_input(key=key(TIMELINE, "start")).value == first


# -- filters that match nothing ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("page", "params", "message"),
    [
        (TIMELINE, {"q": "zzzznomatch"}, "No event matches these filters"),
        (POSITIONS, {"camps": ""}, "No stance is recorded by this month for these camps"),
        (COMPARE, {"outlets": ""}, "Choose at least one outlet to compare"),
    ],
    ids=["timeline", "positions", "compare"],
)
def test_filters_matching_nothing_give_the_empty_state(page, params, message):
    at = open_page(page, params)
    assert_clean(at)
    assert not notices(at)
    assert any(i.value.startswith(message) for i in at.info)
    assert not at.get("plotly_chart"), "an empty view draws no chart"
    assert query(at) == params, "the empty setting must stay in the link"


# -- interactions write the link; the link reopens the same view --------------------------------------
def _timeline_interact(at: AppTest) -> None:
    at.selectbox(key="timeline.event").set_value("mou-mexico-2021").run()
    at.multiselect(key="timeline.categories").set_value(["negotiations", "elections"]).run()
    at.multiselect(key="timeline.outlets").set_value(["wlrn"]).run()
    at.date_input(key="timeline.start").set_value(dt.date(2019, 1, 1)).run()
    at.text_input(key="timeline.q").set_value("Mexico").run()


def _positions_interact(at: AppTest) -> None:
    at.select_slider(key="positions.asof").set_value("2021-09").run()
    at.multiselect(key="positions.camps").set_value(["venezuelan_opposition"]).run()
    at.selectbox(key="positions.actor").set_value("opposition").run()
    at.selectbox(key="positions.issue").set_value("step_down_first").run()


def _compare_interact(at: AppTest) -> None:
    at.multiselect(key="compare.outlets").set_value(["wlrn", "washington_post"]).run()
    widget(at, "compare.by").set_value("issue").run()
    at.selectbox(key="compare.subject").set_value("step_down_first").run()
    at.radio(key="compare.voices").set_value("all").run()


ROUND_TRIPS = [
    pytest.param(
        TIMELINE,
        _timeline_interact,
        {
            "event": "mou-mexico-2021",
            "categories": "negotiations,elections",
            "outlets": "wlrn",
            "from": "2019-01-01",
            "q": "Mexico",
        },
        id="timeline",
    ),
    pytest.param(
        POSITIONS,
        _positions_interact,
        {"asof": "2021-09", "camps": "venezuelan_opposition", "actor": "opposition", "issue": "step_down_first"},
        id="positions",
    ),
    pytest.param(
        COMPARE,
        _compare_interact,
        {"outlets": "wlrn,washington_post", "by": "issue", "subject": "step_down_first", "voices": "all"},
        id="compare",
    ),
]


@pytest.mark.parametrize(("page", "interact", "link"), ROUND_TRIPS)
def test_interaction_updates_the_link_and_the_link_reopens_the_view(page, interact, link):
    at = open_page(page)
    interact(at)
    assert_clean(at)
    assert query(at) == link
    again = open_page(page, query(at))
    assert_clean(again)
    assert not notices(again)
    for field in dataclasses.fields(BY_ID[page].settings):
        name = key(page, field.name)
        assert again.session_state[name] == at.session_state[name], name
    assert [c.value for c in again.caption] == [c.value for c in at.caption]
    assert query(again) == link


def test_a_setting_back_at_its_default_leaves_the_link():
    at = open_page(COMPARE, {"voices": "all"})
    assert query(at) == {"voices": "all"}
    at.radio(key="compare.voices").set_value("narration").run()
    assert query(at) == {}
    at = open_page(TIMELINE, {"event": "oslo-talks-2019"})
    at.selectbox(key="timeline.event").set_value("").run()
    assert query(at) == {}


def test_timeline_filters_from_the_link_narrow_the_events(raw):
    at = open_page(TIMELINE, {"categories": "negotiations", "from": "2021-01-01"})
    assert_clean(at)
    expected = {
        e["id"]
        for e in raw["events"]
        if e["category"] == "negotiations" and date_range(e.get("end") or e["date"])[1] >= dt.date(2021, 1, 1)
    }
    assert expected, "the data should hold negotiations from 2021 on"
    assert set(chart_event_ids(at)) == expected
    assert f"{len(expected)} of {len(raw['events'])} events shown." in [c.value for c in at.caption]


# -- the quiz: a link must reopen the same question -----------------------------------------------------------
def _quiz_excerpt(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith('<blockquote class="nt-quote"'))


def test_quiz_link_reopens_the_same_question():
    at = open_page(QUIZ, {"seed": "42", "question": "3"})
    assert_clean(at)
    assert not notices(at)
    assert at.number_input(key="quiz.seed").value == 42
    assert at.session_state["quiz.question"] == 3
    assert query(at) == {"seed": "42", "question": "3"}
    again = open_page(QUIZ, query(at))
    assert _quiz_excerpt(again) == _quiz_excerpt(at)


def test_quiz_bad_link_shows_a_notice():
    at = open_page(QUIZ, {"seed": "abc", "question": "999"})
    assert_clean(at)
    shown = notices(at)
    assert len(shown) == 1 and "“abc”" in shown[0] and "“999”" in shown[0]
    assert query(at) == {}
