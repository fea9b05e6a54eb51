"""Helpers for the classroom tests: drive the app with AppTest and read what a page shows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
DATA = REPO / "data" / "events.yaml"
FIXTURE = Path(__file__).resolve().parent / "classroom.yaml"  # a small invented dataset made for these tests
NOTICE = "Part of this link was not understood"
PATH_ID = "lesson"  # the fixture's presenter path
HANDOUT = "Printable handout"  # the handout download's label

# Every deferred download the app registered, by its file id (filled by the ``downloads`` fixture).
Deferred = dict[str, Callable[[], bytes | str]]


def goto(at: AppTest, view_id: str, params: dict[str, str | list[str]] | None = None) -> AppTest:
    """In the same session, open the page of ``view_id`` with exactly ``params`` in the link (as a page link does).

    Pages are callables registered with ``st.navigation`` under their view id, so a page is chosen by the
    hash of its url path, as a browser's request for ``/view_id`` would choose it.
    """
    at._page_hash = calc_hash(view_id)
    at.query_params.clear()
    at.query_params.update(params or {})
    return at.run()


def open_page(view_id: str, params: dict[str, str | list[str]] | None = None) -> AppTest:
    """A fresh session: run the app once, then open ``view_id`` with ``params`` in its link."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    return goto(at, view_id, params)


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


STEP_TITLE = '<div class="nt-step-title"><h1>'


def step_bar(at: AppTest) -> list[str]:
    """The presenter step's title (the page's one h1 in presentation mode), if the page shows one."""
    return [m.value for m in at.markdown if m.value.startswith(STEP_TITLE)]


def step_prompt(at: AppTest) -> list[str]:
    """The presenter step's prompt box, if the step has a prompt."""
    return [m.value for m in at.markdown if m.value.startswith('<div class="nt-step">')]


def page_links(at: AppTest) -> dict[str, tuple[str, str]]:
    """Every page link on the page: label as the reader sees it -> (page url path, query string)."""
    return {plain(link.value): (link.proto.page, link.proto.query_string) for link in at.get("page_link")}


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert len(found) == 1, f"expected one {label!r} button, found {[b.label for b in at.button]}"
    return found[0]


def download_labels(at: AppTest) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


def download(at: AppTest, deferred: Deferred, label: str) -> bytes:
    """Click the download button ``label``: what the browser would receive (its data is written on click)."""
    found = [d.proto for d in at.get("download_button") if d.proto.label == label]
    assert len(found) == 1, f"expected one {label!r} download, found {download_labels(at)}"
    assert found[0].HasField("deferred_file_id"), "the download's data is written when clicked"
    data = deferred[found[0].deferred_file_id]()
    return data.encode("utf-8") if isinstance(data, str) else data


def contains_any(text: str, terms: Iterable[str]) -> list[str]:
    """The terms found in ``text`` as whole words, ignoring case and curly/straight apostrophes."""
    from dashboard.data.text import fold_keep_length

    folded = fold_keep_length(text).lower()
    return [
        t
        for t in terms
        if re.search(r"(?<!\w)" + re.escape(fold_keep_length(t).lower()) + r"(?!\w)", folded) is not None
    ]
