"""The app's pages, one per view, made from the list of views, each run by the page runner.

Made afresh on every run: Streamlit marks the page a run calls, so one set of
``st.Page`` objects shared by every session would let one session's run refuse
another's ("Only the page returned from st.navigation can be called once").
Links point at pages through ``targets.page_of``, which needs no runner.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.shell.page import run
from dashboard.shell.targets import ORDER, page_options


def pages() -> dict[str, st.Page]:
    """Each view's ``st.Page`` by view id, in menu order, for this run; then the pages outside the menu."""
    return {v.id: st.Page(partial(run, v), **page_options(v)) for v in ORDER}
