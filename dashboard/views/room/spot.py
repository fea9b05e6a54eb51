"""“Spot the framing”: which excerpts a class marks, and the codebook's reading of each (no Streamlit).

A question is one claim's whole quote, 20 to 60 words, cut into the words a phone shows as buttons
(a word keeps the punctuation around it, so the row reads as the sentence). The codebook's reading
is worked out from the claim's codes with the same matchers the validator uses: its loaded terms
(the lexicon), its labels (each naming an actor; only the words beside the actor's own name count,
not its articles and possessives: a bare name frames nothing) and its scare quotes. Some questions
have none of these: a class must also learn to find nothing.

Which excerpts: those the dataset's prompts list under ``spot`` (the curated set), else every claim
of the right length. A seed draws a set from them the same way on every phone; a presenter step
whose prompt lists excerpts plays exactly those, in the prompt's order.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.data.dataset import Dataset
from dashboard.data.references import SPOT_WORDS
from dashboard.data.schema import Claim
from dashboard.data.text import find_scare_quote, fold, fold_keep_length, word_count

MIN_WORDS, MAX_WORDS = SPOT_WORDS
QUESTIONS = 8  # a seeded set: about ten minutes of a class
PLAIN_SHARE = 4  # one question in this many has no coded framing
MOST = 0.5  # "found by most": at least half of those who sent marks marked a word of it
MANY = 1 / 3  # "marked by many": at least a third of them marked an uncoded word
# Words of a label that name no one by a judgement: articles and possessives ("his associates" is coded
# by "associates"); the codebook counts no pronoun as a label.
_PLAIN = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your"}
_CHUNK = re.compile(r"\S+")
_HAS_WORD = re.compile(r"\w")

LOADED, LABEL, SCARE = "loaded term", "label", "scare quote"


@dataclass(frozen=True)
class Code:
    """One thing the codebook codes in an excerpt: what it is, which words carry it, and the rule."""

    kind: str  # LOADED, LABEL or SCARE
    text: str  # the words as the excerpt has them
    words: tuple[int, ...]  # positions of the words that carry it (a label: its words beside the name)
    rule: str  # the codebook's rule, in a sentence
    actor: str = ""  # a label's actor, by name


@dataclass(frozen=True)
class SpotQuestion:
    claim: str
    outlet: str  # the outlet's id (shown after Reveal)
    quote: str
    words: tuple[str, ...]  # what each button shows: a word with its punctuation
    codes: tuple[Code, ...]

    @property
    def coded(self) -> frozenset[int]:
        """Every word position some code covers."""
        return frozenset(w for c in self.codes for w in c.words)


def split_words(quote: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The quote's words as a phone shows them, and each one's span in the quote.

    A run of punctuation standing alone (a dash between spaces) joins the word before it.
    """
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _CHUNK.finditer(quote):
        if words and not _HAS_WORD.search(m.group(0)):
            start = spans[-1][0]
            spans[-1] = (start, m.end())
            words[-1] = quote[start : m.end()]
            continue
        words.append(m.group(0))
        spans.append((m.start(), m.end()))
    return words, spans


# Streamlit's pills tell options apart by their labels: two "the" in one excerpt would be one button. A
# repeated word gets zero-width spaces after it (one more each time), which no reader sees or hears.
_APART = "\u200b"


def button_labels(words: Sequence[str]) -> list[str]:
    """Each word's button label, every one distinct, each reading as the word itself."""
    seen: dict[str, int] = {}
    labels = []
    for word in words:
        n = seen.get(word, 0)
        seen[word] = n + 1
        labels.append(word + _APART * n)
    return labels


def _phrase_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where ``phrase`` stands in ``text``, matched as labels are (folded, case-insensitive, any spacing)."""
    words = fold(phrase).split(" ")
    pattern = r"\s+".join(re.escape(w) for w in words if w)
    if not pattern:
        return []
    return [(m.start(), m.end()) for m in re.finditer(pattern, fold_keep_length(text), re.IGNORECASE)]


def _covering(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, ...]:
    return tuple(i for i, (s, e) in enumerate(spans) if s < end and start < e)


def _bare(word: str) -> str:
    """A word without its punctuation or possessive, lower-cased, to compare with a name ("U.S." is "us")."""
    core = "".join(re.findall(r"[\w'-]+", fold(word))).lower()
    return re.sub(r"'s$", "", core).strip("'-")


def _name_words(names: Sequence[str]) -> set[str]:
    return set(_PLAIN) | {_bare(w) for name in names for w in fold(name).split()}


def reading(ds: Dataset, claim: Claim) -> tuple[list[str], tuple[Code, ...]]:
    """The claim's quote as words, and every code the codebook gives it, in the order they stand."""
    words, spans = split_words(claim.quote)
    lexicon = ds.lexicon
    actors = ds.by_id("actors")
    codes: list[Code] = []
    for m in lexicon.matches(claim.quote):
        category = lexicon.category[m.term]
        rule = f"loaded term “{m.term}” ({category}): in the lexicon, counted in every text (codebook §8)"
        codes.append(Code(LOADED, claim.quote[m.start : m.end], _covering(spans, m.start, m.end), rule))
    for actor_id, label in claim.label_pairs():
        actor = actors.get(actor_id)
        name = actor.name if actor else actor_id
        plain = _name_words([name, *(actor.aliases if actor else [])])
        for start, end in _phrase_spans(claim.quote, label):
            covered = [i for i in _covering(spans, start, end) if _bare(words[i]) not in plain]
            if covered:  # a bare name is how a text names anyone: it frames nothing
                rule = (
                    f"label naming {name}: the words this text attaches to the name (codebook §4, “Actors and labels”)"
                )
                codes.append(Code(LABEL, claim.quote[start:end], tuple(covered), rule, name))
            break  # the first occurrence, as the validator finds it
    for term in claim.scare_quotes:
        found = find_scare_quote(claim.quote, term)
        if found:
            rule = f"scare quotes: the narration keeps its distance from “{term}” (codebook §4, “Scare quotes”)"
            codes.append(Code(SCARE, claim.quote[found[0] : found[1]], _covering(spans, *found), rule))
    codes.sort(key=lambda c: (c.words[:1], c.kind))
    return words, tuple(codes)


def question_of(ds: Dataset, claim: Claim) -> SpotQuestion:
    words, codes = reading(ds, claim)
    outlet = ds.by_id("articles")[claim.article].outlet
    return SpotQuestion(claim.id, outlet, claim.quote, tuple(words), codes)


def fits(claim: Claim) -> bool:
    return MIN_WORDS <= word_count(claim.quote) <= MAX_WORDS


def curated(ds: Dataset) -> list[str]:
    """The claim ids the prompts list for the activity, each once, in the file's order."""
    return list(dict.fromkeys(c for p in ds.prompts for c in p.spot))


def pool(ds: Dataset) -> list[SpotQuestion]:
    """The excerpts a seeded set draws from: the curated ones, else every claim of 20 to 60 words."""
    claims = ds.by_id("claims")
    ids = curated(ds) or [c.id for c in ds.claims if fits(c)]
    return [question_of(ds, claims[i]) for i in ids if i in claims and fits(claims[i])]


def draw(questions: Sequence[SpotQuestion], seed: int, n: int = QUESTIONS) -> list[SpotQuestion]:
    """``n`` questions for a seed: about one in ``PLAIN_SHARE`` with no coded framing, the outlets in turn.

    A pure function of the pool and the seed, so every phone and the projector get the same set.
    """
    rng = random.Random(seed)
    framed = [q for q in questions if q.codes]
    plain = [q for q in questions if not q.codes]
    want_plain = min(len(plain), max(1, n // PLAIN_SHARE) if plain else 0)
    want_framed = min(len(framed), n - want_plain)
    want_plain = min(len(plain), n - want_framed)
    chosen = _by_outlet(framed, want_framed, rng) + _by_outlet(plain, want_plain, rng)
    rng.shuffle(chosen)
    return chosen


def _by_outlet(questions: Sequence[SpotQuestion], n: int, rng: random.Random) -> list[SpotQuestion]:
    """``n`` of them, taking each outlet in turn so no one outlet fills the set."""
    lanes: dict[str, list[SpotQuestion]] = {}
    for q in questions:
        lanes.setdefault(q.outlet, []).append(q)
    for lane in lanes.values():
        rng.shuffle(lane)
    order = sorted(lanes)
    rng.shuffle(order)
    out: list[SpotQuestion] = []
    while len(out) < n:
        for outlet in order:
            if lanes[outlet] and len(out) < n:
                out.append(lanes[outlet].pop())
    return out


def listed(ds: Dataset, claim_ids: Sequence[str]) -> list[SpotQuestion]:
    """A prompt's own excerpts, in its order (the validator has checked they exist and fit)."""
    claims = ds.by_id("claims")
    return [question_of(ds, claims[i]) for i in claim_ids if i in claims]


# --- the class's marks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    code: Code
    share: float  # of the students who sent marks, the share who marked a word of it


@dataclass(frozen=True)
class ClassReading:
    """What the projector shows after Reveal."""

    sent: int  # students who sent a set (an empty one too)
    counts: tuple[int, ...]  # per word, how many marked it
    found: tuple[Found, ...]  # coded, and found by most
    missed: tuple[Found, ...]  # coded, and missed by most
    uncoded: tuple[tuple[int, float], ...]  # (word, share): marked by many, coded by nothing

    def share(self, word: int) -> float:
        return self.counts[word] / self.sent if self.sent else 0.0


def word_counts(n_words: int, mark_sets: Sequence[Sequence[int]]) -> tuple[int, ...]:
    counts = [0] * n_words
    for marks in mark_sets:
        for w in set(marks):
            if 0 <= w < n_words:
                counts[w] += 1
    return tuple(counts)


def class_reading(q: SpotQuestion, mark_sets: Sequence[Sequence[int]]) -> ClassReading:
    sent = len(mark_sets)
    counts = word_counts(len(q.words), mark_sets)
    sets = [set(m) for m in mark_sets]
    scored = [Found(c, sum(1 for s in sets if s & set(c.words)) / sent if sent else 0.0) for c in q.codes]
    found = tuple(f for f in scored if sent and f.share >= MOST)
    missed = tuple(f for f in scored if not (sent and f.share >= MOST))
    coded = q.coded
    uncoded = tuple(
        (w, counts[w] / sent) for w in range(len(q.words)) if sent and w not in coded and counts[w] / sent >= MANY
    )
    return ClassReading(sent, counts, found, missed, uncoded)


@dataclass(frozen=True)
class OwnResult:
    """One student's marks read against the codebook."""

    coded: tuple[int, ...]  # their marks on a coded word
    uncoded: tuple[int, ...]  # their marks on a word nothing codes
    missed: tuple[Code, ...]  # codes they marked no word of


def own_result(q: SpotQuestion, marks: Sequence[int]) -> OwnResult:
    mine = sorted(set(marks))
    coded = q.coded
    return OwnResult(
        tuple(w for w in mine if w in coded),
        tuple(w for w in mine if w not in coded),
        tuple(c for c in q.codes if not set(c.words) & set(mine)),
    )


def phrase(q: SpotQuestion, positions: Sequence[int]) -> str:
    return phrase_of(q.words, positions)


def phrase_of(words: Sequence[str], positions: Sequence[int]) -> str:
    """Marked words as text: neighbours joined, runs apart separated by " · "."""
    runs: list[list[int]] = []
    for w in sorted(positions):
        if runs and runs[-1][-1] == w - 1:
            runs[-1].append(w)
        else:
            runs.append([w])
    return " · ".join(" ".join(words[w] for w in run if 0 <= w < len(words)) for run in runs)
