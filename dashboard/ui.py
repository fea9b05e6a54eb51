"""Streamlit glue shared by the pages: the cached dataset and how problems are shown.

The dataset and its frames are cached once per file version for every session
(``st.cache_resource`` hands all sessions the same objects, so nothing here
may mutate them); per-user state lives in widgets and the URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.dataset import Dataset, check_dataset, data_path
from dashboard.figures import outlet_colours
from dashboard.frames import Tables, build_tables
from dashboard.highlight import STYLE, excerpt_html
from dashboard.safe import html_text, md
from dashboard.text import Lexicon
from dashboard.urlstate import Param, encode, parse
from dashboard.yaml_reader import Problem


@dataclass(frozen=True)
class Loaded:
    dataset: Dataset
    tables: Tables


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def _load(path: str, version: tuple[int, int]) -> tuple[Loaded | None, tuple[Problem, ...]]:
    # ``version`` (mtime, size) is only part of the key: an edited file is read afresh.
    dataset, problems = check_dataset(path)
    if dataset is None:
        return None, tuple(problems)
    return Loaded(dataset, build_tables(dataset)), ()


def load_or_stop() -> Loaded:
    """The current dataset, or a page listing what is wrong with it (then stop)."""
    path = data_path()
    try:
        stat = Path(path).stat()
        version = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (0, 0)
    loaded, problems = _load(str(path), version)
    if loaded is None:
        show_problems(problems)
        st.stop()
    return loaded


def show_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    st.error(f"The dataset has {len(problems)} problem(s) and cannot be shown. Fix them and reload.", icon="⚠️")
    st.code("\n".join(str(p) for p in problems) or "unknown problem", language=None)


# -- links: every view setting lives in the URL -------------------------------------------------
def _query_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def settings_from_link(spec: list[Param]) -> None:
    """Give this page's widgets their values from the link the first time they are drawn.

    Widgets lose their state when the visitor switches pages, so returning to a
    page starts again from its link. Anything in the link that is not understood
    is ignored, and the visitor is told so.
    """
    if all(p.name in st.session_state for p in spec):
        return
    parsed = parse(_query_params(), spec)
    for p in spec:
        if p.name not in st.session_state:
            st.session_state[p.name] = parsed.values[p.name]
    if parsed.notices:
        st.info(
            md("Part of this link was not understood and was ignored: " + "; ".join(parsed.notices) + "."),
            icon=":material/link_off:",
        )


def settings_to_link(spec: list[Param]) -> None:
    """Write the page's current settings into the URL, so a copied link reopens this exact view."""
    wanted = encode({p.name: st.session_state.get(p.name) for p in spec}, spec)
    if _query_params() != {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)


# -- shared pieces of the pages -------------------------------------------------------------------
def outlet_colours_for(tables: Tables) -> dict[str, str]:
    overrides = {o: c for o, c in zip(tables.outlets["outlet"], tables.outlets["colour"], strict=True) if c}
    return outlet_colours(list(tables.outlets["outlet"]), overrides)


def table_with_download(frame: pd.DataFrame, name: str, label: str = "Show as a table", **kwargs: object) -> None:
    """The data behind a view: a readable table (the chart's text alternative) and its CSV."""
    with st.expander(label):
        st.dataframe(frame, hide_index=True, **kwargs)
    st.download_button(
        f"Download {name}.csv",
        frame.to_csv(index=False).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


def excerpts(claims: pd.DataFrame, lexicon: Lexicon, show_outlet: bool = False) -> None:
    """Claims as highlighted quote blocks; the HTML escapes everything from the data."""
    if claims.empty:
        st.caption("No excerpt.")
        return
    blocks = "".join(excerpt_html(row, lexicon, show_outlet) for row in claims.to_dict("records"))
    st.markdown(STYLE + blocks, unsafe_allow_html=True)


def legend_for_highlights() -> None:
    st.markdown(
        STYLE + '<span class="nt-meta">Marked in the excerpts: <span class="nt-label">label naming an actor</span> · '
        '<span class="nt-loaded">loaded term (lexicon)</span> · <span class="nt-scare">scare-quoted word</span>. '
        "Hover a mark for its category.</span>",
        unsafe_allow_html=True,
    )


def empty_state(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def outlet_heading(name: str, colour: str) -> None:
    """An outlet's name with its colour dot, the same colour it has on every page."""
    dot = (
        f'<span style="color:{colour}" aria-hidden="true">●</span>' if re.fullmatch(r"#[0-9A-Fa-f]{6}", colour) else ""
    )
    st.markdown(f"{dot} <strong>{html_text(name)}</strong>", unsafe_allow_html=True)
