"""Text folding and lexicon matching, shared by provenance checks, metrics and highlighting."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[\w][\w'’-]*")


def fold(text: str) -> str:
    """Curly quotes and apostrophes to straight ones, dashes to hyphens, whitespace runs to one space.

    Folding keeps the length of every character except whitespace runs, so it is
    used for comparing, not for slicing the original.
    """
    return _SPACES.sub(" ", text.translate(_FOLD)).strip()


def fold_keep_length(text: str) -> str:
    """Fold characters one-for-one (no whitespace collapsing), so offsets still fit the original."""
    return text.translate(_FOLD)


def _lower_keep_length(text: str) -> str:
    """Lower case, character for character: ``İ``, whose lower case is two characters, stays as it is."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Match:
    term: str  # the lexicon entry's term
    start: int
    end: int


class Lexicon:
    """Whole-word, case-insensitive matching of terms and their variants, applied identically to every text.

    An entry may name phrases (``not_in``) inside which its term is not counted: ``regime`` in
    ``regime change``. Each entry is ``(term, category, variants)`` or ``(term, category, variants, not_in)``.
    """

    def __init__(
        self, entries: Iterable[tuple[str, str, Iterable[str]] | tuple[str, str, Iterable[str], Iterable[str]]]
    ) -> None:
        self.category: dict[str, str] = {}
        self._term_of: dict[str, str] = {}
        # term -> a pattern finding, at each word start, the longest of its not_in phrases that stands there
        self._not_in: dict[str, re.Pattern[str]] = {}
        for term, category, variants, *rest in entries:
            self.category[term] = category
            for form in (term, *variants):
                self._term_of[_lower_keep_length(fold(form))] = term
            phrases = sorted({_lower_keep_length(fold(p)) for p in (rest[0] if rest else ())}, key=len, reverse=True)
            if phrases:
                # A lookahead, so phrases that overlap in the text are all found, one per start.
                alternatives = "|".join(re.escape(p) for p in phrases)
                self._not_in[term] = re.compile(r"(?<![\w-])(?=(" + alternatives + r")(?![\w-]))")
        forms = sorted(self._term_of, key=len, reverse=True)  # longest first, so phrases win over their words
        # Matched against lower-cased text, not with re.IGNORECASE: that also equates "ſ" with "s" and "ı"
        # with "i", and the matched text would then be no key of ``_term_of``.
        self._pattern = (
            re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])") if forms else None
        )

    @property
    def terms(self) -> list[str]:
        return list(self.category)

    def matches(self, text: str) -> list[Match]:
        """Every occurrence in ``text``, with offsets into ``text`` itself."""
        if self._pattern is None:
            return []
        folded = _lower_keep_length(fold_keep_length(text))
        if not self._not_in:
            return [Match(self._term_of[m.group(0)], m.start(), m.end()) for m in self._pattern.finditer(folded)]
        found: list[Match] = []
        spans: dict[str, tuple[list[int], list[int]]] = {}  # found on a term's first match, once per text
        for m in self._pattern.finditer(folded):
            term = self._term_of[m.group(0)]
            if term in self._not_in:
                if term not in spans:
                    spans[term] = self._phrase_spans(folded, self._not_in[term])
                starts, reach = spans[term]
                k = bisect_right(starts, m.start()) - 1
                if k >= 0 and reach[k] >= m.end():  # some phrase starting at or before the match ends after it
                    continue
            found.append(Match(term, m.start(), m.end()))
        return found

    @staticmethod
    def _phrase_spans(folded: str, phrases: re.Pattern[str]) -> tuple[list[int], list[int]]:
        """Starts of the phrases' occurrences in order, and the furthest end reached by each prefix of them.

        Found once per text and term, by one scan, so the cost does not grow with matches times phrases.
        """
        starts: list[int] = []
        ends: list[int] = []
        for m in phrases.finditer(folded):
            starts.append(m.start())
            ends.append(m.end(1))
        return starts, list(accumulate(ends, max))

    def terms_in(self, text: str) -> list[str]:
        """The distinct terms found, in order of first appearance."""
        return list(dict.fromkeys(m.term for m in self.matches(text)))


def find_scare_quote(text: str, term: str) -> tuple[int, int] | None:
    """Offsets of ``term`` where it stands inside quotation marks in ``text``, or None."""
    folded = fold_keep_length(text)
    # Spaces, punctuation, spaces: written so no run of spaces can be split two ways (which is quadratic).
    pattern = re.compile(r'"\s*(' + re.escape(fold(term)) + r')\s*(?:[,.;:!?]+\s*)?"', re.IGNORECASE)
    m = pattern.search(folded)
    if m:
        return m.start(1), m.end(1)
    # A quoted phrase that begins or ends with the term (“the socialist-led ... ”) counts too.
    m = re.search(r'"\s*(' + re.escape(fold(term)) + r")(?![\w-])", folded, re.IGNORECASE) or re.search(
        r"(?<![\w-])(" + re.escape(fold(term)) + r')[,.;:!?]*"', folded, re.IGNORECASE
    )
    return (m.start(1), m.end(1)) if m else None
