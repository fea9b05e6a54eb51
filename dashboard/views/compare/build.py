"""What the comparison shows: each chosen outlet's quotes about the subject, and the section below them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.data.bundle import Bundle
from dashboard.data.filters import claims_about, for_outlets
from dashboard.data.metrics import event_coverage, label_table, outlet_metrics, voices_by_camp
from dashboard.markup.handout import Section
from dashboard.markup.safe import md, md_link
from dashboard.views.compare import CompareSettings, subject_for
from dashboard.views.compare.figure import voices_figure

if TYPE_CHECKING:  # figures are made in figure.py; the build only holds them
    import plotly.graph_objects as go


@dataclass(frozen=True)
class OutletsView:
    """Everything the comparison's sections show that depends on the chosen outlets alone."""

    labels: pd.DataFrame
    metrics: pd.DataFrame
    voices: pd.DataFrame
    voices_figure: go.Figure | None
    framing: pd.DataFrame
    coverage: pd.DataFrame
    facts: pd.DataFrame


@dataclass(frozen=True)
class Column:
    outlet: str
    header: str  # the outlet's facts and articles, as markdown
    quotes: pd.DataFrame


@dataclass(frozen=True)
class CompareView:
    subject: str  # the subject shown (the link's, or its kind's first when the link's is of another kind)
    heading: str
    columns: list[Column]
    sections: OutletsView
    handout: list[Section]


def build(b: Bundle, s: CompareSettings) -> CompareView:
    subject = subject_for(b, s.by, s.subject)
    names = b.names.get(s.by, {})
    about = claims_about(b.tables.claims, s.by, subject, list(s.outlets)) if subject else b.tables.claims.iloc[0:0]
    columns = [Column(o, outlet_header(b, o), about[about["outlet"] == o]) for o in s.outlets]
    outlet_names = b.names["outlet"]
    return CompareView(
        subject=subject,
        heading=names.get(subject, ""),
        columns=columns,
        sections=outlets_view(b, s.outlets, s.voices == "narration"),
        handout=[Section(outlet_names[c.outlet], c.quotes) for c in columns],
    )


def outlets_view(b: Bundle, outlets: tuple[str, ...], narration_only: bool) -> OutletsView:
    def make() -> OutletsView:
        t = b.tables
        some = for_outlets(t, outlets)
        voices = voices_by_camp(some)
        return OutletsView(
            labels=label_table(some, voice="narration" if narration_only else None),
            metrics=outlet_metrics(some),
            voices=voices,
            voices_figure=voices_figure(voices) if not voices.empty else None,
            framing=t.framing[t.framing["outlet"].isin(outlets)],
            coverage=event_coverage(t, list(outlets)).rename(columns=b.names["outlet"]),
            facts=t.facts[t.facts["outlet"].isin(outlets)],
        )

    return b.memo.get(("compare-outlets", outlets, narration_only), make)


def outlet_header(b: Bundle, outlet: str) -> str:
    """An outlet's facts and its articles (linked), as one block of markdown built once per dataset."""

    def make() -> str:
        t = b.tables
        o = t.outlets.set_index("outlet").loc[outlet]
        lines = [md(f"{o['kind']} · {o['country']}")]
        for a in t.articles[t.articles["outlet"] == outlet].to_dict("records"):
            lines.append(md_link(a["title"], a["url"]) + ("" if a["url"] != "unknown" else md(" · URL unknown")))
            if a["relation"]:
                lines.append(md(f"A {a['relation']} of {a['reposts_outlet']}'s report"))
        return "\n\n".join(lines)

    return b.memo.get(("outlet-header", outlet), make)
