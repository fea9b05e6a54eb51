"""The methods page: how the data was made, every table as CSV, your own upload, and the codebook."""

from __future__ import annotations

import math
from dataclasses import fields
from functools import partial
from pathlib import Path

import streamlit as st

from dashboard.data.frames import Tables
from dashboard.markup.safe import md
from dashboard.shell.loading import PROBLEMS_KEY, leave_upload, queue_upload, session_upload, show_problems
from dashboard.shell.page import Page
from dashboard.uploads import limits as upload_limits

TABLE_NAMES = [f.name for f in fields(Tables)]
CODEBOOK = Path(__file__).resolve().parents[3] / "docs" / "codebook.md"
TEMPLATE = Path(__file__).resolve().parents[3] / "data" / "template.yaml"  # a small story that validates


def render(page: Page) -> None:
    ds, tables = page.bundle.dataset, page.bundle.tables
    st.title("Methods & data")
    page.publish()
    st.markdown(
        "Every claim in this dataset is a short verbatim excerpt of a published text, with its speaker and "
        "article. Quotes are checked word for word against the source texts; where a headline, date, author or "
        "URL is not confirmed, the data says *unknown*. Outlets are described by facts, never scored, and every "
        "outlet is coded by the same written rules, below."
    )
    st.markdown(md(f"Dataset: {ds.meta.title}. Last updated {ds.meta.last_updated.label}. {ds.meta.licence}"))

    _evidence_basis(tables)

    st.header("Download the data")
    st.caption("Every table behind the views, as CSV (lists are joined with “; ”).")
    cols = st.columns(4)
    for i, name in enumerate(TABLE_NAMES):
        cols[i % 4].download_button(
            f"{name}.csv ({len(getattr(tables, name))} rows)",
            partial(_csv, tables, name),  # written when clicked, not on every visit
            f"{name}.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
            key=f"download-{name}",
        )

    _try_your_own_story()

    st.header("Codebook")
    if CODEBOOK.exists():
        with st.container(border=True, height=600):
            st.markdown(CODEBOOK.read_text(encoding="utf-8"))  # our own document, not data from the file
    else:
        st.caption("docs/codebook.md is missing from this installation.")


def _csv(tables: Tables, name: str) -> bytes:
    return tables.download(name).to_csv(index=False).encode("utf-8")


def _evidence_basis(tables: Tables) -> None:
    """How strong the evidence under the recorded stances is, by kind (codebook, "Evidence basis")."""
    positions = tables.positions
    if positions.empty:
        return
    st.header("What the stances rest on")
    st.caption(
        "Each recorded stance, by the kind of evidence behind it. Only the actor's own words, or an act "
        "the texts report alike, support a full “supports” or “opposes”; the rest go no further than “leans”."
    )
    counts = positions.groupby("basis_label", sort=False).size().rename("stances").reset_index()
    st.dataframe(counts, hide_index=True, column_config={"basis_label": "Evidence", "stances": "Stances"})


def _try_your_own_story() -> None:
    """Upload a dataset in the same format; it is checked like ours and shown to whoever has a link from this tab."""
    st.header("Try your own story")
    limits = upload_limits.current()
    if not limits.enabled:
        st.info("Uploads are turned off on this server.", icon=":material/block:")
        return
    st.caption(
        "Upload a YAML file in this dataset's format (see the codebook) to see it in every view. It is checked "
        "like ours and shown to no one else, except whoever you give a link from that tab: the address names "
        "your story, so a reload keeps it, and student links, QR codes and a room's join link show it too. "
        f"Up to {limits.max_mb:g} MB and {limits.per_session} uploads per {limits.window_s / 60:g} minutes; "
        "the server holds a few visitors' files at once and unloads the least recently used to make room, "
        "after which its links say so."
    )
    if TEMPLATE.exists():
        st.download_button(
            "Start from a template (template.yaml)",
            TEMPLATE.read_bytes,  # read when clicked
            "template.yaml",
            "application/x-yaml",
            on_click="ignore",
            icon=":material/description:",
            key="download-template",
            help="A small invented story in this format, with a comment on each section: edit it and upload it.",
        )
    taken = st.session_state.get("uploads_taken", 0)
    upload = st.file_uploader(
        "Your dataset (.yaml)",
        type=["yaml", "yml"],
        max_upload_size=max(1, math.ceil(limits.max_mb)),
        key=f"upload-{taken}",
    )
    if upload is not None:
        queue_upload(upload)  # checked at the start of the next run (loading.py says why)
        st.session_state["uploads_taken"] = taken + 1  # a new, empty uploader: the file is not kept
        st.rerun()
    if st.session_state.get(PROBLEMS_KEY):
        show_problems(st.session_state[PROBLEMS_KEY])
    mine = session_upload()
    if mine is not None:
        st.success(md(f"Showing your file: {mine.dataset.source}"), icon=":material/upload:")
        st.button("Go back to the built-in dataset", on_click=leave_upload)
