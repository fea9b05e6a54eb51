"""Dates known to the day, the month or only the year, and never more precisely than that."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

Precision = Literal["day", "month", "year"]
_FORMAT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date written as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    ``first`` and ``last`` are the first and last day the date may stand for,
    so a month-precise date covers the whole month on a timeline.
    """

    first: dt.date
    last: dt.date
    precision: Precision

    @classmethod
    def parse(cls, text: Any) -> PartialDate:
        if isinstance(text, int) and not isinstance(text, bool):
            raise ValueError(f'write the year as a quoted string: "{text}"')
        if not isinstance(text, str):
            raise ValueError('expected a date string: "YYYY", "YYYY-MM" or "YYYY-MM-DD"')
        match = _FORMAT.match(text.strip())
        if not match:
            raise ValueError(f'{text!r} is not a date: write "YYYY", "YYYY-MM" or "YYYY-MM-DD"')
        year, month, day = match.groups()
        y = int(year)
        if y < 1000:
            raise ValueError(f"{text!r}: year {y} is out of range")
        if month is None:
            return cls(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
        m = int(month)
        if not 1 <= m <= 12:
            raise ValueError(f"{text!r}: there is no month {m}")
        days = calendar.monthrange(y, m)[1]
        if day is None:
            return cls(dt.date(y, m, 1), dt.date(y, m, days), "month")
        d = int(day)
        if not 1 <= d <= days:
            raise ValueError(f"{text!r}: {calendar.month_name[m]} {y} has {days} days")
        return cls(dt.date(y, m, d), dt.date(y, m, d), "day")

    @property
    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.first.year:04d}"
        if self.precision == "month":
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return self.first.isoformat()

    @property
    def label(self) -> str:
        """Readable, and no more precise than what is known: '22 May 2019', 'May 2019', '2019'."""
        if self.precision == "year":
            return str(self.first.year)
        if self.precision == "month":
            return f"{calendar.month_name[self.first.month]} {self.first.year}"
        return f"{self.first.day} {calendar.month_name[self.first.month]} {self.first.year}"

    def __str__(self) -> str:
        return self.iso

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda v: v if isinstance(v, cls) else cls.parse(v),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda v: v.iso),
        )


def span_label(start: PartialDate, end: PartialDate | None) -> str:
    """'May 2019', or '3–4 October 2022'-style ranges written plainly as 'start – end'."""
    return start.label if end is None or end == start else f"{start.label} – {end.label}"
