"""Whose voices each outlet quotes, by camp."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.views.charts import base_layout, esc


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
                y=part["outlet_name"].map(esc),
                x=part["claims"],
                name=esc(camp),
                marker=dict(
                    color=palette[i % len(palette)], pattern=dict(shape=["", "/", ".", "x", "-", "|", "+", "\\"][i % 8])
                ),
                hovertemplate="%{y}: %{x} claim(s) from " + esc(camp) + "<extra></extra>",
            )
        )
    # An empty template: Streamlit's theme styles the chart, and Plotly's default template is 7 kB a chart.
    fig.update_layout(barmode="stack", template=go.layout.Template())
    fig.update_xaxes(title="Attributed claims")
    fig.update_yaxes(title=None, autorange="reversed")
    return base_layout(fig, height=120 + 45 * voices["outlet"].nunique())


@dataclass(frozen=True)
class Panel:
    """One panel of the strip: ``frame`` has a row per (outlet, value); a segment is named by its ``text``
    column, measured by ``x``, and a click on it focuses the excerpts on (``part``, its ``key``)."""

    part: str
    title: str
    frame: pd.DataFrame
    key: str
    text: str
    x: str
    x_title: str


def strip_figure(
    panels: list[Panel],
    outlets: list[tuple[str, str]],
    ticks: dict[str, str],
    colours: dict[str, str],
    height: int,
) -> go.Figure:
    """The strip as one figure of side-by-side panels (one browser draw, not one per panel), the outlets' rows
    shared and named once at the left. In each panel a bar per outlet (in its colour) is cut into one segment
    per value (a word, a category, a camp) named inside it, the largest first. Every chosen outlet has a row,
    so an outlet with none shows "none" rather than vanishing. Each segment's ``customdata`` is (part, key),
    what a click on it focuses the excerpts on."""
    fig = make_subplots(
        rows=1,
        cols=len(panels),
        shared_yaxes=True,
        horizontal_spacing=0.035,
        subplot_titles=[f"<b>{esc(p.title)}</b>" for p in panels],
    )
    order = [esc(ticks[o]) for o, _ in outlets]
    for col, panel in enumerate(panels, start=1):
        frame = panel.frame
        for outlet, name in outlets:
            rows = frame[frame["outlet"] == outlet]
            if rows.empty:
                continue
            fig.add_trace(
                go.Bar(
                    orientation="h",
                    y=[esc(ticks[outlet])] * len(rows),
                    x=rows[panel.x].tolist(),
                    text=rows[panel.text].map(esc).tolist(),
                    customdata=[[panel.part, v] for v in rows[panel.key]],
                    textposition="inside",
                    insidetextanchor="middle",
                    textangle=0,  # a word too long for its segment is left out (uniformtext), never turned upright
                    marker=dict(color=colours.get(outlet, "#0072B2"), line=dict(color="white", width=1.5)),
                    name=esc(name),
                    showlegend=False,
                    hovertemplate=esc(name) + ": %{text}, %{x}<extra></extra>",
                ),
                row=1,
                col=col,
            )
        empty = [esc(ticks[o]) for o, _ in outlets if frame[frame["outlet"] == o].empty]
        if empty:
            fig.add_trace(
                go.Scatter(
                    x=[0] * len(empty),
                    y=empty,
                    mode="text",
                    text=["none"] * len(empty),
                    textposition="middle right",
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=1,
                col=col,
            )
        fig.update_xaxes(
            title=dict(text=panel.x_title, font=dict(size=13)),
            rangemode="tozero",
            fixedrange=True,
            range=None if not frame.empty else [0, 1],
            row=1,
            col=col,
        )
    fig.update_layout(
        barmode="stack",
        uniformtext=dict(minsize=11, mode="hide"),
        clickmode="event+select",
        template=go.layout.Template(),  # see voices_figure
    )
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", fixedrange=True)
    fig.update_annotations(font_size=15, yshift=4)  # the panels' titles
    base_layout(fig, height=height)
    fig.update_layout(margin=dict(l=10, r=10, t=34, b=10), font=dict(size=13))
    return fig
