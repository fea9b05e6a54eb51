"""The checks across records: ids unique, references resolved, quotes found in their texts.

A record's own checks (``checks``) run as soon as the reader hands the record
over; these cannot: they need every record of the sections they compare, so they
run once, on the records that passed their own checks (``check_sources`` on the
dataset built from them). ``_CrossChecks`` is mixed into
``checks._Checker`` and reports through it (``at``, ``_what``, ``_closest``, its
``root`` and suggestion budget), so its problems are located and budgeted like
every other. It is a module of its own because it is the codebook's rules between
records, read and changed apart from the per-record validation.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dashboard.data import schema as s
from dashboard.data.located import locate
from dashboard.data.text import Lexicon, find_scare_quote, fold, word_count

# The section a reference's kind points into ("speaker (an actor, …)" is an actor).
_SECTION_OF = {
    "outlet": "outlets",
    "article": "articles",
    "actor": "actors",
    "speaker": "actors",
    "camp": "camps",
    "category": "categories",
    "event": "events",
    "issue": "issues",
    "claim": "claims",
    "prompt": "prompts",
}


_SINGULAR = {"categories": "category"}
SPOT_WORDS = (20, 60)  # the length of an excerpt a class marks on phones ("Spot the framing")


def _raw_index(raw: Any) -> dict[Any, int]:
    """Position of each record in a raw section, by id (the first, if an id repeats)."""
    items = raw if isinstance(raw, list) else []
    index: dict[Any, int] = {}
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            index.setdefault(item["id"], i)
    return index


class _CrossChecks:
    """Checks that compare records with records; the host class supplies the state and the reporting."""

    root: Any
    lexicon_refused: bool
    _suggestions_left: int
    problems: list
    rejected: dict[str, dict[str, int]]
    rejected_items: dict[str, dict[str, dict]]
    _echoes: Counter

    def _echo(self, section: str | None, ident: str) -> bool:
        """Whether ``ident`` names a record refused by its own checks: then a problem with it is that record's
        echo, counted under its first problem rather than reported again."""
        if section is None or ident not in self.rejected.get(section, {}):
            return False
        self._echoes[(self.rejected[section][ident], section)] += 1
        return True

    def _named_by_refused(self, section: str, field: str) -> dict[str, str]:
        """Each id that ``field`` of a record of ``section`` refused by its own checks names -> that record's id."""
        named: dict[str, str] = {}
        for ident, item in self.rejected_items.get(section, {}).items():
            value = item.get(field)
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, str):
                    named.setdefault(v, ident)
        return named

    def _fold_echoes(self) -> None:
        """Each refused record's first problem says how many problems follow from it (its echoes, not listed)."""
        for (index, section), n in sorted(self._echoes.items()):
            cause, noun = self.problems[index], _SINGULAR.get(section, section.rstrip("s"))
            follows = f"1 reference to this {noun} fails" if n == 1 else f"{n} references to this {noun} fail"
            self.problems[index] = dataclasses.replace(
                cause, message=f"{cause.message}; with it, {follows} (not listed)"
            )
        self._echoes.clear()

    def check_sources(self, articles: dict[str, s.Article], claims: Iterable[s.Claim], folder: Path) -> None:
        """Every quote must occur verbatim (after folding) in its article's text in ``folder``."""
        if not folder.is_dir():
            self.at((), f"--sources: {folder} is not a folder")
            return
        texts = {p.name: fold(p.read_text(encoding="utf-8", errors="replace")) for p in sorted(folder.glob("*.txt"))}
        if not texts:
            self.at((), f"--sources: no .txt files in {folder}")
            return
        index = {name: _raw_index(self.root.get(name)) for name in ("articles", "claims")}
        for claim in claims:
            article = articles.get(claim.article)
            if article is None:  # an unknown article is reported by the reference checks
                continue
            quote = fold(claim.quote)
            loc = ("claims", index["claims"][claim.id], "quote")
            own = texts.get(article.source_file or "")
            if own is None:
                self.at(
                    ("articles", index["articles"].get(article.id), "source_file"),
                    f"article {article.id}: source_file {article.source_file} is not in {folder}",
                )
                if not any(quote in t for t in texts.values()):
                    self.at(loc, f"claim {claim.id}: quote not found verbatim in any text in {folder}")
            elif quote not in own:
                self.at(loc, f"claim {claim.id}: quote not found verbatim in {article.source_file}")

    def _unique_ids(self, section: str, items: list[tuple[int, Any]], reserved: frozenset[str] = frozenset()) -> dict:
        seen: dict[str, int] = {}
        for i, rec in items:
            if rec.id in reserved:
                self.at((section, i, "id"), f"{self._what(section, i)}: the id '{rec.id}' is reserved")
            elif rec.id in seen:
                first = locate(self.root, (section, seen[rec.id], "id"))[0]
                self.at((section, i, "id"), f"duplicate id '{rec.id}' in {section} (first at line {first})")
            else:
                seen[rec.id] = i
        return {rec.id: rec for _, rec in items}

    def _ref(self, loc: tuple[Any, ...], value: str, table: dict, kind: str, what: str) -> bool:
        if value in table:
            return True
        if self._echo(_SECTION_OF.get(kind.split()[0]), value):
            return False
        close = self._closest(value, list(table)) if len(table) <= self._suggestions_left else None
        hint = f" (did you mean '{close}'?)" if close else ""
        self.at(loc, f"{what}: unknown {kind} '{value}'{hint}")
        return False

    def _check_references(self, r: dict[str, list[tuple[int, Any]]]) -> None:
        self._echoes = Counter()
        try:
            self._cross_check(r)
        finally:  # also when the problem budget stopped the checks: what was counted is said
            self._fold_echoes()

    def _cross_check(self, r: dict[str, list[tuple[int, Any]]]) -> None:
        camps = self._unique_ids("camps", r["camps"])
        categories = self._unique_ids("categories", r["categories"])
        outlets = self._unique_ids("outlets", r["outlets"])
        articles = self._unique_ids("articles", r["articles"])
        actors = self._unique_ids("actors", r["actors"], frozenset({s.NARRATION, s.UNNAMED}))
        issues = self._unique_ids("issues", r["issues"])
        events = self._unique_ids("events", r["events"])
        claims = self._unique_ids("claims", r["claims"])
        what = self._what
        # Looked up once, not searched per record: a hostile file may hold 10^4 of each.
        published = {a.outlet for _, a in r["articles"]}
        quoted = {c.article for _, c in r["claims"]}
        reported = {e for _, c in r["claims"] for e in c.events}

        # An outlet whose articles were all refused by their own checks is an echo of the first of them.
        # A record left with nothing pointing at it because what did was refused is an echo of that refusal.
        published_refused = self._named_by_refused("articles", "outlet")
        quoted_refused = self._named_by_refused("claims", "article")
        reported_refused = self._named_by_refused("claims", "events")
        for i, o in r["outlets"]:
            if o.id not in published and not self._echo("articles", published_refused.get(o.id, "")):
                self.at(("outlets", i, "id"), f"{what('outlets', i)}: no article belongs to this outlet")
        for i, a in r["articles"]:
            self._ref(("articles", i, "outlet"), a.outlet, outlets, "outlet", what("articles", i))
            if a.reposts:
                loc = ("articles", i, "reposts", "article")
                if a.reposts.article == a.id:
                    self.at(loc, f"{what('articles', i)}: an article cannot repost itself")
                elif self._ref(loc, a.reposts.article, articles, "article", what("articles", i)):
                    original = articles[a.reposts.article]
                    if original.reposts and original.reposts.article == a.id:
                        self.at(loc, f"{what('articles', i)}: reposts form a loop with '{original.id}'")
            if a.source_file and a.id not in quoted and not self._echo("claims", quoted_refused.get(a.id, "")):
                self.at(("articles", i, "source_file"), f"{what('articles', i)}: has a source text but no claims")
        for i, a in r["actors"]:
            self._ref(("actors", i, "camp"), a.camp, camps, "camp", what("actors", i))
        for i, e in r["events"]:
            self._ref(("events", i, "category"), e.category, categories, "category", what("events", i))
            for j, x in enumerate(e.actors):
                self._ref(("events", i, "actors", j), x, actors, "actor", what("events", i))
            if e.end is not None and e.end.last < e.date.first:
                self.at(("events", i, "end"), f"{what('events', i)}: ends ({e.end}) before it starts ({e.date})")
            if e.id not in reported and not self._echo("claims", reported_refused.get(e.id, "")):
                self.at(("events", i, "id"), f"{what('events', i)}: no claim reports this event")

        # The same matcher as Dataset.lexicon, so the check and the metrics count alike.
        lexicon = Lexicon((x.term, x.category, x.variants, x.not_in) for _, x in r["lexicon"])
        forms: dict[str, int] = {}
        for i, x in r["lexicon"]:
            own = Lexicon([(x.term, x.category, x.variants)]) if x.not_in else None
            for j, phrase in enumerate(x.not_in):
                if own is not None and not own.matches(phrase):
                    self.at(
                        ("lexicon", i, "not_in", j),
                        f"lexicon: not_in phrase '{phrase}' does not contain the term '{x.term}' or a variant",
                    )
            for form in (x.term, *x.variants):
                key = fold(form).lower()
                if key in forms:
                    self.at(
                        ("lexicon", i, "term"),
                        f"lexicon: '{form}' is listed twice (first at line "
                        f"{locate(self.root, ('lexicon', forms[key]))[0]})",
                    )
                forms.setdefault(key, i)

        for i, c in r["claims"]:
            w = what("claims", i)
            self._ref(("claims", i, "article"), c.article, articles, "article", w)
            if c.article in articles and not articles[c.article].source_file:
                self.at(("claims", i, "article"), f"{w}: article '{c.article}' has no source_file to quote from")
            if c.speaker not in (s.NARRATION, s.UNNAMED):
                self._ref(
                    ("claims", i, "speaker"), c.speaker, actors, "speaker (an actor, 'narration' or 'unnamed')", w
                )
            if (c.speaker == s.NARRATION) != (c.kind == "narration"):
                self.at(("claims", i, "kind"), f"{w}: kind is 'narration' exactly when speaker is 'narration'")
            if c.speaker == s.UNNAMED and not c.source:
                self.at(
                    ("claims", i, "speaker"), f"{w}: an unnamed speaker needs 'source' (how the text attributes it)"
                )
            if c.source and c.speaker != s.UNNAMED:
                self.at(("claims", i, "source"), f"{w}: 'source' is only for unnamed speakers")
            for key, table, kind in (
                ("events", events, "event"),
                ("actors", actors, "actor"),
                ("issues", issues, "issue"),
            ):
                for j, x in enumerate(getattr(c, key)):
                    self._ref(("claims", i, key, j), x, table, kind, w)
            quote = fold(c.quote)
            for actor, labels in c.labels.items():
                self._ref(("claims", i, "labels", actor), actor, actors, "actor", w)
                for label in [labels] if isinstance(labels, str) else labels:
                    if fold(label) not in quote:
                        self.at(("claims", i, "labels", actor), f"{w}: label '{label}' does not occur in the quote")
            found = lexicon.terms_in(c.quote) if not self.lexicon_refused else c.loaded_terms
            coded = list(dict.fromkeys(c.loaded_terms))
            missing = [t for t in found if t not in coded]
            extra = [t for t in coded if t not in found]
            if missing:
                self.at(
                    ("claims", i, "quote"),
                    f"{w}: lexicon terms in the quote but not in loaded_terms: {', '.join(missing)}",
                )
            if extra:
                self.at(
                    ("claims", i, "loaded_terms"),
                    f"{w}: loaded_terms not found in the quote as lexicon terms: {', '.join(extra)}",
                )
            for j, term in enumerate(c.scare_quotes):
                if find_scare_quote(c.quote, term) is None:
                    self.at(("claims", i, "scare_quotes", j), f"{w}: '{term}' is not in quotation marks in the quote")

        seen_periods: dict[tuple[str, str, str], int] = {}
        for i, p in r["positions"]:
            w = f"position of {p.actor} on {p.issue}"
            ok_actor = self._ref(("positions", i, "actor"), p.actor, actors, "actor", w)
            ok_issue = self._ref(("positions", i, "issue"), p.issue, issues, "issue", w)
            if p.until is not None and p.until.last < p.since.first:
                self.at(("positions", i, "until"), f"{w}: ends ({p.until}) before it starts ({p.since})")
            key = (p.actor, p.issue, p.since.iso)
            if key in seen_periods:
                first = locate(self.root, ("positions", seen_periods[key]))[0]
                self.at(("positions", i, "from"), f"{w}: another position starts on {p.since} (line {first})")
            seen_periods.setdefault(key, i)
            for j, cid in enumerate(p.evidence):
                if not self._ref(("positions", i, "evidence", j), cid, claims, "claim", w):
                    continue
                c = claims[cid]
                if ok_issue and p.issue not in c.issues:
                    self.at(("positions", i, "evidence", j), f"{w}: claim {cid} is not coded with issue '{p.issue}'")
                if ok_actor and p.actor != c.speaker and p.actor not in c.actors:
                    self.at(
                        ("positions", i, "evidence", j), f"{w}: claim {cid} neither quotes nor concerns '{p.actor}'"
                    )

        framed: dict[str, int] = {}
        for i, f in r["framing"]:
            w = f"framing of {f.article}"
            self._ref(("framing", i, "article"), f.article, articles, "article", w)
            if f.article in framed:
                self.at(
                    ("framing", i, "article"),
                    f"{w}: the article already has framing (line "
                    f"{locate(self.root, ('framing', framed[f.article]))[0]})",
                )
            framed.setdefault(f.article, i)
            for fn in s.FRAMING_FUNCTIONS:
                for j, cid in enumerate(getattr(f, fn).claims):
                    if self._ref(("framing", i, fn, "claims", j), cid, claims, "claim", w) and (
                        claims[cid].article != f.article
                    ):
                        self.at(("framing", i, fn, "claims", j), f"{w}: claim {cid} is from another article")

        self._unique_ids("facts", r["facts"])
        prompts = self._unique_ids("prompts", r["prompts"])
        for i, pr in r["prompts"]:
            w = what("prompts", i)
            for key, table, kind in (
                ("events", events, "event"),
                ("actors", actors, "actor"),
                ("issues", issues, "issue"),
                ("outlets", outlets, "outlet"),
            ):
                for j, x in enumerate(getattr(pr, key)):
                    self._ref(("prompts", i, key, j), x, table, kind, w)
            for j, cid in enumerate(pr.spot):  # "Spot the framing": a whole quote a phone can show
                if self._ref(("prompts", i, "spot", j), cid, claims, "claim", w):
                    n = word_count(claims[cid].quote)
                    if not SPOT_WORDS[0] <= n <= SPOT_WORDS[1]:
                        self.at(
                            ("prompts", i, "spot", j),
                            f"{w}: claim {cid} has {n} words; an excerpt to spot the framing in has "
                            f"{SPOT_WORDS[0]} to {SPOT_WORDS[1]}",
                        )
        self._unique_ids("paths", r["paths"])
        for i, path in r["paths"]:
            for j, step in enumerate(path.steps):
                if step.prompt is not None:
                    self._ref(
                        ("paths", i, "steps", j, "prompt"),
                        step.prompt,
                        prompts,
                        "prompt",
                        f"path {path.id}, step {j + 1}",
                    )
        for i, fact in r["facts"]:
            for j, v in enumerate(fact.versions):
                if self._ref(("facts", i, "versions", j, "claim"), v.claim, claims, "claim", what("facts", i)) and (
                    fold(v.value) not in fold(claims[v.claim].quote)
                ):
                    self.at(
                        ("facts", i, "versions", j, "value"),
                        f"{what('facts', i)}: '{v.value}' is not in the quote of {v.claim}",
                    )
