"""What the timeline shows for given settings: the events that pass the filters, their chart and table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.data.bundle import Bundle
from dashboard.data.filters import claims_about, filter_events
from dashboard.markup.handout import Section
from dashboard.views.charts import colours
from dashboard.views.timeline import TimelineSettings
from dashboard.views.timeline.figure import timeline_figure

if TYPE_CHECKING:  # figures are made in figure.py; the build only holds them
    import plotly.graph_objects as go


@dataclass(frozen=True)
class Chosen:
    """The event picked, and each outlet's quotes about it in the order the page shows them."""

    event: dict
    by_outlet: list[tuple[str, pd.DataFrame]]
    silent: list[str]  # outlets with text in the dataset that do not mention it


@dataclass(frozen=True)
class TimelineView:
    shown: pd.DataFrame
    figure: go.Figure | None
    table: pd.DataFrame
    chosen: Chosen | None
    handout: list[Section]


def build(b: Bundle, s: TimelineSettings) -> TimelineView:
    t = b.tables
    shown = filter_events(
        t.events,
        t.claims,
        start=s.start,
        end=s.end,
        categories=list(s.categories),
        actors=list(s.actors),
        outlets=list(s.outlets),
        query=s.q,
    )
    outlet_names = b.names["outlet"]
    table = shown.assign(reported_by=shown["outlets"].map(lambda os: ", ".join(outlet_names[o] for o in os)))[
        ["date", "title", "category_name", "reported_by", "claims", "summary"]
    ]
    figure = None
    if not shown.empty:
        camps_of = dict(zip(t.actors["actor"], t.actors["camp_name"], strict=True))
        figure = timeline_figure(shown, s.lanes, outlet_names, camps_of, colours(b), selected=s.event or None)
    chosen = _chosen(b, s.event) if s.event else None
    handout = [Section(outlet_names[o], quotes) for o, quotes in chosen.by_outlet] if chosen else []
    return TimelineView(shown, figure, table, chosen, handout)


def _chosen(b: Bundle, event: str) -> Chosen | None:
    events = b.tables.events
    rows = events[events["event"] == event].to_dict("records")
    if not rows:
        return None
    row = rows[0]
    about = claims_about(b.tables.claims, "event", event)
    by_outlet = [(o, about[about["outlet"] == o]) for o in row["outlets"]]
    silent = [o for o in b.outlets_with_text if o not in row["outlets"]]
    return Chosen(row, by_outlet, silent)
