"""The timeline chart: events in lanes at their dates, the date's precision in the marker's shape.

Up to ``WEBGL_ABOVE`` markers it is drawn in SVG, each marker carrying its full
hover text. Above that (a dataset of thousands of events) an SVG node per
marker and per period is what keeps a browser busy for seconds, so markers and
period bars are drawn with WebGL (``scattergl``), with one size and outline per
trace instead of one per point, lanes and dates as numbers, and hover text cut
to the title (the date and who reported the event are in the table). Above
``DENSITY_ABOVE`` the chart counts the events by month in each lane instead,
until the filters leave fewer (the event picker and the table still list each).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.views.charts import PRECISION_LABEL, PRECISION_SYMBOL, SELECTED_LINE, base_layout, esc

WEBGL_ABOVE = 1500  # markers (events × lanes); the curated data draws about 60
# Above this many markers the chart counts events by month in each lane (a heatmap of a few hundred
# cells) until the filters narrow them: 10,000 markers were about 2 MB of figure data that the browser
# took seconds to take in, WebGL or not (bench/README.md), and no one reads 10,000 markers one by one.
DENSITY_ABOVE = 4000
DENSITY_COLOURS = [[0.0, "#deebf7"], [1.0, "#08306b"]]  # one sequential hue: more events, darker
PERIOD_COLOUR = "rgba(120,120,120,0.25)"
MIN_SPAN = pd.Timedelta(days=60)  # the narrowest date axis drawn: days, never hours


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
    if len(rows) > DENSITY_ABOVE:
        return _density_figure(rows, lanes, selected)
    large = len(rows) > WEBGL_ABOVE
    # Large: lanes as numbers (top lane highest) and dates as epoch milliseconds, which plotly sends as
    # compact binary arrays; lane names and dates as text would be a few hundred kB more for the browser.
    lane_y = {name: len(lanes) - 1 - i for i, name in enumerate(lanes)}
    fig = go.Figure()
    periods = rows[rows["end"] > rows["start"]]
    if not periods.empty:
        fig.add_trace(_period_lines(periods, lane_y) if large else _period_bars(periods))
    for precision, shape in PRECISION_SYMBOL.items():
        part = rows[rows["precision"] == precision]
        if part.empty:
            continue
        middle = part["start"] + (part["end"] - part["start"]) / 2
        point_x = part["start"].where(part["end"] == part["start"], middle)
        # In outlet lanes each marker takes its outlet's colour; elsewhere the lane already says it all.
        colour = part["lane_key"].map(colours).tolist() if lane == "outlet" else "#0072B2"
        common = dict(
            x=_ms(point_x) if large else point_x.to_numpy(),
            y=part["lane"].map(lane_y).to_numpy(dtype="int16") if large else part["lane"].to_numpy(),
            mode="markers",
            name=PRECISION_LABEL[precision],
            showlegend=lane != "outlet",
            legendgroup=precision,
        )
        if large:
            fig.add_trace(
                go.Scattergl(
                    **common,
                    marker=dict(symbol=shape, size=9, color=colour, line=dict(width=0.5, color="#222222")),
                    customdata=part["event"].to_numpy(),
                    text=part["title"].map(esc).to_numpy(),  # the date and who reported it are in the table
                    hovertemplate="%{text}<extra></extra>",
                )
            )
            continue
        outlets_text = part["outlets"].map(lambda os: ", ".join(esc(outlet_names[o]) for o in os) or "none")
        fig.add_trace(
            go.Scatter(
                **common,
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
    if large and selected:  # one trace on top for the chosen event, so the rest need no per-point sizes
        chosen = rows[rows["event"] == selected]
        if not chosen.empty:
            middle = chosen["start"] + (chosen["end"] - chosen["start"]) / 2
            fig.add_trace(
                go.Scattergl(
                    x=_ms(chosen["start"].where(chosen["end"] == chosen["start"], middle)),
                    y=chosen["lane"].map(lane_y).to_numpy(dtype="int16"),
                    mode="markers",
                    name="Chosen event",
                    showlegend=False,
                    marker=dict(
                        symbol=[PRECISION_SYMBOL[p] for p in chosen["precision"]],
                        size=18,
                        color="rgba(0,0,0,0)",
                        line=dict(width=3, color=SELECTED_LINE),
                    ),
                    customdata=chosen["event"].to_numpy(),
                    text=(chosen["title"].map(esc) + "<br>" + chosen["date"].map(esc)).to_numpy(),
                    hovertemplate="%{text}<extra></extra>",
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
    if large:
        fig.update_yaxes(range=[-0.6, len(lanes) - 0.4], showgrid=False, zeroline=False, tickvals=[])
    else:
        fig.update_yaxes(categoryorder="array", categoryarray=lanes[::-1])
    fig.update_yaxes(title=None, showticklabels=False, fixedrange=True)
    for name in lanes:
        fig.add_annotation(
            text=esc(name),
            x=0,
            xref="paper",
            xanchor="left",
            y=lane_y[name] if large else name,
            yref="y",
            yshift=20,
            showarrow=False,
            font=dict(size=13),
            opacity=0.85,
        )
    # Dates on top, where a projected chart is read first; drag sideways to zoom into a busy month.
    fig.update_xaxes(type="date", title=None, showgrid=True, side="top", ticks="outside")
    if len(rows):  # a story of one day (a new draft) would otherwise get an axis of hours and milliseconds
        first, last = rows["start"].min(), rows["end"].max() + pd.Timedelta(days=1)
        if last - first < MIN_SPAN:
            middle = first + (last - first) / 2
            fig.update_xaxes(range=[middle - MIN_SPAN / 2, middle + MIN_SPAN / 2])
    base_layout(fig, height=max(320, 62 * len(lanes) + 140))
    fig.update_layout(
        barmode="overlay",
        clickmode="event+select",
        dragmode="zoom",
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0),
    )
    return fig


def is_density(events: pd.DataFrame, lane: str, outlet_names: dict[str, str], camps_of: dict[str, str]) -> bool:
    """Whether ``timeline_figure`` counts these events by month instead of drawing each."""
    return len(timeline_lanes(events, lane, outlet_names, camps_of)) > DENSITY_ABOVE


def _density_figure(rows: pd.DataFrame, lanes: list[str], selected: str | None) -> go.Figure:
    """Events counted by month (of their date, or their period's middle) in each lane: one heatmap cell
    per lane and month with any event; the chosen event, if any, a marker on top."""
    middle = rows["start"] + (rows["end"] - rows["start"]) / 2
    month = middle.dt.to_period("M").dt.start_time
    counts = pd.crosstab(rows["lane"], month).reindex(lanes[::-1])
    z = np.array(counts.to_numpy(), dtype="float64")  # a writable copy
    z[z == 0] = np.nan  # an empty month is left blank, not drawn in the palest colour
    fig = go.Figure(
        go.Heatmap(
            x=counts.columns,
            y=counts.index,
            z=z,
            colorscale=DENSITY_COLOURS,
            ygap=26,  # each lane's name is written in the gap above it
            hoverongaps=False,
            colorbar=dict(title="Events per month", orientation="h", y=-0.04, yanchor="top", thickness=10),
            hovertemplate="%{y}<br>%{x|%B %Y}: %{z} events<extra></extra>",
            name="Events per month",
        )
    )
    chosen = rows[rows["event"] == selected] if selected else rows.iloc[:0]
    if not chosen.empty:
        fig.add_trace(
            go.Scatter(
                x=(chosen["start"] + (chosen["end"] - chosen["start"]) / 2).to_numpy(),
                y=chosen["lane"].to_numpy(),
                mode="markers",
                name="Chosen event",
                showlegend=False,
                marker=dict(symbol="circle", size=16, color="rgba(0,0,0,0)", line=dict(width=3, color=SELECTED_LINE)),
                customdata=chosen["event"].to_numpy(),
                text=chosen["title"].map(esc).to_numpy(),
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=lanes[::-1], title=None, showticklabels=False)
    fig.update_yaxes(fixedrange=True)
    for name in lanes:  # lane names above their lane, as on the chart of single events
        fig.add_annotation(text=esc(name), x=0, xref="paper", xanchor="left", y=name, yref="y", yshift=23)
    fig.update_annotations(showarrow=False, font=dict(size=13), opacity=0.85)
    fig.update_xaxes(type="date", title=None, showgrid=True, side="top", ticks="outside")
    base_layout(fig, height=max(320, 62 * len(lanes) + 140))
    fig.update_layout(dragmode="zoom", showlegend=False)
    return fig


def _period_bars(periods: pd.DataFrame) -> go.Bar:
    return go.Bar(
        orientation="h",
        y=periods["lane"],
        base=periods["start"],
        x=(periods["end"] + pd.Timedelta(days=1) - periods["start"]).dt.total_seconds() * 1000,
        marker=dict(color=PERIOD_COLOUR, line=dict(width=0)),
        width=0.5,
        hoverinfo="skip",
        showlegend=False,
        name="period",
    )


def _period_lines(periods: pd.DataFrame, lane_y: dict[str, int]) -> go.Scattergl:
    """Every period as one thick line segment of a single WebGL trace (gaps between them as NaN)."""
    n = len(periods)
    x = np.full(3 * n, np.nan, dtype="float32")  # float32: to within two minutes, for half the bytes
    x[0::3] = _ms(periods["start"])
    x[1::3] = _ms(periods["end"] + pd.Timedelta(days=1))
    y = np.full(3 * n, np.nan, dtype="float32")
    y[0::3] = y[1::3] = periods["lane"].map(lane_y).to_numpy(dtype=float)
    return go.Scattergl(
        x=x,
        y=y,
        mode="lines",
        line=dict(color=PERIOD_COLOUR, width=10),
        connectgaps=False,
        hoverinfo="skip",
        showlegend=False,
        name="period",
    )


def _ms(dates: pd.Series) -> np.ndarray:
    """Dates as milliseconds since 1970, which a plotly date axis reads as dates."""
    return (dates.to_numpy(dtype="datetime64[ms]").astype("int64")).astype("float64")
