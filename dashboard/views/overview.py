"""Overview: what the dataset is and is not, its outlets and articles, and how to read the views."""

from __future__ import annotations

import streamlit as st

from dashboard.safe import md
from dashboard.ui import load_or_stop


def render() -> None:
    loaded = load_or_stop()
    ds, tables = loaded.dataset, loaded.tables
    st.title(md(ds.meta.title))
    st.markdown(md(ds.meta.description))
    st.caption(md(f"Coverage: {ds.meta.coverage}"))

    counts = ds.counts()
    cols = st.columns(6)
    for col, key in zip(cols, ("outlets", "articles", "events", "claims", "actors", "positions"), strict=True):
        col.metric(key.capitalize(), counts[key])

    st.subheader("Outlets")
    st.dataframe(
        tables.outlets[["name", "kind", "scope", "country", "ownership", "funding", "language", "note"]],
        hide_index=True,
        column_config={"name": "Outlet", "note": st.column_config.TextColumn("Note", width="large")},
    )
    st.subheader("Articles")
    articles = tables.articles.assign(link=tables.articles["url"].where(tables.articles["url"] != "unknown"))
    st.dataframe(
        articles[["outlet_name", "headline", "date", "authors", "relation", "reposts_outlet", "claims", "link"]],
        hide_index=True,
        column_config={
            "outlet_name": "Outlet",
            "headline": st.column_config.TextColumn("Headline", width="large"),
            "date": "Date",
            "authors": "Author(s)",
            "relation": "Reposts as",
            "reposts_outlet": "Of",
            "claims": "Claims",
            "link": st.column_config.LinkColumn("Link", display_text="open article"),
        },
    )
    st.caption(md(f"Licence: {ds.meta.licence}"))


render()
