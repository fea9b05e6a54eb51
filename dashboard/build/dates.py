"""Dates in an article's text: absolute ones parsed, relative ones resolved from the article's own date.

Each relative expression is resolved by a rule a reader can state, and keeps the precision the
words give (codebook section 2): a weekday is a day, "last week" a month when the whole week lies
in one month (else the year), "last month" a month, "in March" a month, "last year" a year.
A weekday or a month named without a year is the latest one on or before the article's date (news
reports what has happened), unless its clause, before the date's words, speaks of what is to come
("will", "is expected", "takes effect", "next"): then it is the next one on or after it. "every
Sunday" is no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WD = "|".join(WEEKDAYS)
_MO = "|".join(m.capitalize() for m in MONTHS)
# Ordered: the longer phrases first, so "last week" is not read as a bare "week".
_RELATIVE = re.compile(
    rf"\b(?:(?P<wd_dir>last|next|this|on)\s+)?(?P<wd>{_WD.title()}|{_WD})\b"
    rf"|\b(?P<span_dir>last|this|next|earlier this|later this)\s+(?P<span>week|month|year)\b"
    rf"|\b(?P<day_word>yesterday|today|tomorrow)\b"
    rf"|\b(?:in|since|until|by|from|early|late|mid-|of)\s*(?P<month>{_MO})\b(?!\s+\d)(?!,?\s+\d{{4}})"
    rf"|\b(?P<md_month>{_MO})\s+(?P<md_day>\d{{1,2}})\b(?!,?\s+\d{{4}})(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RelativeDate:
    words: str  # the words it came from, as written
    start: int  # offsets of those words in the text
    end: int
    value: str  # partial ISO date
    rule: str  # which rule resolved it


def parse_partial(value: str | None) -> date | None:
    """The first day a partial ISO date can mean ('2024' → 1 January), or None."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", value)
    if not m:
        return None
    year, month, day = m.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def precision(value: str | None) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(value or ""), "none")


def relative_dates(text: str, article_date: str | None) -> list[RelativeDate]:
    """Relative dates in ``text`` resolved from ``article_date``; none when the article's day, or for
    a month word its month, is not known."""
    base = parse_partial(article_date)
    if base is None:
        return []
    exact = precision(article_date)
    found: list[RelativeDate] = []
    for m in _RELATIVE.finditer(text):
        if _RECURRING.search(text[max(0, m.start() - 12) : m.start()]):
            continue  # "every Sunday", "each March": a habit, not a date
        resolved = _resolve(m, base, exact, ahead=bool(_FUTURE.search(_clause_before(text, m.start()))))
        if resolved is not None:
            value, rule = resolved
            found.append(RelativeDate(m.group(0), m.start(), m.end(), value, rule))
    return found


# Words that make a sentence speak of what is to come: its weekday or month is the next one, not the last.
_FUTURE = re.compile(
    r"(?<![\w’'-])(?:will|won[’']t|shall|is\s+(?:expected|due|scheduled|set)|are\s+(?:expected|due|scheduled|set)|"
    r"takes?\s+effect|plans?\s+to|upcoming|next)(?![\w’'-])",
    re.IGNORECASE,
)
_RECURRING = re.compile(r"(?<![\w-])(?:every|each)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _clause_before(text: str, at: int) -> str:
    """The words of the clause before offset ``at``: back to the last punctuation or line break."""
    start = max(text.rfind(mark, 0, at) for mark in ".,;:!?\n")
    return text[start + 1 : at]


def _resolve(m: re.Match[str], base: date, exact: str, ahead: bool = False) -> tuple[str, str] | None:
    if m.group("wd"):
        if exact != "day":
            return None
        if m.group("wd")[0].islower() and not m.group("wd_dir"):
            return None  # "friday" in lower case without "on" is not a day's name in running text
        target = WEEKDAYS.index(m.group("wd").lower())
        direction = (m.group("wd_dir") or "").lower()
        if direction == "next":
            ahead = (target - base.weekday()) % 7 or 7
            return (base + timedelta(days=ahead)).isoformat(), "weekday-next"
        if ahead and direction != "last":
            return (base + timedelta(days=(target - base.weekday()) % 7)).isoformat(), "weekday-ahead"
        back = (base.weekday() - target) % 7
        if direction == "last" and back == 0:
            back = 7
        return (base - timedelta(days=back)).isoformat(), "weekday-latest"
    if m.group("span"):
        span, direction = m.group("span").lower(), m.group("span_dir").lower()
        step = {"last": -1, "next": 1}.get(direction, 0)
        if span == "year":
            return str(base.year + step), f"{direction.replace(' ', '-')}-year"
        if span == "month":
            if exact == "year":
                return None
            month0 = base.year * 12 + base.month - 1 + step
            return f"{month0 // 12:04d}-{month0 % 12 + 1:02d}", f"{direction.replace(' ', '-')}-month"
        if exact != "day":
            return None
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        sunday = monday + timedelta(days=6)
        if monday.month == sunday.month:
            return f"{monday.year:04d}-{monday.month:02d}", f"{direction.replace(' ', '-')}-week"
        if monday.year == sunday.year:
            return str(monday.year), f"{direction.replace(' ', '-')}-week"
        return None
    if m.group("day_word"):
        if exact != "day":
            return None
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group("day_word").lower()]
        return (base + timedelta(days=shift)).isoformat(), m.group("day_word").lower()
    if m.group("month"):
        if exact == "year":
            return None
        month = MONTHS.index(m.group("month").lower()) + 1
        if ahead:
            year = base.year if month >= base.month else base.year + 1
            return f"{year:04d}-{month:02d}", "month-ahead"
        year = base.year if month <= base.month else base.year - 1
        return f"{year:04d}-{month:02d}", "month-latest"
    if m.group("md_month"):
        if exact == "year":
            return None
        month = MONTHS.index(m.group("md_month").lower()) + 1
        day = int(m.group("md_day"))
        if ahead:
            year = base.year if (month, day) >= (base.month, base.day) else base.year + 1
        else:
            year = base.year if (month, day) <= (base.month, base.day) else base.year - 1
        try:
            return date(year, month, day).isoformat(), "month-day-latest"
        except ValueError:
            return None
    return None


@lru_cache(maxsize=256)
def parse_absolute(line: str) -> str | None:
    """A written date such as "March 2, 2024" or "2 March 2024" as partial ISO (dateparser), or None."""
    import dateparser

    settings = {"STRICT_PARSING": False, "REQUIRE_PARTS": ["year"], "PREFER_DAY_OF_MONTH": "first"}
    try:
        parsed = dateparser.parse(line, languages=["en"], settings=settings)
    except Exception:
        return None
    if parsed is None:
        return None
    has_day = bool(re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", re.sub(r"\d{4}", "", line)))
    has_month = has_day or bool(re.search("|".join(MONTHS), line.lower())) or bool(re.search(r"\d{4}-\d{2}", line))
    if has_day:
        return parsed.date().isoformat()
    if has_month:
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return f"{parsed.year:04d}"
