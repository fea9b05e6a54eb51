"""What the timeline shows for given settings: the events that pass the filters, their chart and table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.data.bundle import Bundle
from dashboard.data.filters import claims_about, filter_events
from dashboard.markup.handout import Section
from dashboard.views.charts import LANES, colours
from dashboard.views.timeline import TimelineSettings
from dashboard.views.timeline.figure import is_density, timeline_figure, timeline_lanes

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
    alt: str  # the chart in words, for screen readers (a WebGL chart has no SVG to read)
    density: bool = False  # the chart counts events by month (too many to draw one by one)


HANDOUT_EVENTS = 60  # events a handout prints with no event chosen: a few pages of paper


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
    figure, alt, density = None, "No event matches these filters.", False
    if not shown.empty:
        camps_of = dict(zip(t.actors["actor"], t.actors["camp_name"], strict=True))
        figure = timeline_figure(shown, s.lanes, outlet_names, camps_of, colours(b), selected=s.event or None)
        alt = _alt(shown, s.lanes, outlet_names, camps_of)
        density = is_density(shown, s.lanes, outlet_names, camps_of)
        if density:
            alt = alt.replace("Timeline of", "Events per month, in a grid of", 1)
    chosen = _chosen(b, s.event) if s.event else None
    if chosen:
        handout = [Section(outlet_names[o], quotes) for o, quotes in chosen.by_outlet]
    else:
        handout = _events_handout(b, shown)
    return TimelineView(shown, figure, table, chosen, handout, alt, density)


def _alt(shown: pd.DataFrame, lanes: str, outlet_names: dict[str, str], camps_of: dict[str, str]) -> str:
    """What the chart shows, said in one paragraph: the span and the number of events in each lane."""
    per_lane = timeline_lanes(shown, lanes, outlet_names, camps_of).groupby("lane", sort=False)["event"].nunique()
    first, last = shown["start"].min(), shown["end"].max()
    lanes_text = "; ".join(f"{lane}: {n} event{'s' if n != 1 else ''}" for lane, n in per_lane.items())
    return (
        f"Timeline of {len(shown)} event{'s' if len(shown) != 1 else ''} from {first:%B %Y} to {last:%B %Y}, "
        f"in lanes by {LANES[lanes].lower()}. {lanes_text or 'No lane'}. The table below lists every event."
    )


def _events_handout(b: Bundle, shown: pd.DataFrame) -> list[Section]:
    """With no event chosen: the events shown, by date, each with who reports it and each text's first quote."""
    claims = b.tables.claims
    first, counts = b.memo.get("timeline-handout-quotes", lambda: _first_quotes(claims))
    names = b.names["outlet"]
    sections = []
    in_order = shown.sort_values("start", kind="stable")
    for row in in_order.head(HANDOUT_EVENTS).to_dict("records"):
        reporting = [o for o in row["outlets"] if (row["event"], o) in first]
        rows = [first[(row["event"], o)] for o in reporting]
        if reporting:
            heading = f"{row['date']} · {row['title']}: reported by {', '.join(names[o] for o in reporting)}"
            total = counts.get(row["event"], 0)
            if total > len(rows):
                heading += f" (first quote of each text printed, {len(rows)} of {total})"
        else:
            heading = f"{row['date']} · {row['title']}: reported by none of the texts"
        sections.append(Section(heading, claims.iloc[rows]))
    if len(in_order) > HANDOUT_EVENTS:
        more = len(in_order) - HANDOUT_EVENTS
        sections.append(
            Section(
                f"{more:,} later events are not printed: this handout holds the first {HANDOUT_EVENTS}", claims.iloc[[]]
            )
        )
    return sections


def _first_quotes(claims: pd.DataFrame) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """(event, outlet) -> the row of that outlet's first claim about the event; event -> its number of claims."""
    pairs = pd.DataFrame({"event": claims["events"], "outlet": claims["outlet"], "row": range(len(claims))})
    pairs = pairs.explode("event").dropna(subset=["event"])
    first = pairs.drop_duplicates(["event", "outlet"])
    counts = pairs.groupby("event").size()
    return dict(zip(zip(first["event"], first["outlet"], strict=True), first["row"], strict=True)), counts.to_dict()


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
