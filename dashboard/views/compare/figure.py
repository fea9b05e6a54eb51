"""Whose voices each outlet quotes, by camp."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

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


def short_name(name: str, limit: int = 18) -> str:
    """An outlet's name short enough for a small figure's axis (the full name is in the hover and the table)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def strip_figure(
    frame: pd.DataFrame,
    part: str,
    key: str,
    text: str,
    x: str,
    outlets: list[tuple[str, str]],
    short: dict[str, str],
    colours: dict[str, str],
    x_title: str,
    height: int,
) -> go.Figure:
    """One small figure of the strip: a bar per outlet (in its colour), cut into one segment per ``value``
    (a word, a category, a camp: its ``text``) named inside it, the largest first. Every chosen outlet has a
    row, so an outlet with none shows "none" rather than vanishing. Each segment's ``customdata`` is
    (part, its ``key``), what a click on it focuses the excerpts on."""
    fig = go.Figure()
    ticks = {o: short_name(short.get(o, name), 14) for o, name in outlets}
    order = [esc(ticks[o]) for o, _ in outlets]
    for outlet, name in outlets:
        rows = frame[frame["outlet"] == outlet]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=[esc(ticks[outlet])] * len(rows),
                x=rows[x].tolist(),
                text=rows[text].map(esc).tolist(),
                customdata=[[part, v] for v in rows[key]],
                textposition="inside",
                insidetextanchor="middle",
                marker=dict(color=colours.get(outlet, "#0072B2"), line=dict(color="white", width=1.5)),
                name=esc(name),
                showlegend=False,
                hovertemplate=esc(name) + ": %{text}, %{x}<extra></extra>",
            )
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
            )
        )
    fig.update_layout(
        barmode="stack",
        uniformtext=dict(minsize=11, mode="hide"),
        clickmode="event+select",
        template=go.layout.Template(),  # see voices_figure
    )
    fig.update_xaxes(title=dict(text=x_title, font=dict(size=13)), rangemode="tozero", fixedrange=True)
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", fixedrange=True)
    base_layout(fig, height=height)
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10), font=dict(size=13))
    return fig
