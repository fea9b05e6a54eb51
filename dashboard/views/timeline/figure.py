"""The timeline chart: events in lanes at their dates, the date's precision in the marker's shape."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.views.charts import PRECISION_LABEL, PRECISION_SYMBOL, SELECTED_LINE, base_layout, esc


def timeline_lanes(
    events: pd.DataFrame, lane: str, outlet_names: dict[str, str], camps_of: dict[str, str]
) -> pd.DataFrame:
    """One row per event and lane it belongs in: by category, or once per outlet / actor camp involved."""
    if lane == "outlet":
        rows = events.assign(lane_key=events["outlets"]).explode("lane_key").dropna(subset=["lane_key"])
        return rows.assign(lane=rows["lane_key"].map(outlet_names))
    if lane == "camp":
        rows = events.assign(lane_key=events["actors"].map(lambda a: tuple(dict.fromkeys(camps_of[x] for x in a))))
        rows = rows.explode("lane_key").dropna(subset=["lane_key"])
        return rows.assign(lane=rows["lane_key"])
    return events.assign(lane=events["category_name"], lane_key=events["category"])


def timeline_figure(
    events: pd.DataFrame,
    lane: str,
    outlet_names: dict[str, str],
    camps_of: dict[str, str],
    colours: dict[str, str],
    selected: str | None = None,
) -> go.Figure:
    """Events on a date axis, one lane per category (or outlet, or camp).

    An event known only to the month or year, and a span, is drawn as a bar over
    the whole period it may stand for, with a marker whose shape says how precise
    the date is; a day-precise event is a marker alone. Each marker carries the
    event id in ``customdata`` for selection.
    """
    rows = timeline_lanes(events, lane, outlet_names, camps_of)
    lanes = list(dict.fromkeys(rows.sort_values("start")["lane"]))
    fig = go.Figure()
    periods = rows[rows["end"] > rows["start"]]
    if not periods.empty:
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=periods["lane"],
                base=periods["start"],
                x=(periods["end"] + pd.Timedelta(days=1) - periods["start"]).dt.total_seconds() * 1000,
                marker=dict(color="rgba(120,120,120,0.25)", line=dict(width=0)),
                width=0.5,
                hoverinfo="skip",
                showlegend=False,
                name="period",
            )
        )
    for precision, shape in PRECISION_SYMBOL.items():
        part = rows[rows["precision"] == precision]
        if part.empty:
            continue
        middle = part["start"] + (part["end"] - part["start"]) / 2
        point_x = part["start"].where(part["end"] == part["start"], middle)
        outlets_text = part["outlets"].map(lambda os: ", ".join(esc(outlet_names[o]) for o in os) or "none")
        # In outlet lanes each marker takes its outlet's colour; elsewhere the lane already says it all.
        colour = part["lane_key"].map(colours).tolist() if lane == "outlet" else "#0072B2"
        fig.add_trace(
            go.Scatter(
                x=point_x,
                y=part["lane"],
                mode="markers",
                name=PRECISION_LABEL[precision],
                showlegend=lane != "outlet",
                legendgroup=precision,
                marker=dict(
                    symbol=shape,
                    size=[18 if e == selected else 12 for e in part["event"]],
                    color=colour,
                    line=dict(
                        width=[3 if e == selected else 1 for e in part["event"]],
                        color=[SELECTED_LINE if e == selected else "#222222" for e in part["event"]],
                    ),
                ),
                customdata=list(
                    zip(part["event"], part["title"].map(esc), part["date"].map(esc), outlets_text, strict=True)
                ),
                hovertemplate=(
                    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>Reported by: %{customdata[3]}<extra></extra>"
                ),
            )
        )
    if lane == "outlet":  # the markers wear outlet colours; the legend only explains the shapes
        for precision in rows["precision"].unique():
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=PRECISION_LABEL[precision],
                    legendgroup=precision,
                    marker=dict(symbol=PRECISION_SYMBOL[precision], size=12, color="#888888"),
                )
            )
    # Lane names are written above their lane, not beside it, so a phone keeps its whole width for dates.
    fig.update_yaxes(
        categoryorder="array", categoryarray=lanes[::-1], title=None, showticklabels=False, fixedrange=True
    )
    for name in lanes:
        fig.add_annotation(
            text=esc(name),
            x=0,
            xref="paper",
            xanchor="left",
            y=name,
            yref="y",
            yshift=20,
            showarrow=False,
            font=dict(size=13),
            opacity=0.85,
        )
    # Dates on top, where a projected chart is read first; drag sideways to zoom into a busy month.
    fig.update_xaxes(type="date", title=None, showgrid=True, side="top", ticks="outside")
    base_layout(fig, height=max(320, 62 * len(lanes) + 140))
    fig.update_layout(
        barmode="overlay",
        clickmode="event+select",
        dragmode="zoom",
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0),
    )
    return fig
