"""The positions page: the month slider, the matrix and its table, then one cell's evidence and history.

In presentation mode (a 1280×720 projector) the step's own bar stands in for the title, the
slider stays in view (the teacher moves it with the class), the other widgets fold away, and
the matrix and the chosen cell sit side by side so both are on the first screen.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data.frames import BASIS_LABEL, STANCE_LABEL
from dashboard.markup.safe import md
from dashboard.shell.page import Page
from dashboard.shell.widgets import (
    chart_selection,
    empty_state,
    excerpts,
    legend_for_highlights,
    table_with_download,
)
from dashboard.views.charts import BASIS_MARK, STANCE_SYMBOL, for_projector
from dashboard.views.positions import PositionsSettings, actors_with_positions, position_months
from dashboard.views.positions.build import Cell, PositionsView
from dashboard.views.positions.figure import matrix_figure

CHART_KEY = "positions.chart"
PROJECTOR_MATRIX_HEIGHT = 480  # px: under the bar, the prompt and the slider of a 1280×720 projector

# Plotly selects a point on click only if a hover has found it first; a phone's tap brings no
# hover, so one tap showed a tooltip and selected nothing. Hovering at the touch point just
# before Plotly sees the touch makes one tap select the square under the finger.
_TAP_SELECTS_JS = """<script>
if (!window.__ntTapSelects) {
  window.__ntTapSelects = true;
  document.addEventListener('touchstart', (e) => {
    const touch = e.touches[0];
    const drag = e.target.closest && e.target.closest('.js-plotly-plot .nsewdrag');
    if (touch && drag) {
      drag.dispatchEvent(new MouseEvent('mousemove', {clientX: touch.clientX, clientY: touch.clientY, bubbles: true}));
    }
  }, {capture: true, passive: true});
}
</script>"""


def render(page: Page) -> None:
    b = page.bundle
    page.header(
        "Actor positions",
        "Each square is the latest stance an actor was recorded taking on a question by the chosen month: "
        + " · ".join(f"{STANCE_SYMBOL[s]} {label.lower()}" for s, label in STANCE_LABEL.items())
        + ". The letter under the symbol says what the stance rests on: "
        + " · ".join(f"{BASIS_MARK[b]} {label.lower()}" for b, label in BASIS_LABEL.items())
        + ". Blank means no stance recorded by then. Tap or click a square, or choose an actor and a question "
        "below, for the quotes behind it.",
    )
    if b.tables.positions.empty:
        page.publish()
        empty_state("This dataset records no positions.")
        return
    months = position_months(b)
    st.select_slider("As of", months, key=page.key("asof"), format_func=lambda m: f"{m[5:]}/{m[:4]}")
    st.html(_TAP_SELECTS_JS, unsafe_allow_javascript=True)
    if page.presenting:
        _presenting(page)
        return
    with st.sidebar:
        st.header("Filter actors")
        _camps(page)
    view: PositionsView = page.build(page.settings())
    _matrix(page, view)
    if view.figure is not None:
        table = view.cells[
            ["actor_name", "camp_name", "question", "stance_label", "period", "basis_label", "evidence", "note"]
        ]
        table_with_download(
            table.assign(evidence=table["evidence"].map("; ".join)),
            "positions-as-of-" + page.value("asof"),
            key=page.key("table"),  # stays open while the month moves
            column_config={
                "actor_name": "Actor",
                "camp_name": "Camp",
                "question": "Question",
                "stance_label": "Stance",
                "period": "Since",
                "basis_label": "Evidence",
                "evidence": "Claims",
                "note": st.column_config.TextColumn("Why this stance", width="large"),
            },
        )
    st.header("The evidence for one cell")
    _cell_pickers(page)
    settings = page.publish()
    page.prompts(settings)
    _cell(page, settings, page.build(settings).cell)


def _presenting(page: Page) -> None:
    """The step's layout: the matrix at the projector's height beside the chosen cell."""
    left, right = st.columns([3, 2])  # made first so they come before the folded widgets, drawn after them
    with page.controls():
        _camps(page)
        _cell_pickers(page)
    settings: PositionsSettings = page.publish()
    view: PositionsView = page.build(settings)
    with left:
        _matrix(page, view)
    with right:
        _cell(page, settings, view.cell)


def _camps(page: Page) -> None:
    camps = page.bundle.names["camp"]
    st.multiselect("Camps", list(camps), format_func=camps.get, key=page.key("camps"))


def _cell_pickers(page: Page) -> None:
    """The keyboard's (and any screen's) way to the same cell a tap on a square opens."""
    b = page.bundle
    actor_names, questions = b.names["actor"], b.names["issue"]
    left, right = st.columns(2)
    left.selectbox(
        "Actor",
        ["", *actors_with_positions(b)],
        key=page.key("actor"),
        format_func=lambda a: actor_names[a] if a else "Choose an actor…",
    )
    right.selectbox(
        "Question",
        ["", *b.tables.issues["issue"]],
        key=page.key("issue"),
        format_func=lambda i: questions[i] if i else "Choose a question…",
    )


def _matrix(page: Page, view: PositionsView) -> None:
    if view.figure is None:
        empty_state("No stance is recorded by this month for these camps. Move the slider later or add camps.")
        return
    figure = view.figure
    if page.presenting:  # the projector: names to the left, squares fitted to the height, larger type
        height, cells = PROJECTOR_MATRIX_HEIGHT, view.cells
        figure = page.bundle.memo.get(
            (
                "positions-projector",
                page.value("asof"),
                page.value("actor"),
                page.value("issue"),
                tuple(cells.index),
                tuple(page.value("camps")),
                height,
                st.context.theme.type,
            ),
            lambda: for_projector(
                matrix_figure(
                    cells,
                    list(dict.fromkeys(cells["actor"])),
                    list(dict.fromkeys(cells["issue"])),
                    (page.value("actor"), page.value("issue")),
                    height=height,
                ),
                st.context.theme.type or "light",
                tick_size=13,
            ),
        )
    st.plotly_chart(
        figure,
        key=CHART_KEY,
        on_select=lambda: _pick_cell(page),
        selection_mode="points",
        config={"displayModeBar": False, "scrollZoom": False},
        alt=_matrix_alt(view.cells, page.value("asof")),
    )


def _matrix_alt(cells: pd.DataFrame, asof: str) -> str:
    return (
        f"Matrix of the {len(cells)} stances held by {cells['actor'].nunique()} actors (rows) on "
        f"{cells['issue'].nunique()} questions (columns) as of {asof[5:]}/{asof[:4]}; "
        "the same stances are listed in the table under it."
    )


def _cell(page: Page, settings: PositionsSettings, cell: Cell | None) -> None:
    b = page.bundle
    actor_names, questions = b.names["actor"], b.names["issue"]
    if cell is None:
        return
    if cell.history.empty:
        empty_state(f"No stance of {actor_names[settings.actor]} on this question is recorded in these texts.")
        return
    title = f"{actor_names[settings.actor]} — {questions[settings.issue]}"
    st.markdown(md(title))
    steps = " → ".join(f"{row['stance_label']} ({row['period']})" for row in cell.history.to_dict("records"))
    if page.presenting:  # beside the matrix on a projector: the steps in words, and the quotes right under them
        st.markdown(md(steps))
    else:
        st.plotly_chart(cell.figure, config={"displayModeBar": False}, alt=f"{title}, its stance over time: {steps}.")
        legend_for_highlights()
    for row, quotes in zip(cell.history.to_dict("records"), cell.evidence, strict=True):
        st.markdown(
            f"**{md(STANCE_SYMBOL[row['stance']] + ' ' + row['stance_label'])}** · {md(row['period'])}"
            f" · {md('Evidence: ' + row['basis_label'])}"
        )
        if row["note"] and not page.presenting:
            st.caption(md(row["note"]))
        excerpts(b, quotes, show_outlet=True)
        if row["note"] and page.presenting:  # the quotes first: they are what the class reads
            st.caption(md(row["note"]))
    if page.presenting:
        legend_for_highlights()


def _pick_cell(page: Page) -> None:
    if picked := chart_selection(CHART_KEY):
        page.set("actor", picked[0])
        page.set("issue", picked[1])
