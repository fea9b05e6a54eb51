"""The audit: mechanical checks of coding consistency on a dataset that is already valid.

``check_dataset`` refuses what is wrong; the audit reports what a coder must look
at, as warnings located ``PATH:LINE:COL: audit: ...`` (codebook section 10, "The
audit"). Each check is a rule the codebook states and a machine can apply the same
way to every outlet:

1. labels: a phrase coded as a label of an actor in one claim, found uncoded in
   another claim about that actor;
2. scare quotes: a short quoted word in narration not listed in ``scare_quotes``;
3. positions: a start no evidence claim dates, an ``until`` nothing shows ending,
   a missing ``basis`` or one the evidence's speakers do not have, a full stance on
   reported evidence;
4. own voice: a word of the codebook's own-voice word list, or a lexicon term,
   outside quotation marks where the dataset speaks for itself;
5. framing (and position notes): quoted words found in none of the article's
   claims' quotes.

Every check is linear in the size of the dataset (check 1 indexes label phrases by
their first word rather than comparing claims with claims), so it stays fast at
50,000 claims. The file is read again, to locate findings, only when there are any.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from dashboard.data import schema as s
from dashboard.data.dataset import Dataset
from dashboard.data.dates import PartialDate
from dashboard.data.text import Lexicon, fold, word_count
from dashboard.data.yaml_reader import Problem, locate, read_yaml

DEFAULT_CODEBOOK = Path(__file__).resolve().parents[2] / "docs" / "codebook.md"
WORD_LIST_HEADING = "### Own-voice word list"
PREFIX = "audit: "
MAX_SCARE_QUOTE_WORDS = 4  # a longer quoted span in narration is a quotation, not a scare quote

_TOKEN = re.compile(r"\w+")
# Double quotation marks: curly ones by direction (a claim cut from a longer sentence may hold one
# unpaired mark), straight ones in pairs; each kind may nest inside the other ("a “vote”").
_CURLY = re.compile(r"“([^“”\n]{1,400})”")
_STRAIGHT = re.compile(r'"([^"\n]{1,400})"')
# Single quotation marks, told from apostrophes: an opening mark follows no letter (not "Maduro's"),
# a closing one is followed by none.
_SINGLE = re.compile(r"(?<!\w)[‘'](?=\S)([^‘’'\n]|[‘’'](?=\w)){1,400}?(?<=\S)[’'](?!\w)")
_EDGE = " \t,.;:!?…'\"“”‘’()"
_ELLIPSIS = re.compile(r"…|\.\.\.")
_NOT_WORD = " \t\"'“”‘’([-–—…,.;:!?*"
_ARTICLE = re.compile(r"^(?:the|a|an) (?=\S)")
_NAME_GOES_ON = re.compile(r"[ -][A-Z]")  # the next word is capitalised: the phrase is part of a longer name


def _norm(text: str) -> str:
    """Folded and lower-cased: how every comparison here sees text."""
    return fold(text).lower()


@lru_cache(maxsize=65_536)
def _bare(label: str) -> str:
    """A label as the label check compares it: normalised, from its first word, without a leading article
    ("the U.S." = "U.S."); so every phrase starts with a word to index it by."""
    return _ARTICLE.sub("", _norm(label).lstrip(_NOT_WORD), count=1).lstrip(_NOT_WORD)


def _quoted(text: str, single: bool = True) -> list[tuple[int, int]]:
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


def _within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _bounded(text: str, start: int, end: int) -> bool:
    """The lexicon's whole-word rule: no letter, digit or hyphen right before or after."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-")


class _Audit:
    def __init__(self, dataset: Dataset) -> None:
        self.d = dataset
        self.found: list[tuple[tuple[Any, ...], str]] = []  # (location in the file, message)

    def at(self, loc: tuple[Any, ...], message: str) -> None:
        self.found.append((loc, PREFIX + message))

    def problems(self, path: str) -> list[Problem]:
        """The findings located in the file at ``path``, read again only if there is something to locate."""
        if not self.found:
            return []
        try:
            root, _ = read_yaml(Path(path).read_bytes(), path)
        except OSError as err:
            return [Problem(path, 1, 1, f"{PREFIX}cannot read the file: {err.strerror or err}")]
        return [Problem(path, *locate(root, loc), message) for loc, message in self.found]

    # -- 1. labels ---------------------------------------------------------------------------
    def labels(self) -> None:
        # Every label phrase, indexed by its first word and length: a quote is scanned once, word by word,
        # and at each word only one slice per distinct length is looked up, whatever the number of
        # claims and phrases (no claim-by-claim comparison).
        first_coded: dict[tuple[str, str], tuple[str, str]] = {}  # (actor, phrase) -> (claim, label as written)
        actors_of: dict[str, set[str]] = defaultdict(set)
        by_word: dict[str, set[int]] = defaultdict(set)  # first word -> lengths of the phrases it starts
        for c in self.d.claims:
            for actor, label in c.label_pairs():
                phrase = _bare(label)
                if not phrase:
                    continue
                first_coded.setdefault((actor, phrase), (c.id, label))
                actors_of[phrase].add(actor)
                head = _TOKEN.match(phrase)
                if head:  # a phrase of punctuation alone names no one
                    by_word[head.group()].add(len(phrase))
        actor_ids = set(self.d.by_id("actors"))
        for i, c in enumerate(self.d.claims):
            about = {*c.actors, c.speaker} & actor_ids
            if not about:
                continue
            shown = fold(c.quote)
            text = shown.lower()
            capitals = len(shown) == len(text)  # lower() kept every offset, so case can be read at them
            note = _norm(c.note or "")
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
            for start, phrase in self._occurrences(text, by_word, actors_of):
                end = start + len(phrase)
                if _within(start, end, coded) or phrase in note:
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
                    self.at(
                        loc,
                        f"claim {c.id}: '{label}' is coded as a label of {actor} in claim {other} but not here, "
                        f"though this claim is about {actor}; add it to labels or say in the note why not",
                    )

    @staticmethod
    def _occurrences(text: str, by_word: dict[str, set[int]], phrases: dict[str, Any]) -> Iterator[tuple[int, str]]:
        for m in _TOKEN.finditer(text):
            start = m.start()
            for length in by_word.get(m.group(), ()):
                phrase = text[start : start + length]
                if phrase in phrases and _bounded(text, start, start + length):
                    yield start, phrase

    # -- 2. scare quotes ---------------------------------------------------------------------
    def scare_quotes(self) -> None:
        for i, c in enumerate(self.d.claims):
            if c.kind != "narration":
                continue
            whole = _norm(c.quote).strip(_EDGE)
            listed = [_norm(t) for t in c.scare_quotes]
            note = _norm(c.note or "")
            for start, end in _quoted(c.quote, single=False):
                word = c.quote[start:end].strip(_EDGE)
                key = _norm(word)
                if not key or word_count(word) > MAX_SCARE_QUOTE_WORDS or key == whole:
                    continue
                if any(re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", key) for t in listed):
                    continue
                if key in note:  # the note explains why these marks are not a scare quote
                    continue
                self.at(
                    ("claims", i, "quote"),
                    f"claim {c.id}: the narration puts '{word}' in quotation marks, but it is not in scare_quotes; "
                    "list it, or say in the note why the marks do not distance the text from the word",
                )

    # -- 3. positions ------------------------------------------------------------------------
    def positions(self) -> None:
        claims = self.d.by_id("claims")
        articles = self.d.by_id("articles")
        events = self.d.by_id("events")
        starts: dict[tuple[str, str], list[dt.date]] = defaultdict(list)  # each actor and issue's starts, sorted
        for p in self.d.positions:
            starts[(p.actor, p.issue)].append(p.since.first)
        for days in starts.values():
            days.sort()
        for i, p in enumerate(self.d.positions):
            w = f"position of {p.actor} on {p.issue} from {p.since}"
            cited = [claims[cid] for cid in p.evidence if cid in claims]
            if len(cited) < len(p.evidence) or any(c.article not in articles for c in cited):
                continue  # not a valid dataset: the validator reports the unknown ids
            if p.basis is None:
                self.at(("positions", i, "stance"), f"{w}: no basis coded (own_words, named_source, ...)")
            else:
                self._basis(i, p, w, [c.speaker for c in cited])

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
                self.at(
                    ("positions", i, "from"),
                    f"{w}: no evidence claim can be dated (article dates unknown, no events tagged)",
                )
            elif _month(min(dated)[0]) > _month(p.since.first):
                day, cid = min(dated)
                self.at(
                    ("positions", i, "from"),
                    f"{w}: the matrix shows this stance from {p.since.first:%B %Y}, but no evidence claim is dated "
                    f"by then; the earliest is claim {cid}, dated {day.isoformat()} by its article or events; "
                    "start 'from' there, or tag the event that dates the stance",
                )

            # A text cannot show a stance that begins after it was published (an unknown date may be later).
            published = [_latest(articles[c.article]) for c in cited]
            known = [day for day in published if day is not None]
            if known and len(known) == len(published) and max(known) < p.since.first:
                self.at(
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
                    self.at(
                        ("positions", i, "until"),
                        f"{w}: nothing shows the stance ending in {p.until}: no later position of {p.actor} on "
                        f"{p.issue} starts by {after.isoformat()}, and no evidence claim comes from a text dated "
                        "after it; drop 'until' or cite the text that shows the change",
                    )

    def _basis(self, i: int, p: s.Position, w: str, speakers: list[str]) -> None:
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
            self.at(("positions", i, "basis"), f"{w}: basis {p.basis} needs {need[p.basis]} among the evidence")
        if p.basis in ("named_source", "unnamed_sources") and p.stance in ("supports", "opposes"):
            self.at(
                ("positions", i, "stance"),
                f"{w}: '{p.stance}' on {p.basis}: a stance reported by others goes at most to "
                f"'{'leans_support' if p.stance == 'supports' else 'leans_against'}'",
            )

    # -- 4. the dataset's own voice ----------------------------------------------------------
    def own_voice(self, words: Lexicon | None) -> None:
        lexicon = self.d.lexicon
        for loc, what, text in self._own_voice_fields():
            quoted = _quoted(text)
            seen: set[tuple[str, str]] = set()
            spans: set[tuple[int, int]] = set()  # a word in both lists is reported once, as a lexicon term
            for matcher, kind in ((lexicon, "lexicon term"), (words, "own-voice word list")):
                if matcher is None:
                    continue
                for m in matcher.matches(text):
                    if (kind, m.term) in seen or (m.start, m.end) in spans or _within(m.start, m.end, quoted):
                        continue
                    seen.add((kind, m.term))
                    spans.add((m.start, m.end))
                    self.at(
                        loc,
                        f"{what}: '{text[m.start : m.end]}' ({kind}) outside quotation marks in the dataset's "
                        "own voice; quote it and say who used it, or reword",
                    )

    def _own_voice_fields(self) -> Iterator[tuple[tuple[Any, ...], str, str]]:
        """(location, what, text) of every field the dataset writes in its own voice."""
        d = self.d
        fields: list[tuple[str, tuple[Any, ...], tuple[str, ...]]] = [
            ("meta", (), ("title", "description", "coverage", "licence")),
        ]
        for section, names in (
            ("camps", ("name", "description")),
            ("categories", ("name",)),
            ("outlets", ("kind", "scope", "ownership", "funding", "note")),
            ("articles", ("headline_note", "date_note", "authors_note", "words_note")),
            ("actors", ("role",)),
            ("issues", ("question", "short", "description")),
            ("events", ("title", "summary", "date_note")),
            ("claims", ("note",)),
            ("facts", ("question", "note")),
            ("prompts", ("text",)),
            ("paths", ("title", "description")),
        ):
            for i, _ in enumerate(getattr(d, section)):
                fields.append((section, (i,), names))
        for i, path in enumerate(d.paths):
            for j, _ in enumerate(path.steps):
                fields.append(("paths", (i, "steps", j), ("title", "note")))
        for section, sub, names in fields:
            record: Any = d.meta if section == "meta" else getattr(d, section)[sub[0]]
            for step in sub[1:]:
                record = getattr(record, step) if isinstance(step, str) else record[step]
            label = section if section == "meta" else _what(section, sub, d)
            for name in names:
                value = getattr(record, name)
                if value:
                    yield (section, *sub, name), f"{label} {name}", value
        for i, p in enumerate(d.positions):
            if p.note:
                yield ("positions", i, "note"), f"position of {p.actor} on {p.issue} from {p.since}, note", p.note
        for i, f in enumerate(d.framing):
            for fn in s.FRAMING_FUNCTIONS:
                yield ("framing", i, fn, "text"), f"framing of {f.article}, {fn}", getattr(f, fn).text

    # -- 5. quoted words in framing texts and position notes ---------------------------------
    def quoted_words(self) -> None:
        claims = self.d.by_id("claims")
        quotes: dict[str, list[str]] = defaultdict(list)
        for c in self.d.claims:
            quotes[c.article].append(_norm(c.quote))
        # One text per article, claims kept apart so no quoted phrase is "found" across two claims.
        corpus = {article: "\x00".join(texts) for article, texts in quotes.items()}
        for i, f in enumerate(self.d.framing):
            for fn in s.FRAMING_FUNCTIONS:
                text = getattr(f, fn).text
                where = f"framing of {f.article}, {fn}"
                self._check_quotes(("framing", i, fn, "text"), where, text, corpus.get(f.article, ""), "the article's")
        for i, p in enumerate(self.d.positions):
            if p.note:
                arts = dict.fromkeys(claims[cid].article for cid in p.evidence if cid in claims)
                haystack = "\x00".join(corpus.get(a, "") for a in arts)
                where = f"position of {p.actor} on {p.issue} from {p.since}, note"
                self._check_quotes(("positions", i, "note"), where, p.note, haystack, "its evidence articles'")

    def _check_quotes(self, loc: tuple[Any, ...], where: str, text: str, haystack: str, whose: str) -> None:
        for start, end in _quoted(text):
            for piece in _ELLIPSIS.split(text[start:end]):  # "collapse… under socialism": each part is checked
                words = _norm(piece).strip(_EDGE)
                if words and words not in haystack:
                    self.at(loc, f"{where}: quotes '{piece.strip(_EDGE)}', which is in none of {whose} claim quotes")


def _what(section: str, sub: tuple[Any, ...], d: Dataset) -> str:
    record = getattr(d, section)[sub[0]]
    name = {"categories": "category", "facts": "fact", "paths": "path"}.get(section, section.rstrip("s"))
    what = f"{name} {record.id}"
    if len(sub) > 1:  # a path's step
        what += f", step {sub[2] + 1}"
    return what


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


def read_word_list(codebook: str | Path) -> tuple[list[str], list[Problem]]:
    """The bullets under the codebook's own-voice word list heading: one word or phrase each.

    A bullet may put its word in backticks; text after a spaced dash or an opening parenthesis
    is a comment. Returns the words and a problem if the list cannot be found.
    """
    shown = str(codebook)
    try:
        lines = Path(codebook).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        return [], [Problem(shown, 1, 1, f"{PREFIX}cannot read the codebook for the own-voice word list: {err}")]
    start = next((n for n, line in enumerate(lines) if line.strip() == WORD_LIST_HEADING), None)
    if start is None:
        return [], [
            Problem(
                shown,
                1,
                1,
                f"{PREFIX}no '{WORD_LIST_HEADING}' heading; own-voice fields are checked for lexicon terms only",
            )
        ]
    words: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        m = re.match(r"\s*[-*+]\s+(.*)", line)
        if not m:
            continue
        item = m.group(1)
        ticked = re.search(r"`([^`]+)`", item)
        item = ticked.group(1) if ticked else re.split(r"\s[—–-]\s|\s\(", item)[0]
        item = item.strip(" \"'“”‘’*_.,;:")
        if item:
            words.append(item)
    if not words:
        return [], [Problem(shown, start + 1, 1, f"{PREFIX}the own-voice word list has no bullets")]
    return words, []


def audit_file(path: str | Path, dataset: Dataset, codebook: str | Path | None = None) -> list[Problem]:
    """Audit the valid ``dataset`` read from ``path``; the own-voice word list comes from ``codebook``.

    Returns warnings, each located ``PATH:LINE:COL`` and starting "audit: ", sorted by place.
    Records of a valid dataset are in file order, so record i of a section is item i of the file's
    section and its location is looked up in the file, read again here (only when there are findings).
    """
    words, problems = read_word_list(codebook if codebook is not None else DEFAULT_CODEBOOK)
    audit = _Audit(dataset)
    audit.labels()
    audit.scare_quotes()
    audit.positions()
    audit.own_voice(Lexicon((w, "own voice", ()) for w in words) if words else None)
    audit.quoted_words()
    return sorted(set(problems + audit.problems(str(path))))
