"""Helpers for the page tests: drive a page with AppTest, and read expectations from the YAML itself.

Expected values are derived from ``data/events.yaml`` read with PyYAML's
``BaseLoader`` (every scalar a string), independently of the dashboard's own
reader, so a test can catch the dashboard disagreeing with its data.

Pages are callables registered with ``st.navigation`` (url path = view id), so a
page is opened by its script hash, ``calc_hash(view_id)``, as a browser asking
for ``/view_id`` would.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import yaml
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Widget
from streamlit.util import calc_hash

from dashboard.data.bundle import Bundle
from dashboard.views import BY_ID
from dashboard.views.base import View

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
DATA = REPO / "data" / "events.yaml"
SMALL = Path(__file__).resolve().parent / "fixtures" / "small.yaml"  # an invented dataset for code tests
NOTICE = "Part of this link was not understood"
Params = Mapping[str, str | list[str]]


def open_page(view_id: str, params: Params | None = None) -> AppTest:
    """A fresh session opening ``/view_id?params`` (its first run is that page, as in a new browser tab)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at._page_hash = calc_hash(view_id)
    at.query_params.update(params or {})
    return at.run()


def goto(at: AppTest, view_id: str, params: Params | None = None) -> AppTest:
    """In the same session, open ``view_id`` with exactly ``params`` in the link.

    With no params this is a click on the page's entry in the sidebar menu; with
    some, a page link, a presenter step, or the browser going back to that URL.
    """
    at._page_hash = calc_hash(view_id)
    at.query_params.clear()
    at.query_params.update(params or {})
    return at.run()


def links_on(at: AppTest) -> dict[str, Any]:
    """Every page link drawn, by its label as the reader sees it."""
    return {plain(link.value): link for link in at.get("page_link")}


def follow(at: AppTest, link: Any) -> AppTest:
    """Click a page link in this session: its page, with exactly its query in the link."""
    at._page_hash = link.proto.page_script_hash
    at.query_params.clear()
    at.query_params.update(parse_qs(link.proto.query_string, keep_blank_values=True))
    return at.run()


def open_link(link: Any) -> AppTest:
    """A fresh session opening the address a page link points at (as pasting it into a new tab does)."""
    at = AppTest.from_file(APP, default_timeout=30)
    return follow(at, link)


def widgets(at: AppTest) -> dict[str, Any]:
    """Every input widget drawn (main area and sidebar), by key (or type and label), with its value."""
    found: dict[str, Any] = {}

    def walk(block: Block) -> None:
        for node in block.children.values():
            if isinstance(node, Block):
                walk(node)
            elif isinstance(node, Widget) and node.type not in ("button", "download_button"):
                name = node.key or f"{node.type}:{getattr(node, 'label', '')}"
                assert name not in found, f"two widgets drawn as {name!r}"
                found[name] = node.value

    walk(at.main)
    walk(at.sidebar)
    return found


def widget(at: AppTest, key: str) -> Widget:
    """The widget drawn under ``key``."""
    matches: list[Widget] = []

    def walk(block: Block) -> None:
        for node in block.children.values():
            if isinstance(node, Block):
                walk(node)
            elif isinstance(node, Widget) and node.key == key:
                matches.append(node)

    walk(at.main)
    walk(at.sidebar)
    assert len(matches) == 1, f"expected one widget {key!r}, found {len(matches)}: {sorted(widgets(at))}"
    return matches[0]


def screen(at: AppTest) -> dict[str, Any]:
    """What a visitor can compare between two visits to a page: its title, widgets, messages and link."""
    return {
        "title": [plain(t.value) for t in at.title],
        "widgets": widgets(at),
        "info": [plain(i.value) for i in at.info],
        "query": query(at),
    }


def as_shown(value: Any) -> Any:
    """A setting's value as its widget holds it (lists where settings hold tuples)."""
    return list(value) if isinstance(value, tuple) else value


def assert_settings_shown(at: AppTest, view: View, bundle: Bundle, link: Params) -> None:
    """The page shows the settings ``link`` asks for: in its widgets where drawn, and in its link."""
    settings, unread = view.from_link(bundle, link)
    assert not unread, unread
    drawn = widgets(at)
    for p in view.params(bundle):
        if p.name not in link:
            continue
        name = view.key(p.field)
        shown = drawn[name] if name in drawn else at.session_state[name]
        assert as_shown(shown) == as_shown(getattr(settings, p.field)), name
    own = {k: v for k, v in query(at).items() if k not in ("path", "step")}
    assert own == view.to_link(bundle, settings), "the link keeps the settings that are not at their defaults"


def key(view_id: str, field: str) -> str:
    """A setting's widget key on a page (``timeline.start``)."""
    return BY_ID[view_id].key(field)


def chart_spec(at: AppTest, index: int = 0) -> dict[str, Any]:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def plain(text: str) -> str:
    """Markdown text with its backslash escapes removed: what the reader sees."""
    return re.sub(r"\\(.)", r"\1", text)


def notices(at: AppTest) -> list[str]:
    return [plain(i.value) for i in at.info if plain(i.value).startswith(NOTICE)]


def query(at: AppTest) -> dict[str, Any]:
    return dict(at.query_params)


def assert_clean(at: AppTest) -> None:
    """No exception anywhere in the page (main area or sidebar), and no error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def all_markdown(at: AppTest) -> list[str]:
    """The source of every markdown-like element on the page."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "info", "error", "warning", "success")
    return [el.value for kind in kinds for el in at.get(kind)]


def empty_text(small: str) -> str:
    """The small dataset cut to its records before ``events:``, with no events and no claims.

    Its articles lose their source files: an article with a source text must have claims.
    """
    head = small[: small.index("\nevents:")]
    return "".join(line for line in head.splitlines(True) if "source_file:" not in line) + "\nevents: []\nclaims: []\n"


def without_positions(small: str) -> str:
    """The small dataset with no positions, framing, facts, prompts or paths (the sections after claims)."""
    return small[: small.index("\npositions:")] + "\n"


def without_events(small: str) -> str:
    """The small dataset with no events (claims report none) and so no presenter path (its steps name events)."""
    text = small[: small.index("\nevents:\n")] + "\nevents: []" + small[small.index("\nclaims:\n") :]
    text = "".join(line for line in text.splitlines(True) if not line.startswith("    events: ["))
    return text[: text.index("\npaths:")] + "\n"


def without_lexicon(small: str) -> str:
    """The small dataset with no lexicon (so no claim codes a loaded term)."""
    head, rest = small.split("lexicon:\n", 1)
    rest = rest[rest.index("events:") :]
    return head + "".join(line for line in rest.splitlines(True) if not line.startswith("    loaded_terms:"))


# -- the data, read independently ----------------------------------------------------------------
@functools.cache
def raw_data(path: Path = DATA) -> dict[str, Any]:
    """A dataset file as plain strings, lists and dicts."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def date_range(text: str) -> tuple[dt.date, dt.date]:
    """First and last day a 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' date may stand for."""
    parts = [int(x) for x in str(text).split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        y, m = parts
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    day = dt.date(*parts)
    return day, day


def precision(text: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(str(text).split("-"))]


def event_span(event: dict[str, Any]) -> tuple[dt.date, dt.date]:
    first, last = date_range(event["date"])
    if event.get("end"):
        last = date_range(event["end"])[1]
    return first, last


def article_outlet(raw: dict[str, Any]) -> dict[str, str]:
    return {a["id"]: a["outlet"] for a in raw["articles"]}


def claims_of_event(raw: dict[str, Any], event_id: str) -> list[dict[str, Any]]:
    return [c for c in raw["claims"] if event_id in c.get("events", [])]


def outlets_of_event(raw: dict[str, Any], event_id: str) -> set[str]:
    of = article_outlet(raw)
    return {of[c["article"]] for c in claims_of_event(raw, event_id)}


def outlets_with_text(raw: dict[str, Any]) -> list[str]:
    """Outlets, in data order, with at least one claim from one of their articles."""
    of = article_outlet(raw)
    speaking = {of[c["article"]] for c in raw["claims"]}
    return [o["id"] for o in raw["outlets"] if o["id"] in speaking]


def names(raw: dict[str, Any], section: str, field: str = "name") -> dict[str, str]:
    return {r["id"]: r[field] for r in raw[section]}


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with the single occurrence of ``old`` replaced (fails loudly if the data changed)."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the data"
    return text.replace(old, new)


def held_stances(raw: dict[str, Any], month: str) -> dict[tuple[str, str], str]:
    """(actor, issue) -> the stance held at the end of ``month`` ('YYYY-MM'), by the codebook's rule:
    the latest stance begun by then that has not ended before then (a later entry wins a tie)."""
    when = date_range(month)[1]
    held: dict[tuple[str, str], tuple[dt.date, str]] = {}
    for p in raw["positions"]:
        since = date_range(p["from"])[0]
        if since > when or (p.get("until") and date_range(p["until"])[1] < when):
            continue
        key = (p["actor"], p["issue"])
        if key not in held or since >= held[key][0]:
            held[key] = (since, p["stance"])
    return {k: v[1] for k, v in held.items()}
