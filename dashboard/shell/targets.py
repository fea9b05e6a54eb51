"""Where a page link points: each view's page by id, for links drawn anywhere below the navigation.

A link needs only its page's url path (Streamlit finds a page by the hash of it), so a page object made
here, which never runs, points at the same page as the one ``nav`` registers with its runner. That keeps
the shell's lower modules and the views from importing the navigation, which imports the page runner,
which imports them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.views import BY_ID, HIDDEN, TOOLS, VIEWS
from dashboard.views.base import View

ALL: dict[str, View] = {**BY_ID, **{v.id: v for v in (*TOOLS, *HIDDEN)}}
ORDER: tuple[View, ...] = (*VIEWS, *TOOLS, *HIDDEN)


def page_options(view: View) -> dict[str, Any]:
    """What makes a view's page the page it is (title, icon, url path, home, in the menu or not)."""
    visibility = "hidden" if view in HIDDEN else "visible"
    return {
        "title": view.title,
        "icon": view.icon,
        "url_path": view.id,
        "default": view.default,
        "visibility": visibility,
    }


def _linked_only() -> None:  # pragma: no cover - a link target; the navigation's own page runs
    raise RuntimeError("a link target is never run")


def page_of(view_id: str) -> st.Page:
    """A page to link to, by view id."""
    return st.Page(_linked_only, **page_options(ALL[view_id]))
