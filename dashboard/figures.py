"""Plotly figures: each takes frames and options and returns a figure, nothing else.

Colours are colour-blind safe (Okabe–Ito for outlets, a blue–orange diverging
scale for stances) and never carry meaning alone: stances also have a symbol
and a word, date precision has its own marker shape.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard.frames import STANCE_LABEL, STANCE_SCORE

# Okabe & Ito (2008), minus yellow and black, which vanish on light or dark backgrounds.
OUTLET_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#999999", "#882255")
STANCE_COLOUR = {
    "supports": "#2166AC",
    "leans_support": "#92C5DE",
    "mixed": "#BBBBBB",
    "leans_against": "#F4A582",
    "opposes": "#B2182B",
}
STANCE_SYMBOL = {"supports": "✔✔", "leans_support": "✔", "mixed": "≈", "leans_against": "✘", "opposes": "✘✘"}
SELECTED_LINE = "#E69F00"  # the chosen marker's outline: visible on light and dark backgrounds
PRECISION_SYMBOL = {"day": "circle", "month": "square", "year": "diamond"}
PRECISION_LABEL = {"day": "Known to the day", "month": "Known to the month", "year": "Known only to the year"}
LANES = {"category": "Category", "outlet": "Outlet", "camp": "Actor camp"}
_FONT = dict(size=15)


def outlet_colours(outlet_ids: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """One colour per outlet, fixed by the outlets' order in the data, the same on every page."""
    overrides = overrides or {}
    return {o: overrides.get(o) or OUTLET_PALETTE[i % len(OUTLET_PALETTE)] for i, o in enumerate(outlet_ids)}


def _esc(text: object) -> str:
    """Plotly renders a small HTML subset in hover and tick text: escape data before it gets there."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _base_layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=_FONT,
        hoverlabel=dict(font_size=15, align="left"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title=None),
        dragmode=False,
    )
    return fig


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
        outlets_text = part["outlets"].map(lambda os: ", ".join(_esc(outlet_names[o]) for o in os) or "none")
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
                    zip(part["event"], part["title"].map(_esc), part["date"].map(_esc), outlets_text, strict=True)
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
            text=_esc(name),
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
    _base_layout(fig, height=max(320, 62 * len(lanes) + 140))
    fig.update_layout(
        barmode="overlay",
        clickmode="event+select",
        dragmode="zoom",
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0),
    )
    return fig


def matrix_frame(held: pd.DataFrame, actors: pd.DataFrame, issues: pd.DataFrame) -> pd.DataFrame:
    """The actor × issue cells to draw: every actor and issue with a position, in data order, as of a date."""
    held_actors, held_issues = set(held["actor"]), set(held["issue"])
    actor_order = [a for a in actors["actor"] if a in held_actors]
    issue_order = [i for i in issues["issue"] if i in held_issues]
    cells = held.copy()
    cells["actor_rank"] = cells["actor"].map({a: i for i, a in enumerate(actor_order)})
    cells["issue_rank"] = cells["issue"].map({x: i for i, x in enumerate(issue_order)})
    return cells.sort_values(["actor_rank", "issue_rank"]).reset_index(drop=True)


def matrix_figure(
    cells: pd.DataFrame, actor_order: list[str], issue_order: list[str], selected: tuple[str, str] | None
) -> go.Figure:
    """A square per held stance: colour, symbol and hover word say the stance; ``customdata`` names the cell."""
    fig = go.Figure()
    for stance in STANCE_SCORE:
        part = cells[cells["stance"] == stance]
        if part.empty:
            continue
        chosen = [selected == (a, i) for a, i in zip(part["actor"], part["issue"], strict=True)]
        fig.add_trace(
            go.Scatter(
                x=part["short"].map(_esc),
                y=part["actor_name"].map(_esc),
                mode="markers+text",
                name=f"{STANCE_SYMBOL[stance]} {STANCE_LABEL[stance]}",
                text=[STANCE_SYMBOL[stance]] * len(part),
                textfont=dict(
                    size=15, color="#000000" if stance in ("leans_support", "mixed", "leans_against") else "#FFFFFF"
                ),
                marker=dict(
                    symbol="square",
                    size=38,
                    color=STANCE_COLOUR[stance],
                    line=dict(
                        width=[4 if c else 0.5 for c in chosen],
                        color=[SELECTED_LINE if c else "#222222" for c in chosen],
                    ),
                ),
                customdata=list(
                    zip(
                        part["actor"],
                        part["issue"],
                        part["actor_name"].map(_esc),
                        part["question"].map(_esc),
                        part["stance_label"],
                        part["period"].map(_esc),
                        part["evidence"].map(len),
                        strict=True,
                    )
                ),
                hovertemplate=(
                    "<b>%{customdata[2]}</b><br>%{customdata[3]}<br>%{customdata[4]} (%{customdata[5]})"
                    "<br>%{customdata[6]} supporting claim(s)<extra></extra>"
                ),
            )
        )
    names = cells.drop_duplicates("actor").set_index("actor")["actor_name"]
    questions = cells.drop_duplicates("issue").set_index("issue")["short"]
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[_esc(questions[i]) for i in issue_order if i in questions.index],
        side="top",
        tickangle=-35,  # ten short questions side by side stay legible at laptop and projector widths
        title=None,
        tickfont=dict(size=13),
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=[_esc(names[a]) for a in actor_order if a in names.index][::-1],
        title=None,
    )
    _base_layout(fig, height=max(300, 46 * len(actor_order) + 170))
    fig.update_layout(
        legend=dict(orientation="h", y=-0.02, yanchor="top"), clickmode="event+select", margin=dict(t=110)
    )
    return fig


def stance_steps_figure(history: pd.DataFrame, until: dt.date | None = None) -> go.Figure:
    """One actor's stance on one issue over time, as a line of steps on the five-point scale."""
    history = history.sort_values("since")
    end = pd.Timestamp(until) if until else history["since"].max() + pd.Timedelta(days=180)
    xs = [*history["since"], max(end, history["since"].max())]
    ys = [*history["score"], history["score"].iloc[-1]]
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            line_shape="hv",
            line=dict(width=3, color="#0072B2"),
            marker=dict(
                size=[12] * len(history) + [0],
                color=[STANCE_COLOUR[s] for s in history["stance"]] + ["#0072B2"],
                line=dict(width=1, color="#222222"),
            ),
            customdata=[*history["stance_label"], ""],
            hovertemplate="%{x|%b %Y}: %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(
        range=[-2.6, 2.6],
        tickvals=list(STANCE_SCORE.values()),
        ticktext=[f"{STANCE_SYMBOL[s]} {STANCE_LABEL[s]}" for s in STANCE_SCORE],
        title=None,
    )
    fig.update_xaxes(type="date", title=None)
    return _base_layout(fig, height=300)


def voices_figure(voices: pd.DataFrame) -> go.Figure:
    """Per outlet, how many attributed claims come from each camp (a stacked horizontal bar per outlet)."""
    fig = go.Figure()
    camp_order = voices.groupby("camp_name")["claims"].sum().sort_values(ascending=False).index
    palette = (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#D55E00",
        "#56B4E9",
        "#999999",
        "#882255",
        "#44AA99",
        "#DDCC77",
    )
    for i, camp in enumerate(camp_order):
        part = voices[voices["camp_name"] == camp]
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=part["outlet_name"].map(_esc),
                x=part["claims"],
                name=_esc(camp),
                marker=dict(
                    color=palette[i % len(palette)], pattern=dict(shape=["", "/", ".", "x", "-", "|", "+", "\\"][i % 8])
                ),
                hovertemplate="%{y}: %{x} claim(s) from " + _esc(camp) + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Attributed claims")
    fig.update_yaxes(title=None, autorange="reversed")
    return _base_layout(fig, height=120 + 45 * voices["outlet"].nunique())
