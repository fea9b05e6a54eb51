"""Timeline: every event on a date axis, in lanes; pick one to read what each outlet said about it."""

from __future__ import annotations

import streamlit as st

from dashboard.figures import LANES
from dashboard.safe import md
from dashboard.ui import (
    chart_selection,
    current_settings,
    discussion_prompts,
    empty_state,
    excerpts,
    legend_for_highlights,
    load_or_stop,
    outlet_heading,
    presenter_bar,
    settings_from_link,
    settings_to_link,
    table_with_download,
)
from dashboard.viewdata import event_claims, timeline_view

CHART_KEY = "timeline_chart"


def _pick_event_from_chart() -> None:
    if picked := chart_selection(CHART_KEY):
        st.session_state["event"] = picked[0]


def render() -> None:
    loaded = load_or_stop()
    events = loaded.tables.events
    first, last = events["start"].min().date(), events["end"].max().date()
    outlet_names, actor_names = loaded.names["outlet"], loaded.names["actor"]
    category_names = loaded.names["category"]
    reporting = loaded.outlets_with_text
    spec = loaded.spec("timeline")
    colours = loaded.outlet_colours

    st.title("Timeline")
    st.caption(
        "Each event sits in its lane at its date. A bar shows a period, or a date known only to the month or "
        "year: the marker's shape says how precise the date is. Click a marker, or choose an event below, "
        "to read what each outlet said about it."
    )
    settings_from_link(spec)
    presenting = presenter_bar(loaded, "timeline")
    with st.sidebar:
        st.header("Filter events")
        st.date_input("From", key="from", min_value=first, max_value=last)
        st.date_input("To", key="to", min_value=first, max_value=last)
        st.multiselect("Categories", list(category_names), format_func=category_names.get, key="categories")
        st.multiselect(
            "Actors involved", list(actor_names), format_func=actor_names.get, key="actors", placeholder="Any actor"
        )
        st.multiselect("Reported by", reporting, format_func=outlet_names.get, key="outlets")
        st.text_input("Search titles, summaries and quotes", key="q", max_chars=200)
    st.segmented_control("Lanes by", list(LANES), format_func=LANES.get, key="lanes", required=True)

    view = timeline_view(loaded, current_settings(spec))
    shown = view.shown
    if shown.empty:
        empty_state("No event matches these filters. Widen the dates or clear a filter in the sidebar.")
    else:
        st.plotly_chart(
            view.figure,
            key=CHART_KEY,
            on_select=_pick_event_from_chart,
            selection_mode="points",
            config={"displayModeBar": False, "scrollZoom": False},
        )
        st.caption(f"{len(shown)} of {len(events)} events shown.")
        table_with_download(
            view.table,
            "timeline-events",
            column_config={
                "date": "Date",
                "title": "Event",
                "category_name": "Category",
                "reported_by": "Reported by",
                "claims": "Claims",
                "summary": st.column_config.TextColumn("Summary", width="large"),
            },
        )

    st.subheader("Event details")
    titles = loaded.names["event"]
    st.selectbox(
        "Event",
        ["", *events["event"]],
        key="event",
        format_func=lambda e: titles.get(e, "Choose an event…") if e else "Choose an event…",
    )
    settings_to_link(spec)
    if not presenting:
        discussion_prompts(loaded.dataset, "timeline", current_settings(spec))
    chosen = st.session_state["event"]
    if not chosen:
        return
    row = events[events["event"] == chosen].iloc[0]
    st.markdown(f"#### {md(row['title'])}")
    st.markdown(md(f"{row['date']} · {row['category_name']}"))
    if row["date_note"]:
        st.caption(md(row["date_note"]))
    st.markdown(md(row["summary"]))
    st.caption(md("Actors: " + ", ".join(actor_names[a] for a in row["actors"])))
    about = event_claims(loaded, chosen)
    legend_for_highlights()
    outlets_here = list(row["outlets"])
    for col, outlet in zip(st.columns(max(1, len(outlets_here))), outlets_here, strict=False):
        with col:
            outlet_heading(outlet_names[outlet], colours[outlet])
            excerpts(loaded, about[about["outlet"] == outlet])
    silent = [outlet_names[o] for o in reporting if o not in row["outlets"]]
    if silent:
        st.caption(md("Not mentioned by: " + ", ".join(silent)))


render()
