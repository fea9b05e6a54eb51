"""Timeline: every event on a date axis, in lanes; pick one to read what each outlet said about it."""

from __future__ import annotations

import streamlit as st

from dashboard.figures import LANES, timeline_figure
from dashboard.filters import claims_about, filter_events
from dashboard.safe import md
from dashboard.ui import (
    chart_selection,
    current_settings,
    discussion_prompts,
    empty_state,
    excerpts,
    legend_for_highlights,
    load_or_stop,
    outlet_colours_for,
    outlet_heading,
    presenter_bar,
    settings_from_link,
    settings_to_link,
    table_with_download,
)
from dashboard.viewspecs import outlets_with_text, timeline_spec

CHART_KEY = "timeline_chart"


def _pick_event_from_chart() -> None:
    if picked := chart_selection(CHART_KEY):
        st.session_state["event"] = picked[0]


def render() -> None:
    loaded = load_or_stop()
    tables, lexicon = loaded.tables, loaded.dataset.lexicon
    events, claims = tables.events, tables.claims
    first, last = events["start"].min().date(), events["end"].max().date()
    outlet_names = dict(zip(tables.outlets["outlet"], tables.outlets["name"], strict=True))
    reporting = outlets_with_text(tables)
    category_names = dict(zip(tables.events["category"], tables.events["category_name"], strict=False))
    actor_names = dict(zip(tables.actors["actor"], tables.actors["name"], strict=True))
    spec = timeline_spec(tables)
    colours = outlet_colours_for(tables)

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

    shown = filter_events(
        events,
        claims,
        start=st.session_state["from"],
        end=st.session_state["to"],
        categories=st.session_state["categories"],
        actors=st.session_state["actors"],
        outlets=st.session_state["outlets"],
        query=st.session_state["q"],
    )
    if shown.empty:
        empty_state("No event matches these filters. Widen the dates or clear a filter in the sidebar.")
    else:
        camps_of = dict(zip(tables.actors["actor"], tables.actors["camp_name"], strict=True))
        fig = timeline_figure(
            shown,
            st.session_state["lanes"],
            outlet_names,
            camps_of,
            outlet_colours_for(tables),
            selected=st.session_state["event"] or None,
        )
        st.plotly_chart(
            fig,
            key=CHART_KEY,
            on_select=_pick_event_from_chart,
            selection_mode="points",
            config={"displayModeBar": False, "scrollZoom": False},
        )
        st.caption(f"{len(shown)} of {len(events)} events shown.")
        table = shown.assign(
            reported_by=shown["outlets"].map(lambda os: ", ".join(outlet_names[o] for o in os)),
        )[["date", "title", "category_name", "reported_by", "claims", "summary"]]
        table_with_download(
            table,
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
    titles = dict(zip(events["event"], events["date"] + " · " + events["title"], strict=True))
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
    about = claims_about(claims, "event", chosen)
    legend_for_highlights()
    outlets_here = list(row["outlets"])
    for col, outlet in zip(st.columns(max(1, len(outlets_here))), outlets_here, strict=False):
        with col:
            outlet_heading(outlet_names[outlet], colours[outlet])
            excerpts(about[about["outlet"] == outlet], lexicon)
    silent = [outlet_names[o] for o in reporting if o not in row["outlets"]]
    if silent:
        st.caption(md("Not mentioned by: " + ", ".join(silent)))


render()
