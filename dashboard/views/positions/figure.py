"""The actor-position matrix and a stance's steps over time."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard.data.frames import STANCE_LABEL, STANCE_SCORE
from dashboard.views.charts import BASIS_MARK, SELECTED_LINE, STANCE_COLOUR, STANCE_SYMBOL, base_layout, esc


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
                x=part["short"].map(esc),
                y=part["actor_name"].map(esc),
                mode="markers+text",
                name=f"{STANCE_SYMBOL[stance]} {STANCE_LABEL[stance]}",
                text=[f"{STANCE_SYMBOL[stance]}<br>{BASIS_MARK.get(b, '?')}" for b in part["basis"]],
                textfont=dict(
                    size=13, color="#000000" if stance in ("leans_support", "mixed", "leans_against") else "#FFFFFF"
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
                        part["actor_name"].map(esc),
                        part["question"].map(esc),
                        part["stance_label"],
                        part["period"].map(esc),
                        part["evidence"].map(len),
                        part["basis_label"],
                        strict=True,
                    )
                ),
                hovertemplate=(
                    "<b>%{customdata[2]}</b><br>%{customdata[3]}<br>%{customdata[4]} (%{customdata[5]})"
                    "<br>Evidence: %{customdata[7]}, %{customdata[6]} claim(s)<extra></extra>"
                ),
            )
        )
    names = cells.drop_duplicates("actor").set_index("actor")["actor_name"]
    questions = cells.drop_duplicates("issue").set_index("issue")["short"]
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[esc(questions[i]) for i in issue_order if i in questions.index],
        side="top",
        tickangle=-35,  # ten short questions side by side stay legible at laptop and projector widths
        title=None,
        tickfont=dict(size=13),
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=[esc(names[a]) for a in actor_order if a in names.index][::-1],
        title=None,
    )
    base_layout(fig, height=max(300, 46 * len(actor_order) + 170))
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
    return base_layout(fig, height=300)
