"""The timeline page: filters, the chart, its table, and the chosen event's quotes by outlet.

In presentation mode the step decides what comes first: with an event chosen
(the step is about that event) its quotes by outlet, the chart after them;
otherwise the chart, at the height that fits under the presenter bar. The
widgets are folded into one expander there, the sidebar being hidden.
"""

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
from dashboard.views.base import Settings
from dashboard.views.charts import LANES, colours, for_projector
from dashboard.views.timeline import date_range
from dashboard.views.timeline.build import TimelineView

CHART_KEY = "timeline.chart"
CAPTION = (
    "Each event sits in its lane at its date. A bar shows a period, or a date known only to the month or "
    "year: the marker's shape says how precise the date is. Select a marker, or choose an event under the "
    "chart, to read what each outlet said about it."
)


DETAILS_ANCHOR = "event-details"


def render(page: Page) -> None:
    b = page.bundle
    page.header("Timeline", CAPTION)
    if b.tables.events.empty:
        page.publish()
        empty_state("This dataset records no events.")
        return
    if not page.focused:
        st.header("Events by date")
    with page.controls():
        if page.presenting:  # the sidebar is hidden while presenting: every widget goes in the fold
            _filters(page)
            _event_select(page)
        else:
            with st.sidebar:
                st.header("Filter events")
                _filters(page)
        st.segmented_control("Lanes by", list(LANES), format_func=LANES.get, key=page.key("lanes"), required=True)
    # Drawn below the chart, but read now: the chart marks the chosen event.
    settings = page.settings()
    view: TimelineView = page.build(settings)
    if page.presenting and view.chosen is not None:
        settings = page.publish()
        _details(page, view)
        _chart(page, view, settings)
        return
    if page.focused and view.chosen is not None:  # a student link's question is about the event: its quotes first
        _details(page, view)
        _chart(page, view, settings)
        st.subheader("Event details", anchor=DETAILS_ANCHOR)
        _event_select(page)
        settings = page.publish()
        page.prompts(settings)
        page.handout(settings, f"{view.chosen.event['title']}: what each outlet said")
        return
    if view.chosen is not None:  # on a phone the chosen event's quotes are a long scroll below the chart
        st.markdown(f"[↓ What each outlet said about {md(view.chosen.event['title'])}](#{DETAILS_ANCHOR})")
    _chart(page, view, settings)
    if not page.presenting:
        st.subheader("Event details", anchor=DETAILS_ANCHOR)
        _event_select(page)
    settings = page.publish()
    page.prompts(settings)
    _details(page, view)
    title = view.chosen.event["title"] if view.chosen else "Timeline"
    page.handout(settings, f"{title}: what each outlet said" if view.chosen else "Timeline: who reports which event")


def _filters(page: Page) -> None:
    b = page.bundle
    first, last = date_range(b)
    outlet_names, actor_names, category_names = b.names["outlet"], b.names["actor"], b.names["category"]
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


def _event_select(page: Page) -> None:
    """The keyboard's way to what a click on a marker does."""
    titles = page.bundle.names["event"]
    st.selectbox(
        "Event",
        ["", *page.bundle.tables.events["event"]],
        key=page.key("event"),
        format_func=lambda e: titles.get(e, "Choose an event…") if e else "Choose an event…",
    )


def _chart(page: Page, view: TimelineView, settings: Settings) -> None:
    if view.shown.empty:
        empty_state("No event matches these filters. Widen the dates or clear a filter.")
        return
    figure = view.figure
    if height := page.chart_height:  # the shared figure, made once more for the projector (its height, its type)
        theme = st.context.theme.type or "light"
        figure = page.bundle.memo.get(
            ("timeline-figure-at", settings, height, theme), lambda: for_projector(view.figure, theme, height)
        )
    st.plotly_chart(
        figure,
        key=CHART_KEY,
        on_select=lambda: _pick_event(page),
        selection_mode="points",
        config={"displayModeBar": False, "scrollZoom": False},
        alt=view.alt,
    )
    st.caption(f"{len(view.shown)} of {len(page.bundle.tables.events)} events shown.")
    if view.density:
        st.caption(
            "Too many events to draw one by one: each square counts a month's events in its lane. Narrow the "
            "dates or filters to see and click each event, or choose one in the event list."
        )
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


def _details(page: Page, view: TimelineView) -> None:
    """The chosen event and each outlet's quotes; presenting, the quotes (what the step asks about) come
    straight under the event's name, and its summary after them."""
    chosen = view.chosen
    if chosen is None:
        return
    b = page.bundle
    outlet_names, actor_names = b.names["outlet"], b.names["actor"]
    row = chosen.event
    # Under a student's question the event is the page's first section (h2); elsewhere it sits under a heading.
    st.markdown(("## " if page.asked is not None else "#### ") + md(row["title"]))
    if page.focused:
        st.caption(md(f"{row['date']} · {row['category_name']}"))
    else:
        _about(row, actor_names)
        legend_for_highlights()
    palette = colours(b)
    for col, (outlet, quotes) in zip(st.columns(max(1, len(chosen.by_outlet))), chosen.by_outlet, strict=False):
        with col:
            outlet_heading(outlet_names[outlet], palette[outlet])
            excerpts(b, quotes)
    if chosen.silent:
        st.caption(md("Not mentioned by: " + ", ".join(outlet_names[o] for o in chosen.silent)))
    if page.focused:
        legend_for_highlights()
        _about(row, actor_names, dated=False)


def _about(row: dict, actor_names: dict[str, str], dated: bool = True) -> None:
    if dated:  # presenting, the date is already under the event's name
        st.markdown(md(f"{row['date']} · {row['category_name']}"))
    if row["date_note"]:
        st.caption(md(row["date_note"]))
    st.markdown(md(row["summary"]))
    st.caption(md("Actors: " + ", ".join(actor_names[a] for a in row["actors"])))


def _pick_event(page: Page) -> None:
    picked = chart_selection(CHART_KEY)
    if picked:  # an SVG marker carries [event, title, ...]; a WebGL one its event id alone
        page.set("event", picked if isinstance(picked, str) else picked[0])
