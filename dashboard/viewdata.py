"""What each view shows for given settings: the filtered frames and figures, built once and shared.

Pure functions of a ``Bundle`` and a view's settings, memoised in the bundle,
so a class of forty asking for the same view costs one build, and a rerun that
changes nothing rebuilds nothing. The pages only draw what these return.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import quiz as quizzes
from dashboard.bundle import Bundle
from dashboard.figures import matrix_figure, matrix_frame, stance_steps_figure, timeline_figure, voices_figure
from dashboard.filters import claims_about, filter_events, for_outlets, month_end
from dashboard.frames import positions_as_of
from dashboard.metrics import event_coverage, label_table, outlet_metrics, voices_by_camp
from dashboard.quiz import Question


def _key(settings: Mapping[str, Any], names: tuple[str, ...]) -> tuple:
    """A hashable key of the settings that matter (lists become tuples)."""
    return tuple(tuple(settings[n]) if isinstance(settings[n], list | tuple) else settings[n] for n in names)


@dataclass(frozen=True)
class TimelineView:
    shown: pd.DataFrame
    figure: go.Figure | None
    table: pd.DataFrame


def timeline_view(b: Bundle, s: Mapping[str, Any]) -> TimelineView:
    key = ("timeline", *_key(s, ("lanes", "from", "to", "categories", "actors", "outlets", "q", "event")))
    return b.memo.get(key, lambda: _timeline(b, s))


def _timeline(b: Bundle, s: Mapping[str, Any]) -> TimelineView:
    t = b.tables
    shown = filter_events(
        t.events,
        t.claims,
        start=s["from"],
        end=s["to"],
        categories=s["categories"],
        actors=s["actors"],
        outlets=s["outlets"],
        query=s["q"],
    )
    outlet_names = b.names["outlet"]
    table = shown.assign(reported_by=shown["outlets"].map(lambda os: ", ".join(outlet_names[o] for o in os)))[
        ["date", "title", "category_name", "reported_by", "claims", "summary"]
    ]
    if shown.empty:
        return TimelineView(shown, None, table)
    camps_of = dict(zip(t.actors["actor"], t.actors["camp_name"], strict=True))
    figure = timeline_figure(shown, s["lanes"], outlet_names, camps_of, b.outlet_colours, selected=s["event"] or None)
    return TimelineView(shown, figure, table)


def event_claims(b: Bundle, event: str) -> pd.DataFrame:
    return b.memo.get(("event-claims", event), lambda: claims_about(b.tables.claims, "event", event))


@dataclass(frozen=True)
class MatrixView:
    cells: pd.DataFrame
    figure: go.Figure | None


def matrix_view(b: Bundle, s: Mapping[str, Any]) -> MatrixView:
    return b.memo.get(("matrix", *_key(s, ("asof", "camps", "actor", "issue"))), lambda: _matrix(b, s))


def _matrix(b: Bundle, s: Mapping[str, Any]) -> MatrixView:
    t = b.tables
    held = positions_as_of(t.positions, month_end(s["asof"]))
    held = held[held["camp"].isin(list(s["camps"]))]
    if held.empty:
        return MatrixView(held, None)
    cells = matrix_frame(held, t.actors, t.issues)
    figure = matrix_figure(
        cells, list(dict.fromkeys(cells["actor"])), list(dict.fromkeys(cells["issue"])), (s["actor"], s["issue"])
    )
    return MatrixView(cells, figure)


@dataclass(frozen=True)
class StanceHistory:
    history: pd.DataFrame
    figure: go.Figure | None


def stance_history(b: Bundle, actor: str, issue: str, until: dt.date) -> StanceHistory:
    def build() -> StanceHistory:
        p = b.tables.positions
        history = p[(p["actor"] == actor) & (p["issue"] == issue)].sort_values("since")
        return StanceHistory(history, stance_steps_figure(history, until) if not history.empty else None)

    return b.memo.get(("stance-history", actor, issue, until), build)


@dataclass(frozen=True)
class OutletsView:
    """Everything the comparison shows that depends on the chosen outlets alone."""

    labels: pd.DataFrame
    metrics: pd.DataFrame
    voices: pd.DataFrame
    voices_figure: go.Figure | None
    framing: pd.DataFrame
    coverage: pd.DataFrame
    facts: pd.DataFrame


def outlets_view(b: Bundle, outlets: list[str], narration_only: bool) -> OutletsView:
    return b.memo.get(("outlets", tuple(outlets), narration_only), lambda: _outlets(b, outlets, narration_only))


def _outlets(b: Bundle, outlets: list[str], narration_only: bool) -> OutletsView:
    t = b.tables
    some = for_outlets(t, outlets)
    voices = voices_by_camp(some)
    return OutletsView(
        labels=label_table(some, voice="narration" if narration_only else None),
        metrics=outlet_metrics(some),
        voices=voices,
        voices_figure=voices_figure(voices) if not voices.empty else None,
        framing=t.framing[t.framing["outlet"].isin(outlets)],
        coverage=event_coverage(t, outlets).rename(columns=b.names["outlet"]),
        facts=t.facts[t.facts["outlet"].isin(outlets)],
    )


def subject_claims(b: Bundle, kind: str, subject: str, outlets: list[str]) -> pd.DataFrame:
    key = ("subject-claims", kind, subject, tuple(outlets))
    return b.memo.get(key, lambda: claims_about(b.tables.claims, kind, subject, outlets))


def quiz(b: Bundle, seed: int) -> list[Question]:
    pool = b.memo.get("quiz-pool", lambda: (quizzes.candidates(b.tables), quizzes.giveaway_terms(b.tables)))
    return b.memo.get(("quiz", seed), lambda: quizzes.build_quiz(b.tables, seed, pool=pool[0], terms=pool[1]))
