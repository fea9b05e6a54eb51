"""Compare outlets with AppTest on the small invented dataset: the framing strip and its tables, focusing the
excerpts from it, "show all", the presenter layout and the empty states.

Expected values are read from the fixture's YAML (page_kit.raw_data), not from the dashboard's frames.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from page_kit import SMALL, assert_clean, chart_spec, key, open_page, plain, raw_data, widget

from dashboard.views.compare import SECTIONS
from dashboard.views.compare.page import TOP_EXCERPTS

COMPARE = "compare"
ISSUE = {"by": "issue", "subject": "negotiate"}


def raw() -> dict:
    return raw_data(SMALL)


def about_issue(issue: str) -> dict[str, list[str]]:
    """Outlet -> the claims about ``issue`` in the fixture, in data order."""
    data = raw()
    outlet_of = {a["id"]: a["outlet"] for a in data["articles"]}
    out: dict[str, list[str]] = {}
    for c in data["claims"]:
        if issue in c.get("issues", []):
            out.setdefault(outlet_of[c["article"]], []).append(c["id"])
    return out


def claims_shown(at) -> list[str]:
    """The claim ids of the excerpts drawn, in page order."""
    return [m for el in at.markdown for m in re.findall(r"claim ([\w.-]+)</span></blockquote>", el.value)]


def test_the_strip_comes_first_with_four_figures_and_their_tables(small_data: Path) -> None:
    at = open_page(COMPARE, ISSUE)
    assert_clean(at)
    headers = [plain(h.value) for h in at.header]
    assert headers[0].startswith("At a glance"), headers
    assert headers[1:] == ["What each text says", "More comparisons"]
    assert [plain(s.value) for s in at.subheader][-1] == SECTIONS["labels"]  # h3s only under h2s
    assert len(at.get("plotly_chart")) == 1, "one figure of four panels: one browser draw"
    # An outlet's short name (its own, else the shortest of its name and aliases), whole.
    short = {o["id"]: o.get("short_name") or min([o["name"], *o.get("aliases", [])], key=len) for o in raw()["outlets"]}
    spec = chart_spec(at, 0)
    panels = {trace.get("xaxis", "x") for trace in spec["data"]}
    assert panels == {"x", "x2", "x3", "x4"}
    titles = [plain(a["text"]) for a in spec["layout"]["annotations"]]
    assert titles == [
        "<b>Named as</b>",
        "<b>Loaded terms per 100 words</b>",
        "<b>Scare quotes</b>",
        "<b>Whose voices speak</b>",
    ]
    for panel in panels:  # every chosen outlet has a row in every panel (a bar, or "none")
        rows = {y for trace in spec["data"] if trace.get("xaxis", "x") == panel for y in trace["y"]}
        assert rows == {short[o] for o in widget(at, key(COMPARE, "outlets")).value}, panel
    # A click on a segment names what it counts: (part, value), as the focus select box reads it.
    assert {c[0] for t in spec["data"] if t["type"] == "bar" for c in t["customdata"]} <= {
        "label",
        "loaded",
        "scare",
        "camp",
    }
    # Its words for screen readers: every panel's.
    alt = at.get("plotly_chart")[0].proto.alt
    assert all(title in alt for title in ("Named as", "Loaded terms", "Scare quotes", "Whose voices speak")), alt
    assert len(at.dataframe) == 1  # the strip's tables only on demand (this one is the labels section's)
    widget(at, key(COMPARE, "glance_tables")).set_value(True).run()
    assert_clean(at)
    assert len(at.dataframe) == 1 + 4
    downloads = [b.proto.label for b in at.get("download_button")]
    assert {"Download glance-label.csv", "Download glance-camp.csv"} <= set(downloads)


def test_the_names_figure_counts_the_fixtures_labels(small_data: Path) -> None:
    at = open_page(COMPARE, ISSUE)
    widget(at, key(COMPARE, "glance_tables")).set_value(True).run()
    outlets_about = about_issue("negotiate")
    labels = [
        label
        for c in raw()["claims"]
        if c["speaker"] == "narration" and any(c["id"] in ids for ids in outlets_about.values())
        for label in c.get("labels", {}).values()
    ]
    names_table = at.dataframe[0].value  # the strip's first table (the labels section's comes last)
    assert sorted(names_table["Label"]) == sorted(set(labels))
    assert names_table["Times"].sum() == len(labels)


def test_a_click_on_a_segment_focuses_the_excerpts_and_one_button_brings_all_back(small_data: Path) -> None:
    at = open_page(COMPARE, ISSUE)
    every = [c for ids in about_issue("negotiate").values() for c in ids]
    assert set(claims_shown(at)) == set(every)  # no more than TOP_EXCERPTS per outlet in the fixture
    scare = next(c for c in raw()["claims"] if c.get("scare_quotes") and c["id"] in every)
    word = scare["scare_quotes"][0]
    # What a click on the segment does (page.focus_from_chart): the focus select box takes "scare:<word>".
    at.session_state[key(COMPARE, "focus")] = f"scare:{word}"
    at.run()
    assert_clean(at)
    carrying = [c["id"] for c in raw()["claims"] if c["id"] in every and word in c.get("scare_quotes", [])]
    assert claims_shown(at) == carrying
    at.button[0].click().run()  # "Show every excerpt again"
    assert at.session_state[key(COMPARE, "focus")] == ""
    assert set(claims_shown(at)) == set(every)


def test_a_voice_focus_keeps_the_claims_of_that_camp(small_data: Path) -> None:
    at = open_page(COMPARE, ISSUE)
    data = raw()
    camp_of = {a["id"]: a["camp"] for a in data["actors"]}
    every = [c for ids in about_issue("negotiate").values() for c in ids]
    spoken = [c for c in data["claims"] if c["id"] in every and c["speaker"] in camp_of]
    camp = camp_of[spoken[0]["speaker"]]
    at.session_state[key(COMPARE, "focus")] = f"camp:{camp}"
    at.run()
    assert_clean(at)
    assert claims_shown(at) == [c["id"] for c in spoken if camp_of[c["speaker"]] == camp]


def test_a_focus_the_subject_does_not_have_falls_back_to_every_excerpt(small_data: Path) -> None:
    at = open_page(COMPARE, ISSUE)
    at.session_state[key(COMPARE, "focus")] = "label:no such label"
    at.run()
    assert_clean(at)
    assert at.session_state[key(COMPARE, "focus")] == ""


def test_the_columns_show_the_most_marked_first(dataset_file: Callable[..., Path]) -> None:
    # c3 gains a label: in the daily paper, c1 (label, loaded term, scare quote) then c3 (a label) then c2.
    dataset_file(
        lambda small: small.replace(
            "    actors: [leader]\n    issues: [vote_first, negotiate]\n",
            "    actors: [leader]\n    issues: [vote_first, negotiate]\n    labels: {leader: Leader Jones}\n",
        )
    )
    at = open_page(COMPARE, {**ISSUE, "outlets": "daily"})
    assert_clean(at)
    assert about_issue("negotiate")["daily"] == ["c1", "c2", "c3"]  # the data's order
    assert claims_shown(at) == ["c1", "c3", "c2"]


def test_the_columns_show_the_top_excerpts_and_all_on_demand() -> None:
    data = raw_data()  # the curated data: its columns hold more excerpts than are shown at first
    outlet_of = {a["id"]: a["outlet"] for a in data["articles"]}
    at = open_page(COMPARE)
    subject = at.session_state[key(COMPARE, "subject")]
    about = [c for c in data["claims"] if subject in c.get("actors", []) or c["speaker"] == subject]
    per_outlet = {o: sum(outlet_of[c["article"]] == o for c in about) for o in set(outlet_of.values())}
    chosen = widget(at, key(COMPARE, "outlets")).value
    shown = claims_shown(at)
    assert len(shown) == sum(min(TOP_EXCERPTS, per_outlet[o]) for o in chosen)
    total = sum(per_outlet[o] for o in chosen)
    toggle = widget(at, key(COMPARE, "all_excerpts"))
    assert toggle.label == f"Show all {total} excerpts"
    toggle.set_value(True).run()
    assert sorted(claims_shown(at)) == sorted(c["id"] for c in about if outlet_of[c["article"]] in chosen)


def test_presenting_a_voices_step_puts_the_voices_figure_first(dataset_file: Callable[..., Path]) -> None:
    dataset_file(
        lambda small: small.replace(
            "settings: {by: event, subject: talks-2024, outlets: [daily, radio]}",
            "settings: {by: event, subject: talks-2024, outlets: [daily, radio], section: voices}",
        )
    )
    link = {"by": "event", "subject": "talks-2024", "outlets": "daily,radio", "section": "voices"}
    at = open_page(COMPARE, {**link, "path": "lesson", "step": "3"})
    assert_clean(at)
    assert not [t for t in at.title if plain(t.value) == "Compare outlets"]  # the step's title stands in
    first = chart_spec(at, 0)
    assert any(trace.get("showlegend", True) for trace in first["data"]), "the voices figure, with its legend"
    assert len(at.get("plotly_chart")) == 1 + 1  # the voices figure, then the strip
    assert not [h for h in at.header if plain(h.value).startswith("At a glance")], "the step's title names it"
    assert "More comparisons" not in [plain(h.value) for h in at.header]
    # Without a section, the strip comes first.
    plain_step = open_page(COMPARE, {**link, "section": "labels", "path": "lesson", "step": "3"})
    assert_clean(plain_step)
    assert not any(t.get("showlegend", True) for t in chart_spec(plain_step, 0)["data"] if t["type"] == "bar")


def test_no_outlet_chosen_says_so_and_draws_no_strip(small_data: Path) -> None:
    at = open_page(COMPARE, {**ISSUE, "outlets": ""})
    assert [plain(i.value) for i in at.info] == ["Choose at least one outlet to compare."]
    assert not at.get("plotly_chart")


def test_a_subject_nobody_codes_shows_each_figures_empty_state(small_data: Path) -> None:
    at = open_page(COMPARE, {"by": "issue", "subject": "vote_first", "outlets": "radio"})
    assert_clean(at)
    captions = [plain(c.value) for c in at.caption]
    assert "Scare quotes: No scare quotes coded in these excerpts." in captions
    assert any(c.startswith("Named as: No label names ") and c.endswith(" in these excerpts.") for c in captions), (
        captions
    )
