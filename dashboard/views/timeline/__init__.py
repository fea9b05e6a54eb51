"""Timeline: every event on a date axis, in lanes; pick one to read what each outlet said about it."""

from __future__ import annotations

import datetime as dt

from dashboard.data.bundle import Bundle
from dashboard.views.base import Param, Settings, View, settings_class
from dashboard.views.charts import LANES


@settings_class
class TimelineSettings(Settings):
    lanes: str = "category"
    start: dt.date | None = None  # None: the first event's date (a dataset with no events has none)
    end: dt.date | None = None
    categories: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    q: str = ""
    event: str = ""

    @classmethod
    def params(cls, bundle: Bundle) -> list[Param]:
        events = bundle.tables.events
        first, last = date_range(bundle)
        categories = list(dict.fromkeys(events["category"]))
        reporting = bundle.outlets_with_text
        return [
            Param("lanes", "one", "category", choices=list(LANES)),
            Param("from", "date", first, lo=first, hi=last, field="start"),
            Param("to", "date", last, lo=first, hi=last, field="end"),
            Param("categories", "many", categories, choices=categories),
            Param("actors", "many", [], choices=list(bundle.tables.actors["actor"])),
            Param("outlets", "many", reporting, choices=reporting),
            Param("q", "text", ""),
            Param("event", "one", "", choices=["", *events["event"]]),
        ]


def date_range(bundle: Bundle) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day any event covers; None for a dataset with no events."""
    events = bundle.tables.events
    if events.empty:
        return None, None
    return events["start"].min().date(), events["end"].max().date()


VIEW = View("timeline", "Timeline", ":material/timeline:", TimelineSettings, __name__)
