"""What the matrix shows as of a month, and the chosen cell's stances over time with their quotes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.data.bundle import Bundle
from dashboard.data.filters import month_end
from dashboard.data.frames import positions_as_of
from dashboard.markup.handout import Section
from dashboard.views.positions import PositionsSettings, position_months
from dashboard.views.positions.figure import matrix_figure, matrix_frame, stance_steps_figure

if TYPE_CHECKING:  # figures are made in figure.py; the build only holds them
    import plotly.graph_objects as go


@dataclass(frozen=True)
class Cell:
    """One actor's stances on one question over time, each with the quotes it rests on."""

    history: pd.DataFrame
    figure: go.Figure | None
    evidence: list[pd.DataFrame]  # claims, one frame per row of ``history``


@dataclass(frozen=True)
class PositionsView:
    cells: pd.DataFrame
    figure: go.Figure | None
    cell: Cell | None
    handout: list[Section]


def build(b: Bundle, s: PositionsSettings) -> PositionsView:
    t = b.tables
    cells, figure = pd.DataFrame(), None
    if s.asof:
        held = positions_as_of(t.positions, month_end(s.asof))
        held = held[held["camp"].isin(list(s.camps))]
        if not held.empty:
            cells = matrix_frame(held, t.actors, t.issues)
            actors, issues = list(dict.fromkeys(cells["actor"])), list(dict.fromkeys(cells["issue"]))
            figure = matrix_figure(cells, actors, issues, (s.actor, s.issue))
    cell = _cell(b, s.actor, s.issue) if s.actor and s.issue else None
    handout = (
        [
            Section(f"{row['stance_label']} ({row['period']})", quotes)
            for row, quotes in zip(cell.history.to_dict("records"), cell.evidence, strict=True)
        ]
        if cell
        else []
    )
    return PositionsView(cells, figure, cell, handout)


def _cell(b: Bundle, actor: str, issue: str) -> Cell:
    def make() -> Cell:
        p = b.tables.positions
        history = p[(p["actor"] == actor) & (p["issue"] == issue)].sort_values("since")
        if history.empty:
            return Cell(history, None, [])
        claims = b.tables.claims.set_index("claim", drop=False)
        until = month_end(position_months(b)[-1])
        evidence = [claims.loc[list(row["evidence"])] for row in history.to_dict("records")]
        return Cell(history, stance_steps_figure(history, until), evidence)

    return b.memo.get(("positions-cell", actor, issue), make)
