"""The positions page: the month slider, the matrix and its table, then one cell's evidence and history."""

from __future__ import annotations

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
from dashboard.views.charts import BASIS_MARK, STANCE_SYMBOL
from dashboard.views.positions import actors_with_positions, position_months
from dashboard.views.positions.build import PositionsView

CHART_KEY = "positions.chart"


def render(page: Page) -> None:
    b = page.bundle
    st.title("Actor positions")
    if b.tables.positions.empty:
        page.publish()
        empty_state("This dataset records no positions.")
        return
    months = position_months(b)
    camps, actor_names, questions = b.names["camp"], b.names["actor"], b.names["issue"]
    st.caption(
        "Each square is the latest stance an actor was recorded taking on a question by the chosen month: "
        + " · ".join(f"{STANCE_SYMBOL[s]} {label.lower()}" for s, label in STANCE_LABEL.items())
        + ". The letter under the symbol says what the stance rests on: "
        + " · ".join(f"{BASIS_MARK[b]} {label.lower()}" for b, label in BASIS_LABEL.items())
        + ". Blank means no stance recorded by then. Click a square, or choose an actor and a question below, "
        "for the quotes behind it."
    )
    st.select_slider("As of", months, key=page.key("asof"), format_func=lambda m: f"{m[5:]}/{m[:4]}")
    with st.sidebar:
        st.header("Filter actors")
        st.multiselect("Camps", list(camps), format_func=camps.get, key=page.key("camps"))

    view: PositionsView = page.build(page.settings())
    if view.figure is None:
        empty_state("No stance is recorded by this month for these camps. Move the slider later or add camps.")
    else:
        st.plotly_chart(
            view.figure,
            key=CHART_KEY,
            on_select=lambda: _pick_cell(page),
            selection_mode="points",
            config={"displayModeBar": False, "scrollZoom": False},
        )
        table = view.cells[
            ["actor_name", "camp_name", "question", "stance_label", "period", "basis_label", "evidence", "note"]
        ]
        table_with_download(
            table.assign(evidence=table["evidence"].map("; ".join)),
            "positions-as-of-" + page.value("asof"),
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

    st.subheader("The evidence for one cell")
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
    settings = page.publish()
    page.prompts(settings)
    cell = page.build(settings).cell
    if cell is None:
        return
    if cell.history.empty:
        empty_state(f"No stance of {actor_names[settings.actor]} on this question is recorded in these texts.")
        return
    st.markdown(md(f"{actor_names[settings.actor]} — {questions[settings.issue]}"))
    st.plotly_chart(cell.figure, config={"displayModeBar": False})
    legend_for_highlights()
    for row, quotes in zip(cell.history.to_dict("records"), cell.evidence, strict=True):
        st.markdown(
            f"**{md(STANCE_SYMBOL[row['stance']] + ' ' + row['stance_label'])}** · {md(row['period'])}"
            f" · {md('Evidence: ' + row['basis_label'])}"
        )
        if row["note"]:
            st.caption(md(row["note"]))
        excerpts(b, quotes, show_outlet=True)


def _pick_cell(page: Page) -> None:
    if picked := chart_selection(CHART_KEY):
        page.set("actor", picked[0])
        page.set("issue", picked[1])
