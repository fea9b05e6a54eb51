"""How the audit reads quoted text, and its two checks of quotation marks.

Every audit check compares text the same way (``norm``: folded and lower-cased)
and tells quoted words from the rest by the same rules (``quoted_spans``); those
rules live here with the two checks that are about quotation marks themselves:
check 2, a short quoted word in narration not listed in ``scare_quotes``, and
check 5, words quoted in a framing text or a position note that none of the
article's claims quote. Kept apart from ``audit`` (which runs the checks and
locates their findings) so each family of checks reads on its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from dashboard.data import schema as s
from dashboard.data.dataset import Dataset
from dashboard.data.text import fold, word_count

# What every check yields: (location in the file, message); ``audit`` locates and prefixes it.
Finding = tuple[tuple[Any, ...], str]

MAX_SCARE_QUOTE_WORDS = 4  # a longer quoted span in narration is a quotation, not a scare quote

# Double quotation marks: curly ones by direction (a claim cut from a longer sentence may hold one
# unpaired mark), straight ones in pairs; each kind may nest inside the other ("a “vote”").
_CURLY = re.compile(r"“([^“”\n]{1,400})”")
_STRAIGHT = re.compile(r'"([^"\n]{1,400})"')
# Single quotation marks, told from apostrophes: an opening mark follows no letter (not "Maduro's"),
# a closing one is followed by none.
_SINGLE = re.compile(r"(?<!\w)[‘'](?=\S)([^‘’'\n]|[‘’'](?=\w)){1,400}?(?<=\S)[’'](?!\w)")
EDGE = " \t,.;:!?…'\"“”‘’()"
_ELLIPSIS = re.compile(r"…|\.\.\.")


def norm(text: str) -> str:
    """Folded and lower-cased: how every comparison here sees text."""
    return fold(text).lower()


def quoted_spans(text: str, single: bool = True) -> list[tuple[int, int]]:
    """Spans of ``text`` inside quotation marks (the marks excluded), in order."""
    spans = [(m.start() + 1, m.end() - 1) for pattern in (_CURLY, _STRAIGHT) for m in pattern.finditer(text)]
    if single:
        inside = [(a - 1, b + 1) for a, b in spans]
        spans += [
            (m.start() + 1, m.end() - 1)
            for m in _SINGLE.finditer(text)
            if not any(a <= m.start() < b for a, b in inside)  # an apostrophe inside a double-quoted span
        ]
    return sorted(spans)


def within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


# -- 2. scare quotes ---------------------------------------------------------------------------
def scare_quotes(d: Dataset) -> Iterator[Finding]:
    for i, c in enumerate(d.claims):
        if c.kind != "narration":
            continue
        whole = norm(c.quote).strip(EDGE)
        listed = [norm(t) for t in c.scare_quotes]
        note = norm(c.note or "")
        for start, end in quoted_spans(c.quote, single=False):
            word = c.quote[start:end].strip(EDGE)
            key = norm(word)
            if not key or word_count(word) > MAX_SCARE_QUOTE_WORDS or key == whole:
                continue
            if any(re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", key) for t in listed):
                continue
            if key in note:  # the note explains why these marks are not a scare quote
                continue
            yield (
                ("claims", i, "quote"),
                f"claim {c.id}: the narration puts '{word}' in quotation marks, but it is not in scare_quotes; "
                "list it, or say in the note why the marks do not distance the text from the word",
            )


# -- 5. quoted words in framing texts and position notes ---------------------------------------
def quoted_words(d: Dataset) -> Iterator[Finding]:
    claims = d.by_id("claims")
    quotes: dict[str, list[str]] = defaultdict(list)
    for c in d.claims:
        quotes[c.article].append(norm(c.quote))
    # One text per article, claims kept apart so no quoted phrase is "found" across two claims.
    corpus = {article: "\x00".join(texts) for article, texts in quotes.items()}
    for i, f in enumerate(d.framing):
        for fn in s.FRAMING_FUNCTIONS:
            text = getattr(f, fn).text
            where = f"framing of {f.article}, {fn}"
            yield from _check_quotes(
                ("framing", i, fn, "text"), where, text, corpus.get(f.article, ""), "the article's"
            )
    for i, p in enumerate(d.positions):
        if p.note:
            arts = dict.fromkeys(claims[cid].article for cid in p.evidence if cid in claims)
            haystack = "\x00".join(corpus.get(a, "") for a in arts)
            where = f"position of {p.actor} on {p.issue} from {p.since}, note"
            yield from _check_quotes(("positions", i, "note"), where, p.note, haystack, "its evidence articles'")


def _check_quotes(loc: tuple[Any, ...], where: str, text: str, haystack: str, whose: str) -> Iterator[Finding]:
    for start, end in quoted_spans(text):
        for piece in _ELLIPSIS.split(text[start:end]):  # "collapse… under socialism": each part is checked
            words = norm(piece).strip(EDGE)
            if words and words not in haystack:
                yield loc, f"{where}: quotes '{piece.strip(EDGE)}', which is in none of {whose} claim quotes"
