"""The app's pages, one per view, made from the list of views; page links point at them.

Made afresh on every run: Streamlit marks the page a run calls, so one set of
``st.Page`` objects shared by every session would let one session's run refuse
another's ("Only the page returned from st.navigation can be called once").
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.views import BY_ID, HIDDEN, VIEWS

_ALL = {**BY_ID, **{v.id: v for v in HIDDEN}}


def _page(view_id: str) -> st.Page:
    from dashboard.shell.page import run  # the page runner imports this module's users

    v = _ALL[view_id]
    visibility = "hidden" if v in HIDDEN else "visible"
    return st.Page(partial(run, v), title=v.title, icon=v.icon, url_path=v.id, default=v.default, visibility=visibility)


def pages() -> dict[str, st.Page]:
    """Each view's ``st.Page`` by view id, in menu order, for this run; then the pages outside the menu."""
    return {v.id: _page(v.id) for v in (*VIEWS, *HIDDEN)}


def page_of(view_id: str) -> st.Page:
    """A page to link to (a link needs only its url path, so a new object serves)."""
    return _page(view_id)
