"""Moving between pages in one session (issue 8, items 1 and 9), on the small invented dataset.

A page reached from the sidebar menu (an empty link) must show exactly what it
shows when opened fresh, whatever another page was set to; a page reached by a
URL (a shared link, the browser going back or forward) must show that URL's
settings. The links of the curated data are tested in test_shared_links.py.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import pytest
from page_kit import (
    SMALL,
    as_shown,
    assert_clean,
    goto,
    notices,
    open_page,
    query,
    screen,
    widget,
)

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import DATA_ENV, load_dataset
from dashboard.views import BY_ID, VIEWS
from dashboard.views.base import View
from dashboard.views.links import Param

VIEW_IDS = [v.id for v in VIEWS]


@pytest.fixture(autouse=True)
def _small_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app reads the small dataset itself (never edited here, so the app's cache of it is shared)."""
    monkeypatch.setenv(DATA_ENV, str(SMALL))


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return Bundle.build(load_dataset(SMALL))


@functools.cache
def fresh(view_id: str) -> dict[str, Any]:
    """The page as a new session opening ``/view_id`` shows it (on the small dataset)."""
    at = open_page(view_id)
    assert_clean(at)
    return screen(at)


def other_value(p: Param) -> Any:
    """A value of ``p`` other than its default (None if it has no other), chosen from what the data allows."""
    if p.kind == "one":
        return next((c for c in p.choices or () if c not in (p.default, "")), None)
    if p.kind == "many":
        choices = list(p.choices or ())
        return choices[:1] if choices and choices[:1] != list(p.default or []) else None
    if p.kind == "date":
        return p.lo + (p.hi - p.lo) // 2 if p.lo is not None and p.hi is not None and p.hi > p.lo else None
    if p.kind == "int":
        return p.default + 1 if p.hi is None or p.default < p.hi else p.default - 1
    return "a"  # text


def changed(view: View, bundle: Bundle) -> dict[str, Any]:
    """Every setting of ``view`` moved off its default, by field."""
    return {p.field: v for p in view.params(bundle) if (v := other_value(p)) is not None}


# -- the menu: a page reached from another shows what it shows fresh -------------------------------------------
@pytest.mark.parametrize("b", VIEW_IDS)
@pytest.mark.parametrize("a", VIEW_IDS)
def test_a_page_reached_from_the_menu_shows_what_it_shows_fresh(a, b, bundle):
    view = BY_ID[a]
    link = view.to_link(bundle, view.make(bundle, changed(view, bundle)))
    assert len(link) == len(dataclasses.fields(view.settings)), "a is left with every setting off its default"
    at = open_page(a, link)
    assert_clean(at)
    assert not notices(at)
    assert query(at) == link
    goto(at, b)  # a click on b in the sidebar: b's page with an empty link
    assert_clean(at)
    assert query(at) == {}
    assert screen(at) == fresh(b)


SETTABLE = [v.id for v in VIEWS if dataclasses.fields(v.settings)]  # views whose pages have settings


@pytest.mark.parametrize(("a", "b"), [(a, b) for a in SETTABLE for b in VIEW_IDS if b != a])
def test_back_to_a_page_by_its_url_restores_its_settings(a, b, bundle):
    """Change a setting on a, go to b, come back with a's URL (browser back): a is as it was left."""
    view = BY_ID[a]
    first = view.params(bundle)[0]
    at = open_page(a)
    value = other_value(first)
    widget(at, view.key(first.field)).set_value(value).run()
    assert_clean(at)
    left = screen(at)
    assert left["query"] == view.to_link(bundle, view.make(bundle, {first.field: value})) != {}
    goto(at, b)
    assert screen(at) == fresh(b)
    goto(at, a, left["query"])  # back
    assert_clean(at)
    assert not notices(at)
    assert as_shown(widget(at, view.key(first.field)).value) == as_shown(value)
    assert screen(at) == left
    goto(at, b, {})  # and forward again
    assert screen(at) == fresh(b)


def test_back_within_a_page_restores_its_earlier_settings():
    """Two changes on one page, then the browser's back button: the page as it was after the first."""
    at = open_page("timeline")
    widget(at, "timeline.lanes").set_value("outlet").run()
    first = screen(at)
    assert first["query"] == {"lanes": "outlet"}
    widget(at, "timeline.lanes").set_value("camp").run()
    assert query(at) == {"lanes": "camp"}
    goto(at, "timeline", first["query"])
    assert_clean(at)
    assert screen(at) == first
