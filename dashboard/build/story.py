"""From a draft to a story file: the schema's records, with the data's own "unknown" where nothing is given.

``to_story`` takes the value in force of every field (the teacher's, or with ``accepted_only``
false also the builder's suggestion not yet accepted), fills what the schema requires and the
teacher has not given with the conventions of the data ("unknown" for a headline, a date, authors,
an outlet's facts; camp "unknown" for an actor not yet placed), and leaves out what cannot be
filled without inventing: a claim without a speaker or kind, an event without a date. Loaded terms
are always the lexicon's matches in the quote (mechanical, as the validator requires).

``check`` runs the validator and the audit on the draft's YAML and maps every located problem back
to the draft field it names, so a form can show it beside that field.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from dashboard.build.draft import UNKNOWN, Draft, DraftClaim
from dashboard.build.suggest import slug
from dashboard.data import schema as s
from dashboard.data.located import LocatedDict, LocatedList, Problem
from dashboard.data.text import Lexicon, find_scare_quote, word_count
from dashboard.data.yaml_scalars import resolve_plain

Check = Callable[[Any], Iterable[tuple[tuple[Any, ...], str]]]
_EMPTY: tuple[Any, ...] = (None, "", [], {})
# A story section's record id field; positions have none and are named by their index.
_ID_FIELD = {"positions": None, "framing": "article", "lexicon": "term"}


class DraftProblem(BaseModel):
    """A problem of the draft's story, at the draft field it names: ``(section, record id, field)``."""

    field: tuple[Any, ...]  # ("claims", "wlrn-01", "quote"); ("meta",); ("draft",) for the file as a whole
    message: str
    audit: bool = False  # a codebook finding on a valid story, not a validation error
    line: int = 0  # where the story's YAML has it


def _value(claim: DraftClaim, name: str, accepted_only: bool) -> Any:
    current = getattr(claim, name)
    if claim.accepted.get(name) or current not in _EMPTY:
        return current
    sug = claim.suggested.get(name)
    if sug is not None and not accepted_only:
        return sug.value
    return current


def _or_unknown(value: Any) -> Any:
    return UNKNOWN if value in _EMPTY else value


def to_story(draft: Draft, *, accepted_only: bool) -> dict[str, Any]:
    """The story the draft holds now, as the YAML file's mapping."""
    lexicon = Lexicon((e.term, e.category, e.variants, e.not_in) for e in draft.lexicon)
    articles = {a.id for a in draft.articles}
    claims: list[dict[str, Any]] = []
    events_of: dict[str, list[str]] = {}
    dated_events = [e for e in draft.events if e.date and e.title]
    for e in dated_events:
        for cid in e.claims:
            events_of.setdefault(cid, []).append(e.id)
    speakers: set[str] = set()
    picked: list[tuple[DraftClaim, dict[str, Any]]] = []
    for c in draft.claims:
        if not c.keep or c.article not in articles or not c.quote.strip():
            continue
        speaker = _value(c, "speaker", accepted_only)
        kind = _value(c, "kind", accepted_only)
        if not speaker or kind not in ("narration", "direct", "paraphrase"):
            continue
        values = {name: _value(c, name, accepted_only) for name in ("source", "labels", "actors", "scare_quotes")}
        picked.append((c, {"speaker": speaker, "kind": kind, **values}))
        if speaker not in (s.NARRATION, s.UNNAMED):
            speakers.add(speaker)
    kept_actors = [a for a in draft.actors if a.id in speakers or a.confirmed]
    actor_ids = {a.id for a in kept_actors}
    for c, v in picked:
        speaker = v["speaker"]
        if speaker not in actor_ids and speaker not in (s.NARRATION, s.UNNAMED):
            continue
        record: dict[str, Any] = {"id": c.id, "article": c.article, "quote": c.quote.strip(), "speaker": speaker}
        if speaker == s.UNNAMED:
            record["source"] = (v["source"] or UNKNOWN)[:500]
        record["kind"] = v["kind"]
        if events_of.get(c.id):
            record["events"] = events_of[c.id]
        about = [a for a in (v["actors"] or []) if a in actor_ids and a != speaker]
        labels = {
            a: [p for p in phrases if p in c.quote]
            for a, phrases in (v["labels"] or {}).items()
            if a in actor_ids and (a in about or a == speaker)
        }
        labels = {a: (p[0] if len(p) == 1 else p) for a, p in labels.items() if p}
        if about:
            record["actors"] = list(dict.fromkeys(about))
        if c.issues:
            record["issues"] = c.issues
        if labels:
            record["labels"] = labels
        terms = lexicon.terms_in(c.quote)
        if terms:
            record["loaded_terms"] = terms
        # What was accepted is written, whatever the kind: a tag's scare quote (anonymous “people” said …)
        # stays with its sentence until the teacher splits the outlet's words from the source's.
        scare = [w for w in (v["scare_quotes"] or []) if find_scare_quote(c.quote, w)]
        if scare:
            record["scare_quotes"] = scare
        if c.note:
            record["note"] = c.note
        claims.append(record)
    camps = sorted({a.camp or UNKNOWN for a in kept_actors})
    categories: dict[str, str] = {}
    events = []
    for e in dated_events:
        name = e.category or UNKNOWN
        cat = slug(name, UNKNOWN)
        categories.setdefault(cat, name)
        record = {"id": e.id, "title": e.title, "summary": e.summary or UNKNOWN, "date": e.date}
        if e.end:
            record["end"] = e.end
        if e.date_note:
            record["date_note"] = e.date_note
        record["category"] = cat
        ev_actors = [a for a in e.actors if a in actor_ids]
        if ev_actors:
            record["actors"] = ev_actors
        events.append(record)
    used_outlets = {a.outlet for a in draft.articles}
    files = source_files(draft)
    story: dict[str, Any] = {
        "schema_version": s.SCHEMA_VERSION,
        "meta": _meta(draft),
        "camps": [{"id": c, "name": c} for c in camps],
        "categories": [{"id": k, "name": v} for k, v in categories.items()],
        "outlets": [_outlet(o) for o in draft.outlets if o.id in used_outlets],
        "articles": [_article(a, any(c["article"] == a.id for c in claims), files[a.id]) for a in draft.articles],
        "actors": [_actor(a) for a in kept_actors],
        "issues": [i.model_dump(exclude_none=True) for i in draft.issues],
        "events": events,
        "claims": claims,
    }
    claim_ids = {c["id"] for c in claims}
    positions = []
    for p in draft.positions:
        evidence = [e for e in p.evidence if e in claim_ids]
        if p.actor in actor_ids and evidence and p.since:
            record = {"actor": p.actor, "issue": p.issue, "stance": p.stance, "from": p.since, "evidence": evidence}
            if p.basis:
                record["basis"] = p.basis
            if p.note:
                record["note"] = p.note
            positions.append(record)
    if positions:
        story["positions"] = positions
    if draft.lexicon:
        story["lexicon"] = [e.model_dump(exclude_defaults=True) for e in draft.lexicon]
    if draft.prompts:
        story["prompts"] = [p.model_dump(exclude_defaults=True) for p in draft.prompts]
    if draft.paths:
        story["paths"] = [
            {
                **p.model_dump(exclude_defaults=True, exclude={"steps"}),
                "steps": [st.model_dump(exclude_defaults=True) for st in p.steps],
            }
            for p in draft.paths
            if p.steps
        ]
    return story


def _meta(draft: Draft) -> dict[str, Any]:
    n, m = len(draft.articles), len({a.outlet for a in draft.articles})
    meta = {
        "title": draft.meta.title or "Draft story",
        "description": draft.meta.description or f"A story built from {n} article(s).",
        "coverage": draft.meta.coverage or f"{n} article(s) from {m} outlet(s).",
        "licence": draft.meta.licence or UNKNOWN,
        "last_updated": date.today().isoformat(),
    }
    if draft.meta.language:
        meta["language"] = draft.meta.language
    return meta


def _outlet(o: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": o.id, "name": o.name}
    for name in ("kind", "country", "ownership", "funding", "language", "homepage"):
        record[name] = _or_unknown(getattr(o, name))
    if o.scope:
        record["scope"] = o.scope
    if o.aliases:
        record["aliases"] = o.aliases
    return record


def _article(a: Any, has_claims: bool, file: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": a.id,
        "outlet": a.outlet,
        "headline": _or_unknown(a.headline),
        "date": _or_unknown(a.date),
        "authors": a.authors or UNKNOWN,
        "url": _or_unknown(a.url),
    }
    # Every article with claims names the text its quotes are checked against (source_texts gives them).
    if has_claims:
        record["source_file"] = file
    words = word_count(a.text)
    if words:
        record["words"] = words
    return record


def source_file(article: Any) -> str:
    """The name of the article's plain text: its own .txt file's name, or one made of its id."""
    name = article.filename or ""
    if name.endswith(".txt") and re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        return name
    return f"{article.id}.txt"


def source_files(draft: Draft) -> dict[str, str]:
    """Each article's source_file name by article id, one name per article: a file name two articles share
    (two "article.txt" from two folders) is kept by the first, the others' made of their ids."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for a in draft.articles:
        name = source_file(a)
        if name in taken:
            name = f"{a.id}.txt"
            n = 2
            while name in taken:
                name, n = f"{a.id}-{n}.txt", n + 1
        taken.add(name)
        out[a.id] = name
    return out


def source_texts(draft: Draft) -> dict[str, str]:
    """Each article's plain text by its source_file name: the text the story's quotes are verbatim in
    (``python -m dashboard.validate --sources DIR`` checks them), the headline first when it is coded."""
    out: dict[str, str] = {}
    files = source_files(draft)
    for a in draft.articles:
        headline = next((c.quote for c in draft.claims if c.article == a.id and c.sentence < 0), None)
        out[files[a.id]] = (f"{headline}\n\n" if headline else "") + a.text + "\n"
    return out


def _actor(a: Any) -> dict[str, Any]:
    kind = a.type or (a.suggested["type"].value if "type" in a.suggested else "group")
    record: dict[str, Any] = {"id": a.id, "name": a.name, "type": kind, "camp": a.camp or UNKNOWN}
    if a.role:
        record["role"] = a.role
    aliases = [x for x in a.aliases if x != a.name]
    if aliases:
        record["aliases"] = aliases
    return record


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """PyYAML's safe dumper (libyaml's emitter where installed: the same text, 4 times faster), but a string
    the validator's reader would take for anything else (or warn of: YAML 1.1's y/n/on/off, unquoted dates,
    base-60 numbers) is written in double quotes."""


def _str(dumper: Any, value: str) -> yaml.ScalarNode:
    problems: list[tuple[Any, str]] = []
    plain = resolve_plain(value, None, problems)  # type: ignore[arg-type]
    style = '"' if problems or not isinstance(plain, str) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(draft: Draft, *, accepted_only: bool = False) -> str:
    """The draft's story as a YAML file ``python -m dashboard.validate`` reads."""
    story = to_story(draft, accepted_only=accepted_only)
    head = "# A story drafted with the story builder (python -m dashboard.build); check it with\n"
    head += "#   python -m dashboard.validate FILE --audit\n"
    body = yaml.dump(story, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    return head + body


def check(draft: Draft, *, accepted_only: bool = False, checks: Sequence[Check] = ()) -> list[DraftProblem]:
    """The validator's problems, or on a valid story the audit's findings, each at the draft field it names.

    ``checks`` are the views' own checks (prompts' and steps' pages), passed in by a caller that may
    import the views.
    """
    from dashboard.data.audit import audit_file
    from dashboard.data.dataset import check_dataset
    from dashboard.data.yaml_reader import read_yaml

    text = to_yaml(draft, accepted_only=accepted_only)
    with tempfile.TemporaryDirectory(prefix="nt-draft-") as tmp:
        path = Path(tmp) / "draft.yaml"
        path.write_text(text, encoding="utf-8")
        dataset, problems = check_dataset(path, checks=tuple(checks))
        found: list[tuple[Problem, bool]] = [(p, False) for p in problems]
        if dataset is not None:
            found += [(p, True) for p in audit_file(path, dataset)]
    root, _ = read_yaml(text.encode("utf-8"), "draft.yaml")
    out = []
    for problem, audit in found:
        message = problem.message.removeprefix("audit: ")
        field = _field_at(root, problem.line, problem.col)
        out.append(DraftProblem(field=field, message=message, audit=audit, line=problem.line))
    return out


def _field_at(root: Any, line: int, col: int) -> tuple[Any, ...]:
    """The draft field of the story node at (line, col): the deepest key or item starting at or before it."""
    if not isinstance(root, LocatedDict):
        return ("draft",)
    where = (line, col)
    section = _last_before(root.key_marks.items(), where)
    if section is None:
        return ("draft",)
    node = root[section]
    if section == "meta":
        key = _last_before(node.key_marks.items(), where) if isinstance(node, LocatedDict) else None
        return ("meta", key) if key else ("meta",)
    if not isinstance(node, LocatedList):
        return (section,)
    index = _last_before(((i, m) for i, m in enumerate(node.item_marks)), where)
    if index is None:
        return (section,)
    item = node[index]
    ident: Any = index
    id_field = _ID_FIELD.get(section, "id")
    if isinstance(item, dict) and id_field and isinstance(item.get(id_field), str):
        ident = item[id_field]
    if section == "positions":
        ident = index
    key = _last_before(item.key_marks.items(), where) if isinstance(item, LocatedDict) else None
    return (section, ident, key) if key else (section, ident)


def _last_before(marks: Iterable[tuple[Any, tuple[int, int]]], where: tuple[int, int]) -> Any:
    best = None
    for name, mark in marks:
        if tuple(mark) <= where:
            best = name
    return best
