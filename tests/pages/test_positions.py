"""The positions page's layout in AppTest: headings in order, charts described for screen readers,
and presentation mode (the slider in view, the other widgets folded, the matrix fitted to the
projector beside the chosen cell). What only a browser shows (phones, taps) is in
tests/browser/test_phone.py.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from page_kit import assert_clean, chart_spec, key, names, open_page, plain

from dashboard.data.filters import month_end
from dashboard.data.frames import positions_as_of
from dashboard.shell.page import PRESENTING_CHART_HEIGHT
from dashboard.views.charts import PROJECTOR_TEXT
from dashboard.views.positions.figure import matrix_figure, matrix_frame
from dashboard.views.positions.page import PROJECTOR_MATRIX_HEIGHT

POSITIONS = "positions"
CELL = {"actor": "opposition", "issue": "step_down_first"}
HEADINGS = {"title": 1, "header": 2, "subheader": 3}


def _walk(node: Any) -> list[Any]:
    """Every element under ``node``, in the order they are drawn."""
    out = []
    for child in getattr(node, "children", {}).values():
        out.append(child)
        out.extend(_walk(child))
    return out


def _step(raw: dict[str, Any]) -> tuple[str, int, dict[str, Any]]:
    """A presenter step on this page whose link names a cell: its path, number (1-based) and link."""
    for path in raw.get("paths", []):
        for n, step in enumerate(path["steps"], start=1):
            if step.get("page") == POSITIONS and {"actor", "issue"} <= set(step.get("settings", {})):
                return path["id"], n, step["settings"]
    pytest.skip("the data has no presenter step on the positions page naming a cell")


def test_headings_go_down_one_level_at_a_time():
    at = open_page(POSITIONS, CELL)
    assert_clean(at)
    levels = [HEADINGS[n.type] for n in _walk(at.main) if getattr(n, "type", None) in HEADINGS]
    assert levels[0] == 1 and "The evidence for one cell" in [h.value for h in at.header]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_every_chart_has_a_text_description(raw):
    at = open_page(POSITIONS, CELL)
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    matrix_alt, steps_alt = (c.proto.alt for c in charts)
    assert not at.dataframe, "the table is sent only once its expander is opened"
    at.session_state[key(POSITIONS, "table")] = True  # what opening "Show as a table" does
    held = len(at.run().dataframe[0].value)
    assert f"the {held} stances" in matrix_alt
    title = f"{names(raw, 'actors')[CELL['actor']]} — {names(raw, 'issues', 'question')[CELL['issue']]}"
    assert steps_alt.startswith(title)
    shown = [p for p in raw["positions"] if (p["actor"], p["issue"]) == (CELL["actor"], CELL["issue"])]
    assert steps_alt.count(" → ") == len(shown) - 1


def test_no_text_asks_to_hover_or_only_to_click():
    at = open_page(POSITIONS)
    caption = " ".join(plain(c.value) for c in at.caption)
    assert "hover" not in caption.lower() and "Tap or click" in caption


def test_presenting_keeps_the_slider_in_view_and_folds_the_rest(raw):
    path, n, params = _step(raw)
    at = open_page(POSITIONS, {**params, "path": path, "step": str(n)})
    assert_clean(at)
    assert "Actor positions" not in [t.value for t in at.title], "the step's title stands in for the page's"
    (folded,) = [e for e in at.expander if e.selectbox]
    assert {s.key for s in folded.selectbox} == {key(POSITIONS, "actor"), key(POSITIONS, "issue")}
    assert [m.key for m in folded.multiselect] == [key(POSITIONS, "camps")]
    assert not folded.select_slider
    assert at.select_slider(key=key(POSITIONS, "asof")).value == params.get("asof", at.select_slider[0].value)
    # The matrix and the cell side by side, the matrix first and fitted to the projector's height.
    rows = [
        n
        for n in _walk(at.main)
        if getattr(n, "type", None) == "flex_container"
        and len(n.children) == 2
        and all(getattr(c, "type", None) == "column" for c in n.children.values())
    ]
    assert rows, "the matrix and the cell sit in two columns"
    left, right = rows[0].children.values()
    assert [c.type for c in _walk(left)].count("plotly_chart") == 1
    # Beside it the cell's steps in words, then its quotes: they are what the prompt asks about.
    right_kinds = [c.type for c in _walk(right)]
    assert "plotly_chart" not in right_kinds
    right_text = [str(getattr(c, "value", "")) for c in _walk(right)]
    steps = next(i for i, t in enumerate(right_text) if " → " in t or t.startswith(("Supports", "Leans", "Mixed")))
    quote = next(i for i, t in enumerate(right_text) if "<blockquote" in t)
    assert steps < quote
    spec = chart_spec(at, 0)
    assert spec["layout"]["height"] == PROJECTOR_MATRIX_HEIGHT
    assert spec["layout"]["yaxis"]["showticklabels"] is True
    # Read from the back of a room: the axis text in the body colour, larger than the page's own charts.
    assert spec["layout"]["yaxis"]["tickfont"]["color"] == PROJECTOR_TEXT["light"]
    assert spec["layout"]["yaxis"]["tickfont"]["size"] >= 13


def _cells(bundle, month: str):
    held = positions_as_of(bundle.tables.positions, month_end(month))
    cells = matrix_frame(held, bundle.tables.actors, bundle.tables.issues)
    return cells, list(dict.fromkeys(cells["actor"])), list(dict.fromkeys(cells["issue"]))


def test_the_default_matrix_names_each_row_above_its_squares(real_bundle):
    """No left margin of names (it would take half a phone): one name line per actor, in row order."""
    months = real_bundle.tables.positions["since"]
    cells, actors, issues = _cells(real_bundle, f"{months.max():%Y-%m}")
    fig = matrix_figure(cells, actors, issues, None)
    shown = dict(zip(cells["actor"], cells["actor_name"], strict=False))
    assert [a.y for a in fig.layout.annotations] == [shown[a] for a in actors]
    assert fig.layout.yaxis.showticklabels is False
    assert list(fig.layout.xaxis.autotickangles) == [0, 90]
    taller = matrix_figure(cells[cells["actor"] != actors[-1]], actors[:-1], issues, None)
    assert fig.layout.height > taller.layout.height, "the height grows with the rows"


@pytest.mark.parametrize("height", [300, PRESENTING_CHART_HEIGHT, 600])
def test_the_projector_matrix_fits_its_squares_into_the_height(real_bundle, height):
    months = real_bundle.tables.positions["since"]
    cells, actors, issues = _cells(real_bundle, f"{months.min():%Y-%m}")
    fig = matrix_figure(cells, actors, issues, None, height=height)
    assert fig.layout.height == height
    plot = height - fig.layout.margin.t - fig.layout.margin.b
    sizes = {tr.marker.size for tr in fig.data}
    assert all(size * len(actors) <= plot for size in sizes), (sizes, len(actors), plot)
