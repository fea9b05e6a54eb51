"""Small pieces the pages share: a chart's table and CSV, highlighted excerpts, outlet headings, empty states."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.markup.highlight import STYLE, excerpt_html
from dashboard.markup.safe import md_html_text


def table_with_download(
    frame: pd.DataFrame,
    name: str,
    label: str = "Show as a table",
    key: str | None = None,
    expanded: bool = False,
    **kwargs: object,
) -> None:
    """The data behind a view: a readable table (the chart's text alternative) and its CSV.

    The table is sent only while its expander is open (opening it reruns the page): a folded table
    would otherwise go to every browser on every run (3.3 MB for the timeline at 10,000 events).
    ``key`` names the expander (default: from ``name``); keep it the same when ``name`` changes with a setting.
    ``expanded``: open at first (for tables the reader has already asked for).
    """
    folded = st.expander(label, expanded=expanded, key=key or f"table.{name}", on_change="rerun")
    if folded.open:
        with folded:
            st.dataframe(frame, hide_index=True, **kwargs)
    st.download_button(
        f"Download {name}.csv",
        lambda: frame.to_csv(index=False).encode("utf-8"),  # written when clicked
        file_name=f"{name}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


def excerpts(bundle: Bundle, claims: pd.DataFrame, show_outlet: bool = False) -> None:
    """Claims as highlighted quote blocks; the HTML escapes everything from the data."""
    if claims.empty:
        st.caption("No excerpt.")
        return
    lexicon = bundle.dataset.lexicon

    def build() -> str:
        return STYLE + "".join(excerpt_html(row, lexicon, show_outlet) for row in claims.to_dict("records"))

    st.markdown(bundle.memo.get(("excerpts", tuple(claims["claim"]), show_outlet), build), unsafe_allow_html=True)


def legend_for_highlights() -> None:
    st.markdown(
        STYLE + '<span class="nt-meta">Marked in the excerpts: <span class="nt-label">label naming an actor</span> · '
        '<span class="nt-loaded">loaded term (lexicon)</span> · <span class="nt-scare">scare-quoted word</span>.'
        "</span>",
        unsafe_allow_html=True,
    )


def empty_state(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def outlet_heading(name: str, colour: str) -> None:
    """An outlet's name with its colour dot, the same colour it has on every page."""
    dot = (
        f'<span style="color:{colour}" aria-hidden="true">●</span>' if re.fullmatch(r"#[0-9A-Fa-f]{6}", colour) else ""
    )
    st.markdown(f"{dot} <strong>{md_html_text(name)}</strong>", unsafe_allow_html=True)


def chart_selection(chart_key: str) -> list | None:
    """The ``customdata`` of the point the visitor clicked in the chart drawn under ``chart_key``."""
    points = st.session_state[chart_key]["selection"]["points"]
    return points[0].get("customdata") if points else None
