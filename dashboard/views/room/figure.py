"""The class's answers to one question as a bar chart: one neutral colour, the count on each bar."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.views.charts import base_layout, esc

BAR = "#5A6B7B"  # one grey-blue for every option: no option looks like the "right" one by its colour


def distribution_table(distribution: Sequence[tuple[str, int]]) -> pd.DataFrame:
    total = sum(n for _, n in distribution)
    return pd.DataFrame(
        {
            "Answer": [o for o, _ in distribution],
            "Students": [n for _, n in distribution],
            "Share": [f"{n / total:.0%}" if total else "–" for _, n in distribution],
        }
    )


def distribution_alt(distribution: Sequence[tuple[str, int]]) -> str:
    """The chart's text for a screen reader: every option and its count, in the chart's order."""
    total = sum(n for _, n in distribution)
    return f"The class's answers, {total} in all: " + "; ".join(f"{o}: {n}" for o, n in distribution)


def distribution_figure(distribution: Sequence[tuple[str, int]], height: int = 300) -> go.Figure:
    # Long names (an outlet's full name) wrap onto two lines, so the bars keep most of the width.
    options = ["<br>".join(textwrap.wrap(esc(o), 24, break_long_words=False)) or " " for o, _ in distribution][
        ::-1
    ]  # first on top
    counts = [n for _, n in distribution][::-1]
    fig = go.Figure(
        go.Bar(
            x=counts,
            y=options,
            orientation="h",
            marker_color=BAR,
            text=counts,
            textposition="outside",
            hovertemplate="%{y}: %{x}<extra></extra>",
            cliponaxis=False,
        )
    )
    base_layout(fig, height)
    fig.update_layout(showlegend=False, margin=dict(l=10, r=40, t=10, b=10))
    fig.update_xaxes(visible=False, rangemode="tozero")
    fig.update_yaxes(automargin=True, tickfont=dict(size=17))
    return fig
