"""Helpers for the page tests: drive a page with AppTest, and read expectations from the YAML itself.

Expected values are derived from ``data/events.yaml`` read with PyYAML's
``BaseLoader`` (every scalar a string), independently of the dashboard's own
reader, so a test can catch the dashboard disagreeing with its data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import yaml
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
DATA = REPO / "data" / "events.yaml"
NOTICE = "Part of this link was not understood"


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """Run the app, switch to ``page`` (a file under dashboard/) and run it with ``params`` in the link."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page(page)
    at.query_params.update(params or {})
    return at.run()


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


# -- the data, read independently ----------------------------------------------------------------
@functools.cache
def raw_data(path: Path = DATA) -> dict[str, Any]:
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
