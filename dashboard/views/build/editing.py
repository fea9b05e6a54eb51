"""The "Build a story" page's tables and forms as data: rows from a draft, and a draft from the rows' edits.

No Streamlit here. Each table shows, per field, the value in force: the teacher's own, else the
builder's suggestion, which stays marked as a suggestion (the row's "Suggested" cell names its
fields) until the teacher accepts or changes it. An edit of a cell is the teacher's own value (and
so accepted); ticking a row's "Accept" accepts every suggestion in it. Every function returns a new
draft: the one the page holds is never changed under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.build.draft import Draft, DraftActor, DraftClaim, DraftEvent, Suggestion
from dashboard.build.story import DraftProblem
from dashboard.build.suggest import slug
from dashboard.data.schema import NARRATION, UNNAMED

KINDS = ("narration", "direct", "paraphrase")
ACTOR_TYPES = (
    "person",
    "government",
    "coalition",
    "institution",
    "party",
    "international body",
    "group",
    "company",
    "media",
)
STANCES = ("supports", "leans_support", "mixed", "leans_against", "opposes")
# The claim fields a table shows and the teacher may change; lists are shown joined by "; ".
CLAIM_FIELDS = ("speaker", "kind", "source", "quote_span", "scare_quotes")
LIST_FIELDS = {"scare_quotes", "loaded_terms", "aliases"}
JOIN = "; "
OUTLET_FACTS = ("name", "kind", "country", "ownership", "funding", "language")
ARTICLE_FACTS = ("headline", "date", "authors", "url", "language")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return JOIN.join(str(v) for v in value)
    return str(value)


def _items(text: Any) -> list[str]:
    return [p.strip() for p in str(text or "").split(";") if p.strip()]


def in_force(claim: DraftClaim, field: str) -> Any:
    """The value a claim's field has now: the teacher's, else the suggestion (as the story takes it)."""
    current = getattr(claim, field)
    if claim.accepted.get(field) or current not in (None, "", [], {}):
        return current
    suggestion = claim.suggested.get(field)
    return suggestion.value if suggestion is not None else current


def pending(claim: DraftClaim) -> list[str]:
    """The fields whose value in force is a suggestion the teacher has not accepted yet."""
    return [
        f
        for f in (*CLAIM_FIELDS, "loaded_terms", "labels", "actors")
        if f in claim.suggested and not claim.accepted.get(f) and getattr(claim, f) in (None, "", [], {})
    ]


# --- problems ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problems:
    """``check(draft)``'s problems by the record they name: (section, record id) → their messages."""

    items: tuple[DraftProblem, ...]

    def of(self, section: str, record: Any = None) -> list[DraftProblem]:
        """The problems naming one record (or, without ``record``, the section as a whole)."""
        key = (section, record) if record is not None else (section,)
        return [
            p for p in self.items if tuple(p.field[: len(key)]) == key and (record is not None or len(p.field) == 1)
        ]

    def text(self, section: str, record: Any) -> str:
        """One cell's worth: each problem's field and message."""
        return " · ".join(_said(p) for p in self.of(section, record))

    def elsewhere(self) -> list[DraftProblem]:
        """Problems no table shows beside a record (the file as a whole, meta, categories, camps…)."""
        shown = {"claims", "actors", "events", "articles", "outlets", "positions", "prompts", "paths"}
        return [p for p in self.items if not (len(p.field) >= 2 and p.field[0] in shown)]


def _said(p: DraftProblem) -> str:
    field = p.field[2] if len(p.field) > 2 else None
    return f"{field}: {p.message}" if field else p.message


# --- claims ------------------------------------------------------------------------------------


def claim_rows(draft: Draft, article_id: str, problems: Problems) -> pd.DataFrame:
    """One row per sentence of the article, indexed by claim id."""
    rows = []
    for c in draft.claims:
        if c.article != article_id:
            continue
        waiting = pending(c)
        shown = [f for f in waiting if c.suggested[f].value not in (None, "", [], {})]  # an empty one says nothing
        rows.append(
            {
                "id": c.id,
                "keep": c.keep,
                "quote": c.quote,
                "speaker": _text(in_force(c, "speaker")) or None,
                "kind": _text(in_force(c, "kind")) or None,
                "source": _text(in_force(c, "source")),
                "quote_span": _text(in_force(c, "quote_span")),
                "scare_quotes": _text(in_force(c, "scare_quotes")),
                "loaded_terms": _text(in_force(c, "loaded_terms")),
                "suggested": ", ".join(f.replace("_", " ") for f in shown),
                "accept": not waiting,
                "problems": problems.text("claims", c.id),
            }
        )
    columns = [
        "id",
        "keep",
        "quote",
        "speaker",
        "kind",
        "source",
        "quote_span",
        "scare_quotes",
        "loaded_terms",
        "suggested",
        "accept",
        "problems",
    ]
    return pd.DataFrame(rows, columns=columns).set_index("id")


def speaker_options(draft: Draft) -> list[str]:
    return [NARRATION, UNNAMED, *(a.id for a in draft.actors)]


def _accept(claim: DraftClaim, field: str) -> None:
    sug = claim.suggested.get(field)
    if sug is not None and not claim.accepted.get(field) and getattr(claim, field) in (None, "", [], {}):
        setattr(claim, field, sug.value)
    claim.accepted[field] = True


def apply_claim_edits(draft: Draft, ids: Sequence[str], edited: Mapping[int, Mapping[str, Any]]) -> Draft:
    """The draft with a claims table's edited cells (``st.data_editor``'s ``edited_rows``, by row position)."""
    draft = draft.model_copy(deep=True)
    by_id = {c.id: c for c in draft.claims}
    for position, cells in edited.items():
        claim = by_id.get(ids[int(position)]) if int(position) < len(ids) else None
        if claim is None:
            continue
        for column, value in cells.items():
            if column == "keep":
                claim.keep = bool(value)
            elif column == "accept":
                if value:
                    for f in pending(claim):
                        _accept(claim, f)
            elif column in CLAIM_FIELDS:
                if column in LIST_FIELDS:
                    setattr(claim, column, _items(value))
                else:
                    setattr(claim, column, (str(value).strip() or None) if value is not None else None)
                claim.accepted[column] = True  # the teacher's own value
    return draft


def accept_article(draft: Draft, article_id: str | None = None) -> Draft:
    """Every pending suggestion accepted (of one article's claims, or of all), and each speaker kept as an actor."""
    from dashboard.build.suggest import accept_all

    if article_id is None:
        return accept_all(draft)
    draft = draft.model_copy(deep=True)
    for claim in draft.claims:
        if claim.article == article_id:
            for f in pending(claim):
                _accept(claim, f)
    speakers = {c.speaker for c in draft.claims if c.article == article_id}
    for actor in draft.actors:
        if actor.id in speakers:
            actor.confirmed = True
    return draft


def rules_used(claims: Iterable[DraftClaim]) -> list[Suggestion]:
    """Each rule behind the suggestions of these claims, once, in the order first met."""
    seen: dict[str, Suggestion] = {}
    for c in claims:
        for s in c.suggested.values():
            seen.setdefault(s.rule, s)
    return list(seen.values())


# --- actors ------------------------------------------------------------------------------------


def _actor_value(a: DraftActor, field: str) -> Any:
    current = getattr(a, field)
    if current in (None, "", []) and field in a.suggested:
        return a.suggested[field].value
    return current


def actor_rows(draft: Draft, problems: Problems) -> pd.DataFrame:
    speaking = {in_force(c, "speaker") for c in draft.claims}
    rows = [
        {
            "id": a.id,
            "keep": a.confirmed,
            "name": a.name,
            "type": _actor_value(a, "type"),
            "camp": a.camp or "",
            "role": a.role or "",
            "aliases": _text(a.aliases),
            "speaks": a.id in speaking,
            "suggested": ", ".join(
                f for f in ("type",) if f in a.suggested and not a.accepted.get(f) and getattr(a, f) is None
            ),
            "problems": problems.text("actors", a.id),
        }
        for a in draft.actors
    ]
    columns = ["id", "keep", "name", "type", "camp", "role", "aliases", "speaks", "suggested", "problems"]
    return pd.DataFrame(rows, columns=columns)  # a range index: the last row adds an actor


def apply_actor_edits(
    draft: Draft, ids: Sequence[str], edited: Mapping[int, Mapping[str, Any]], added: Sequence[Mapping[str, Any]] = ()
) -> Draft:
    draft = draft.model_copy(deep=True)
    by_id = {a.id: a for a in draft.actors}
    for position, cells in edited.items():
        actor = by_id.get(ids[int(position)]) if int(position) < len(ids) else None
        if actor is None:
            continue
        for column, value in cells.items():
            if column == "keep":
                actor.confirmed = bool(value)
            elif column == "aliases":
                actor.aliases = _items(value)
            elif column in ("name", "type", "camp", "role"):
                text = str(value).strip() if value is not None else ""
                if column == "name" and not text:
                    continue  # an actor keeps a name
                setattr(actor, column, text or None)
                actor.accepted[column] = True
                actor.confirmed = True  # a teacher who fills in an actor keeps it
    taken = {a.id for a in draft.actors} | {NARRATION, UNNAMED}
    for row in added:
        name = str(row.get("name") or "").strip()
        if not name:
            continue
        ident = slug(name, "actor").replace("-", "_")
        n = 2
        while ident in taken:
            ident, n = f"{slug(name, 'actor').replace('-', '_')}_{n}", n + 1
        taken.add(ident)
        draft.actors.append(
            DraftActor(
                id=ident,
                name=name,
                type=(str(row.get("type") or "").strip() or None),
                camp=(str(row.get("camp") or "").strip() or None),
                role=(str(row.get("role") or "").strip() or None),
                aliases=_items(row.get("aliases")),
                confirmed=True,
            )
        )
    return draft


# --- events ------------------------------------------------------------------------------------


def add_event(draft: Draft, title: str, date: str, category: str, summary: str, claims: Sequence[str]) -> Draft:
    """The draft with a new event grouping ``claims``; its id is made from its title."""
    draft = draft.model_copy(deep=True)
    taken = {e.id for e in draft.events}
    base = slug(title or "event", "event")
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    draft.events.append(
        DraftEvent(
            id=ident,
            title=title.strip() or None,
            date=date.strip() or None,
            category=category.strip() or None,
            summary=summary.strip() or None,
            claims=list(dict.fromkeys(claims)),
        )
    )
    return draft


def set_event(draft: Draft, event_id: str, **values: Any) -> Draft:
    draft = draft.model_copy(deep=True)
    for e in draft.events:
        if e.id == event_id:
            for k, v in values.items():
                setattr(e, k, (v.strip() or None) if isinstance(v, str) else v)
    return draft


def drop_event(draft: Draft, event_id: str) -> Draft:
    draft = draft.model_copy(deep=True)
    draft.events = [e for e in draft.events if e.id != event_id]
    return draft


def date_suggestions(draft: Draft) -> pd.DataFrame:
    """Each relative date found, with the words it came from and the date it was resolved to."""
    rows = [
        {
            "article": a.id,
            "words": d.words,
            "date": _text(d.suggestion.value),
            "in": a.text[max(0, d.start - 60) : d.end + 60],
        }
        for a in draft.articles
        for d in a.dates
    ]
    return pd.DataFrame(rows, columns=["article", "words", "date", "in"])


def claim_label(claim: DraftClaim, width: int = 90) -> str:
    quote = " ".join(claim.quote.split())
    return f"{claim.id}: {quote[:width]}{'…' if len(quote) > width else ''}"


# --- texts -------------------------------------------------------------------------------------


def article_rows(draft: Draft, problems: Problems) -> pd.DataFrame:
    """One row per text: its facts as read from it (editable), its outlet, and the problems naming it."""
    outlets = {o.id: o.name for o in draft.outlets}
    rows = [
        {
            "id": a.id,
            "outlet": outlets.get(a.outlet, a.outlet),
            **{f: _text(getattr(a, f)) for f in ARTICLE_FACTS},
            "found": ", ".join(a.found),
            "words": len(a.text.split()),
            "problems": problems.text("articles", a.id),
        }
        for a in draft.articles
    ]
    return pd.DataFrame(rows, columns=["id", "outlet", *ARTICLE_FACTS, "found", "words", "problems"])


def outlet_rows(draft: Draft, problems: Problems) -> pd.DataFrame:
    """One row per outlet: the facts the codebook describes an outlet by, and nothing else."""
    rows = [
        {"id": o.id, **{f: _text(getattr(o, f)) for f in OUTLET_FACTS}, "problems": problems.text("outlets", o.id)}
        for o in draft.outlets
    ]
    return pd.DataFrame(rows, columns=["id", *OUTLET_FACTS, "problems"])


def apply_fact_edits(draft: Draft, section: str, ids: Sequence[str], edited: Mapping[int, Mapping[str, Any]]) -> Draft:
    """The draft with a facts table's edited cells (``section``: "articles" or "outlets")."""
    draft = draft.model_copy(deep=True)
    records = {r.id: r for r in getattr(draft, section)}
    allowed = ARTICLE_FACTS if section == "articles" else OUTLET_FACTS
    for position, cells in edited.items():
        record = records.get(ids[int(position)]) if int(position) < len(ids) else None
        if record is None:
            continue
        for column, value in cells.items():
            if column not in allowed:
                continue
            text = str(value).strip() if value is not None else ""
            if column == "authors":
                record.authors = _items(text) or None
            elif column == "name" and not text:
                continue  # an outlet keeps a name
            else:
                setattr(record, column, text or None)
    return draft


def drop_article(draft: Draft, article_id: str) -> Draft:
    """The draft without the article and its claims (and without claims of it in events)."""
    draft = draft.model_copy(deep=True)
    gone = {c.id for c in draft.claims if c.article == article_id}
    draft.articles = [a for a in draft.articles if a.id != article_id]
    draft.claims = [c for c in draft.claims if c.article != article_id]
    for e in draft.events:
        e.claims = [c for c in e.claims if c not in gone]
    used = {a.outlet for a in draft.articles}
    draft.outlets = [o for o in draft.outlets if o.id in used]
    return draft


# --- optional: issues, positions, prompts, a presenter path ------------------------------------

OPTIONAL = {
    "issues": "Issues (what actors take positions on)",
    "positions": "Positions (an actor's stance on an issue, with claims as evidence)",
    "prompts": "Discussion prompts",
    "steps": "A presenter path (its steps)",
}
_OPTIONAL_COLUMNS = {
    "issues": ("id", "question", "short"),
    "positions": ("actor", "issue", "stance", "since", "evidence"),
    "prompts": ("id", "text", "page"),
    "steps": ("title", "page", "prompt", "note", "minutes"),
}
_REQUIRED = {"issues": ("id", "question"), "positions": ("actor", "issue", "stance"), "prompts": ("id", "text", "page")}
PATH_ID = "lesson"


def _records(draft: Draft, section: str) -> list[Any]:
    if section == "steps":
        return list(draft.paths[0].steps) if draft.paths else []
    return list(getattr(draft, section))


def optional_rows(draft: Draft, section: str) -> pd.DataFrame:
    columns = _OPTIONAL_COLUMNS[section]
    rows = [{c: _text(getattr(r, c)) or None for c in columns} for r in _records(draft, section)]
    frame = pd.DataFrame(rows, columns=list(columns))
    if section == "steps":
        frame["minutes"] = pd.to_numeric(frame["minutes"], errors="coerce").astype("Int64")
    return frame.astype({c: "object" for c in columns if c != "minutes"})


def apply_optional(
    draft: Draft, section: str, frame: pd.DataFrame, state: Mapping[str, Any]
) -> tuple[Draft, list[str]]:
    """The draft with an optional table's edits (``st.data_editor``'s state on ``frame``); and what was refused."""
    from dashboard.build.draft import DraftIssue, DraftPath, DraftPosition, DraftPrompt, DraftStep

    model = {"issues": DraftIssue, "positions": DraftPosition, "prompts": DraftPrompt, "steps": DraftStep}[section]
    rows = frame.to_dict("records")
    for position, cells in (state.get("edited_rows") or {}).items():
        if int(position) < len(rows):
            rows[int(position)].update(cells)
    gone = {int(i) for i in state.get("deleted_rows") or []}
    rows = [r for i, r in enumerate(rows) if i not in gone] + [dict(r) for r in state.get("added_rows") or []]
    records, errors = [], []
    label = OPTIONAL[section].split(" (")[0]
    for n, row in enumerate(rows, start=1):
        values = {k: v for k, v in row.items() if k in _OPTIONAL_COLUMNS[section] and v is not None and not pd.isna(v)}
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
        values = {k: v for k, v in values.items() if v != ""}
        missing = [c for c in _REQUIRED.get(section, ("title", "page")) if not values.get(c)]
        if missing:
            if values:
                errors.append(f"{label}, row {n}: give its {' and '.join(missing)}; the row is not kept yet.")
            continue
        if "evidence" in values:
            values["evidence"] = _items(values["evidence"])
        if "minutes" in values:
            values["minutes"] = int(values["minutes"])
        records.append(model(**values))
    draft = draft.model_copy(deep=True)
    if section == "steps":
        title = draft.meta.title or "A lesson"
        draft.paths = [DraftPath(id=PATH_ID, title=title, steps=records)] if records else []
    else:
        setattr(draft, section, records)
    return draft, errors
