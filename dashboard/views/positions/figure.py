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


def _wrap(label: str) -> str:
    """A question's short form on at most two lines, broken at the space nearest its middle (never in an entity)."""
    spaces = [i for i, c in enumerate(label) if c == " "]
    if not spaces:
        return label
    cut = min(spaces, key=lambda i: abs(2 * i - len(label)))
    return label[:cut] + "<br>" + label[cut + 1 :]


# Why two layouts. Streamlit cannot tell the server how wide the screen is, and a Plotly marker
# has a fixed size in pixels, so the default layout is the one that fits the narrowest screen: a
# 390 px phone leaves about 340 px of plot for ten questions, 34 px a column. Actor names sit on
# a line of their own above each row (not in a left margin that would eat half a phone), the
# squares are small enough for that pitch, and the question headings are horizontal where they
# fit (laptops, projectors) and turn upright only where they would collide (Plotly's
# ``autotickangles``), with ``automargin`` making room for them. The height grows with the rows.
# Presentation mode is known on the server and is for a 1280×720 projector: the step gives a
# fixed height, so there the names go back to the left and the squares are sized to fit it.
PHONE_SQUARE = 28  # px: fits a 34 px column with its selected outline
ROW_PITCH = 56  # px per actor in the default layout: its name line, its square, a gap
FIRST_STANCE_TEXT = ("leans_support", "mixed", "leans_against")  # light squares: black text


def matrix_figure(
    cells: pd.DataFrame,
    actor_order: list[str],
    issue_order: list[str],
    selected: tuple[str, str] | None,
    height: int | None = None,
) -> go.Figure:
    """A square per held stance: colour, symbol and hover word say the stance; ``customdata`` names the cell.

    ``height`` None: the layout that reads at any width (names above the rows); a height: the
    projector layout, names to the left and squares sized to fit that height.
    """
    names = cells.drop_duplicates("actor").set_index("actor")["actor_name"]
    questions = cells.drop_duplicates("issue").set_index("issue")["short"]
    rows = [esc(names[a]) for a in actor_order if a in names.index]
    top = 70 if height is None else 60
    if height is None:
        square, fig_height = PHONE_SQUARE, ROW_PITCH * len(rows) + top + 110
    else:  # the question headings may stand upright (about 100 px), the legend takes 60 px under the rows
        square, fig_height = int(max(16, min(36, (height - 100 - 60) / max(len(rows), 1) - 5))), height
    fig = go.Figure()
    for stance in STANCE_SCORE:
        part = cells[cells["stance"] == stance]
        if part.empty:
            continue
        chosen = [selected == (a, i) for a, i in zip(part["actor"], part["issue"], strict=True)]
        fig.add_trace(
            go.Scatter(
                x=part["short"].map(lambda s: _wrap(esc(s))),
                y=part["actor_name"].map(esc),
                mode="markers+text",
                name=f"{STANCE_SYMBOL[stance]} {STANCE_LABEL[stance]}",
                text=[f"{STANCE_SYMBOL[stance]}<br>{BASIS_MARK.get(b, '?')}" for b in part["basis"]],
                textfont=dict(
                    size=max(9, min(16, square // 2)),
                    color="#000000" if stance in FIRST_STANCE_TEXT else "#FFFFFF",
                ),
                marker=dict(
                    symbol="square",
                    size=square,
                    color=STANCE_COLOUR[stance],
                    line=dict(
                        width=[3 if c else 0.5 for c in chosen],
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
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[_wrap(esc(questions[i])) for i in issue_order if i in questions.index],
        side="top",
        autotickangles=[0, 90],  # horizontal where the headings fit, upright where they would collide
        automargin=True,
        title=None,
        tickfont=dict(size=11),  # two upright lines of 11 px fit a phone's 34 px column
        fixedrange=True,
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=rows[::-1],
        title=None,
        showticklabels=height is not None,
        automargin=True,
        fixedrange=True,
        range=[-0.6, len(rows) - 0.3] if height is None else None,  # room for the top row's name
    )
    base_layout(fig, height=fig_height)
    if height is None:
        fig.update_layout(
            annotations=[
                dict(
                    text=f"<b>{name}</b>",
                    xref="paper",
                    x=0,
                    xanchor="left",
                    yref="y",
                    y=name,
                    yanchor="bottom",
                    yshift=square // 2 + 1,
                    showarrow=False,
                    font=dict(size=13),
                )
                for name in rows
            ]
        )
    fig.update_layout(
        legend=dict(orientation="h", y=0, yanchor="top", x=0),
        clickmode="event+select",
        margin=dict(t=top, l=4, r=4, b=10),
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
