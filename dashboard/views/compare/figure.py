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
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Attributed claims")
    fig.update_yaxes(title=None, autorange="reversed")
    return base_layout(fig, height=120 + 45 * voices["outlet"].nunique())
