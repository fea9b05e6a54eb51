"""The timeline page: filters in the sidebar, the chart, its table, and the chosen event's quotes by outlet."""

from __future__ import annotations

import streamlit as st

from dashboard.markup.safe import md
from dashboard.shell.page import Page
from dashboard.shell.widgets import (
    chart_selection,
    empty_state,
    excerpts,
    legend_for_highlights,
    outlet_heading,
    table_with_download,
)
from dashboard.views.charts import LANES, colours
from dashboard.views.timeline import date_range
from dashboard.views.timeline.build import TimelineView

CHART_KEY = "timeline.chart"


def render(page: Page) -> None:
    b = page.bundle
    events = b.tables.events
    first, last = date_range(b)
    outlet_names, actor_names = b.names["outlet"], b.names["actor"]
    category_names = b.names["category"]

    st.title("Timeline")
    st.caption(
        "Each event sits in its lane at its date. A bar shows a period, or a date known only to the month or "
        "year: the marker's shape says how precise the date is. Click a marker, or choose an event below, "
        "to read what each outlet said about it."
    )
    if events.empty:
        page.publish()
        empty_state("This dataset records no events.")
        return
    with st.sidebar:
        st.header("Filter events")
        st.date_input("From", key=page.key("start"), min_value=first, max_value=last)
        st.date_input("To", key=page.key("end"), min_value=first, max_value=last)
        st.multiselect("Categories", list(category_names), format_func=category_names.get, key=page.key("categories"))
        st.multiselect(
            "Actors involved",
            list(actor_names),
            format_func=actor_names.get,
            key=page.key("actors"),
            placeholder="Any actor",
        )
        st.multiselect("Reported by", b.outlets_with_text, format_func=outlet_names.get, key=page.key("outlets"))
        st.text_input("Search titles, summaries and quotes", key=page.key("q"), max_chars=200)
    st.segmented_control("Lanes by", list(LANES), format_func=LANES.get, key=page.key("lanes"), required=True)
    titles = b.names["event"]
    # Drawn below the chart, but read now: the chart marks the chosen event.
    settings = page.settings()
    view: TimelineView = page.build(settings)
    if view.shown.empty:
        empty_state("No event matches these filters. Widen the dates or clear a filter in the sidebar.")
    else:
        st.plotly_chart(
            view.figure,
            key=CHART_KEY,
            on_select=lambda: _pick_event(page),
            selection_mode="points",
            config={"displayModeBar": False, "scrollZoom": False},
        )
        st.caption(f"{len(view.shown)} of {len(events)} events shown.")
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
    st.selectbox(
        "Event",
        ["", *events["event"]],
        key=page.key("event"),
        format_func=lambda e: titles.get(e, "Choose an event…") if e else "Choose an event…",
    )
    settings = page.publish()
    page.prompts(settings)
    chosen = view.chosen
    if chosen is None:
        return
    row = chosen.event
    st.markdown(f"#### {md(row['title'])}")
    st.markdown(md(f"{row['date']} · {row['category_name']}"))
    if row["date_note"]:
        st.caption(md(row["date_note"]))
    st.markdown(md(row["summary"]))
    st.caption(md("Actors: " + ", ".join(actor_names[a] for a in row["actors"])))
    legend_for_highlights()
    palette = colours(b)
    for col, (outlet, quotes) in zip(st.columns(max(1, len(chosen.by_outlet))), chosen.by_outlet, strict=False):
        with col:
            outlet_heading(outlet_names[outlet], palette[outlet])
            excerpts(b, quotes)
    if chosen.silent:
        st.caption(md("Not mentioned by: " + ", ".join(outlet_names[o] for o in chosen.silent)))


def _pick_event(page: Page) -> None:
    if picked := chart_selection(CHART_KEY):
        page.set("event", picked[0])
