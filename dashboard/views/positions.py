"""Actor positions: actors × issues, the stance each held as of a chosen month, each cell backed by quotes."""

from __future__ import annotations

import streamlit as st

from dashboard.figures import STANCE_SYMBOL
from dashboard.filters import month_end
from dashboard.frames import STANCE_LABEL
from dashboard.safe import md
from dashboard.ui import (
    chart_selection,
    current_settings,
    discussion_prompts,
    empty_state,
    excerpts,
    legend_for_highlights,
    load_or_stop,
    presenter_bar,
    settings_from_link,
    settings_to_link,
    table_with_download,
)
from dashboard.viewdata import matrix_view, stance_history
from dashboard.viewspecs import position_months

CHART_KEY = "positions_chart"


def _pick_cell_from_chart() -> None:
    if picked := chart_selection(CHART_KEY):
        st.session_state["actor"], st.session_state["issue"] = picked[:2]


def render() -> None:
    loaded = load_or_stop()
    tables = loaded.tables
    positions, issues = tables.positions, tables.issues
    st.title("Actor positions")
    if positions.empty:
        empty_state("This dataset records no positions.")
        return
    months = position_months(tables)
    camps, actor_names, questions = loaded.names["camp"], loaded.names["actor"], loaded.names["issue"]
    spec = loaded.spec("positions")
    with_positions = [a for a in next(p.choices for p in spec if p.name == "actor") if a]
    st.caption(
        "Each square is the latest stance an actor was recorded taking on a question by the chosen month: "
        + " · ".join(f"{STANCE_SYMBOL[s]} {label.lower()}" for s, label in STANCE_LABEL.items())
        + ". Blank means no stance recorded by then. Click a square, or choose an actor and a question below, "
        "for the quotes behind it."
    )
    settings_from_link(spec)
    presenting = presenter_bar(loaded, "positions")
    st.select_slider("As of", months, key="asof", format_func=lambda m: f"{m[5:]}/{m[:4]}")
    with st.sidebar:
        st.header("Filter actors")
        st.multiselect("Camps", list(camps), format_func=camps.get, key="camps")

    view = matrix_view(loaded, current_settings(spec))
    if view.figure is None:
        empty_state("No stance is recorded by this month for these camps. Move the slider later or add camps.")
    else:
        cells = view.cells
        st.plotly_chart(
            view.figure,
            key=CHART_KEY,
            on_select=_pick_cell_from_chart,
            selection_mode="points",
            config={"displayModeBar": False, "scrollZoom": False},
        )
        table = cells[["actor_name", "camp_name", "question", "stance_label", "period", "evidence", "note"]]
        table_with_download(
            table.assign(evidence=table["evidence"].map("; ".join)),
            "positions-as-of-" + st.session_state["asof"],
            column_config={
                "actor_name": "Actor",
                "camp_name": "Camp",
                "question": "Question",
                "stance_label": "Stance",
                "period": "Since",
                "evidence": "Claims",
                "note": st.column_config.TextColumn("Why this stance", width="large"),
            },
        )

    st.subheader("The evidence for one cell")
    left, right = st.columns(2)
    left.selectbox(
        "Actor", ["", *with_positions], key="actor", format_func=lambda a: actor_names[a] if a else "Choose an actor…"
    )
    right.selectbox(
        "Question",
        ["", *issues["issue"]],
        key="issue",
        format_func=lambda i: questions[i] if i else "Choose a question…",
    )
    settings_to_link(spec)
    if not presenting:
        discussion_prompts(loaded.dataset, "positions", current_settings(spec))
    actor, issue = st.session_state["actor"], st.session_state["issue"]
    if not (actor and issue):
        return
    stance = stance_history(loaded, actor, issue, month_end(months[-1]))
    history = stance.history
    if history.empty:
        empty_state(f"No stance of {actor_names[actor]} on this question is recorded in these texts.")
        return
    st.markdown(md(f"{actor_names[actor]} — {questions[issue]}"))
    st.plotly_chart(stance.figure, config={"displayModeBar": False})
    claims = tables.claims.set_index("claim", drop=False)
    legend_for_highlights()
    for row in history.to_dict("records"):
        st.markdown(f"**{md(STANCE_SYMBOL[row['stance']] + ' ' + row['stance_label'])}** · {md(row['period'])}")
        if row["note"]:
            st.caption(md(row["note"]))
        excerpts(loaded, claims.loc[list(row["evidence"])], show_outlet=True)


render()
