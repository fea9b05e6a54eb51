"""The timeline: its handout with no event chosen, its layout in presentation mode, and its chart at scale.

Small cases run on the invented fixture (tests/pages/fixtures/small.yaml), edited here
where a case needs a presenter step; the large case on a dataset made by bench/synth.py.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from page_kit import (
    REPO,
    SMALL,
    chart_spec,
    event_span,
    names,
    open_page,
    outlets_of_event,
    raw_data,
    replace_once,
)
from plotly.utils import PlotlyJSONEncoder

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import load_dataset
from dashboard.shell.page import PRESENTING_CHART_HEIGHT
from dashboard.views import BY_ID
from dashboard.views.timeline.figure import DENSITY_ABOVE, WEBGL_ABOVE, timeline_figure

TIMELINE = BY_ID["timeline"]
PAPER_WORDS = re.compile(r"\b(open|click|tap|hover|move the slider|scroll)\b", re.IGNORECASE)

# A presenter path whose first step is the timeline by outlet lanes with no event, the second one event.
LANES_STEP = "      - title: Who reports what\n        page: timeline\n        settings: {lanes: outlet}\n"


def with_lanes_step(small: str) -> str:
    first = "      - title: The talks\n"
    return replace_once(small, "    steps:\n" + first, "    steps:\n" + LANES_STEP + first)


def small_bundle() -> Bundle:
    return Bundle.build(load_dataset(SMALL))


def settings(bundle: Bundle, **link: str) -> Any:
    made, unread = TIMELINE.from_link(bundle, link)
    assert not unread
    return made


def walk(node: Any, inside: tuple[str, ...] = ()) -> list[tuple[Any, tuple[str, ...]]]:
    """Every element in drawing order, with the types of the blocks it sits in."""
    out = []
    for child in getattr(node, "children", {}).values():
        out.append((child, inside))
        out.extend(walk(child, (*inside, getattr(child, "type", ""))))
    return out


# -- the handout with no event chosen ---------------------------------------------------------------
@pytest.mark.parametrize("lanes", ["category", "outlet", "camp"])
def test_with_no_event_the_handout_lists_each_event_with_who_reports_it_and_a_quote_each(lanes: str) -> None:
    raw = raw_data(SMALL)
    bundle = small_bundle()
    sections = TIMELINE.handout(bundle, settings(bundle, lanes=lanes))
    by_date = sorted(raw["events"], key=lambda e: event_span(e)[0])
    assert len(sections) == len(by_date), "one section per event shown"
    outlet_names = names(raw, "outlets")
    article_outlet = {a["id"]: a["outlet"] for a in raw["articles"]}
    for section, event in zip(sections, by_date, strict=True):
        assert event["title"] in section.heading
        reporting = outlets_of_event(raw, event["id"])
        assert reporting, "every fixture event is reported"
        for outlet in outlet_names:
            assert (outlet_names[outlet] in section.heading) == (outlet in reporting), (event["id"], outlet)
        # The first claim of each reporting outlet about the event, in the data's order.
        about = [c for c in raw["claims"] if event["id"] in c.get("events", [])]
        first = {}
        for claim in about:
            first.setdefault(article_outlet[claim["article"]], claim["id"])
        assert sorted(section.claims["claim"]) == sorted(first.values())
        assert ("2 of 3" in section.heading) == (len(about) == 3 and len(first) == 2), section.heading
        assert not PAPER_WORDS.search(section.heading), "written for paper"


def test_the_handout_with_no_event_follows_the_filters() -> None:
    bundle = small_bundle()
    raw = raw_data(SMALL)
    narrowed = TIMELINE.handout(bundle, settings(bundle, categories="talks"))
    talks = [e["title"] for e in raw["events"] if e["category"] == "talks"]
    assert [s.heading.split(": reported by")[0].split(" · ", 1)[1] for s in narrowed] == talks


def test_the_handout_with_an_event_chosen_is_still_that_event_by_outlet() -> None:
    bundle = small_bundle()
    raw = raw_data(SMALL)
    sections = TIMELINE.handout(bundle, settings(bundle, event="talks-2024"))
    outlet_names = names(raw, "outlets")
    assert {s.heading for s in sections} == {outlet_names[o] for o in outlets_of_event(raw, "talks-2024")}


def test_the_page_with_no_event_offers_a_handout(small_data: Path) -> None:
    at = open_page("timeline", {"lanes": "outlet"})
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Printable handout" in labels, labels


# -- presentation mode ---------------------------------------------------------------------------------
def test_presenting_the_lanes_step_shows_no_title_folds_the_widgets_and_fits_the_chart(dataset_file) -> None:
    dataset_file(with_lanes_step)
    at = open_page("timeline", {"lanes": "outlet", "path": "lesson", "step": "1"})
    assert not at.exception
    assert [t.value for t in at.title] == [], "the step's title stands in for the page's"
    placed = {getattr(el, "key", None): inside for el, inside in walk(at.main)}
    for field in ("lanes", "event", "start", "q"):
        assert "expander" in placed[TIMELINE.key(field)], f"{field} is folded away"
    assert not [w for w, _ in walk(at.sidebar) if getattr(w, "key", "") and w.key.startswith("timeline.")]
    assert chart_spec(at)["layout"]["height"] == PRESENTING_CHART_HEIGHT
    order = [getattr(el, "type", "") for el, inside in walk(at.main) if not inside]
    assert order.index("plotly_chart") < order.index("download_button"), "the chart comes before the table"


def test_presenting_an_event_step_puts_the_event_before_the_chart(dataset_file) -> None:
    dataset_file(with_lanes_step)
    at = open_page("timeline", {"event": "talks-2024", "path": "lesson", "step": "2"})
    assert not at.exception
    drawn = [(getattr(el, "type", ""), str(getattr(el, "value", ""))) for el, _ in walk(at.main)]
    title = drawn.index(("markdown", "#### Talks begin"))
    chart = [t for t, _ in drawn].index("plotly_chart")
    quotes = [i for i, (t, v) in enumerate(drawn) if t == "markdown" and 'class="nt-quote"' in v]
    assert quotes and title < min(quotes) < chart, "the event and its quotes, then the chart"
    assert [t.value for t in at.title] == []
    assert chart_spec(at)["layout"]["height"] == PRESENTING_CHART_HEIGHT


def test_out_of_presentation_the_headings_go_down_one_level_at_a_time(small_data: Path) -> None:
    at = open_page("timeline", {"event": "talks-2024"})
    levels = []
    for el, _ in walk(at.main):
        kind = getattr(el, "type", "")
        if kind in ("title", "header", "subheader"):
            levels.append({"title": 1, "header": 2, "subheader": 3}[kind])
        elif kind == "markdown" and (m := re.match(r"^(#{1,6}) ", str(el.value))):
            levels.append(len(m[1]))
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert at.get("plotly_chart")[0].proto.alt.startswith("Timeline of 3 events")


def test_the_events_table_is_sent_only_once_its_expander_is_opened(small_data: Path) -> None:
    at = open_page("timeline")
    assert not at.exception
    assert not at.dataframe, "a folded table is not sent (at 10,000 events it is megabytes on every run)"
    assert "Download timeline-events.csv" in [b.proto.label for b in at.get("download_button")]
    at.session_state["table.timeline-events"] = True  # what opening "Show as a table" does
    table = at.run().dataframe[0].value
    assert sorted(table["title"]) == sorted(e["title"] for e in raw_data(SMALL)["events"])


def test_a_chosen_event_has_a_jump_to_its_quotes_above_the_chart(small_data: Path) -> None:
    at = open_page("timeline", {"event": "talks-2024"})
    order = [(getattr(el, "type", ""), str(getattr(el, "value", ""))) for el, _ in walk(at.main)]
    jump = next(i for i, (kind, v) in enumerate(order) if kind == "markdown" and v.startswith("[↓ "))
    chart = next(i for i, (kind, _) in enumerate(order) if kind == "plotly_chart")
    assert jump < chart
    target = order[jump][1].rsplit("](#", 1)[1].rstrip(")")
    assert [h.proto.anchor for h in at.subheader if h.value == "Event details"] == [target]
    assert "[↓ " not in " ".join(m.value for m in open_page("timeline").markdown), "no event, no jump"


# -- the chart at scale ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def large_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    import synth  # the benchmarks' generator of valid datasets of any size

    path = tmp_path_factory.mktemp("large") / "events.yaml"
    path.write_text(synth.generate(WEBGL_ABOVE + 300, 2 * WEBGL_ABOVE, outlets=3, seed=3), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def large_bundle(large_file: Path) -> Bundle:
    return Bundle.build(load_dataset(large_file))


def figure_inputs(bundle: Bundle) -> tuple[dict, dict, dict]:
    t = bundle.tables
    camps_of = dict(zip(t.actors["actor"], t.actors["camp_name"], strict=True))
    colours = {o: "#0072B2" for o in t.outlets["outlet"]}
    return bundle.names["outlet"], camps_of, colours


def test_above_the_threshold_markers_are_webgl_with_one_size_per_trace(large_bundle: Bundle) -> None:
    events = large_bundle.tables.events
    assert len(events) > WEBGL_ABOVE
    fig = timeline_figure(events, "category", *figure_inputs(large_bundle))
    assert {tr.type for tr in fig.data} == {"scattergl"}, "markers and period lines alike"
    markers = [tr for tr in fig.data if tr.mode == "markers"]
    ids = [e for tr in markers for e in tr.customdata]
    assert sorted(ids) == sorted(events["event"]), "every event once, its id in customdata"
    for tr in markers:
        assert isinstance(tr.marker.size, int | float) and isinstance(tr.marker.line.width, int | float)


def test_above_the_threshold_the_chosen_event_is_drawn_on_top(large_bundle: Bundle) -> None:
    events = large_bundle.tables.events
    chosen = events["event"].iloc[len(events) // 2]
    fig = timeline_figure(events, "category", *figure_inputs(large_bundle), selected=chosen)
    top = fig.data[-1]
    assert list(top.customdata) == [chosen]
    assert top.marker.size > max(tr.marker.size for tr in fig.data[:-1] if tr.mode == "markers")


def test_below_the_threshold_the_chart_stays_svg() -> None:
    bundle = small_bundle()
    fig = timeline_figure(bundle.tables.events, "outlet", *figure_inputs(bundle))
    assert "scattergl" not in {tr.type for tr in fig.data}


def test_the_page_at_scale_draws_webgl(large_file: Path, dataset_file) -> None:
    dataset_file(large_file.read_text(encoding="utf-8"))
    at = open_page("timeline")
    assert not at.exception
    assert {tr["type"] for tr in chart_spec(at)["data"]} == {"scattergl"}


def _many(bundle: Bundle, copies: int) -> pd.DataFrame:
    """The small dataset's events repeated (new ids) until there are more markers than the density threshold."""
    events = bundle.tables.events
    return pd.concat([events.assign(event=events["event"] + f"-{i}") for i in range(copies)], ignore_index=True)


def test_above_the_density_threshold_the_chart_counts_events_by_month() -> None:
    bundle = small_bundle()
    events = _many(bundle, DENSITY_ABOVE // len(bundle.tables.events) + 1)
    fig = timeline_figure(events, "category", *figure_inputs(bundle))
    assert [tr.type for tr in fig.data] == ["heatmap"]
    counts = np.nan_to_num(np.asarray(fig.data[0].z, dtype=float))
    assert counts.sum() == len(events), "every event counted once, in one month of its lane"
    size = len(json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder))
    assert size < 100_000, "a few hundred cells, not 4,000 points"


def test_at_density_the_chosen_event_is_still_marked() -> None:
    bundle = small_bundle()
    events = _many(bundle, DENSITY_ABOVE // len(bundle.tables.events) + 1)
    chosen = events["event"].iloc[3]
    fig = timeline_figure(events, "outlet", *figure_inputs(bundle), selected=chosen)
    assert list(fig.data[-1].customdata) == [chosen]


def test_the_curated_timeline_keeps_its_markers(real_bundle: Bundle) -> None:
    fig = timeline_figure(real_bundle.tables.events, "outlet", *figure_inputs(real_bundle))
    assert {tr.type for tr in fig.data} == {"scatter", "bar"}
