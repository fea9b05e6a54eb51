"""The pages on datasets written for the test, from the small invented one (fixtures/small.yaml):
a broken file, hostile text, and valid datasets with little or nothing in them (issue 8, item 5).
"""

from __future__ import annotations

import html
import re

import pytest
import yaml
from page_kit import (
    all_markdown,
    assert_clean,
    chart_spec,
    key,
    notices,
    open_page,
    plain,
    query,
    replace_once,
    widget,
    without_events,
    without_lexicon,
    without_positions,
)
from streamlit.testing.v1 import AppTest

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import load_dataset
from dashboard.views import BY_ID, VIEWS
from dashboard.views.compare import SECTIONS, SUBJECT_KINDS

VIEW_IDS = [v.id for v in VIEWS]
TIMELINE, COMPARE = "timeline", "compare"


# -- a broken data file --------------------------------------------------------------------------------
BROKEN = [
    (
        "    date_note: The month is known; the day is not.\n    category: talks\n",
        "category: talks",
        "category: nosuch",
    ),
    ("  stance: leans_support\n", "stance: leans_support", "stance: sideways"),
]


@pytest.mark.parametrize("view_id", VIEW_IDS)
def test_bad_data_file_shows_located_problems(view_id, dataset_file):
    def break_it(text: str) -> str:
        for context, old, new in BROKEN:
            text = replace_once(text, context, context.replace(old, new))
        return text

    path = dataset_file(break_it)
    text = path.read_text(encoding="utf-8")
    at = open_page(view_id)
    assert not at.exception
    assert not at.title, "the page must stop before drawing anything from a broken dataset"
    assert len(at.error) == 1
    codes = at.code
    assert len(codes) == 1
    lines = codes[0].value.splitlines()
    assert f"has {len(lines)} problem(s)" in at.error[0].value
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: \S", line) for line in lines), lines
    for _, _, snippet in BROKEN:
        assert text.count(snippet) == 1
        start = text.index(snippet) + snippet.index(" ") + 1  # where the bad value starts
        line = text.count("\n", 0, start) + 1
        col = start - text.rfind("\n", 0, start)
        assert any(x.startswith(f"{path}:{line}:{col}:") for x in lines), (snippet, line, col, lines)


# -- hostile text in the data (the small dataset, its talks event and a quote about it) -----------------------
SCRIPT_TITLE = "Talks <script>alert(1)</script> begin"
SCRIPT_SUMMARY = "See [x](javascript:alert(1)) and <img src=x onerror=alert(2)> **bold** :red[x]"
SCRIPT_QUOTE = "<script>alert(3)</script>"
RAW_TAG = re.compile(r"(?<!\\)<(script|img)", re.IGNORECASE)
HOSTILE_EVENT = "talks-2024"


@pytest.fixture
def hostile_data(dataset_file):
    def edit(text: str) -> str:
        text = replace_once(
            text,
            "    title: Talks begin\n    summary: The two sides begin talks.\n",
            f'    title: {SCRIPT_TITLE}\n    summary: "{SCRIPT_SUMMARY}"\n',
        )
        return replace_once(
            text,
            "    quote: We will negotiate in good faith,\n",
            f"    quote: We will negotiate in good faith, {SCRIPT_QUOTE}\n",
        )

    return dataset_file(edit)


def _assert_nothing_live(at: AppTest) -> None:
    for source in all_markdown(at):
        assert not RAW_TAG.search(source), source
        assert "](javascript" not in source, source
    for chart in at.get("plotly_chart"):
        assert not RAW_TAG.search(chart.proto.spec)


def test_hostile_event_text_is_shown_escaped_on_the_timeline(hostile_data):
    at = open_page(TIMELINE, {"event": HOSTILE_EVENT})
    assert_clean(at)
    sources = [m.value for m in at.markdown]
    assert r"#### Talks \<script\>alert\(1\)\<\/script\> begin" in sources
    summary = next(s for s in sources if "javascript" in s)
    assert r"\[x\]\(javascript\:alert\(1\)\)" in summary
    assert r"\<img src\=x onerror\=alert\(2\)\>" in summary
    assert r"\*\*bold\*\* \:red\[x\]" in summary
    assert plain(summary) == SCRIPT_SUMMARY
    quote = next(s for s in sources if "alert(3)" in html.unescape(s))  # an excerpt: HTML, the quote escaped
    assert "&#60;script&#62;alert&#40;3&#41;&#60;&#47;script&#62;" in quote
    hover_titles = [cd[1] for tr in chart_spec(at)["data"] if tr.get("customdata") for cd in tr["customdata"]]
    assert "Talks &lt;script&gt;alert(1)&lt;/script&gt; begin" in hover_titles
    _assert_nothing_live(at)


def test_hostile_event_text_is_shown_escaped_on_compare(hostile_data):
    at = open_page(COMPARE, {"by": "event", "subject": HOSTILE_EVENT})
    assert_clean(at)
    assert plain(at.subheader[0].value) == f"January 2024 · {SCRIPT_TITLE}"
    assert r"\<script\>" in at.subheader[0].value
    assert any("&#60;script&#62;alert&#40;3&#41;&#60;&#47;script&#62;" in m.value for m in at.markdown)
    _assert_nothing_live(at)


# -- a dataset with nothing to show: every page opens, with an empty state -----------------------------------
EMPTY_STATES = {
    "timeline": "This dataset records no events.",
    "positions": "This dataset records no positions.",
    "compare": "This dataset has no outlet's text to compare.",
    "quiz": "This dataset has no excerpts suitable for a quiz.",
}


@pytest.mark.parametrize("view_id", VIEW_IDS)
def test_a_dataset_with_no_events_and_no_claims_opens_every_page(view_id, empty_data):
    at = open_page(view_id)
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.title
    assert query(at) == {}
    if view_id in EMPTY_STATES:
        assert [i.value for i in at.info] == [EMPTY_STATES[view_id]]
        assert not at.get("plotly_chart")
    elif view_id == "overview":
        shown = {m.label: m.value for m in at.metric}
        assert (shown["Events"], shown["Claims"], shown["Positions"]) == ("0", "0", "0")
    else:
        labels = [b.proto.label for b in at.get("download_button")]
        assert "events.csv (0 rows)" in labels and "claims.csv (0 rows)" in labels


THIN = {
    "no-positions-framing-facts-prompts-paths": (without_positions, {"positions": EMPTY_STATES["positions"]}),
    "no-lexicon": (without_lexicon, {}),
    "no-events": (without_events, {"timeline": EMPTY_STATES["timeline"]}),
}


@pytest.mark.parametrize("view_id", VIEW_IDS)
@pytest.mark.parametrize("thin", THIN)
def test_a_dataset_without_optional_sections_opens_every_page(thin, view_id, dataset_file):
    edit, empty_states = THIN[thin]
    dataset_file(edit)
    at = open_page(view_id)
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.title
    assert query(at) == {}
    if view_id in empty_states:
        assert [i.value for i in at.info] == [empty_states[view_id]]
    else:
        assert not any(i.value in EMPTY_STATES.values() for i in at.info)


@pytest.mark.parametrize("thin", THIN)
def test_every_comparison_section_opens_on_a_thin_dataset(thin, dataset_file):
    dataset_file(THIN[thin][0])
    for by in SUBJECT_KINDS:
        assert_clean(open_page(COMPARE, {"by": by}))
    at = open_page(COMPARE)
    for section, heading in SECTIONS.items():
        widget(at, key(COMPARE, "section")).set_value(section).run()
        assert_clean(at)
        assert heading in [plain(s.value) for s in at.subheader], section
        assert query(at)["section"] == section if section != "labels" else "section" not in query(at)


def test_choosing_an_outlet_again_after_none_shows_the_comparison(small_data):
    at = open_page(COMPARE, {"section": "metrics"})
    widget(at, key(COMPARE, "outlets")).set_value([]).run()
    assert [plain(i.value) for i in at.info] == ["Choose at least one outlet to compare."]
    widget(at, key(COMPARE, "outlets")).set_value(["daily"]).run()
    assert_clean(at)
    assert SECTIONS["metrics"] in [plain(s.value) for s in at.subheader]
    assert query(at) == {"outlets": "daily", "section": "metrics"}


def test_a_kind_with_nothing_to_compare_then_another_shows_the_comparison(dataset_file):
    dataset_file(without_events)
    at = open_page(COMPARE)
    widget(at, key(COMPARE, "by")).set_value("event").run()
    assert [plain(i.value) for i in at.info] == ["This dataset has no events to compare on."]
    widget(at, key(COMPARE, "by")).set_value("issue").run()
    assert_clean(at)
    assert SECTIONS["labels"] in [plain(s.value) for s in at.subheader]


@pytest.mark.parametrize("view_id", VIEW_IDS)
def test_a_link_into_an_empty_dataset_names_what_it_could_not_show(view_id, empty_data):
    link = {"event": "talks-2024", "subject": "talks-2024", "asof": "2024-01", "seed": "abc"}
    at = open_page(view_id, link)
    assert_clean(at)
    (notice,) = notices(at)
    own = {p.name for p in BY_ID[view_id].params(Bundle.build(load_dataset(empty_data)))}
    for name, value in link.items():  # none of these exists in the data: each is named
        assert (f"“{value}”" if name in own else f"unknown setting “{name}”") in notice, (name, notice)
    assert query(at) == {}


def test_methods_counts_the_stances_by_what_they_rest_on(small_data):
    at = open_page("methods")
    assert_clean(at)
    assert "What the stances rest on" in [s.value for s in at.header]
    shown = at.dataframe[0].value
    raw = yaml.safe_load(small_data.read_text(encoding="utf-8"))
    labels = {
        "own_words": "The actor's own words",
        "named_source": "Reported by a named source",
        "characterisation": "The outlet's characterisation",
        "unnamed_sources": "Unnamed sources",
    }
    expected: dict[str, int] = {}
    for p in raw["positions"]:
        label = labels.get(p.get("basis", ""), "not coded")
        expected[label] = expected.get(label, 0) + 1
    assert dict(zip(shown["basis_label"], shown["stances"], strict=True)) == expected
