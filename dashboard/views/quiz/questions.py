"""The "guess the outlet" quiz: excerpts chosen and masked the same way for every outlet.

A quiz is a pure function of the dataset and a seed, so the same link gives the
same questions on the projector and on every student's phone.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import pandas as pd

from dashboard.data.frames import Tables
from dashboard.data.text import fold, fold_keep_length

MASK = "[name hidden]"
ELLIPSIS = "…"
# A sentence ends with . ! ? or … and maybe a closing quotation mark or bracket after it.
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_TRAILING = re.compile(r"[\s,;:–—-]+$")
MIN_WORDS, MAX_WORDS = 12, 70
PER_OUTLET = 2


@dataclass(frozen=True)
class Question:
    number: int  # 1-based
    claim: str
    outlet: str  # the answer
    excerpt: str  # the quote with giveaway names masked, marked with "…" where it is not a whole sentence


def giveaway_terms(tables: Tables) -> list[str]:
    """Names that would give an outlet away: every outlet's name and aliases, and every article's writers."""
    terms: set[str] = set()
    for name, aliases in zip(tables.outlets["name"], tables.outlets["aliases"], strict=True):
        terms.update([name, *aliases])
    for authors in tables.articles["authors"]:
        if authors != "unknown":
            for author in authors.split(", "):
                terms.add(author)
                terms.add(author.split()[-1])  # "Martel" alone gives it away too
    return sorted((t for t in terms if len(t) > 2), key=len, reverse=True)


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(fold(t)) for t in terms) + r")(?![\w])", re.IGNORECASE)


def mask(text: str, terms: list[str]) -> str:
    """``text`` with every giveaway term replaced by ``MASK`` (matched across curly/straight quotes)."""
    pattern = _pattern(terms)
    if pattern is None:
        return text
    folded = fold_keep_length(text)
    out, last = [], 0
    for m in pattern.finditer(folded):
        out.append(text[last : m.start()])
        out.append(MASK)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def as_excerpt(quote: str, masked: str | None = None) -> str:
    """``masked`` (the quote, masked) as a reader can take it: a whole sentence as it is, else marked with "…"
    where it starts or stops mid-sentence. A quote starts mid-sentence when its first letter is lower case
    ("and are accused …"), and stops there unless it ends as a sentence does ("…, told Reuters," does not)."""
    text = (quote if masked is None else masked).strip()
    first = next((c for c in quote if c.isalnum()), "")
    if first.islower():
        text = f"{ELLIPSIS} {text}"
    if not _ENDS_SENTENCE.search(quote.strip()):
        text = f"{_TRAILING.sub('', text)} {ELLIPSIS}"
    return text


def candidates(tables: Tables) -> pd.DataFrame:
    """Claims fit to be asked: long enough to judge, short enough to read aloud, and naming no outlet or writer.

    Excerpts that carry a framing cue (a label, loaded term or scare quote) come first, so an attentive
    reader has something to go on; an outlet with none still gets plain excerpts.
    """
    claims = tables.claims
    pattern = _pattern(giveaway_terms(tables))
    fits = claims["words"].between(MIN_WORDS, MAX_WORDS)
    if pattern is not None:
        fits &= ~claims["quote"].map(lambda q: bool(pattern.search(fold_keep_length(q)))).astype(bool)
    chosen = claims[fits].copy()
    chosen["cues"] = chosen["label_texts"].map(len) + chosen["loaded_hits"] + chosen["scare_quotes"].map(len)
    return chosen.sort_values("claim")


def build_quiz(
    tables: Tables,
    seed: int,
    per_outlet: int = PER_OUTLET,
    pool: pd.DataFrame | None = None,
    terms: list[str] | None = None,
) -> list[Question]:
    """``per_outlet`` questions for every outlet with text, in an order shuffled by ``seed``.

    ``pool`` and ``terms`` (``candidates`` and ``giveaway_terms`` of the same tables) may be passed
    in when they are kept with the dataset; they depend on the data only, not on the seed.
    """
    rng = random.Random(seed)
    pool = candidates(tables) if pool is None else pool
    terms = giveaway_terms(tables) if terms is None else terms
    picked: list[tuple[str, str, str]] = []
    for outlet in sorted(set(tables.claims["outlet"])):
        mine = pool[pool["outlet"] == outlet]
        cued = mine[mine["cues"] > 0]
        source = cued if len(cued) >= per_outlet else mine
        ids = list(source["claim"])
        for claim_id in rng.sample(ids, min(per_outlet, len(ids))):
            quote = source.loc[source["claim"] == claim_id, "quote"].iloc[0]
            picked.append((claim_id, outlet, as_excerpt(quote, mask(quote, terms))))
    rng.shuffle(picked)
    return [Question(i + 1, c, o, e) for i, (c, o, e) in enumerate(picked)]


def score(answers: dict[int, str], questions: list[Question]) -> tuple[int, int]:
    """(right, wrong) among the questions answered so far."""
    by_number = {q.number: q.outlet for q in questions}
    right = sum(1 for n, a in answers.items() if by_number.get(n) == a)
    return right, sum(1 for n in answers if n in by_number) - right
