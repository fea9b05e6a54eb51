"""A view's settings as URL query parameters: parse them leniently, write them back minimally.

Pure functions: the pages hand in ``st.query_params`` as a plain mapping. A
link with unknown or malformed values still opens, with those values ignored
and listed in ``notices`` so the page can say so.

Why not Streamlit's ``bind="query-params"``: it names the URL parameter after
the widget key, so page-scoped keys (``compare.outlets``) would rename every
link already shared (``/compare?outlets=…``), and two pages' widgets would
otherwise share one key, the very bug page-scoped keys remove; it writes lists
as repeated parameters where our links use commas; and it drops a value it
does not understand without a word, where a visitor must be told that part of
a shared link was ignored. Presenter steps also set every setting of a page
at once from a link. So links are read and written here, once per view, from
the same ``Param`` list that checks presenter steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["one", "many", "date", "text", "int"]
MAX_TEXT = 200  # a search box never needs more; longer values are cut, not trusted


@dataclass(frozen=True)
class Param:
    """One setting of a view: its URL name, its kind, the values it may take, and its default."""

    name: str  # in the URL
    kind: Kind
    default: Any = None
    choices: Sequence[str] | None = None  # for "one" and "many"
    lo: Any = None  # bounds for "date" and "int"
    hi: Any = None
    field: str = ""  # the settings field it fills, when not its URL name (``from`` is a Python keyword)

    def __post_init__(self) -> None:
        if not self.field:
            object.__setattr__(self, "field", self.name)


@dataclass
class Parsed:
    values: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def parse(params: Mapping[str, str | Sequence[str]], spec: Sequence[Param]) -> Parsed:
    """Values for every ``Param`` in ``spec`` by field (defaults where the URL has none or a bad one)."""
    out = Parsed()
    known = {p.name for p in spec}
    for name in params:
        if name not in known:
            out.notices.append(f"unknown setting “{_short(str(name))}”")
    for p in spec:
        raw = params.get(p.name)
        if raw is None:
            out.values[p.field] = p.default
            continue
        items = [raw] if isinstance(raw, str) else [str(x) for x in raw]
        value, bad = _convert(p, items)
        out.values[p.field] = p.default if value is None else value
        out.notices.extend(f"{p.name}: “{_short(b)}” is not a known value" for b in bad)
    return out


def _convert(p: Param, items: list[str]) -> tuple[Any, list[str]]:
    if p.kind == "many":
        choices = set(p.choices or ())
        wanted = [x for item in items for x in item.split(",") if x != ""]
        good = [x for x in dict.fromkeys(wanted) if x in choices]
        return good, [x for x in wanted if x not in choices]
    item = items[-1] if items else ""
    if p.kind == "one":
        return (item, []) if item in (p.choices or ()) else (None, [item])
    if p.kind == "text":
        return " ".join(item.split())[:MAX_TEXT], []
    if p.kind == "int":
        try:
            n = int(item)
        except ValueError:
            return None, [item]
        if (p.lo is not None and n < p.lo) or (p.hi is not None and n > p.hi):
            return None, [item]
        return n, []
    try:  # date
        d = dt.date.fromisoformat(item)
    except ValueError:
        return None, [item]
    if (p.lo is not None and d < p.lo) or (p.hi is not None and d > p.hi):
        return None, [item]
    return d, []


def encode(values: Mapping[str, Any], spec: Sequence[Param]) -> dict[str, str | list[str]]:
    """Query parameters for ``values``, leaving out every setting that is at its default."""
    out: dict[str, str | list[str]] = {}
    for p in spec:
        value = values.get(p.field, p.default)
        if value is None or value == p.default:
            continue
        if p.kind == "many":
            if list(value) == list(p.default or []):
                continue
            out[p.name] = ",".join(value) if value else ""
        elif p.kind == "date":
            out[p.name] = value.isoformat()
        else:
            out[p.name] = str(value)
    return out
