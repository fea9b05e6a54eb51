"""The overview page: the dataset's description and counts, outlets, articles, and where a class starts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.data.schema import PresenterPath
from dashboard.markup.safe import md
from dashboard.shell.page import Page
from dashboard.shell.targets import page_of
from dashboard.views.room.opening import room_button
from dashboard.views.steps import step_link_params


def render(page: Page) -> None:
    ds, tables = page.bundle.dataset, page.bundle.tables
    page.header(md(ds.meta.title))
    page.publish()
    st.markdown(md(ds.meta.description))
    st.caption(md(f"What it covers, and what it does not: {ds.meta.coverage}"))

    if not page.presenting:
        _start_buttons(page.bundle)
        room_button(page.bundle, key="overview.open_room")
    counts = ds.counts()
    for col, key in zip(st.columns(6), ("outlets", "articles", "events", "claims", "actors", "positions"), strict=True):
        col.metric(key.capitalize(), counts[key])
    if note := _counts_note(tables.articles):
        st.caption(md(note))

    st.header("Outlets")
    st.caption("Described by facts only. Where a fact is not confirmed, it says unknown.")
    st.dataframe(
        tables.outlets[["name", "kind", "scope", "country", "ownership", "funding", "language", "note"]],
        hide_index=True,
        column_config={
            "name": "Outlet",
            "kind": "Kind",
            "scope": "Scope",
            "country": "Country",
            "ownership": "Ownership",
            "funding": "Funding",
            "language": "Language",
            "note": st.column_config.TextColumn("Note", width="large"),
        },
    )
    st.header("Articles")
    articles = tables.articles.assign(link=tables.articles["url"].where(tables.articles["url"] != "unknown"))
    st.dataframe(
        articles[["outlet_name", "title", "authors", "relation", "reposts_outlet", "claims", "link"]],
        hide_index=True,
        column_config={
            "outlet_name": "Outlet",
            "title": st.column_config.TextColumn("Headline (date)", width="large"),
            "authors": "Author(s)",
            "relation": "Reposts as",
            "reposts_outlet": "Of",
            "claims": "Claims",
            "link": st.column_config.LinkColumn("Link", display_text="open article"),
        },
    )
    notes = tables.articles[(tables.articles["headline_note"] != "") | (tables.articles["date_note"] != "")]
    if not notes.empty:
        with st.expander("Notes on headlines and dates"):
            for row in notes.to_dict("records"):
                st.markdown(md(f"{row['outlet_name']}: {row['headline_note']} {row['date_note']}".strip()))

    page.prompts()
    if not page.presenting:
        _classroom(page.bundle)
    st.header("How to read the views")
    st.markdown(
        "- **Timeline**: each event at its date, in lanes by category, outlet or actor camp. A bar is a period, "
        "or a date known only to the month or year; the marker's shape says how precise the date is. Pick an "
        "event to read, side by side, what each outlet said about it.\n"
        "- **Actor positions**: who stood where on each question, as of the month you choose. Every square is "
        "backed by quotes; pick one to read them and to see the stance change over time.\n"
        "- **Compare outlets**: one subject, each outlet in its own column, with the labels, loaded terms and "
        "scare quotes marked; then how each outlet names the actors, whose voices it quotes, its framing, and "
        "which events it leaves out.\n"
        "- **Methods & data**: the coding rules and every table as CSV.\n\n"
        "Every view keeps its settings in the address bar: copy the link to share exactly what you see."
    )
    st.caption(md(f"Licence: {ds.meta.licence}"))


def _classroom(bundle: Bundle) -> None:
    """Where a teacher starts: each presenter path and its steps, each step a link of its own."""
    ds = bundle.dataset
    if not ds.paths:
        return
    st.header("For the classroom")
    st.page_link(page_of("quiz"), label="Guess the outlet: a quiz to share by link", icon=":material/quiz:")
    for path in ds.paths:
        st.markdown(f"**{md(path.title)}**" + (f" — {md(path.description)}" if path.description else ""))
        _start(bundle, path)
        st.caption("Each step, to open on its own (the teacher's link: it shows the presenter's bar):")
        for i, step in enumerate(path.steps):
            st.page_link(
                page_of(step.page), label=md(f"{i + 1}. {step.title}"), query_params=step_link_params(path, i, bundle)
            )


def _start(bundle: Bundle, path: PresenterPath) -> None:
    first = path.steps[0]
    minutes = sum(step.minutes or 0 for step in path.steps)
    st.page_link(
        page_of(first.page),
        label=md(f"Start the presentation: {path.title}")
        + (f" ({len(path.steps)} steps, about {minutes} min)" if minutes else f" ({len(path.steps)} steps)"),
        icon=":material/slideshow:",
        query_params=step_link_params(path, 0, bundle),
    )


def _start_buttons(bundle: Bundle) -> None:
    """Where a teacher starts, at the top: each path's first step (its other steps are further down)."""
    for path in bundle.dataset.paths:
        with st.container(border=True):
            _start(bundle, path)


def _counts_note(articles: pd.DataFrame) -> str:
    """Why there may be more articles than texts: an article named as a source whose text is not here."""
    without = articles[articles["claims"] == 0]
    if without.empty:
        return ""
    sources = set(articles["reposts_outlet"])

    def named(r: dict) -> str:
        source = ", the source of a repost or rewrite" if r["outlet_name"] in sources else ""
        return f"{r['outlet_name']} ({r['title']}{source})"

    return (
        f"Articles counts every article the dataset names; {len(articles) - len(without)} have text here. "
        f"Without text: {'; '.join(named(r) for r in without.to_dict('records'))}."
    )
