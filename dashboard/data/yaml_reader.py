"""Read untrusted YAML into plain Python values that remember where they came from.

The file is read from PyYAML's event stream, never through a constructor, so no
tag can build a Python object. One pass does everything: budgets (bytes,
nesting depth, aliases, items, time) are checked as events arrive, so a hostile
file is stopped before it costs much; every mapping and sequence keeps the
line and column of its keys and items (``located``), so later checks can point at
the offending node.

Scalars are resolved by the YAML 1.2 core schema, and plain scalars that YAML 1.1
would read differently are reported (``yaml_scalars``, the reader's policy on
values; this module is its event loop and its budgets).

A ``ProblemBudget`` shared with the checks above stops the reading once more
problems are found than anyone will read, and ``on_item`` hands each record of a
top-level list to those checks as soon as it is read, so a file of a million bad
records is refused after its first few hundred problems rather than after its
last record.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from dashboard.data.located import LocatedDict, LocatedList, Mark, Problem, ProblemBudget, TooManyProblems
from dashboard.data.yaml_scalars import STD_TAG, check_collection_tag, resolve_plain, resolve_tagged

try:  # libyaml's parser is several times faster; the pure one is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Budgets:
    """Limits on what one file may cost to read. The defaults suit a large dataset."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 32
    max_aliases: int = 1_000
    max_items: int = 5_000_000  # scalars + collections, aliases counted expanded
    max_seconds: float = 60.0


class _Found(list):
    """The reader's problems as ``(mark, message)``, each one spent from the budget as it is found."""

    __slots__ = ("budget",)

    def __init__(self, budget: ProblemBudget | None) -> None:
        super().__init__()
        self.budget = budget

    def append(self, item: tuple[Mark, str]) -> None:
        super().append(item)
        if self.budget is not None:
            self.budget.spend()


# Called with (section name, the section's list, index, item, item's mark) once each record is read.
ItemHook = Callable[[str, LocatedList, int, Any, Mark], None]


class BudgetExceeded(Exception):
    """Raised inside the reader to stop at once; turned into a Problem."""

    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


_DUPLICATE = object()
# Escapes like "\e[31m" in double-quoted strings would carry terminal control codes into
# messages and pages; tab and newline are the only control characters text needs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _mark(m: Any) -> Mark:
    return (m.line + 1, m.column + 1)


def _decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        head = data[: err.start]  # valid UTF-8 up to the bad byte, so columns count characters as elsewhere
        line = head.count(b"\n") + 1
        col = len(head[head.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        return None, Problem(path, line, col, f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8")


def read_yaml(
    data: bytes | str,
    path: str = "<input>",
    budgets: Budgets | None = None,
    *,
    problem_budget: ProblemBudget | None = None,
    on_item: ItemHook | None = None,
) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into LocatedDict/LocatedList/scalars.

    Returns the value (None when it could not be read at all) and every problem
    found. Never raises for bad input. Each problem is spent from
    ``problem_budget``; once it is exceeded (here or by ``on_item``, which is
    called with each item of each top-level list as soon as the item is read),
    reading stops and the value is None.
    """
    budgets = budgets or Budgets()
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > budgets.max_bytes:
        return None, [Problem(path, 1, 1, f"file is {size:,} bytes; the limit is {budgets.max_bytes:,}")]
    if isinstance(data, bytes):
        text, problem = _decode(data, path)
        if problem:
            return None, [problem]
    else:
        text = data
    assert text is not None
    if text.startswith("\ufeff"):
        text = text[1:]

    found = _Found(problem_budget)
    try:
        root = _build(text, budgets, found, on_item)
    except TooManyProblems:
        return None, [Problem(path, *m, msg) for m, msg in found]
    except BudgetExceeded as stop:
        return None, [Problem(path, *stop.mark, stop.message)]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = _mark(mark) if mark else (1, 1)
        what = " ".join(x for x in (err.context, err.problem) if x) or "malformed YAML"
        return None, [Problem(path, *where, f"malformed YAML: {what}")]
    except yaml.YAMLError as err:  # reader errors (control characters) carry a position too
        pos = getattr(err, "position", None)
        line, col = (1, 1)
        if pos is not None:
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return None, [Problem(path, line, col, f"malformed YAML: {getattr(err, 'reason', err)}")]
    except RecursionError:  # pragma: no cover - the depth budget stops this first
        return None, [Problem(path, 1, 1, "nesting is too deep")]
    return root, [Problem(path, *m, msg) for m, msg in found]


def _build(text: str, budgets: Budgets, found: list[tuple[Mark, str]], on_item: ItemHook | None = None) -> Any:
    """Turn the event stream into values; the explicit stack keeps deep input off Python's stack."""
    # The budget counts this thread's CPU time: a busy server must not reject a file that is only slow
    # because other visitors are being served at the same time. It includes on_item's checks of the
    # records (timing each one apart would cost more than the check: a clock read is a system call).
    started = time.thread_time()
    deadline = started + budgets.max_seconds
    anchors: dict[str, tuple[Any, int]] = {}
    # Each frame: [container, anchor, pending_key, pending_key_mark, size]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    items = 0
    aliases = 0

    def attach(value: Any, mark: Mark, size: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        frame[4] += size
        container = frame[0]
        if isinstance(container, LocatedList):
            container.append(value)
            container.item_marks.append(mark)
            # A record of a top-level section (not of one whose key repeats, which is not read over the first).
            if on_item is not None and len(stack) == 2 and isinstance(stack[0][2], str):
                on_item(stack[0][2], container, len(container) - 1, value, mark)
            return
        if frame[2] is None:  # this value is a key
            if isinstance(value, (LocatedDict, LocatedList)):
                found.append((mark, "a mapping key must be a plain value, not a mapping or list"))
                value = f"<invalid key at line {mark[0]}>"
            key = value if isinstance(value, str) else _key_text(value)
            if key == "<<":
                found.append((mark, "merge keys (<<) are not supported; write the fields out"))
            if key in container:
                first = container.key_marks[key]
                found.append((mark, f"duplicate key '{key}' (first at line {first[0]}); YAML would keep only the last"))
                key = _DUPLICATE  # reported; its value is not read over the first one
            frame[2] = key
            frame[3] = mark
            return
        key = frame[2]
        frame[2] = None
        if key is _DUPLICATE:
            return
        container[key] = value
        container.key_marks[key] = frame[3]
        container.value_marks[key] = mark

    for count, event in enumerate(yaml.parse(text, Loader=_Loader), 1):
        if count & 1023 == 0 and time.thread_time() > deadline:
            raise BudgetExceeded(
                _mark(event.start_mark), f"reading took longer than {budgets.max_seconds:g} s; stopped"
            )
        kind = type(event)
        if kind is yaml.ScalarEvent:
            items += 1
            mark = _mark(event.start_mark)
            tag = event.tag
            if tag and tag != "!" and not (event.implicit[0] or event.implicit[1]):
                if tag.startswith(STD_TAG):
                    value = resolve_tagged(tag, event.value, mark, found)
                else:
                    found.append((mark, f"tag {tag} is not allowed; only plain YAML values are read"))
                    value = event.value
            elif event.style or tag == "!":
                value = event.value  # quoted or block scalars are strings
            else:
                value = resolve_plain(event.value, mark, found)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            if isinstance(value, str) and _CONTROL.search(value):
                found.append((mark, "text contains a control character (such as an escape code); remove it"))
                value = _CONTROL.sub("", value)
            attach(value, mark, 1)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            items += 1
            mark = _mark(event.start_mark)
            if len(stack) >= budgets.max_depth:
                raise BudgetExceeded(mark, f"nesting is deeper than {budgets.max_depth} levels")
            if event.tag and not event.implicit:
                check_collection_tag(event.tag, "map" if kind is yaml.MappingStartEvent else "seq", mark, found)
            container = LocatedDict(mark) if kind is yaml.MappingStartEvent else LocatedList(mark)
            stack.append([container, event.anchor, None, None, 1])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            container, anchor, _, _, size = stack.pop()
            if anchor:
                anchors[anchor] = (container, size)
            attach(container, container.mark, size)
        elif kind is yaml.AliasEvent:
            mark = _mark(event.start_mark)
            aliases += 1
            if aliases > budgets.max_aliases:
                raise BudgetExceeded(mark, f"more than {budgets.max_aliases} aliases (*name)")
            if event.anchor not in anchors:
                found.append((mark, f"alias *{event.anchor} refers to no anchor defined before it"))
            value, size = anchors.get(event.anchor, (None, 1))
            items += size
            attach(value, mark, size)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise BudgetExceeded(_mark(event.start_mark), "more than one YAML document (---) in the file")
        if items > budgets.max_items:
            raise BudgetExceeded(
                _mark(event.start_mark), f"more than {budgets.max_items:,} values (aliases counted expanded)"
            )
    return root


def _key_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
