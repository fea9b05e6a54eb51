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

This module drives the check and owns its results; the checks themselves are in
``checks`` (one record at a time, and the file's sections) and ``references``
(across records, and quotes against their texts).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from dashboard.data import schema as s
from dashboard.data.checks import _Checker
from dashboard.data.located import Problem, ProblemBudget, TooManyProblems
from dashboard.data.text import Lexicon
from dashboard.data.yaml_reader import Budgets, read_yaml

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data" / "events.yaml"
DATA_ENV = "DASHBOARD_DATA"


T = TypeVar("T")

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
    # What the layers above derive from the records (the frames), kept with them: an upload's worker
    # builds it and the server receives it with the dataset. Not an init field: a copy starts empty.
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in _INDEXED:
            self._index[name] = {r.id: r for r in getattr(self, name)}

    def by_id(self, section: str) -> dict[str, Any]:
        return self._index[section]

    @cached_property
    def lexicon(self) -> Lexicon:
        return Lexicon((e.term, e.category, e.variants, e.not_in) for e in self.lexicon_entries)

    def derived(self, name: str, build: Callable[[Dataset], T]) -> T:
        """``build(self)``, built once under ``name`` however many checks and views ask for it.

        The layers above keep what they derive here (``frames.tables_of``), so this module
        needs to know none of them.
        """
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

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
        checked = checker.run()
        dataset = _dataset(shown, *checked) if checked is not None else None
        if dataset is not None and not problems and not checker.problems:
            for check in checks:  # checks of the layers above (the views' settings), located like ours
                for loc, message in check(dataset):
                    checker.at(loc, message)
        if sources is not None and dataset is not None:
            checker.check_sources(dataset.by_id("articles"), dataset.claims, Path(sources))
    except TooManyProblems:
        return None, _listed(problems + checker.problems, max_problems, complete=False)
    listed = _listed(problems + checker.problems, max_problems, complete=True)
    return (dataset if not listed else None), listed


def _dataset(source: str, meta: s.Meta, records: dict[str, tuple[Any, ...]]) -> Dataset:
    """The dataset of the records that passed their checks; the lexicon's are its ``lexicon_entries``."""
    return Dataset(
        source=source,
        meta=meta,
        lexicon_entries=records["lexicon"],
        **{name: found for name, found in records.items() if name != "lexicon"},
    )


def load_dataset(path: str | Path | None = None, **kwargs: Any) -> Dataset:
    """Like ``check_dataset`` but raises ``DatasetError`` unless the file is entirely valid."""
    dataset, problems = check_dataset(path, **kwargs)
    if dataset is None:
        raise DatasetError(problems or [Problem(str(path), 1, 1, "the dataset is empty")])
    return dataset
