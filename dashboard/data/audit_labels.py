"""Audit check 1: a phrase coded as a label of an actor in one claim, found uncoded in another about it.

Label phrases are indexed by their first word and length, so each quote is
scanned once, word by word, whatever the number of claims and phrases: the check
stays linear at 50,000 claims. It is the audit's largest check and has matching
rules of its own (a leading article dropped, a phrase inside a longer name
skipped), hence a module of its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from dashboard.data.audit_quotes import Finding, norm, within
from dashboard.data.dataset import Dataset
from dashboard.data.text import fold

_TOKEN = re.compile(r"\w+")
_NOT_WORD = " \t\"'“”‘’([-–—…,.;:!?*"
_ARTICLE = re.compile(r"^(?:the|a|an) (?=\S)")
_NAME_GOES_ON = re.compile(r"[ -][A-Z]")  # the next word is capitalised: the phrase is part of a longer name


@lru_cache(maxsize=65_536)
def _bare(label: str) -> str:
    """A label as the label check compares it: normalised, from its first word, without a leading article
    ("the U.S." = "U.S."); so every phrase starts with a word to index it by."""
    return _ARTICLE.sub("", norm(label).lstrip(_NOT_WORD), count=1).lstrip(_NOT_WORD)


def _bounded(text: str, start: int, end: int) -> bool:
    """The lexicon's whole-word rule: no letter, digit or hyphen right before or after."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-")


def labels(d: Dataset) -> Iterator[Finding]:
    # Every label phrase, indexed by its first word and length: a quote is scanned once, word by word,
    # and at each word only one slice per distinct length is looked up, whatever the number of
    # claims and phrases (no claim-by-claim comparison).
    first_coded: dict[tuple[str, str], tuple[str, str]] = {}  # (actor, phrase) -> (claim, label as written)
    actors_of: dict[str, set[str]] = defaultdict(set)
    by_word: dict[str, set[int]] = defaultdict(set)  # first word -> lengths of the phrases it starts
    for c in d.claims:
        for actor, label in c.label_pairs():
            phrase = _bare(label)
            if not phrase:
                continue
            first_coded.setdefault((actor, phrase), (c.id, label))
            actors_of[phrase].add(actor)
            head = _TOKEN.match(phrase)
            if head:  # a phrase of punctuation alone names no one
                by_word[head.group()].add(len(phrase))
    actor_ids = set(d.by_id("actors"))
    for i, c in enumerate(d.claims):
        about = {*c.actors, c.speaker} & actor_ids
        if not about:
            continue
        shown = fold(c.quote)
        text = shown.lower()
        capitals = len(shown) == len(text)  # lower() kept every offset, so case can be read at them
        note = norm(c.note or "")
        coded: list[tuple[int, int]] = []  # where this claim's labels (for any actor) stand
        for _, label in c.label_pairs():
            phrase = _bare(label)
            if not phrase:
                continue
            start = text.find(phrase)
            while start >= 0:
                coded.append((start, start + len(phrase)))
                start = text.find(phrase, start + 1)
        found: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for start, phrase in _occurrences(text, by_word, actors_of):
            end = start + len(phrase)
            if within(start, end, coded) or phrase in note:
                continue
            if capitals and _NAME_GOES_ON.match(shown, end):  # "Washington" in "The Washington Post"
                continue
            for actor in actors_of[phrase] & about:
                found[actor].append((start, end, phrase))
        for actor, hits in sorted(found.items()):
            reported: set[str] = set()
            reach = -1  # the furthest end of the hits starting at or before this one
            # Only the longest uncoded phrase: "Guaidó" inside an uncoded "Juan Guaidó" is one finding.
            # Sorted by start, longest first, a hit lies inside another exactly when an earlier one reaches
            # as far: one sweep, however many times a long quote repeats a name.
            for _, end, phrase in sorted(hits, key=lambda h: (h[0], -h[1])):
                inside = reach >= end
                reach = max(reach, end)
                if inside or phrase in reported:
                    continue
                reported.add(phrase)
                other, label = first_coded[(actor, phrase)]
                loc = ("claims", i, "labels", actor) if actor in c.labels else ("claims", i, "quote")
                yield (
                    loc,
                    f"claim {c.id}: '{label}' is coded as a label of {actor} in claim {other} but not here, "
                    f"though this claim is about {actor}; add it to labels or say in the note why not",
                )


def _occurrences(text: str, by_word: dict[str, set[int]], phrases: dict[str, Any]) -> Iterator[tuple[int, str]]:
    for m in _TOKEN.finditer(text):
        start = m.start()
        for length in by_word.get(m.group(), ()):
            phrase = text[start : start + length]
            if phrase in phrases and _bounded(text, start, start + length):
                yield start, phrase
