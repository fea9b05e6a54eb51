"""Helpers for the classroom tests: drive the app with AppTest and read what a page shows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
DATA = REPO / "data" / "events.yaml"
NOTICE = "Part of this link was not understood"
PATH_ID = "class-45"


def open_page(page: str, params: dict[str, str | list[str]] | None = None) -> AppTest:
    """A fresh session: run the app, switch to ``page`` (e.g. ``views/quiz.py``) with ``params`` in its link."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page(page)
    at.query_params.update(params or {})
    return at.run()


def follow(at: AppTest, page: str, params: dict[str, str | list[str]]) -> AppTest:
    """In the same session, open ``page`` with exactly ``params`` in the link (as a page link does)."""
    at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(params)
    return at.run()


def plain(text: str) -> str:
    """Markdown with its backslash escapes removed: what the reader sees."""
    return re.sub(r"\\(.)", r"\1", text)


def assert_clean(at: AppTest) -> None:
    """No exception, no error box and no warning anywhere on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [w.value for w in at.warning]


def notices(at: AppTest) -> list[str]:
    return [plain(i.value) for i in at.info if plain(i.value).startswith(NOTICE)]


def markdown_sources(at: AppTest) -> list[str]:
    """The source of every markdown-like element on the page."""
    kinds = ("markdown", "caption", "title", "subheader", "info", "error", "warning", "success")
    return [el.value for kind in kinds for el in at.get(kind)]


def step_bar(at: AppTest) -> list[str]:
    """The presenter bar's step box (title and prompt), if the page shows one."""
    return [m.value for m in at.markdown if m.value.startswith('<div class="nt-step">')]


def page_links(at: AppTest) -> dict[str, tuple[str, str]]:
    """Every page link on the page: label as the reader sees it -> (page url path, query string)."""
    return {plain(link.value): (link.proto.page, link.proto.query_string) for link in at.get("page_link")}


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert len(found) == 1, f"expected one {label!r} button, found {[b.label for b in at.button]}"
    return found[0]


def contains_any(text: str, terms: Iterable[str]) -> list[str]:
    """The terms found in ``text`` as whole words, ignoring case and curly/straight apostrophes."""
    from dashboard.text import fold_keep_length

    folded = fold_keep_length(text).lower()
    return [
        t
        for t in terms
        if re.search(r"(?<!\w)" + re.escape(fold_keep_length(t).lower()) + r"(?!\w)", folded) is not None
    ]
