"""The dataset's typed models: what each record must hold, field by field.

Only the shape of each record is checked here; references between records
(does this claim's article exist?) are checked in ``dataset.py``. Every model
forbids unknown fields, so a misspelt key is an error rather than a silently
ignored value. The codebook (docs/codebook.md) explains what each field means.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from dashboard.data.dates import PartialDate

UNKNOWN = "unknown"

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]

STANCES: tuple[str, ...] = ("supports", "leans_support", "mixed", "leans_against", "opposes")
Stance = Literal["supports", "leans_support", "mixed", "leans_against", "opposes"]
ClaimKind = Literal["narration", "direct", "paraphrase"]
# How strong a position's evidence is (codebook, "Evidence basis"): the actor's own words, a named
# source reporting them, the outlet's own characterisation, or sources the text does not name.
EvidenceBasis = Literal["own_words", "named_source", "characterisation", "unnamed_sources"]
ActorType = Literal[
    "person", "government", "coalition", "institution", "party", "international body", "group", "company", "media"
]
# Speakers that are not actors: the outlet's own voice, and sources it does not name.
NARRATION = "narration"
UNNAMED = "unnamed"
FRAMING_FUNCTIONS: tuple[str, ...] = ("problem_definition", "causal_interpretation", "moral_evaluation", "remedy")


def _check_url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a URL string or 'unknown'")
    value = value.strip()
    if value == UNKNOWN:
        return value
    if len(value) > 2000 or any(c.isspace() or ord(c) < 32 or c in "<>\"'`" for c in value):
        raise ValueError("a URL may not contain spaces, quotes, angle brackets or control characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL; write the full address or 'unknown'")
    return value


def _date_or_unknown(value: Any) -> PartialDate | str:
    if value == UNKNOWN:
        return UNKNOWN
    return PartialDate.parse(value)


def _authors(value: Any) -> list[str] | str:
    if value == UNKNOWN:
        return UNKNOWN
    if not isinstance(value, list) or not value:
        raise ValueError("expected a list of author names, or 'unknown'")
    names = []
    for name in value:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("each author must be a non-empty name")
        names.append(name.strip())
    return names


def _as_link_text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) == len(values):  # the usual case, and the cheapest check
        return values
    seen = {v for v, n in Counter(values).items() if n > 1}  # linear: a hostile list may hold 10^5 ids
    if seen:
        raise ValueError(f"listed more than once: {', '.join(sorted(seen))}")
    return values


Url = Annotated[str, PlainValidator(_check_url)]
DateOrUnknown = Annotated[PartialDate | str, PlainValidator(_date_or_unknown)]
Authors = Annotated[list[str] | str, PlainValidator(_authors)]
IdList = Annotated[list[Id], AfterValidator(_unique)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Meta(Record):
    title: ShortText
    description: Text
    coverage: Text
    licence: Text
    last_updated: PartialDate
    language: ShortText | None = None


class Camp(Record):
    id: Id
    name: ShortText
    description: Text | None = None


class Category(Record):
    id: Id
    name: ShortText


class Outlet(Record):
    id: Id
    name: ShortText
    kind: ShortText
    scope: ShortText | None = None
    country: ShortText
    ownership: ShortText
    funding: ShortText
    language: ShortText
    homepage: Url
    aliases: list[ShortText] = []  # other names the texts use for it; masked in the quiz
    colour: Colour | None = None
    # The name on a chart's axis and a projector, whole: never cut (default: the shortest of name and aliases).
    short_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)] | None = None
    note: Text | None = None


class Repost(Record):
    article: Id
    relation: Literal["excerpt", "rewrite", "repost"]


class Article(Record):
    id: Id
    outlet: Id
    headline: ShortText
    headline_note: Text | None = None
    date: DateOrUnknown
    date_note: Text | None = None
    not_before: PartialDate | None = None
    authors: Authors
    authors_note: Text | None = None
    url: Url
    reposts: Repost | None = None
    source_file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+\.txt$")] | None = None
    words: Annotated[int, Field(gt=0, le=1_000_000)] | None = None
    words_note: Text | None = None


class Actor(Record):
    id: Id
    name: ShortText
    type: ActorType
    camp: Id
    role: ShortText | None = None
    aliases: list[ShortText] = []


class Issue(Record):
    id: Id
    question: ShortText
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None = None
    description: Text | None = None


class Event(Record):
    id: Id
    title: ShortText
    summary: Text
    date: PartialDate
    end: PartialDate | None = None
    date_note: Text | None = None
    category: Id
    actors: IdList = []


class Claim(Record):
    id: Id
    article: Id
    quote: Text
    speaker: Id
    source: ShortText | None = None
    kind: ClaimKind
    events: IdList = []
    actors: IdList = []
    issues: IdList = []
    labels: dict[Id, ShortText | list[ShortText]] = {}
    loaded_terms: list[ShortText] = []
    scare_quotes: list[ShortText] = []
    note: Text | None = None

    def label_pairs(self) -> list[tuple[str, str]]:
        """(actor, label) for every label, flattening actors named more than one way."""
        return [(a, v) for a, lab in self.labels.items() for v in ([lab] if isinstance(lab, str) else lab)]


class Position(Record):
    actor: Id
    issue: Id
    stance: Stance
    since: PartialDate = Field(alias="from")
    until: PartialDate | None = None
    evidence: Annotated[IdList, Field(min_length=1)]
    basis: EvidenceBasis | None = None  # None: not yet coded (the audit reports it)
    note: Text | None = None


class FramingFunction(Record):
    text: Text
    claims: Annotated[IdList, Field(min_length=1)]


class Framing(Record):
    article: Id
    problem_definition: FramingFunction
    causal_interpretation: FramingFunction
    moral_evaluation: FramingFunction
    remedy: FramingFunction


class FactVersion(Record):
    claim: Id
    value: ShortText


class Fact(Record):
    id: Id
    question: ShortText
    versions: Annotated[list[FactVersion], Field(min_length=2)]
    note: Text | None = None
    # Words that would state the disputed outcome as the dataset's own finding ("won", "declared himself"): the
    # audit reports them in the dataset's own voice unless quoted or attributed.
    disputed_words: list[ShortText] = []


MAX_POLL_OPTIONS = 8
MAX_SPOT = 40  # excerpts one prompt lists for "Spot the framing"


def _plain_line(value: str) -> str:
    # The room store refuses control and invisible characters in an option; say so here, located.
    odd = [c for c in value if unicodedata.category(c) in ("Cc", "Cf") and c != "\u200d"]
    if odd:
        raise ValueError(f"a poll option must be one line of plain text; it has U+{ord(odd[0]):04X}")
    return value


# A poll option is read on a phone and counted on the projector: one short line of plain text.
PollOption = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), AfterValidator(_plain_line)
]


class Prompt(Record):
    """A discussion question shown beside a view, tied to what it asks about."""

    id: Id
    text: Text
    page: Id  # a view's id; which ids exist is the views' to say (dashboard.views.checks)
    events: IdList = []
    actors: IdList = []
    issues: IdList = []
    outlets: IdList = []
    # In a live room (docs/codebook.md, "Polls"): a quick poll of 2 to 8 options, or a written answer.
    poll: (
        Annotated[list[PollOption], Field(min_length=2, max_length=MAX_POLL_OPTIONS), AfterValidator(_unique)] | None
    ) = None
    written: bool = False
    # In a live room: "Spot the framing" on these claims' quotes (each 20 to 60 words), in this order
    # (docs/codebook.md, "Spot the framing"); the prompts' lists together are the activity's excerpts.
    spot: Annotated[IdList, Field(max_length=MAX_SPOT)] = []

    @field_validator("written")
    @classmethod
    def _poll_or_written(cls, written: bool, info: ValidationInfo) -> bool:
        if written and info.data.get("poll"):
            raise ValueError("a prompt has a poll or a written answer, not both")
        return written

    @field_validator("spot")
    @classmethod
    def _one_activity(cls, spot: list[str], info: ValidationInfo) -> list[str]:
        if spot and (info.data.get("poll") or info.data.get("written")):
            raise ValueError("a prompt has excerpts to spot the framing in, or a poll or a written answer, not both")
        return spot


class PathStep(Record):
    title: ShortText
    page: Id  # a view's id; which ids exist is the views' to say (dashboard.views.checks)
    # The view's link settings, as in its URL; a bare number (seed: 2024) is read as the text a link carries.
    settings: dict[Id, Annotated[ShortText | list[ShortText], BeforeValidator(_as_link_text)]] = {}
    prompt: Id | None = None
    note: Text | None = None  # for the teacher: what to draw out at this step
    minutes: Annotated[int, Field(ge=1, le=120)] | None = None
    # Students follow this step on their phones: its student link is shown with a QR code on the projector.
    phones: bool = False


class PresenterPath(Record):
    """A teacher's ordered walk through the views, each step a view with its settings and a prompt."""

    id: Id
    title: ShortText
    description: Text | None = None
    steps: Annotated[list[PathStep], Field(min_length=1, max_length=50)]


MAX_NOT_IN = 20  # phrases per lexicon entry; each match of the term is tested against each of them


class LexiconEntry(Record):
    term: ShortText
    category: ShortText
    variants: list[ShortText] = []
    # Fixed phrases inside which the term is not counted ("regime" in "regime change"); codebook section 8.
    not_in: Annotated[list[ShortText], Field(max_length=MAX_NOT_IN)] = []


# Each top-level list, the model of its items, and whether the file must have it.
SECTIONS: dict[str, tuple[type[Record], bool]] = {
    "camps": (Camp, True),
    "categories": (Category, True),
    "outlets": (Outlet, True),
    "articles": (Article, True),
    "actors": (Actor, True),
    "issues": (Issue, True),
    "events": (Event, True),
    "claims": (Claim, True),
    "positions": (Position, False),
    "framing": (Framing, False),
    "facts": (Fact, False),
    "lexicon": (LexiconEntry, False),
    "prompts": (Prompt, False),
    "paths": (PresenterPath, False),
}
SCHEMA_VERSION = 1
MAX_LEXICON_TERMS = 500  # the real one has 65; matching cost grows with terms × text
