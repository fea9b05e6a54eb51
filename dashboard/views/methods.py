"""Methods & data: the coding rules, where the data comes from, and every table as CSV."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.safe import md
from dashboard.ui import load_or_stop

CODEBOOK = Path(__file__).resolve().parents[2] / "docs" / "codebook.md"


def render() -> None:
    loaded = load_or_stop()
    ds, tables = loaded.dataset, loaded.tables
    st.title("Methods & data")
    st.markdown(
        "Every claim in this dataset is a short verbatim excerpt of a published text, with its speaker and "
        "article. Quotes are checked word for word against the source texts; where a headline, date, author or "
        "URL is not confirmed, the data says *unknown*. Outlets are described by facts, never scored, and every "
        "outlet is coded by the same written rules, below."
    )
    st.markdown(md(f"Dataset: {ds.meta.title}. Last updated {ds.meta.last_updated.label}. {ds.meta.licence}"))

    st.subheader("Download the data")
    st.caption("Every table behind the views, as CSV (lists are joined with “; ”).")
    downloads = tables.downloads()
    cols = st.columns(4)
    for i, (name, frame) in enumerate(downloads.items()):
        cols[i % 4].download_button(
            f"{name}.csv ({len(frame)} rows)",
            frame.to_csv(index=False).encode("utf-8"),
            f"{name}.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
            key=f"download-{name}",
        )

    st.subheader("Codebook")
    if CODEBOOK.exists():
        with st.container(border=True, height=600):
            st.markdown(CODEBOOK.read_text(encoding="utf-8"))  # our own document, not data from the file
    else:
        st.caption("docs/codebook.md is missing from this installation.")


render()
