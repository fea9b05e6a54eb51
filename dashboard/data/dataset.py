"""Load a dataset file, check it completely, and hand back typed records.

``check_dataset`` never raises for bad input: it returns every problem it finds,
each located at the offending node as ``PATH:LINE:COL: message``. Records that
fail their own checks are left out of the returned dataset, and each such
omission has a problem of its own, so nothing is dropped silently.

Past ``max_problems`` problems the check stops: nobody reads a million lines,
and a file that bad must not cost a minute and gigabytes to refuse. The reader
hands each record over as soon as it is read, the record checks and the
cross-references spend from the same budget, and the list that comes back
says how many more were found (``Problems.more``) and whether checking stopped
before the end (``Problems.complete``).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import ValidationError

from dashboard.data import schema as s
from dashboard.data.text import Lexicon, find_scare_quote, fold

if TYPE_CHECKING:
    from dashboard.data.frames import Tables

from dashboard.data.yaml_reader import (
    Budgets,
    LocatedDict,
    LocatedList,
    Mark,
    Problem,
    ProblemBudget,
    TooManyProblems,
    locate,
    read_yaml,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data" / "events.yaml"
DATA_ENV = "DASHBOARD_DATA"


# A check of the layers above: (location in the file, message) for each problem it finds.
Check = Callable[["Dataset"], Iterable[tuple[tuple[Any, ...], str]]]


def data_path() -> Path:
    """The dataset to show: ``$DASHBOARD_DATA`` if set, else the project's own file."""
    chosen = os.environ.get(DATA_ENV, "").strip()
    return Path(chosen) if chosen else DEFAULT_DATA


# Sections whose records have ids to look up, and the order in which a summary counts sections.
_INDEXED = ("camps", "categories", "outlets", "articles", "actors", "issues", "events", "claims", "prompts", "paths")
_COUNTED = (
    "outlets",
    "articles",
    "actors",
    "issues",
    "events",
    "claims",
    "positions",
    "framing",
    "facts",
    "prompts",
    "paths",
)


@dataclass(frozen=True)
class Dataset:
    """A checked dataset: typed records, in file order, with lookups by id."""

    source: str
    meta: s.Meta
    camps: tuple[s.Camp, ...]
    categories: tuple[s.Category, ...]
    outlets: tuple[s.Outlet, ...]
    articles: tuple[s.Article, ...]
    actors: tuple[s.Actor, ...]
    issues: tuple[s.Issue, ...]
    events: tuple[s.Event, ...]
    claims: tuple[s.Claim, ...]
    positions: tuple[s.Position, ...] = ()
    framing: tuple[s.Framing, ...] = ()
    facts: tuple[s.Fact, ...] = ()
    lexicon_entries: tuple[s.LexiconEntry, ...] = ()
    prompts: tuple[s.Prompt, ...] = ()
    paths: tuple[s.PresenterPath, ...] = ()
    _index: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in _INDEXED:
            self._index[name] = {r.id: r for r in getattr(self, name)}

    def by_id(self, section: str) -> dict[str, Any]:
        return self._index[section]

    @cached_property
    def lexicon(self) -> Lexicon:
        return Lexicon((e.term, e.category, e.variants, e.not_in) for e in self.lexicon_entries)

    @cached_property
    def tables(self) -> Tables:
        """The dataset's frames, built once however many checks and views ask for them."""
        from dashboard.data.frames import build_tables  # frames reads Dataset: imported when first needed

        return build_tables(self)

    def counts(self) -> dict[str, int]:
        """How many records each section holds, in the order a reader meets them."""
        return {name: len(getattr(self, name)) for name in _COUNTED} | {"lexicon terms": len(self.lexicon_entries)}

    def summary(self) -> str:
        return ", ".join(f"{n} {name}" for name, n in self.counts().items())


DEFAULT_MAX_PROBLEMS = 200


class Problems(list):
    """Problems sorted by position: at most the budget's worth, and an account of the ones left out.

    ``complete`` is False when checking stopped at the budget; ``more`` counts the
    problems it had found but does not list (at least one, the one past the
    limit), and there may be any number it never looked for.
    """

    def __init__(self, items: Iterable[Problem] = (), *, more: int = 0, complete: bool = True, limit: int = 0) -> None:
        super().__init__(items)
        self.more = more
        self.complete = complete
        self.limit = limit

    def tail(self) -> str | None:
        """The line that ends a listing cut at the budget, or None when every problem is listed."""
        if self.complete:
            return None
        noun = "problem" if self.more == 1 else "problems"
        return f"… and at least {self.more:,} more {noun}; checking stopped at the limit of {self.limit:,}"


def _listed(found: list[Problem], limit: int, complete: bool) -> Problems:
    # Found by several stages in their own order: the first ``limit`` by position are listed.
    ordered = sorted(set(found))
    return Problems(ordered[:limit], more=max(0, len(ordered) - limit), complete=complete, limit=limit)


class DatasetError(Exception):
    """The dataset could not be used; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the dataset")
        self.problems = problems


def check_dataset(
    path: str | Path | None = None,
    *,
    data: bytes | None = None,
    name: str | None = None,
    budgets: Budgets | None = None,
    sources: str | Path | None = None,
    checks: Sequence[Check] = (),
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> tuple[Dataset | None, Problems]:
    """Read and check a dataset from ``path`` (or raw ``data`` named ``name``).

    With ``sources`` (a folder of the article texts), also check that every
    quote occurs verbatim in its article's text. Each of ``checks`` runs on a
    dataset that passed every check of its own and yields ``(location, message)``
    pairs, a location being a path into the file such as ``("paths", 0, "steps")``;
    so the views can check what only they understand without this layer knowing
    them. Returns the dataset (None if anything is wrong) and the problems,
    sorted by position: all of them, or, past ``max_problems``, that many, as
    soon as more are found (see ``Problems``).
    """
    if max_problems < 1:
        raise ValueError(f"max_problems must be at least 1, not {max_problems}")
    shown = name or str(path or "<upload>")
    if data is None:
        target = Path(path) if path is not None else data_path()
        shown = name or str(target)
        budgets = budgets or Budgets()
        try:
            size = target.stat().st_size
            if size > budgets.max_bytes:
                return None, Problems(
                    [Problem(shown, 1, 1, f"file is {size:,} bytes; the limit is {budgets.max_bytes:,}")]
                )
            data = target.read_bytes()
        except OSError as err:
            return None, Problems([Problem(shown, 1, 1, f"cannot read the file: {err.strerror or err}")])
    budget = ProblemBudget(max_problems)
    checker = _Checker(shown, None, budget)
    # The records are checked as they are read, so a flood of bad ones stops the reading too.
    root, problems = read_yaml(data, shown, budgets, problem_budget=budget, on_item=checker.take_record)
    if budget.exceeded:
        return None, _listed(problems + checker.problems, max_problems, complete=False)
    if root is None and problems:  # unreadable; an empty document is reported by the checker as not a mapping
        return None, _listed(problems, max_problems, complete=True)
    checker.root = root
    try:
        dataset = checker.run()
        if dataset is not None and not problems and not checker.problems:
            for check in checks:  # checks of the layers above (the views' settings), located like ours
                for loc, message in check(dataset):
                    checker.at(loc, message)
        if sources is not None and dataset is not None:
            checker.check_sources(dataset, Path(sources))
    except TooManyProblems:
        return None, _listed(problems + checker.problems, max_problems, complete=False)
    listed = _listed(problems + checker.problems, max_problems, complete=True)
    return (dataset if not listed else None), listed


def load_dataset(path: str | Path | None = None, **kwargs: Any) -> Dataset:
    """Like ``check_dataset`` but raises ``DatasetError`` unless the file is entirely valid."""
    dataset, problems = check_dataset(path, **kwargs)
    if dataset is None:
        raise DatasetError(problems or [Problem(str(path), 1, 1, "the dataset is empty")])
    return dataset


def _raw_index(raw: Any) -> dict[Any, int]:
    """Position of each record in a raw section, by id (the first, if an id repeats)."""
    items = raw if isinstance(raw, list) else []
    index: dict[Any, int] = {}
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            index.setdefault(item["id"], i)
    return index


_UNREAD = object()  # _what's "look the record up in the file"; a record itself may be None (``- null``)


class _Checker:
    # A "did you mean" costs one string comparison per candidate. A hostile file may hold
    # thousands of unknown names against thousands of ids; past this many comparisons its
    # problems are still all reported, only without suggestions.
    SUGGESTION_BUDGET = 100_000

    def __init__(self, path: str, root: Any, budget: ProblemBudget | None = None) -> None:
        self.path = path
        self.root = root
        self.budget = budget or ProblemBudget(None)
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()
        # Records checked as the reader read them: section -> (its list, [(index, record)]).
        self.taken: dict[str, tuple[LocatedList, list[tuple[int, Any]]]] = {}
        self.raw_index: dict[str, dict[str, int]] = {}
        self._suggestions_left = self.SUGGESTION_BUDGET
        self.lexicon_refused = False

    # -- reporting ----------------------------------------------------------------
    def at(self, loc: tuple[Any, ...], message: str, at_key: bool = False) -> None:
        self._add(locate(self.root, loc, at_key), message)

    def _add(self, mark: Mark, message: str) -> None:
        """Record a problem once and spend it from the budget (which raises TooManyProblems past the limit)."""
        problem = Problem(self.path, *mark, message)
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)
            self.budget.spend()

    def _what(self, section: str, index: int, item: Any = _UNREAD) -> str:
        """How a message names a record: by its id, else by its place; ``item`` when the file is still being read."""
        if item is _UNREAD:
            raw = self.root.get(section)
            item = raw[index] if isinstance(raw, list) and index < len(raw) else None
        ident = item.get("id") if isinstance(item, dict) else None
        singular = {"categories": "category", "framing": "framing", "lexicon": "lexicon entry", "facts": "fact"}.get(
            section, section.rstrip("s")
        )
        return f"{singular} {ident}" if isinstance(ident, str) else f"{section}[{index}]"

    def take_record(self, section: str, raw: LocatedList, index: int, item: Any, mark: Mark) -> None:
        """Check one record of a section as soon as the reader has read it (``read_yaml``'s ``on_item``)."""
        entry = s.SECTIONS.get(section)
        if entry is None or section == "lexicon":  # the lexicon's size decides first whether it is read at all
            return
        taken = self.taken.get(section)
        if taken is None or taken[0] is not raw:
            taken = self.taken[section] = (raw, [])
        record = self._check_record(section, entry[0], index, item, mark)
        if record is not None:
            taken[1].append((index, record))

    def _check_record(self, section: str, model: type[s.Record], index: int, item: Any, mark: Mark) -> Any:
        """The record ``item`` (at ``mark``, the ``index``-th of ``section``) as ``model``, or None if it fails."""
        try:
            return model.model_validate(item)
        except ValidationError as err:
            for e in err.errors(include_url=False):
                loc = (index, *e["loc"])
                where = self._what(section, index, item) + ": "
                fld = "".join(f"[{x + 1}]" if isinstance(x, int) else f".{x}" for x in loc[1:]).lstrip(".")
                kind = e["type"]
                if kind == "missing":
                    at, at_key, message = loc[1:-1], False, f"{where}missing required field '{loc[-1]}'"
                elif kind == "extra_forbidden":
                    inner = self._model_at(model, loc[1:-1])
                    at, at_key = loc[1:], True
                    message = f"{where}unknown field '{loc[-1]}'{self._suggest(str(loc[-1]), inner)}"
                else:
                    msg = e["msg"].removeprefix("Value error, ")
                    at, at_key, message = loc[1:], False, f"{where}{fld}: {msg}" if fld else f"{where}{msg}"
                # Located within the record, so that this works before the rest of the file is read.
                self._add(locate(item, at, at_key, start=mark), message)
            return None

    def _closest(self, value: str, candidates: list[str]) -> str | None:
        """The candidate most like ``value``, while the suggestion budget lasts."""
        if len(value) > 100 or len(candidates) > self._suggestions_left:
            return None
        self._suggestions_left -= len(candidates)
        close = difflib.get_close_matches(value, candidates, n=1)
        return close[0] if close else None

    @staticmethod
    def _model_at(model: type[s.Record] | None, loc: tuple[Any, ...]) -> type[s.Record] | None:
        """The record model at ``loc`` inside ``model`` (a path's step, say), so a misspelt field is matched there."""
        for part in loc:
            if model is None or isinstance(part, int):
                continue
            field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
            inner = [field.annotation, *get_args(field.annotation)] if field else []
            model = next((t for t in inner if isinstance(t, type) and issubclass(t, s.Record)), None)
        return model

    def _suggest(self, name: str, model: type[s.Record] | None) -> str:
        if model is None:
            return ""
        fields = [f.alias or n for n, f in model.model_fields.items()]
        close = self._closest(name, fields)
        return f" (did you mean '{close}'?)" if close else f"; expected one of: {', '.join(fields)}"

    # -- the checks ---------------------------------------------------------------
    def check_sources(self, dataset: Dataset, folder: Path) -> None:
        """Every quote must occur verbatim (after folding) in its article's text in ``folder``."""
        if not folder.is_dir():
            self.at((), f"--sources: {folder} is not a folder")
            return
        texts = {p.name: fold(p.read_text(encoding="utf-8", errors="replace")) for p in sorted(folder.glob("*.txt"))}
        if not texts:
            self.at((), f"--sources: no .txt files in {folder}")
            return
        articles = dataset.by_id("articles")
        index = {name: _raw_index(self.root.get(name)) for name in ("articles", "claims")}
        for claim in dataset.claims:
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

    def run(self) -> Dataset | None:
        root = self.root
        if not isinstance(root, LocatedDict):
            self.at((), "the file must be a mapping with sections such as 'meta', 'outlets' and 'claims'")
            return None
        known = {"schema_version", "meta", *s.SECTIONS}
        for key in root:
            if key not in known:
                close = self._closest(key, sorted(known))
                hint = f" (did you mean '{close}'?)" if close else ""
                self.at((key,), f"unknown section '{key}'{hint}", at_key=True)
        version = root.get("schema_version")
        if "schema_version" not in root:
            self.at((), "missing 'schema_version' (this reader understands version 1)")
        elif version != s.SCHEMA_VERSION or isinstance(version, bool):
            self.at(("schema_version",), f"schema_version {version!r} is not supported; expected {s.SCHEMA_VERSION}")

        meta = None
        if "meta" not in root:
            self.at((), "missing section 'meta'")
        else:
            try:
                meta = s.Meta.model_validate(root["meta"])
            except ValidationError as err:
                for e in err.errors(include_url=False):
                    loc = ("meta", *e["loc"])
                    if e["type"] == "missing":
                        self.at(loc[:-1], f"meta: missing required field '{loc[-1]}'")
                    elif e["type"] == "extra_forbidden":
                        self.at(loc, f"meta: unknown field '{loc[-1]}'{self._suggest(str(loc[-1]), s.Meta)}", True)
                    else:
                        fld = ".".join(["meta", *map(str, e["loc"])])
                        self.at(loc, f"{fld}: {e['msg'].removeprefix('Value error, ')}")

        records: dict[str, list[tuple[int, Any]]] = {}
        for section, (model, required) in s.SECTIONS.items():
            raw = root.get(section)
            if raw is None:
                if required:
                    self.at((), f"missing section '{section}'")
                records[section] = []
                continue
            if not isinstance(raw, LocatedList):
                self.at((section,), f"'{section}' must be a list of records")
                records[section] = []
                continue
            if section == "lexicon" and len(raw) > s.MAX_LEXICON_TERMS:
                # Every quote is matched against every term: past this, checking costs minutes, not seconds.
                self.at((section,), f"the lexicon has {len(raw):,} terms; at most {s.MAX_LEXICON_TERMS} are allowed")
                self.lexicon_refused = True  # claims' loaded_terms are then not checked against it
                records[section] = []
                continue
            taken = self.taken.get(section)
            if taken is not None and taken[0] is raw:  # checked while it was read
                records[section] = taken[1]
                continue
            # Not seen by the reader's hook: the lexicon, a list reached through an alias, a root built elsewhere.
            checked = (self._check_record(section, model, i, item, raw.item_marks[i]) for i, item in enumerate(raw))
            records[section] = [(i, r) for i, r in enumerate(checked) if r is not None]
        self._check_references(records)
        if meta is None:
            return None
        return Dataset(
            source=self.path,
            meta=meta,
            lexicon_entries=tuple(r for _, r in records["lexicon"]),
            **{name: tuple(r for _, r in records[name]) for name in s.SECTIONS if name != "lexicon"},
        )

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
        close = self._closest(value, list(table)) if len(table) <= self._suggestions_left else None
        hint = f" (did you mean '{close}'?)" if close else ""
        self.at(loc, f"{what}: unknown {kind} '{value}'{hint}")
        return False

    def _check_references(self, r: dict[str, list[tuple[int, Any]]]) -> None:
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

        for i, o in r["outlets"]:
            if o.id not in published:
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
            if a.source_file and a.id not in quoted:
                self.at(("articles", i, "source_file"), f"{what('articles', i)}: has a source text but no claims")
        for i, a in r["actors"]:
            self._ref(("actors", i, "camp"), a.camp, camps, "camp", what("actors", i))
        for i, e in r["events"]:
            self._ref(("events", i, "category"), e.category, categories, "category", what("events", i))
            for j, x in enumerate(e.actors):
                self._ref(("events", i, "actors", j), x, actors, "actor", what("events", i))
            if e.end is not None and e.end.last < e.date.first:
                self.at(("events", i, "end"), f"{what('events', i)}: ends ({e.end}) before it starts ({e.date})")
            if e.id not in reported:
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
