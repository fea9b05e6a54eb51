"""Audit check 3: positions against their evidence.

A start no evidence claim dates, a stance that begins after every evidence text
was published, an ``until`` nothing shows ending, a missing ``basis`` or one the
evidence's speakers do not have, and a full stance on reported evidence
(codebook section 5). These are the audit's only checks of dates, hence a module
of their own with the date helpers they share.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator

from dashboard.data import schema as s
from dashboard.data.audit_quotes import Finding
from dashboard.data.dataset import Dataset
from dashboard.data.dates import PartialDate


def positions(d: Dataset) -> Iterator[Finding]:
    claims = d.by_id("claims")
    articles = d.by_id("articles")
    events = d.by_id("events")
    starts: dict[tuple[str, str], list[dt.date]] = defaultdict(list)  # each actor and issue's starts, sorted
    for p in d.positions:
        starts[(p.actor, p.issue)].append(p.since.first)
    for days in starts.values():
        days.sort()
    for i, p in enumerate(d.positions):
        w = f"position of {p.actor} on {p.issue} from {p.since}"
        cited = [claims[cid] for cid in p.evidence if cid in claims]
        if len(cited) < len(p.evidence) or any(c.article not in articles for c in cited):
            continue  # not a valid dataset: the validator reports the unknown ids
        if p.basis is None:
            yield ("positions", i, "stance"), f"{w}: no basis coded (own_words, named_source, ...)"
        else:
            yield from _basis(i, p, w, [c.speaker for c in cited])

        # (a) The matrix, read by month, shows the stance from the month of `from`'s first day ("2022" from
        # January 2022); some evidence claim must date it in that month or before: through its article's
        # date, or the date of an event it reports.
        dated: list[tuple[dt.date, str]] = []
        for c in cited:
            when = [events[x].date.first for x in c.events if x in events]
            start = _earliest(articles[c.article])
            if start is not None:
                when.append(start)
            if when:
                dated.append((min(when), c.id))
        if not dated:
            yield (
                ("positions", i, "from"),
                f"{w}: no evidence claim can be dated (article dates unknown, no events tagged)",
            )
        elif _month(min(dated)[0]) > _month(p.since.first):
            day, cid = min(dated)
            yield (
                ("positions", i, "from"),
                f"{w}: the matrix shows this stance from {p.since.first:%B %Y}, but no evidence claim is dated "
                f"by then; the earliest is claim {cid}, dated {day.isoformat()} by its article or events; "
                "start 'from' there, or tag the event that dates the stance",
            )

        # A text cannot show a stance that begins after it was published (an unknown date may be later).
        published = [_latest(articles[c.article]) for c in cited]
        known = [day for day in published if day is not None]
        if known and len(known) == len(published) and max(known) < p.since.first:
            yield (
                ("positions", i, "from"),
                f"{w}: every evidence text was published before the stance begins (the latest on "
                f"{max(known)}); a text can only show a stance held by its own date",
            )

        # (b) An `until` says the texts show the stance ending: a later position takes over by the day
        # after, or an evidence claim comes from a text written after the end.
        if p.until is not None:
            after = p.until.last + dt.timedelta(days=1)
            days = starts[(p.actor, p.issue)]
            following = bisect_right(days, p.since.first)  # the first start after this one
            follows = following < len(days) and days[following] <= after
            later = any((_earliest(articles[c.article]) or dt.date.min) > p.until.last for c in cited)
            if not (follows or later):
                yield (
                    ("positions", i, "until"),
                    f"{w}: nothing shows the stance ending in {p.until}: no later position of {p.actor} on "
                    f"{p.issue} starts by {after.isoformat()}, and no evidence claim comes from a text dated "
                    "after it; drop 'until' or cite the text that shows the change",
                )


def _basis(i: int, p: s.Position, w: str, speakers: list[str]) -> Iterator[Finding]:
    """The basis follows the evidence's speakers, and caps the stance (codebook section 5)."""
    named = [x for x in speakers if x not in (s.NARRATION, s.UNNAMED)]
    backed = {
        "own_words": bool(named),  # the actor, or someone speaking in its name
        "named_source": any(x != p.actor for x in named),
        "characterisation": s.NARRATION in speakers,
        "unnamed_sources": s.UNNAMED in speakers or s.NARRATION in speakers,  # or narration restating them
    }
    need = {
        "own_words": "a claim spoken by an actor",
        "named_source": "a claim spoken by an actor other than " + p.actor,
        "characterisation": "a narration claim",
        "unnamed_sources": "an unnamed or narration claim",
    }
    if p.basis and not backed[p.basis]:
        yield ("positions", i, "basis"), f"{w}: basis {p.basis} needs {need[p.basis]} among the evidence"
    if p.basis in ("named_source", "unnamed_sources") and p.stance in ("supports", "opposes"):
        yield (
            ("positions", i, "stance"),
            f"{w}: '{p.stance}' on {p.basis}: a stance reported by others goes at most to "
            f"'{'leans_support' if p.stance == 'supports' else 'leans_against'}'",
        )


def _month(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def _latest(article: s.Article) -> dt.date | None:
    """The last day the article can have been published, or None if its date is unknown."""
    return article.date.last if isinstance(article.date, PartialDate) else None


def _earliest(article: s.Article) -> dt.date | None:
    """The first day the article can have been published: its date, else its ``not_before``."""
    if isinstance(article.date, PartialDate):
        return article.date.first
    return article.not_before.first if article.not_before else None
