"""Suggestions for a draft: an article's sentences become claims, each field proposed by a stated rule.

``add_article`` splits the text into sentences (pysbd, paragraph by paragraph, so abbreviations,
initials and quotations are handled by a maintained segmenter), proposes one claim per
sentence with its speaker, kind, quote span, loaded terms, scare quotes and labels, proposes the
speakers and names it finds as actor candidates (merged by alias), and resolves the article's
relative dates from its date. Nothing is accepted until the teacher (or ``accept_all``) says so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dashboard.build import attribution as at
from dashboard.build.dates import relative_dates
from dashboard.build.draft import (
    SUGGESTED_FIELDS,
    UNKNOWN,
    DateMention,
    Draft,
    DraftActor,
    DraftArticle,
    DraftClaim,
    DraftLexiconEntry,
    DraftOutlet,
)
from dashboard.build.extract import SourceText
from dashboard.build.lexicon import general_lexicon
from dashboard.build.rules import suggest
from dashboard.data.audit_quotes import EDGE, MAX_SCARE_QUOTE_WORDS, quoted_spans
from dashboard.data.text import Lexicon, fold, word_count

NARRATION = "narration"
UNNAMED = "unnamed"
MIN_DIRECT_WORDS = 2  # fewer quoted words in a credited sentence: a paraphrase with a quoted word
QUOTE_SHARE = 0.5  # a sentence at least this much inside quotation marks is a quotation


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def slug(text: str, fallback: str = "item") -> str:
    """An id made of ``text``: ASCII letters and digits joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60].strip("-")
    return out or fallback


def _unique_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# pysbd's cost grows faster than a paragraph's length: a paragraph longer than this is cut first where a
# sentence plainly ends (a word of four letters or more, a full stop, a capital), and each part segmented.
MAX_PARAGRAPH = 3_000
MAX_QUOTE = 20_000  # the schema's longest text: a longer "sentence" is cut at a space
_PLAIN_END = re.compile(r"(?<=[^\W\d_]{4}[.!?])[”\"’]?\s+(?=[“\"‘]?[A-Z])")


def _parts(line: str) -> list[tuple[int, str]]:
    """(offset, text) of the parts of a paragraph that pysbd segments one at a time."""
    if len(line) <= MAX_PARAGRAPH:
        return [(0, line)]
    parts, start, last = [], 0, 0
    for m in _PLAIN_END.finditer(line):
        if m.end() - start > MAX_PARAGRAPH and last > start:
            parts.append((start, line[start:last]))
            start = last
        last = m.end()
    parts.append((start, line[start:]))
    return parts


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``: each line a paragraph, each split by pysbd."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        for offset, part in _parts(line) if line.strip() else ():
            cursor = 0
            for piece in _segmenter().segment(part):
                stripped = piece.strip()
                i = part.find(stripped, cursor) if stripped else -1
                if i < 0:
                    continue
                cursor = i + len(stripped)
                a = pos + offset + i
                while cursor + pos + offset - a > MAX_QUOTE:  # no sentence is that long: cut it at a space
                    cut = text.rfind(" ", a, a + MAX_QUOTE)
                    cut = cut if cut > a else a + MAX_QUOTE
                    spans.append((a, cut))
                    a = cut + (text[cut] == " ")
                spans.append((a, pos + offset + cursor))
        pos += len(line) + 1
    return [(a, b) for a, b in spans if text[a:b].strip()]


@dataclass
class _Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    quoted: list[tuple[int, int]] = field(default_factory=list)
    opens_inside: bool = False  # starts inside a quotation begun in an earlier sentence
    attribution: at.Attribution | None = None

    @property
    def quoted_words(self) -> int:
        return sum(word_count(self.text[a:b]) for a, b in self.quoted)

    @property
    def longest_quote(self) -> int:
        return max((word_count(self.text[a:b]) for a, b in self.quoted), default=0)


def _quotes_across(sents: list[_Sentence]) -> None:
    """Quoted spans per sentence, following a quotation that spans sentences within a paragraph."""
    open_in: int | None = None  # paragraph where a quotation is open
    for s in sents:
        if open_in is not None and open_in != s.paragraph:
            open_in = None
        s.opens_inside = open_in is not None
        spans = quoted_spans(s.text, single=False)
        text = s.text
        if s.opens_inside:
            close = re.search(r"[”\"]", text)
            if close:
                spans = [(0, close.start())] + [sp for sp in quoted_spans(text[close.end() :], single=False)]
                spans = [(0, close.start())] + [(a + close.end(), b + close.end()) for a, b in spans[1:]]
                open_in = None
                tail = text[close.end() :]
                if tail.count("“") > tail.count("”"):
                    open_in = s.paragraph
                    spans.append((close.end() + tail.rindex("“") + 1, len(text)))
            else:
                spans = [(0, len(text))]
        else:
            if text.count("“") > text.count("”"):
                opening = text.rindex("“")
                if not any(a <= opening + 1 <= b for a, b in spans):
                    spans.append((opening + 1, len(text)))
                    open_in = s.paragraph
            elif text.count('"') % 2 == 1:
                opening = text.rindex('"')
                spans.append((opening + 1, len(text)))
                open_in = s.paragraph
        s.quoted = sorted(spans)


def _read_sentences(text: str) -> list[_Sentence]:
    paragraph_of = [0]
    for ch in text:
        paragraph_of.append(paragraph_of[-1] + (ch == "\n"))
    sents = [_Sentence(a, b, text[a:b], paragraph_of[a]) for a, b in sentences(text)]
    _quotes_across(sents)
    for s in sents:
        s.attribution = at.find(at.mask_quotes(s.text, s.quoted, keep_words=MAX_SCARE_QUOTE_WORDS))
    return sents


# A name after one of these words is another body's, not a short form: "Friends of Westbrook Library"
# is not "Westbrook Library".
_NOT_A_TAIL = {"of", "for", "and", "the", "at", "on", "in", "to"}


def _tail_of(short: str, full: str) -> bool:
    """``short`` is the last word(s) of ``full``, and not the object of a preposition in it."""
    if not full.endswith(" " + short):
        return False
    before = full[: -len(short) - 1].split()
    return bool(before) and before[-1] not in _NOT_A_TAIL


class _Actors:
    """Actor candidates by name; a name that is another's last word(s) is merged into it as an alias."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.by_key: dict[str, DraftActor] = {}
        self.by_title: dict[str, DraftActor] = {}  # an office ("mayor") → the person last named with it
        for actor in draft.actors:
            for name in (actor.name, *actor.aliases):
                self.by_key.setdefault(fold(name).lower(), actor)

    def find(self, name: str) -> DraftActor | None:
        key = fold(name).lower()
        if key in self.by_key:
            return self.by_key[key]
        for actor in self.draft.actors:  # "Guaidó" is Juan Guaidó; "Juan Guaidó" met after "Guaidó" too
            full = fold(actor.name).lower()
            if _tail_of(key, full) or _tail_of(full, key):
                return actor
        return None

    def add(self, name: str, rule: str, speaker: bool, phrase: str = "") -> DraftActor:
        """The actor of ``name`` (``phrase``: the words naming it, a title before the name)."""
        actor = self._add(name, rule, speaker, phrase)
        title = re.search(rf"(?<![\w-])({at.ROLE_TITLES})\s*$", phrase[: phrase.rfind(name)], re.IGNORECASE)
        if name in phrase and title:  # "Mayor Anna Lind": "the mayor" later is Anna Lind
            self.by_title[title.group(1).lower()] = actor
        return actor

    def _add(self, name: str, rule: str, speaker: bool, phrase: str) -> DraftActor:
        found = self.find(name)
        if found is not None:
            longer = len(name) > len(found.name) and fold(name).lower().endswith(fold(found.name).lower())
            if longer and not (found.confirmed or found.accepted.get("name")):  # a teacher's actor keeps its name
                found.aliases = sorted({*found.aliases, found.name})
                found.name = name
                found.suggested["name"] = suggest("actor-speaker" if speaker else rule, name)
                found.suggested["type"] = suggest("actor-type", actor_type(name))
            elif name != found.name and name not in found.aliases:
                found.aliases = sorted({*found.aliases, name})
            # The merge is a suggestion like any other: the aliases it made, by the rule that made them.
            found.suggested["aliases"] = suggest("actor-name", list(found.aliases))
            self.by_key[fold(name).lower()] = found
            if speaker and "name" in found.suggested and found.suggested["name"].rule != "actor-speaker":
                found.suggested["name"] = suggest("actor-speaker", found.name)
            return found
        taken = {a.id for a in self.draft.actors} | {NARRATION, UNNAMED}
        actor = DraftActor(
            id=_unique_id(slug(name, "actor").replace("-", "_"), taken),
            name=name,
            suggested={"name": suggest(rule, name), "type": suggest("actor-type", actor_type(name, phrase))},
        )
        self.draft.actors.append(actor)
        self.by_key[fold(name).lower()] = actor
        return actor


_GOVERNMENT = re.compile(r"(?<![\w-])(government|ministry|administration|department|embassy|cabinet)(?![\w-])", re.I)
_INSTITUTION = re.compile(
    r"(?<![\w-])(council|court|union|nations|organization|organisation|assembly|congress|parliament|senate|"
    r"commission|committee|agency|authority|bank|tribunal|institute|office|fund)(?![\w-])",
    re.IGNORECASE,
)
_PARTY = re.compile(r"(?<![\w-])(party|coalition|platform|opposition|movement|front)(?![\w-])", re.IGNORECASE)
_GROUP = re.compile(r"(?<![\w-])(group|network|alliance|association|foundation|society)(?![\w-])", re.IGNORECASE)


# A title before a name that only a person bears.
_PERSON_TITLE = re.compile(
    r"(?<![\w-])(?:mr|mrs|ms|dr|miss|sir|dame|prof|professor|rev|president|minister|senator|mayor|governor|judge|"
    r"ambassador|spokesman|spokeswoman|councillor|councilor|councilman|councilwoman)(?![\w-])",
    re.IGNORECASE,
)


def actor_type(name: str, phrase: str = "") -> str:
    """The actor type a name suggests (rule "actor-type"); ``phrase``, the words naming it, may give a title."""
    title = phrase[: phrase.find(name)] if name in phrase else ""
    if _PERSON_TITLE.search(title):
        return "person"
    if _GOVERNMENT.search(name):
        return "government"
    if _INSTITUTION.search(name):
        return "institution"
    if _GROUP.search(name):
        return "group"
    if _PARTY.search(name):
        return "coalition" if re.search(r"coalition|platform|opposition", name, re.I) else "party"
    words = name.split()
    if 2 <= len(words) <= 4 and all(at._CAP.match(w) or w.lower() in at._CONNECTORS for w in words):
        return "person"
    return "group"


_NAME_RUN = re.compile(
    r"(?<![\w’'-])(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ’'-]+|[A-Z]\.)(?:\s+(?:(?:de|del|la|da|dos|van|von|der)\s+)?"
    r"(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ’'-]+|[A-Z]\.))+(?![\w-])"
)


def names_in(sentence: str) -> list[tuple[str, int, int]]:
    """Runs of two or more capitalised words, title words left off the front (rule "actor-name")."""
    found = []
    for m in _NAME_RUN.finditer(sentence):
        words = at.name_words(m.group(0).split())
        if len(words) < 2:
            continue
        name = " ".join(words).removesuffix("’s").removesuffix("'s")
        start = m.start() + m.group(0).index(words[0])
        found.append((name, start, start + len(name)))
    return found


def _lexicon(draft: Draft) -> Lexicon:
    if not draft.lexicon and not draft.lexicon_started:
        draft.lexicon = [DraftLexiconEntry(**e) for e in general_lexicon()]
    draft.lexicon_started = True
    return Lexicon((e.term, e.category, e.variants, e.not_in) for e in draft.lexicon)


def _outlet(draft: Draft, source: SourceText, outlet: dict[str, Any] | None) -> DraftOutlet:
    if outlet is not None:
        wanted = outlet.get("id") or slug(str(outlet.get("name") or "outlet"))
        existing = next((o for o in draft.outlets if o.id == wanted), None)
        if existing is not None:
            return existing
        known = {k: v for k, v in outlet.items() if k in DraftOutlet.model_fields and v not in (None, "")}
        made = DraftOutlet(**{**known, "id": wanted, "name": outlet.get("name") or wanted})
        draft.outlets.append(made)
        return made
    name = source.site_name
    if not name and source.url:
        name = re.sub(r"^www\.", "", re.sub(r"^https?://", "", source.url).split("/")[0])
    existing = next((o for o in draft.outlets if name and o.name == name), None)
    if existing is not None:
        return existing
    taken = {o.id for o in draft.outlets}
    name = name or f"Outlet {len(draft.outlets) + 1}"
    made = DraftOutlet(
        id=_unique_id(slug(name, "outlet"), taken),
        name=name,
        language=source.language,
        homepage=(re.match(r"^https?://[^/]+", source.url).group(0) if source.url else None),
    )
    draft.outlets.append(made)
    return made


def add_article(draft: Draft, source: SourceText, outlet: dict[str, Any] | None = None) -> Draft:
    """A copy of ``draft`` with the article in ``source`` added: its facts, its claims with their
    suggestions, actor candidates and relative dates. Nothing is accepted."""
    draft = draft.model_copy(deep=True)
    lexicon = _lexicon(draft)
    the_outlet = _outlet(draft, source, outlet)
    taken = {a.id for a in draft.articles}
    article_id = _unique_id(f"{the_outlet.id}-{source.date}" if source.date else the_outlet.id, taken)
    article = DraftArticle(
        id=article_id,
        outlet=the_outlet.id,
        headline=source.headline,
        date=source.date,
        authors=[source.author] if source.author else None,
        url=source.url,
        language=source.language,
        filename=source.filename,
        text=source.text,
        found=sorted(source.found),
        dates=[
            DateMention(
                words=d.words, start=d.start, end=d.end, suggestion=suggest("relative-date", d.value, words=d.words)
            )
            for d in relative_dates(source.text, source.date)
        ],
    )
    draft.articles.append(article)
    actors = _Actors(draft)
    sents = _read_sentences(source.text)
    speakers = _speakers(sents, actors)
    if source.headline_in_text and source.headline:
        # Headlines are coded as narration when the text contains them (codebook, "Coding claims").
        head = _Sentence(0, 0, source.headline, -1)
        claim = DraftClaim(id=f"{article_id}-00", article=article_id, sentence=-1, quote=source.headline)
        claim.suggested = _claim_suggestions(head, (NARRATION, "headline"), "", lexicon, actors)
        draft.claims.append(claim)
    for n, (s, (speaker, spoken)) in enumerate(zip(sents, speakers, strict=True)):
        for name, _, _ in names_in(s.text):
            if actors.find(name) is None and not _inside(s, name):
                actors.add(name, "actor-name", speaker=False)
        claim = DraftClaim(
            id=f"{article_id}-{n + 1:02d}", article=article_id, sentence=n, start=s.start, end=s.end, quote=s.text
        )
        claim.suggested = _claim_suggestions(s, speaker, spoken, lexicon, actors)
        draft.claims.append(claim)
    return draft


def _inside(s: _Sentence, name: str) -> bool:
    i = s.text.find(name)
    return i >= 0 and any(a <= i < b for a, b in s.quoted)


def _is_person(actor: DraftActor) -> bool:
    kind = actor.type or (actor.suggested["type"].value if "type" in actor.suggested else None)
    return kind == "person"


@lru_cache(maxsize=8192)
def _whole(phrase: str) -> re.Pattern[str]:
    """``phrase`` as whole words (re's own cache holds 512 patterns; a draft's names and aliases pass that)."""
    return re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])")


def _mentions(s: _Sentence, actors: _Actors) -> list[tuple[int, DraftActor]]:
    """(offset, actor) of every known actor's name or alias in the sentence, outside its quotations."""
    text = fold(s.text).lower()
    found = []
    for key, actor in list(actors.by_key.items()):
        if key not in text:
            continue
        for m in _whole(key).finditer(text):
            if not any(a <= m.start() < b for a, b in s.quoted):
                found.append((m.start(), actor))
    return sorted(found, key=lambda f: f[0])


def _speakers(sents: list[_Sentence], actors: _Actors) -> list[tuple[Any, str]]:
    """Per sentence: (speaker suggestion value and rule, source words), by the attribution rules, with
    pronouns and quotations that name no one resolved from the sentences around them."""
    out: list[tuple[Any, str]] = []
    last_named: DraftActor | None = None  # the last named speaker
    last_person: DraftActor | None = None  # the person last named, as a speaker or not
    last_body: DraftActor | None = None  # the body (not a person) last named
    resolved: list[tuple[str, str, str | None] | None] = []  # (speaker id, rule, source)
    for s in sents:
        a = s.attribution
        for name, start, end in names_in(s.text):
            if actor_type(name) == "person" and not _inside(s, name):
                actors.add(name, "actor-name", speaker=False, phrase=s.text[max(start - 40, 0) : end])
        if a is not None and a.kind == "named":
            actors.add(a.who, "actor-speaker", speaker=True, phrase=a.phrase)
        mentions = _mentions(s, actors)
        if a is None:
            resolved.append(None)
        elif a.kind == "unnamed":
            resolved.append((UNNAMED, a.rule, a.who))
        elif a.kind == "pronoun":
            # he/she: the person last named before it; it: the body last named; they/we/I: the last speaker
            before = [actor for at_, actor in mentions if at_ < a.start]
            if a.who in ("he", "she"):
                target = next((x for x in before if _is_person(x)), last_person)
            elif a.who == "it":
                target = next((x for x in before if not _is_person(x)), last_body)
            else:
                target = last_named
            resolved.append((target.id, "pronoun-said", None) if target else (UNNAMED, "pronoun-said", a.phrase))
        elif a.kind == "role":  # "the mayor said": the person last named with that office, else the office
            actor = actors.by_title.get(a.who)
            if actor is None:
                office = re.sub(r"^(?:the|its|their|his|her)\s+", "", a.phrase, flags=re.IGNORECASE)
                actor = actors.add(office, "actor-speaker", speaker=True)
                actor.suggested["type"] = suggest("actor-type", "person")
                actors.by_title[a.who] = actor
            resolved.append((actor.id, a.rule, None))
            last_named = actor
        else:
            actor = actors.add(a.who, "actor-speaker", speaker=True, phrase=a.phrase)
            resolved.append((actor.id, a.rule, None))
            last_named = actor
        # The subject of the last sentence that names a person (or a body): its speaker, else the first named.
        speaker = actors.draft.actor(resolved[-1][0]) if resolved[-1] else None
        ordered = [speaker] if speaker else []
        ordered += [actor for _, actor in mentions]
        last_person = next((x for x in ordered if _is_person(x)), last_person)
        last_body = next((x for x in ordered if not _is_person(x)), last_body)
    # A quotation that credits no one: the next sentence's speaker, or the previous one's.
    for i, s in enumerate(sents):
        if resolved[i] is not None or not _is_quotation(s):
            continue
        nxt = resolved[i + 1] if i + 1 < len(sents) and sents[i + 1].paragraph in (s.paragraph,) else None
        if nxt is None and i + 1 < len(sents) and sents[i + 1].opens_inside:
            nxt = resolved[i + 1]
        # The previous sentence's speaker, in its paragraph or, for a paragraph that is all quotation, the one
        # before it: news gives a quotation its own paragraph after the sentence that names its speaker.
        prev = resolved[i - 1] if i > 0 else None
        pick = nxt or prev
        if pick is not None:
            resolved[i] = (pick[0], "quote-next-sentence", pick[2])
    for r in resolved:
        out.append(((r[0], r[1]), r[2] or "") if r else ((NARRATION, "narration"), ""))
    return out


def _is_quotation(s: _Sentence) -> bool:
    total = max(word_count(s.text), 1)
    return s.quoted_words / total >= QUOTE_SHARE


def _claim_suggestions(
    s: _Sentence, speaker: tuple[str, str], source: str, lexicon: Lexicon, actors: _Actors
) -> dict[str, Any]:
    who, rule = speaker
    out: dict[str, Any] = {"speaker": suggest(rule, who)}
    if who == UNNAMED:
        out["source"] = suggest(rule, source or UNKNOWN)
    credited = who != NARRATION
    if not credited:
        kind = suggest("kind-narration", "narration")
    elif s.longest_quote >= MIN_DIRECT_WORDS:
        kind = suggest("kind-direct", "direct")
    else:
        kind = suggest("kind-paraphrase", "paraphrase")
    out["kind"] = kind
    if kind.value == "direct":
        span = " … ".join(s.text[a:b].strip(EDGE) for a, b in s.quoted if s.text[a:b].strip(EDGE))
        out["quote_span"] = suggest("quote-span", span)
    out["loaded_terms"] = suggest("lexicon", lexicon.terms_in(s.text))
    out["scare_quotes"] = suggest("scare-quote", _scare_quotes(s, kind.value))
    labels: dict[str, list[str]] = {}
    for actor in actors.draft.actors:
        for name in sorted({actor.name, *actor.aliases}, key=len, reverse=True):
            if name not in s.text:
                continue
            for m in _whole(name).finditer(s.text):
                if any(m.start() < e and b < m.end() for b, e in _spans(labels, s.text)):
                    continue
                labels.setdefault(actor.id, [])
                if m.group(0) not in labels[actor.id]:
                    labels[actor.id].append(m.group(0))
    out["labels"] = suggest("label-alias", labels)
    out["actors"] = suggest("label-alias", [a for a in labels if a != who])
    return out


def _spans(labels: dict[str, list[str]], text: str) -> list[tuple[int, int]]:
    spans = []
    for phrases in labels.values():
        for p in phrases:
            i = text.find(p)
            if i >= 0:
                spans.append((i, i + len(p)))
    return spans


def _scare_quotes(s: _Sentence, kind: str) -> list[str]:
    """Short quoted words of narration, or of the words naming a source (rule "scare-quote")."""
    found: list[str] = []
    tag = s.attribution
    for a, b in s.quoted:
        word = s.text[a:b].strip(EDGE)
        if not word or word_count(word) > MAX_SCARE_QUOTE_WORDS or word_count(word) >= word_count(s.text) - 1:
            continue
        in_tag = tag is not None and tag.start - 1 <= a and b <= tag.end + 1
        if (kind == "narration" or in_tag) and word not in found:
            found.append(word)
    return found


def accept_all(draft: Draft) -> Draft:
    """A copy of ``draft`` with every claim's suggestion accepted where the teacher has given no value,
    and every speaker candidate kept."""
    draft = draft.model_copy(deep=True)
    for claim in draft.claims:
        for name in SUGGESTED_FIELDS:
            sug = claim.suggested.get(name)
            if sug is None or claim.accepted.get(name):
                continue
            if getattr(claim, name) not in (None, "", [], {}):
                continue  # the teacher's own value stands; it is not the suggestion's to replace
            setattr(claim, name, sug.value)
            claim.accepted[name] = True
    speakers = {c.speaker for c in draft.claims}
    for actor in draft.actors:
        if actor.id in speakers:
            actor.confirmed = True
        if actor.type is None and "type" in actor.suggested:
            actor.type = actor.suggested["type"].value
            actor.accepted["type"] = True
        if "aliases" in actor.suggested:
            actor.accepted["aliases"] = True
    return draft
