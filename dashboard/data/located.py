"""Where a problem is, and how many problems one check may report: the vocabulary of every check.

The reader builds ``LocatedDict`` and ``LocatedList`` values that remember the line
and column of each key and item; ``locate`` walks them back to a position, and a
``Problem`` is a message at that position. A ``ProblemBudget`` is shared by every
stage of one check (the reader, the record checks, the cross-references). They
are kept apart from the reader because every later stage (the checks, the audit,
the validator and the app's problem page) uses them without needing to know how
YAML is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\x85": "\\x85", "\u2028": "\\u2028", "\u2029": "\\u2029"})


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        # One problem, one line: a key or value quoted in the message (or a file name) may hold a line break.
        return f"{self.path}:{self.line}:{self.col}: {self.message}".translate(_LINE_BREAKS)


Mark = tuple[int, int]  # 1-based (line, column)


class LocatedDict(dict):
    """A mapping that knows where it and each of its keys and values start."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}


class LocatedList(list):
    """A sequence that knows where it and each of its items start."""

    __slots__ = ("item_marks", "mark")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []


def locate(root: Any, loc: tuple[Any, ...], at_key: bool = False, start: Mark | None = None) -> Mark:
    """The position of the node at ``loc`` (keys and indexes), or of its nearest existing parent.

    With ``at_key``, point at the last key itself rather than its value (for
    unknown fields). ``start`` is where ``root`` itself is (by default its own
    mark), for a node reached through an alias or a scalar.
    """
    node = root
    mark: Mark = start if start is not None else getattr(root, "mark", (1, 1))
    for i, step in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, LocatedDict) and isinstance(step, str) and step in node:
            mark = node.key_marks[step] if (last and at_key) else node.value_marks[step]
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and 0 <= step < len(node):
            mark = node.item_marks[step]
            node = node[step]
        else:
            break
    return mark


class TooManyProblems(Exception):
    """Raised by ``ProblemBudget.spend`` once the limit is passed; whoever started the check catches it."""


class ProblemBudget:
    """How many problems one check may find before every stage of it stops looking for more.

    The stages (the reader, the record checks, the cross-references) spend from
    one budget; ``spend`` raises ``TooManyProblems`` at the first problem past the
    limit, so whoever stops knows that at least one more problem exists.
    """

    __slots__ = ("limit", "spent")

    def __init__(self, limit: int | None) -> None:
        self.limit = limit  # None: no limit
        self.spent = 0

    @property
    def exceeded(self) -> bool:
        return self.limit is not None and self.spent > self.limit

    def spend(self) -> None:
        self.spent += 1
        if self.limit is not None and self.spent > self.limit:
            raise TooManyProblems
