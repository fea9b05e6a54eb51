"""What a YAML value means: scalars by the YAML 1.2 core schema, and which tags are allowed.

Plain scalars that YAML 1.1 would read differently (``NO`` as false, ``2019-05-22``
as a date, ``1:20`` as 80) are reported: the same file must not mean different
things to different YAML readers. A tag may only restate a plain value (``!!str``,
``!!int``, ``!!map``...); one that would build a Python object is refused. This is
the reader's policy on values, kept apart from ``yaml_reader``'s event loop so that
each can be read (and changed) without the other.
"""

from __future__ import annotations

import re
from typing import Any

from dashboard.data.located import Mark

STD_TAG = "tag:yaml.org,2002:"

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+$")
_INT_OCT = re.compile(r"0o[0-7]+$")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF_NAN = {
    ".inf": float("inf"),
    ".Inf": float("inf"),
    ".INF": float("inf"),
    "+.inf": float("inf"),
    "+.Inf": float("inf"),
    "+.INF": float("inf"),
    "-.inf": float("-inf"),
    "-.Inf": float("-inf"),
    "-.INF": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
    ".NAN": float("nan"),
}
# What YAML 1.1 readers (PyYAML's own loaders among them) would turn into
# something other than the string the author probably meant.
_YAML11_BOOL = frozenset(
    w for base in ("yes", "no", "on", "off", "y", "n") for w in (base, base.capitalize(), base.upper())
)
_YAML11_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$")
_YAML11_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
# Digits, then the first underscore: "[0-9_]*_[0-9_]*" would try every underscore and take seconds on one long value.
_YAML11_NUMBER = re.compile(r"[-+]?(0b[01_]+|0[0-7_]+|[0-9]+_[0-9_]*(\.[0-9_]*)?)$")
# Python refuses to turn longer digit strings into an int (sys.get_int_max_str_digits, at least 640).
_MAX_INT_DIGITS = 640


def resolve_plain(value: str, mark: Mark, problems: list[tuple[Mark, str]]) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        if len(value.lstrip("+-")) > 1 and value.lstrip("+-").startswith("0"):
            problems.append((mark, f"ambiguous number {value!r}: YAML 1.1 reads a leading 0 as octal; quote it"))
            return value
        if len(value) > _MAX_INT_DIGITS:
            problems.append((mark, f"a number of {len(value):,} digits is too long; quote it if it is text"))
            return value
        return int(value)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if value in _INF_NAN:
        return _INF_NAN[value]
    if value in _YAML11_BOOL:
        problems.append(
            (mark, f'ambiguous value {value}: YAML 1.1 reads it as a boolean; quote it ("{value}") or write true/false')
        )
    elif _YAML11_TIMESTAMP.match(value):
        problems.append((mark, f'unquoted date {value}: YAML reads it as a date object; quote it ("{value}")'))
    elif _YAML11_SEXAGESIMAL.match(value):
        problems.append((mark, f'ambiguous value {value}: YAML 1.1 reads it as a base-60 number; quote it ("{value}")'))
    elif _YAML11_NUMBER.match(value):
        problems.append((mark, f'ambiguous number {value}: YAML 1.1 reads it differently; quote it ("{value}")'))
    return value


def resolve_tagged(tag: str, value: str, mark: Mark, problems: list[tuple[Mark, str]]) -> Any:
    """Resolve a scalar with an explicit standard tag (``!!str`` and the like)."""
    kind = tag[len(STD_TAG) :]
    if kind == "str":
        return value
    resolved = resolve_plain(value, mark, [])
    expected = {"int": int, "float": (float, int), "bool": bool, "null": type(None)}.get(kind)
    if kind.startswith("python/"):
        problems.append((mark, f"tag !!{kind} would build a Python object; only plain YAML values are read"))
        return value
    if expected is None:
        problems.append((mark, f"tag !!{kind} is not allowed here; use plain values"))
        return value
    if not isinstance(resolved, expected) or (kind == "int" and isinstance(resolved, bool)):
        problems.append((mark, f"{value!r} is not a valid !!{kind}"))
        return value
    return float(resolved) if kind == "float" else resolved


def check_collection_tag(tag: str, plain: str, mark: Mark, problems: list[tuple[Mark, str]]) -> None:
    """Only ``!!map`` on a mapping and ``!!seq`` on a sequence say nothing beyond the plain value."""
    if not tag.startswith(STD_TAG):
        problems.append((mark, f"tag {tag} is not allowed; only plain YAML values are read"))
        return
    kind = tag[len(STD_TAG) :]
    if kind.startswith("python/"):
        problems.append((mark, f"tag !!{kind} would build a Python object; only plain YAML values are read"))
    elif kind != plain:
        problems.append((mark, f"tag !!{kind} is not allowed here; use plain values"))
