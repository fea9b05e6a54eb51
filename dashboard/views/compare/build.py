"""What the comparison shows: each chosen outlet's quotes about the subject, and the section below them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.data import glance
from dashboard.data.bundle import Bundle
from dashboard.data.filters import claims_about, for_outlets
from dashboard.data.metrics import event_coverage, label_table, outlet_metrics, voices_by_camp
from dashboard.markup.handout import Section
from dashboard.markup.safe import md, md_link
from dashboard.views.charts import colours
from dashboard.views.compare import CompareSettings, subject_for
from dashboard.views.compare.figure import Panel, strip_figure, voices_figure

if TYPE_CHECKING:  # figures are made in figure.py; the build only holds them
    import plotly.graph_objects as go


@dataclass(frozen=True)
class OutletsView:
    """Everything the comparison's sections show that depends on the chosen outlets alone."""

    labels: pd.DataFrame
    metrics: pd.DataFrame
    voices: pd.DataFrame
    voices_figure: go.Figure | None
    voices_alt: str  # the figure in words, for screen readers
    framing: pd.DataFrame
    coverage: pd.DataFrame
    facts: pd.DataFrame


@dataclass(frozen=True)
class Part:
    """One figure of the framing-at-a-glance strip, with the table and words that stand in for it."""

    id: str  # a glance kind: what a click on it focuses the excerpts on
    title: str
    drawn: bool  # False: nothing to draw for these outlets (its panel says "none" on every row)
    table: pd.DataFrame  # the figure's data as the reader reads it (and downloads it)
    keys: dict[str, str]  # "kind:value" of each segment -> how the focus select box names it
    alt: str  # the figure in words, for screen readers
    empty: str  # said instead of the figure when there is nothing to draw


@dataclass(frozen=True)
class Column:
    outlet: str
    header: str  # the outlet's facts and articles, as markdown
    quotes: pd.DataFrame  # the excerpts about the subject, most telling first (glance.telling_first)


@dataclass(frozen=True)
class CompareView:
    subject: str  # the subject shown (the link's, or its kind's first when the link's is of another kind)
    heading: str
    columns: list[Column]
    parts: list[Part]  # the strip: names, loaded terms, scare quotes, voices
    strip_figure: go.Figure | None  # the strip's panels as one figure; None when no part has anything to draw
    names_used: list[tuple[str, list[str]]]  # per outlet (its id): the names the subject is given, most used first
    focus: dict[str, str]  # "kind:value" -> how the select box names it, for every segment of the strip
    sections: OutletsView
    handout: list[Section]


def build(b: Bundle, s: CompareSettings) -> CompareView:
    subject = subject_for(b, s.by, s.subject)
    names = b.names.get(s.by, {})
    about = claims_about(b.tables.claims, s.by, subject, list(s.outlets)) if subject else b.tables.claims.iloc[0:0]
    camp_names = dict(zip(b.tables.actors["camp"], b.tables.actors["camp_name"], strict=False))
    marked = glance.telling_first(glance.annotate(about, b.dataset.lexicon, camp_names))
    columns = [Column(o, outlet_header(b, o), marked[marked["outlet"] == o]) for o in s.outlets]
    outlet_names = b.names["outlet"]
    heading = names.get(subject, "")
    parts, figure, used = strip(b, s, marked, heading)
    return CompareView(
        subject=subject,
        heading=heading,
        columns=columns,
        parts=parts,
        strip_figure=figure,
        names_used=used,
        focus={k: name for p in parts for k, name in p.keys.items()},
        sections=outlets_view(b, s.outlets, s.voices == "narration"),
        handout=[Section(outlet_names[c.outlet], c.quotes) for c in columns],  # every excerpt, in the order shown
    )


# Per part: the column a segment is named by, the figure's measure, its axis title.
VALUE_COLUMN = {glance.LABEL: "Label", glance.LOADED: "Category", glance.SCARE: "Word", glance.CAMP: "Camp"}
STRIP_HEIGHT = 230  # px: one row of four under the title and the controls on a 1280×720 screen


def strip(
    b: Bundle, s: CompareSettings, marked: pd.DataFrame, heading: str
) -> tuple[list[Part], go.Figure | None, list[tuple[str, str]]]:
    """The strip for the chosen outlets and subject: its four parts (each with its table), the one figure that
    draws them as panels, and the names each outlet gives the subject, in words."""
    chosen = [(o, b.names["outlet"][o]) for o in s.outlets]
    ticks = b.short_names  # an outlet's short name, whole: never cut
    palette = colours(b)
    worded = glance.in_voice(marked, s.voices == "narration")
    height = STRIP_HEIGHT if len(chosen) <= 5 else STRIP_HEIGHT + 22 * (len(chosen) - 5)
    names = glance.names_used(b.tables.labels, worded, s.subject if s.by == "actor" else None)
    loaded = glance.loaded_rates(worded)
    scare = glance.scare_counts(marked)
    voices = glance.voice_counts(marked)
    specs = [
        (
            glance.LABEL,
            "Named as",
            names.rename(columns={"outlet_name": "Outlet", "label": "Label", "actors": "Naming", "n": "Times"}),
            "Times",
            "Times used",
            "No label names " + (heading or "the subject") + " in these excerpts.",
        ),
        (
            glance.LOADED,
            "Loaded terms per 100 words",
            loaded.rename(
                columns={
                    "outlet_name": "Outlet",
                    "category": "Category",
                    "n": "Terms",
                    "words": "Words",
                    "per_100": "Per 100 words",
                }
            ),
            "Per 100 words",
            "Loaded terms per 100 words",
            "No loaded term (lexicon) in these excerpts.",
        ),
        (
            glance.SCARE,
            "Scare quotes",
            scare.rename(columns={"outlet_name": "Outlet", "term": "Word", "n": "Times"}),
            "Times",
            "Times in scare quotes",
            "No scare quotes coded in these excerpts.",
        ),
        (
            glance.CAMP,
            "Whose voices speak",
            voices.rename(columns={"outlet_name": "Outlet", "camp_name": "Camp", "n": "Claims"}),
            "Claims",
            "Attributed claims",
            "These excerpts quote no one by name or as an unnamed source.",
        ),
    ]
    parts, panels = [], []
    rank = {o: i for i, (o, _) in enumerate(chosen)}
    for part, title, table, x, x_title, empty in specs:
        table = table.iloc[sorted(range(len(table)), key=lambda i: (rank[table["outlet"].iat[i]], -table[x].iat[i]))]
        text = VALUE_COLUMN[part]
        key = "camp" if part == glance.CAMP else text  # camps are focused by id; the figure shows their name
        panels.append(Panel(part, title, table, key, text, x, x_title))
        keys = {f"{part}:{k}": f"{glance.KIND_NAMES[part]}: {t}" for k, t in zip(table[key], table[text], strict=True)}
        shown = table.drop(columns=["outlet", "camp"], errors="ignore")
        parts.append(Part(part, title, not table.empty, shown, keys, alt_text(title, table, text, x, chosen), empty))
    drawn = any(p.drawn for p in parts)
    figure = strip_figure(panels, chosen, ticks, palette, height) if drawn else None
    said = {
        o: [f"{r['Label']} ({r['Times']})" for r in rows.to_dict("records")]
        for o, rows in panels[0].frame.groupby("outlet", sort=False)
    }
    used = [(o, said.get(o, [])) for o, _ in chosen]
    return parts, figure, used


def alt_text(title: str, table: pd.DataFrame, value: str, x: str, chosen: list[tuple[str, str]]) -> str:
    """The figure in words: per outlet, its segments with their figures, largest first (the first five)."""
    said = []
    for outlet, name in chosen:
        rows = table[table["outlet"] == outlet].head(5)
        items = ", ".join(f"{r[value]} {r[x]:g}" for r in rows.to_dict("records")) or "none"
        said.append(f"{name}: {items}")
    return f"{title}. " + "; ".join(said) + "."


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
            voices_alt="; ".join(
                f"{name}: " + ", ".join(f"{r['camp_name']} {r['claims']}" for r in rows.to_dict("records"))
                for name, rows in voices.groupby("outlet_name", sort=False)
            ),
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
