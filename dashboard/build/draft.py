"""A story in the making: the records a teacher is building, each suggestion beside the value in force.

The shapes mirror the story schema (``dashboard/data/schema.py``) but every field a teacher
has yet to decide may be empty. A claim keeps, per field, the builder's ``Suggestion`` (its
value, the rule that made it, the rule in a sentence and the codebook section that states it)
and whether the teacher ``accepted`` it; the value in force is the teacher's own where given.
Drafts are stored as JSON: ``Draft.model_dump_json()`` and ``Draft.model_validate_json()``
round-trip.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

CODEBOOK = "docs/codebook.md"
UNKNOWN = "unknown"
# The claim fields the builder suggests, in the order a table shows them.
SUGGESTED_FIELDS = ("speaker", "source", "kind", "quote_span", "loaded_terms", "scare_quotes", "labels", "actors")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Suggestion(Model):
    """A value the builder proposes, with the rule that made it and where the codebook states that rule."""

    value: Any = None
    rule: str  # a stable id: "said-after", "according-to", ...
    rule_text: str  # the rule in one sentence
    anchor: str = ""  # a link into the codebook, "docs/codebook.md#speaker-and-kind"
    words: str | None = None  # the words of the text it came from, where that helps ("last week")


class DraftMeta(Model):
    title: str | None = None
    description: str | None = None
    coverage: str | None = None
    licence: str | None = None
    language: str | None = None


class DraftOutlet(Model):
    id: str
    name: str
    kind: str | None = None
    scope: str | None = None
    country: str | None = None
    ownership: str | None = None
    funding: str | None = None
    language: str | None = None
    homepage: str | None = None
    aliases: list[str] = []


class DateMention(Model):
    """A relative date in an article, resolved from the article's date."""

    words: str
    start: int
    end: int
    suggestion: Suggestion


class DraftArticle(Model):
    id: str
    outlet: str
    headline: str | None = None
    date: str | None = None  # partial ISO
    authors: list[str] | None = None
    url: str | None = None
    language: str | None = None
    filename: str | None = None
    text: str = ""
    found: list[str] = []  # the facts read from the file (headline, author, date, url, site_name, language)
    dates: list[DateMention] = []


class DraftActor(Model):
    id: str
    name: str
    type: str | None = None
    camp: str | None = None
    role: str | None = None
    aliases: list[str] = []
    suggested: dict[str, Suggestion] = {}  # "name", "type": how the builder found it
    accepted: dict[str, bool] = {}
    confirmed: bool = False  # the teacher has kept this candidate


class DraftClaim(Model):
    id: str
    article: str
    sentence: int = 0  # its sentence's index in the article
    start: int = 0  # offsets of the quote in the article's text
    end: int = 0
    quote: str
    keep: bool = True  # False: the teacher leaves this sentence out of the story
    speaker: str | None = None  # an actor id, "narration" or "unnamed"
    source: str | None = None
    kind: str | None = None
    quote_span: str | None = None  # the words inside quotation marks of a direct quote
    labels: dict[str, list[str]] = {}
    loaded_terms: list[str] = []
    scare_quotes: list[str] = []
    events: list[str] = []
    actors: list[str] = []
    issues: list[str] = []
    note: str | None = None
    suggested: dict[str, Suggestion] = {}
    accepted: dict[str, bool] = {}

    def is_accepted(self, field: str) -> bool:
        return bool(self.accepted.get(field))


class DraftEvent(Model):
    id: str
    title: str | None = None
    summary: str | None = None
    date: str | None = None
    end: str | None = None
    date_note: str | None = None
    category: str | None = None  # a category's name; its id is made from it
    claims: list[str] = []
    actors: list[str] = []


class DraftIssue(Model):
    id: str
    question: str
    short: str | None = None


class DraftPosition(Model):
    actor: str
    issue: str
    stance: str
    since: str | None = None
    evidence: list[str] = []
    basis: str | None = None
    note: str | None = None


class DraftPrompt(Model):
    id: str
    text: str
    page: str
    poll: list[str] | None = None
    written: bool = False


class DraftStep(Model):
    title: str
    page: str
    prompt: str | None = None
    note: str | None = None
    minutes: int | None = None
    phones: bool = False
    settings: dict[str, Any] = {}


class DraftPath(Model):
    id: str
    title: str
    description: str | None = None
    steps: list[DraftStep] = []


class DraftLexiconEntry(Model):
    term: str
    category: str
    variants: list[str] = []
    not_in: list[str] = []


class Draft(Model):
    meta: DraftMeta = Field(default_factory=DraftMeta)
    outlets: list[DraftOutlet] = []
    articles: list[DraftArticle] = []
    actors: list[DraftActor] = []
    claims: list[DraftClaim] = []
    events: list[DraftEvent] = []
    issues: list[DraftIssue] = []
    positions: list[DraftPosition] = []
    prompts: list[DraftPrompt] = []
    paths: list[DraftPath] = []
    lexicon: list[DraftLexiconEntry] = []
    # The codebook's general lexicon has been copied in (once: a teacher who empties the lexicon keeps it empty).
    lexicon_started: bool = False

    def claim(self, claim_id: str) -> DraftClaim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    def article(self, article_id: str) -> DraftArticle | None:
        return next((a for a in self.articles if a.id == article_id), None)

    def actor(self, actor_id: str) -> DraftActor | None:
        return next((a for a in self.actors if a.id == actor_id), None)
