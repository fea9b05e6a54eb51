"""Every view setting lives in the URL: read it into the page's widgets, write the widgets back to it.

A page's widgets are seeded from its link whenever the link is new to this
session's page: on entering the page (from the menu, a link, or browser back
and forward) and on every presenter step. Between those, the widgets own their
values and each rerun writes them back to the address bar. Widget keys are
page-scoped (``compare.outlets``), so one page's settings never leak into
another's. Why this is not Streamlit's ``bind="query-params"``: see
``dashboard/views/links.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import Dataset
from dashboard.markup.safe import md
from dashboard.shell.loading import STORY, story_params
from dashboard.views.base import Settings, View
from dashboard.views.links import Param, parse
from dashboard.views.steps import ASK_KEY, PRESENTER_KEYS

_SEEN = "_nt.link"  # (page id, the link this session's page last read or wrote)
_FRESH = "_nt.fresh"  # this run entered a new link on the same page: write the address bar even if it looks the same


def presenter_params(dataset: Dataset) -> list[Param]:
    """The two settings that put any view in presentation mode: which path, which step."""
    longest = max((len(p.steps) for p in dataset.paths), default=1)
    return [
        Param("path", "one", "", choices=["", *(p.id for p in dataset.paths)]),
        Param("step", "int", 1, lo=1, hi=longest),
    ]


def ask_params(dataset: Dataset) -> list[Param]:
    """The question a student link carries: one of the data's prompts, by id."""
    return [Param(ASK_KEY, "one", "", choices=["", *(p.id for p in dataset.prompts)])]


def asked(dataset: Dataset, view_id: str) -> str | None:
    """The prompt id the link asks about, if it is one of this view's prompts (read from the URL only)."""
    prompt = dataset.by_id("prompts").get(parse(_ask_query(), ask_params(dataset)).values[ASK_KEY])
    return prompt.id if prompt is not None and prompt.page == view_id else None


def _ask_query() -> dict[str, list[str]]:
    return {ASK_KEY: st.query_params.get_all(ASK_KEY)} if ASK_KEY in st.query_params else {}


def query() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def presenter_query() -> dict[str, list[str]]:
    """The link's presenter keys alone (which path, which step)."""
    return {k: st.query_params.get_all(k) for k in PRESENTER_KEYS if k in st.query_params}


def _frozen(params: Mapping[str, str | list[str]]) -> tuple:
    return tuple(sorted((k, tuple([v] if isinstance(v, str) else v)) for k, v in params.items()))


def seed_from_link(view: View, bundle: Bundle) -> Settings:
    """This page's settings as its link gives them, put into its widgets if the link is new to the page."""
    params = query()
    own = {k: v for k, v in params.items() if k not in (*PRESENTER_KEYS, ASK_KEY, STORY)}
    link, notices = view.from_link(bundle, own)
    notices += parse(presenter_query(), presenter_params(bundle.dataset)).notices
    notices += parse(_ask_query(), ask_params(bundle.dataset)).notices
    seen = st.session_state.get(_SEEN)
    fresh = seen != (view.id, _frozen(params))
    for name, value in dataclasses.asdict(link).items():  # type: ignore[call-overload]
        # A rerun may come without the widgets' states (a tab reconnecting to a new session, a client that
        # sends none): a widget drawn with no state would take its empty default (None), so a setting whose
        # state is missing takes the link's value again, as on arrival.
        if fresh or st.session_state.get(view.key(name)) is None:
            st.session_state[view.key(name)] = list(value) if isinstance(value, tuple) else value
    if fresh:
        st.session_state[_SEEN] = (view.id, _frozen(params))
        # A link to the page already on screen (the next presenter step, say) reaches the server's query
        # parameters but not the browser's address bar; a move to another page sets the address itself,
        # and writing it again there would add a history entry with the old page's path.
        st.session_state[_FRESH] = seen is not None and seen[0] == view.id
        if notices:
            st.info(
                md("Part of this link was not understood and was ignored: " + "; ".join(notices) + "."),
                icon=":material/link_off:",
            )
    return link


def current(view: View, bundle: Bundle, link: Settings) -> Settings:
    """The settings the page's widgets hold now (a setting with no widget drawn keeps its link value)."""
    values = {f.name: state_or_link(view.key(f.name), getattr(link, f.name)) for f in dataclasses.fields(link)}
    return view.make(bundle, values)


def state_or_link(key: str, link_value: object) -> object:
    """A setting's widget state, else (no state, or an empty one) the link's value."""
    value = st.session_state.get(key)
    return link_value if value is None else value


def write_link(view: View, bundle: Bundle, settings: Settings) -> None:
    """Put ``settings`` in the address bar, so a copied link reopens this exact view."""
    wanted = view.to_link(bundle, settings)
    presenter = presenter_query()
    if not parse(presenter, presenter_params(bundle.dataset)).notices:  # a presenter step keeps its place
        wanted.update(presenter)  # (a bad one was named in the notice, and is not kept in the address)
    wanted.update(story_params())  # an uploaded story stays named, so that a reload shows it again
    ask = _ask_query()
    if ask and not parse(ask, ask_params(bundle.dataset)).notices:  # the question stays with the view
        wanted.update(ask)
    if st.session_state.pop(_FRESH, False) or _frozen(query()) != _frozen(wanted):
        st.query_params.from_dict(wanted)
    st.session_state[_SEEN] = (view.id, _frozen(wanted))
