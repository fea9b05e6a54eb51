"""The pandas frames every view draws from, built once from a checked dataset.

One row per record, columns named in the reader's words. List-valued columns
(an event's actors, a claim's issues) hold tuples so frames stay hashable and
cheap to filter. Each frame's columns and dtypes are declared in
``frame_schemas``; an empty section gives an empty frame with all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import pandas as pd

from dashboard.data import frame_schemas as fs
from dashboard.data import schema as s
from dashboard.data.dataset import Dataset
from dashboard.data.dates import PartialDate, span_label
from dashboard.data.text import word_count

# Numeric position of each stance on the scale, for colour and the step chart.
STANCE_SCORE: dict[str, int] = {"supports": 2, "leans_support": 1, "mixed": 0, "leans_against": -1, "opposes": -2}
STANCE_LABEL: dict[str, str] = {
    "supports": "Supports",
    "leans_support": "Leans support",
    "mixed": "Mixed or unclear",
    "leans_against": "Leans against",
    "opposes": "Opposes",
}
BASIS_LABEL: dict[str, str] = {
    "own_words": "The actor's own words",
    "named_source": "Reported by a named source",
    "characterisation": "The outlet's characterisation",
    "unnamed_sources": "Unnamed sources",
}
VOICE_NARRATION = "narration"
VOICE_QUOTED = "quoted"
VOICE_UNNAMED = "unnamed source"


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def date_text(value: PartialDate | str) -> str:
    return value.label if isinstance(value, PartialDate) else "date unknown"


def article_title(headline: str, date: str) -> str:
    """How an article is named in lists and links, saying plainly what is not known."""
    return f"{'Headline unconfirmed' if headline == 'unknown' else headline} ({date})"


def authors_text(value: list[str] | str) -> str:
    return ", ".join(value) if isinstance(value, list) else "unknown"


@dataclass(frozen=True)
class Tables:
    """All frames for one dataset."""

    outlets: pd.DataFrame
    articles: pd.DataFrame
    actors: pd.DataFrame
    issues: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    labels: pd.DataFrame
    positions: pd.DataFrame
    framing: pd.DataFrame
    facts: pd.DataFrame

    def downloads(self) -> dict[str, pd.DataFrame]:
        """Every table as it is offered for download (list columns joined with '; ')."""
        return {f.name: self.download(f.name) for f in fields(self)}

    def download(self, name: str) -> pd.DataFrame:
        """One table as it is offered for download; list columns are known by their first row."""
        frame = getattr(self, name).copy()
        if frame.empty:
            return frame
        first = frame.iloc[0]
        for col in frame.columns:
            if isinstance(first[col], tuple):
                frame[col] = frame[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, tuple) else v)
        return frame


def tables_of(ds: Dataset) -> Tables:
    """The dataset's frames, built once however many checks and views ask for them."""
    return ds.derived("tables", build_tables)


def build_tables(ds: Dataset) -> Tables:
    outlets = ds.by_id("outlets")
    articles = ds.by_id("articles")
    actors = ds.by_id("actors")
    camps = ds.by_id("camps")
    issues = ds.by_id("issues")
    categories = ds.by_id("categories")

    claims_per_article: dict[str, int] = {}
    articles_per_event: dict[str, list[str]] = {}
    claims_per_event: dict[str, int] = {}
    for c in ds.claims:
        claims_per_article[c.article] = claims_per_article.get(c.article, 0) + 1
        for e in c.events:
            claims_per_event[e] = claims_per_event.get(e, 0) + 1
            seen = articles_per_event.setdefault(e, [])
            if c.article not in seen:
                seen.append(c.article)

    def article_sort_key(article_id: str) -> tuple:
        a = articles[article_id]
        when = a.date if isinstance(a.date, PartialDate) else a.not_before
        return (when.first if when else dt.date.max, article_id)

    outlet_rows = []
    for o in ds.outlets:
        own = [a for a in ds.articles if a.outlet == o.id]
        outlet_rows.append(
            {
                "outlet": o.id,
                "name": o.name,
                "kind": o.kind,
                "scope": o.scope or "",
                "country": o.country,
                "ownership": o.ownership,
                "funding": o.funding,
                "language": o.language,
                "homepage": o.homepage,
                "note": o.note or "",
                "colour": o.colour or "",
                "aliases": tuple(o.aliases),
                "short_name": o.short_name or min([o.name, *o.aliases], key=len),
                "articles": len(own),
                "claims": sum(claims_per_article.get(a.id, 0) for a in own),
            }
        )

    article_rows = []
    for a in ds.articles:
        original = articles.get(a.reposts.article) if a.reposts else None
        article_rows.append(
            {
                "article": a.id,
                "outlet": a.outlet,
                "outlet_name": outlets[a.outlet].name,
                "headline": a.headline,
                "headline_note": a.headline_note or "",
                "title": article_title(a.headline, date_text(a.date)),
                "date": date_text(a.date),
                "date_iso": a.date.iso if isinstance(a.date, PartialDate) else "unknown",
                "date_precision": a.date.precision if isinstance(a.date, PartialDate) else "unknown",
                "sort_date": _ts(article_sort_key(a.id)[0]) if article_sort_key(a.id)[0] != dt.date.max else pd.NaT,
                "date_note": a.date_note or "",
                "authors": authors_text(a.authors),
                "url": a.url,
                "reposts": original.id if original else "",
                "relation": a.reposts.relation if a.reposts else "",
                "reposts_outlet": outlets[original.outlet].name if original else "",
                "has_text": bool(a.source_file),
                "words": a.words or 0,
                "claims": claims_per_article.get(a.id, 0),
            }
        )

    actor_rows = [
        {
            "actor": a.id,
            "name": a.name,
            "type": a.type,
            "camp": a.camp,
            "camp_name": camps[a.camp].name,
            "role": a.role or "",
            "aliases": tuple(a.aliases),
        }
        for a in ds.actors
    ]
    issue_rows = [
        {"issue": i.id, "question": i.question, "short": i.short or i.question, "description": i.description or ""}
        for i in ds.issues
    ]

    event_rows = []
    for e in ds.events:
        reported = sorted(articles_per_event.get(e.id, []), key=article_sort_key)
        end = e.end or e.date
        event_rows.append(
            {
                "event": e.id,
                "title": e.title,
                "summary": e.summary,
                "start": _ts(e.date.first),
                "end": _ts(end.last),
                "precision": e.date.precision,
                "date": span_label(e.date, e.end),
                "date_note": e.date_note or "",
                "category": e.category,
                "category_name": categories[e.category].name,
                "actors": tuple(e.actors),
                "articles": tuple(reported),
                "outlets": tuple(dict.fromkeys(articles[x].outlet for x in reported)),
                "claims": claims_per_event.get(e.id, 0),
            }
        )

    lexicon = ds.lexicon
    claim_rows = []
    label_rows = []
    for c in ds.claims:
        a = articles[c.article]
        if c.speaker == s.NARRATION:
            voice, speaker_name, camp = VOICE_NARRATION, f"{outlets[a.outlet].name} (narration)", ""
        elif c.speaker == s.UNNAMED:
            voice, speaker_name, camp = VOICE_UNNAMED, c.source or "unnamed source", ""
        else:
            actor = actors[c.speaker]
            voice, speaker_name, camp = VOICE_QUOTED, actor.name, actor.camp
        hits = lexicon.matches(c.quote)
        claim_rows.append(
            {
                "claim": c.id,
                "article": c.article,
                "outlet": a.outlet,
                "outlet_name": outlets[a.outlet].name,
                "article_date": date_text(a.date),
                "url": a.url,
                "quote": c.quote,
                "speaker": c.speaker,
                "speaker_name": speaker_name,
                "speaker_camp": camp,
                "voice": voice,
                "kind": c.kind,
                "events": tuple(c.events),
                "actors": tuple(c.actors),
                "issues": tuple(c.issues),
                "loaded_terms": tuple(c.loaded_terms),
                "scare_quotes": tuple(c.scare_quotes),
                "labels": tuple(f"{actors[x].name}: {lab}" for x, lab in c.label_pairs()),
                "label_texts": tuple(lab for _, lab in c.label_pairs()),
                "words": word_count(c.quote),
                "loaded_hits": len(hits),
                "note": c.note or "",
            }
        )
        for actor_id, label in c.label_pairs():
            label_rows.append(
                {
                    "outlet": a.outlet,
                    "outlet_name": outlets[a.outlet].name,
                    "article": c.article,
                    "claim": c.id,
                    "actor": actor_id,
                    "actor_name": actors[actor_id].name,
                    "label": label,
                    "voice": voice,
                }
            )

    position_rows = []
    for p in ds.positions:
        position_rows.append(
            {
                "actor": p.actor,
                "actor_name": actors[p.actor].name,
                "camp": actors[p.actor].camp,
                "camp_name": camps[actors[p.actor].camp].name,
                "issue": p.issue,
                "question": issues[p.issue].question,
                "short": issues[p.issue].short or issues[p.issue].question,
                "stance": p.stance,
                "stance_label": STANCE_LABEL[p.stance],
                "score": STANCE_SCORE[p.stance],
                "since": _ts(p.since.first),
                "since_label": p.since.label,
                "until": _ts(p.until.last) if p.until else pd.NaT,
                "until_label": p.until.label if p.until else "",
                "period": span_label(p.since, p.until) if p.until else f"from {p.since.label}",
                "evidence": tuple(p.evidence),
                "basis": p.basis or "",
                "basis_label": BASIS_LABEL.get(p.basis or "", "not coded"),
                "note": p.note or "",
            }
        )

    framing_rows = []
    for f in ds.framing:
        for fn in s.FRAMING_FUNCTIONS:
            part = getattr(f, fn)
            framing_rows.append(
                {
                    "article": f.article,
                    "outlet": articles[f.article].outlet,
                    "outlet_name": outlets[articles[f.article].outlet].name,
                    "function": fn,
                    "function_name": fn.replace("_", " ").capitalize(),
                    "text": part.text,
                    "claims": tuple(part.claims),
                }
            )

    claim_by_id = ds.by_id("claims")
    fact_rows = []
    for fact in ds.facts:
        for v in fact.versions:
            c = claim_by_id[v.claim]
            fact_rows.append(
                {
                    "fact": fact.id,
                    "question": fact.question,
                    "claim": v.claim,
                    "value": v.value,
                    "outlet": articles[c.article].outlet,
                    "outlet_name": outlets[articles[c.article].outlet].name,
                    "article": c.article,
                    "speaker": c.speaker,
                    "note": fact.note or "",
                }
            )

    return Tables(
        outlets=fs.frame(outlet_rows, fs.Outlets),
        articles=fs.frame(article_rows, fs.Articles),
        actors=fs.frame(actor_rows, fs.Actors),
        issues=fs.frame(issue_rows, fs.Issues),
        events=fs.frame(event_rows, fs.Events),
        claims=fs.frame(claim_rows, fs.Claims),
        labels=fs.frame(label_rows, fs.Labels),
        positions=fs.frame(position_rows, fs.Positions),
        framing=fs.frame(framing_rows, fs.Framing),
        facts=fs.frame(fact_rows, fs.Facts),
    )


def positions_as_of(positions: pd.DataFrame, when: dt.date | pd.Timestamp) -> pd.DataFrame:
    """The stance each actor held on each issue at ``when``: the latest one begun by then and not yet ended."""
    when = pd.Timestamp(when)
    held = positions[(positions["since"] <= when) & (positions["until"].isna() | (positions["until"] >= when))]
    return held.sort_values("since").groupby(["actor", "issue"], as_index=False).tail(1).reset_index(drop=True)
