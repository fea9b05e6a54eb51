"""Filters the views apply to the shared frames (never in place: the frames are shared by all sessions)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import replace

import pandas as pd

from dashboard.data.frames import Tables


def filter_events(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    categories: Collection[str] | None = None,
    actors: Collection[str] | None = None,
    outlets: Collection[str] | None = None,
    query: str = "",
) -> pd.DataFrame:
    """Events overlapping [start, end], in any of ``categories``, involving any of ``actors``
    (all when empty), reported by any of ``outlets``, and matching ``query`` in their title,
    summary or the quotes that report them (case-insensitive, every word must match)."""
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["end"] >= pd.Timestamp(start)
    if end is not None:
        keep &= events["start"] <= pd.Timestamp(end)
    if categories is not None:
        keep &= events["category"].isin(list(categories))
    if actors:
        wanted = set(actors)
        keep &= _holds(events["actors"], lambda a: bool(wanted.intersection(a)))
    if outlets is not None:
        chosen = set(outlets)
        keep &= _holds(events["outlets"], lambda o: bool(chosen.intersection(o)))
    words = query.lower().split()
    if words:
        quotes: dict[str, str] = {}
        for evs, quote in zip(claims["events"], claims["quote"], strict=True):
            for e in evs:
                quotes[e] = quotes.get(e, "") + " " + quote
        haystack = (
            events["title"] + " " + events["summary"] + " " + events["event"].map(quotes).fillna("")
        ).str.lower()
        for w in words:
            keep &= haystack.str.contains(w, regex=False)
    return events[keep]


def _holds(column: pd.Series, test: Callable[[tuple], bool]) -> pd.Series:
    """A True/False mask of ``test`` on each tuple of a list column.

    ``map`` over no rows gives an object Series, and ``frame[object_series]``
    selects columns instead of rows: an empty section would lose every column.
    """
    return column.map(test).astype(bool)


def claims_about(claims: pd.DataFrame, kind: str, subject: str, outlets: Collection[str] | None = None) -> pd.DataFrame:
    """Claims about an event, an actor (named in it or speaking) or an issue, from the chosen outlets."""
    if kind == "event":
        mask = _holds(claims["events"], lambda e: subject in e)
    elif kind == "actor":
        mask = _holds(claims["actors"], lambda a: subject in a) | (claims["speaker"] == subject)
    else:
        mask = _holds(claims["issues"], lambda i: subject in i)
    if outlets is not None:
        mask &= claims["outlet"].isin(list(outlets))
    return claims[mask]


def month_options(first: dt.date, last: dt.date) -> list[str]:
    """Every month from ``first`` to ``last`` as 'YYYY-MM', for an "as of" slider."""
    months = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def month_end(month: str) -> dt.date:
    """The last day of a 'YYYY-MM' month: "as of May 2019" means by the end of May."""
    y, m = (int(x) for x in month.split("-"))
    return dt.date(y, m, calendar.monthrange(y, m)[1])  # not "first of next month - 1": 9999-12 has no next


def for_outlets(tables: Tables, outlets: Collection[str]) -> Tables:
    """The tables narrowed to some outlets' articles, claims and labels (new frames; shared ones stay as they are)."""
    keep = list(outlets)
    return replace(
        tables,
        claims=tables.claims[tables.claims["outlet"].isin(keep)],
        labels=tables.labels[tables.labels["outlet"].isin(keep)],
        articles=tables.articles[tables.articles["outlet"].isin(keep)],
    )
