"""The checks of one record at a time, and of the file's shape: sections, schema version, meta.

``_Checker`` holds the state of one check: the problems found so far, the
budget they spend from, the records already checked while the reader was still
reading (``take_record`` is ``read_yaml``'s ``on_item``), and the budget of "did
you mean" suggestions. Each record is validated against its pydantic model and
every validation error is turned into a located message; ``run`` then checks the
file's sections and hands the records that passed to the cross-checks
(``references``, mixed in) before returning them. It knows nothing of ``Dataset``:
``dataset.check_dataset`` drives it and builds the dataset from what it returns.
"""

from __future__ import annotations

import difflib
from typing import Any, get_args

from pydantic import ValidationError

from dashboard.data import schema as s
from dashboard.data.located import LocatedDict, LocatedList, Mark, Problem, ProblemBudget, locate
from dashboard.data.references import _CrossChecks

# What ``run`` returns: the meta record, and each section's records that passed their checks, in file order.
Checked = tuple[s.Meta, dict[str, tuple[Any, ...]]]

_UNREAD = object()  # _what's "look the record up in the file"; a record itself may be None (``- null``)


class _Checker(_CrossChecks):
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
        # Records refused by their own checks: section -> id -> the index in ``problems`` of their first problem.
        # A reference to one of them is not reported again: it is counted under that cause (``references``).
        self.rejected: dict[str, dict[str, int]] = {}
        self.rejected_items: dict[str, dict[str, dict]] = {}  # and the records themselves, as read

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
            first = len(self.problems)
            errors = err.errors(include_url=False)
            # A misspelt field is one mistake: its "did you mean" names the required field it stands for,
            # and that field is not reported missing as well.
            meant = {
                str(e["loc"][-1]): self._suggest(str(e["loc"][-1]), self._model_at(model, e["loc"][:-1]))
                for e in errors
                if e["type"] == "extra_forbidden"
            }
            for e in errors:
                loc = (index, *e["loc"])
                where = self._what(section, index, item) + ": "
                fld = "".join(f"[{x + 1}]" if isinstance(x, int) else f".{x}" for x in loc[1:]).lstrip(".")
                kind = e["type"]
                if kind == "missing":
                    if any(hint == f" (did you mean '{loc[-1]}'?)" for hint in meant.values()):
                        continue
                    at, at_key, message = loc[1:-1], False, f"{where}missing required field '{loc[-1]}'"
                elif kind == "extra_forbidden":
                    at, at_key = loc[1:], True
                    message = f"{where}unknown field '{loc[-1]}'{meant[str(loc[-1])]}"
                else:
                    msg = e["msg"].removeprefix("Value error, ")
                    at, at_key, message = loc[1:], False, f"{where}{fld}: {msg}" if fld else f"{where}{msg}"
                # Located within the record, so that this works before the rest of the file is read.
                self._add(locate(item, at, at_key, start=mark), message)
            if isinstance(item, dict) and len(self.problems) > first:
                misspelt = [k for k, hint in meant.items() if hint == " (did you mean 'id'?)" and k in item]
                ident = item.get("id", item[misspelt[0]] if misspelt else None)  # its id, maybe under a misspelt key
                if isinstance(ident, str) and ident not in self.rejected.get(section, {}):
                    self.rejected.setdefault(section, {})[ident] = first
                    self.rejected_items.setdefault(section, {})[ident] = item
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

    # -- the file's shape -----------------------------------------------------------
    def run(self) -> Checked | None:
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
        return meta, {name: tuple(r for _, r in records[name]) for name in s.SECTIONS}
