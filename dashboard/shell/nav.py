"""The app's pages, one per view, made once from the list of views; page links point at them."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.views import VIEWS

_PAGES: dict[str, StreamlitPage] = {}


def pages() -> dict[str, StreamlitPage]:
    """Each view's ``st.Page`` by view id, in menu order (the same objects for every session)."""
    if not _PAGES:
        from dashboard.shell.page import run  # the page runner imports this module's users

        for v in VIEWS:
            _PAGES[v.id] = st.Page(partial(run, v), title=v.title, icon=v.icon, url_path=v.id, default=v.default)
    return _PAGES


def page_of(view_id: str) -> StreamlitPage:
    return pages()[view_id]
