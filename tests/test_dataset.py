"""check_dataset: every bad record is reported at its node, all at once, and nothing bad is ever raised.

These are code tests: they run on ``MINIMAL`` (tests/dataset_helpers.py) and its edits, never on
data/events.yaml, so editing the curated data cannot break them. Tests about the curated data itself
live in tests/data/.

Most cases are rows of ``BAD_EDITS``: one edit of a valid dataset and the problem it must cause,
given as the text the problem is located at (its line and column are found with ``where`` in the
edited text) and the exact message reported there. ``VALID_EDITS`` are edits that must stay valid.
Cases that need more than an edit (several edits at once, budgets, bytes, a folder of sources, the
environment) are separate tests below the tables.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from dataset_helpers import DATA, MINIMAL, check_text, edit, messages, minimal_dataset, where, write_yaml

from dashboard.data import dataset as dataset_module
from dashboard.data.dataset import DatasetError, check_dataset, data_path, load_dataset
from dashboard.data.yaml_reader import Budgets

# Text that anchors each edit; ``edit`` insists each occurs exactly once in the text it edits.
C1_EVENTS = "    events: [talks-2024]\n"
C1_LOADED = "    loaded_terms: [authoritarian]\n"
C1_LABELS = "labels: {president: authoritarian President Smith}"
C1_SCARE = "    scare_quotes: [talks]\n"
C2_HEAD = "  - id: c2\n    article: daily-2024-01-15\n"
C2_SPEAKER = "    speaker: minister\n"
C2_QUOTE = "    quote: We will negotiate in good faith,\n"
ARTICLE_DATE = '    date: "2024-01-15"\n'
ARTICLE_URL = "    url: https://daily.example.org/talks-begin\n"
ARTICLE_SOURCE = "    source_file: daily.txt\n"
HOMEPAGE = "    homepage: https://daily.example.org\n"
EVENT_DATE = '    date: "2024-01"\n'
META = MINIMAL[MINIMAL.index("meta:\n") : MINIMAL.index("camps:\n")]
LEXICON_END = "  - {term: authoritarian, category: delegitimising label}\n"  # MINIMAL's last line
assert MINIMAL.endswith(LEXICON_END)

FRAMING = """\
framing:
  - article: daily-2024-01-15
    problem_definition: {text: Deadlock., claims: [c1]}
    causal_interpretation: {text: Pressure., claims: [c1]}
    moral_evaluation: {text: Authoritarian., claims: [c1]}
    remedy: {text: Talks., claims: [c2]}
"""

FACTS = """\
facts:
  - id: who-agreed
    question: Who agreed to talks?
    versions:
      - {claim: c1, value: President Smith}
      - {claim: c2, value: We}
"""
FRAMED = MINIMAL + FRAMING
WITH_FACTS = MINIMAL + FACTS

ID_PATTERN = "'^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$'"
STANCES = "'supports', 'leans_support', 'mixed', 'leans_against' or 'opposes'"
NOT_HTTP = "is not an http(s) URL; write the full address or 'unknown'"


def line_of(snippet: str) -> int:
    """The line of ``snippet`` in MINIMAL (edits below it leave the number unchanged)."""
    return where(MINIMAL, snippet)[0]


def problems_of(tmp_path: Path, text: str, **kwargs) -> tuple[str, list[str]]:
    """Check ``text`` and return (its path, its problems as 'PATH:LINE:COL: message' strings)."""
    path, dataset, problems = check_text(tmp_path, text, **kwargs)
    assert (dataset is None) == bool(problems)
    return path, messages(problems)


# What a refused record's problem adds when references to it were folded under it (tested on its own below).
ECHOES = re.compile(r"; with it, \d+ references? to this [\w ]+ fails? \(not listed\)$")


def causes(found: list[str]) -> list[str]:
    """The problems without the count of references folded under each."""
    return [ECHOES.sub("", f) for f in found]


def at(path: str, text: str, snippet: str, message: str, occurrence: int = 1) -> str:
    line, col = where(text, snippet, occurrence)
    return f"{path}:{line}:{col}: {message}"


# -- the minimal dataset ------------------------------------------------------------------


def test_minimal_dataset_is_valid(tmp_path: Path):
    path, dataset, problems = check_text(tmp_path, minimal_dataset())
    assert problems == []
    assert dataset is not None
    assert dataset.source == path
    assert [c.id for c in dataset.claims] == ["c1", "c2"]
    assert [c.kind for c in dataset.claims] == ["narration", "direct"]
    expected = {
        "outlets": 1,
        "articles": 1,
        "actors": 2,
        "issues": 1,
        "events": 1,
        "claims": 2,
        "positions": 1,
        "framing": 0,
        "facts": 0,
        "lexicon terms": 1,
    }
    counts = dataset.counts()
    assert {name: counts.get(name) for name in expected} == expected
    assert dataset.events[0].date.first.isoformat() == "2024-01-01"
    assert dataset.positions[0].since.iso == "2024-01"


def test_minimal_dataset_with_framing_and_facts_is_valid(tmp_path: Path):
    _, dataset, problems = check_text(tmp_path, minimal_dataset(FRAMING + FACTS))
    assert problems == []
    assert len(dataset.framing) == 1 and len(dataset.facts) == 1


def test_minimal_dataset_quotes_are_in_its_source_text(tmp_path: Path, minimal_sources: Path):
    _, dataset, problems = check_text(tmp_path, minimal_dataset(), sources=minimal_sources)
    assert problems == []
    assert dataset is not None


def test_load_dataset_returns_the_records_or_raises_with_the_problems(tmp_path: Path):
    good = write_yaml(tmp_path, minimal_dataset(), "good.yaml")
    assert load_dataset(good).by_id("actors")["minister"].name == "The Minister"
    bad = write_yaml(tmp_path, edit(MINIMAL, C2_SPEAKER, "    speaker: nobody\n"), "bad.yaml")
    with pytest.raises(DatasetError) as caught:
        load_dataset(bad)
    assert caught.value.problems
    assert all(p.path == str(bad) for p in caught.value.problems)
    assert any("unknown speaker" in p.message for p in caught.value.problems)


# -- one edit, one located problem --------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """``old`` replaced by ``new`` in ``base`` must be reported as ``message`` at the start of ``at``."""

    id: str
    old: str
    new: str
    at: str  # text of the edited dataset where the problem is located
    message: str  # the whole message reported there
    occurrence: int = 1  # which occurrence of ``at`` in the edited text
    alone: bool = False  # and it is the only problem reported
    base: str = MINIMAL


BAD_EDITS: list[Bad] = [
    # shapes of records
    Bad(
        "outlet-short-name-too-long",
        "    name: The Daily\n",
        "    name: The Daily\n    short_name: The Daily of the Testland Republic\n",
        "The Daily of the Testland Republic",
        "outlet daily: short_name: String should have at most 20 characters",
    ),
    Bad(
        "wrong-type",
        "    outlet: daily\n",
        "    outlet: [daily]\n",
        "[daily]",
        "article daily-2024-01-15: outlet: Input should be a valid string",
    ),
    Bad(
        "words-not-positive",
        ARTICLE_SOURCE,
        ARTICLE_SOURCE + "    words: -5\n",
        "-5",
        "article daily-2024-01-15: words: Input should be greater than 0",
    ),
    Bad(
        "year-unquoted",
        '  last_updated: "2024-01-20"\n',
        "  last_updated: 2024\n",
        "2024\n",
        'meta.last_updated: write the year as a quoted string: "2024"',
    ),
    Bad(
        "meta-not-a-mapping",
        META,
        "meta: just words\n",
        "just words",
        "meta: Input should be a valid dictionary or instance of Meta",
    ),
    Bad(
        "missing-field", "    name: The Minister\n", "", "id: minister", "actor minister: missing required field 'name'"
    ),
    Bad(
        "missing-meta-field",
        "  licence: CC BY 4.0\n",
        "",
        "title: Test dataset",
        "meta: missing required field 'licence'",
    ),
    Bad(
        "missing-section",
        "issues:\n  - id: negotiate\n    question: Negotiate with the other side?\n",
        "",
        "schema_version",
        "missing section 'issues'",
    ),
    Bad(
        "missing-schema-version",
        "schema_version: 1\n",
        "",
        "meta:",
        "missing 'schema_version' (this reader understands version 1)",
    ),
    *[
        Bad(
            f"schema-version-{name}",
            "schema_version: 1\n",
            f"schema_version: {version}\n",
            f"{version}\n",
            f"schema_version {shown} is not supported; expected 1",
            alone=True,
        )
        for name, version, shown in [("2", "2", "2"), ("quoted", "'1'", "'1'"), ("true", "true", "True")]
    ],
    Bad(
        "unknown-field-close-match",
        "    name: The Minister\n",
        "    name: The Minister\n    aliasses: [Minister]\n",
        "aliasses",
        "actor minister: unknown field 'aliasses' (did you mean 'aliases'?)",
    ),
    Bad(
        "unknown-field-no-close-match",
        "    name: Talks\n",
        "    name: Talks\n    zzz: 1\n",
        "zzz",
        "category talks: unknown field 'zzz'; expected one of: id, name",
    ),
    Bad(
        "unknown-meta-field",
        "  licence: CC BY 4.0\n",
        "  licence: CC BY 4.0\n  licens: x\n",
        "licens: x",
        "meta: unknown field 'licens' (did you mean 'licence'?)",
    ),
    Bad(
        "unknown-section",
        LEXICON_END,
        LEXICON_END + "evnts: []\n",
        "evnts",
        "unknown section 'evnts' (did you mean 'events'?)",
    ),
    Bad(
        "section-not-a-list",
        LEXICON_END,
        LEXICON_END + "facts: {id: x}\n",
        "{id: x}",
        "'facts' must be a list of records",
    ),
    Bad(
        "record-not-a-mapping",
        "  - id: talks\n    name: Talks\n",
        "  - talks\n",
        "talks\n",
        "categories[0]: Input should be a valid dictionary or instance of Category",
    ),
    *[
        Bad(
            f"id-{name}",
            "  - id: talks\n",
            f"  - id: {bad_id}\n",
            bad_id,
            f"category {shown}: id: String should match pattern {ID_PATTERN}",
        )
        for name, bad_id, shown in [
            ("with-space", "'has space'", "has space"),
            ("leading-dash", "-leading-dash", "-leading-dash"),
            ("non-ascii", "'ü'", "ü"),
        ]
    ],
    # duplicates
    Bad(
        "duplicate-actor-id",
        "  - id: minister\n",
        "  - id: president\n",
        "president",
        f"duplicate id 'president' in actors (first at line {line_of('id: president')})",
        occurrence=2,
    ),
    Bad(
        "duplicate-claim-id",
        "  - id: c2\n",
        "  - id: c1\n",
        "c1\n    article",
        f"duplicate id 'c1' in claims (first at line {line_of('id: c1')})",
        occurrence=2,
    ),
    Bad(
        "duplicate-list-entry",
        C1_EVENTS,
        "    events: [talks-2024, talks-2024]\n",
        "[talks-2024, talks-2024]",
        "claim c1: events: listed more than once: talks-2024",
    ),
    Bad(
        "duplicate-lexicon-form",
        LEXICON_END,
        LEXICON_END + "  - {term: Authoritarian, category: again}\n",
        "Authoritarian,",
        f"lexicon: 'Authoritarian' is listed twice (first at line {line_of('{term: authoritarian')})",
    ),
    # references between records
    Bad(
        "article-unknown-outlet",
        "    outlet: daily\n",
        "    outlet: dailly\n",
        "dailly",
        "article daily-2024-01-15: unknown outlet 'dailly' (did you mean 'daily'?)",
    ),
    Bad(  # the same edit leaves the outlet with no article, a problem of its own
        "outlet-without-articles",
        "    outlet: daily\n",
        "    outlet: dailly\n",
        "daily\n",
        "outlet daily: no article belongs to this outlet",
    ),
    Bad(
        "claim-unknown-article",
        C2_HEAD,
        "  - id: c2\n    article: daily-2024-01-16\n",
        "daily-2024-01-16",
        "claim c2: unknown article 'daily-2024-01-16' (did you mean 'daily-2024-01-15'?)",
    ),
    Bad(
        "claim-unknown-speaker",
        C2_SPEAKER,
        "    speaker: ministr\n",
        "ministr\n",
        "claim c2: unknown speaker (an actor, 'narration' or 'unnamed') 'ministr' (did you mean 'minister'?)",
    ),
    Bad(
        "claim-unknown-event",
        C1_EVENTS,
        "    events: [talks-2025]\n",
        "talks-2025",
        "claim c1: unknown event 'talks-2025' (did you mean 'talks-2024'?)",
    ),
    Bad(
        "claim-unknown-actor",
        "    actors: [president]\n",
        "    actors: [president, nobody]\n",
        "nobody",
        "claim c1: unknown actor 'nobody'",
    ),
    Bad(
        "claim-unknown-issue",
        "    issues: [negotiate]\n    labels",
        "    issues: [negotiat]\n    labels",
        "negotiat]",
        "claim c1: unknown issue 'negotiat' (did you mean 'negotiate'?)",
    ),
    Bad(
        "label-for-unknown-actor",
        "labels: {president: ",
        "labels: {presidant: ",
        "authoritarian President Smith}",
        "claim c1: unknown actor 'presidant' (did you mean 'president'?)",
    ),
    *[
        Bad(
            f"event-unknown-{what}",
            "    category: talks\n    actors: [president, minister]\n",
            "    category: talk\n    actors: [president, ministre]\n",
            snippet,
            message,
        )
        for what, snippet, message in [
            ("category", "talk\n", "event talks-2024: unknown category 'talk' (did you mean 'talks'?)"),
            ("actor", "ministre", "event talks-2024: unknown actor 'ministre' (did you mean 'minister'?)"),
        ]
    ],
    Bad(
        "actor-unknown-camp",
        "    type: person\n    camp: government\n  - id: minister",
        "    type: person\n    camp: govt\n  - id: minister",
        "govt",
        "actor president: unknown camp 'govt'",
    ),
    Bad(
        "position-unknown-evidence",
        "    evidence: [c2]\n",
        "    evidence: [c3]\n",
        "c3]",
        "position of minister on negotiate: unknown claim 'c3'",
    ),
    Bad(
        "position-evidence-about-another-actor",
        "    evidence: [c2]\n",
        "    evidence: [c2, c1]\n",
        "c1]",
        "position of minister on negotiate: claim c1 neither quotes nor concerns 'minister'",
    ),
    Bad(
        "position-evidence-on-another-issue",
        "    kind: direct\n    issues: [negotiate]\n",
        "    kind: direct\n",
        "c2]",
        "position of minister on negotiate: claim c2 is not coded with issue 'negotiate'",
    ),
    *[
        Bad(
            f"position-unknown-{what}",
            "  - actor: minister\n    issue: negotiate\n",
            "  - actor: mister\n    issue: talk\n",
            snippet,
            message,
        )
        for what, snippet, message in [
            ("actor", "mister", "position of mister on talk: unknown actor 'mister' (did you mean 'minister'?)"),
            ("issue", "talk\n", "position of mister on talk: unknown issue 'talk'"),
        ]
    ],
    Bad(
        "framing-unknown-claim",
        "{text: Talks., claims: [c2]}",
        "{text: Talks., claims: [c9]}",
        "c9",
        "framing of daily-2024-01-15: unknown claim 'c9'",
        base=FRAMED,
    ),
    Bad(
        "framing-unknown-article",
        "  - article: daily-2024-01-15\n",
        "  - article: daily-2024\n",
        "daily-2024\n",
        "framing of daily-2024: unknown article 'daily-2024' (did you mean 'daily-2024-01-15'?)",
        base=FRAMED,
    ),
    Bad(
        "framing-missing-a-function",
        "    remedy: {text: Talks., claims: [c2]}\n",
        "",
        "article: daily-2024-01-15\n    problem",
        "framing[0]: missing required field 'remedy'",
        base=FRAMED,
    ),
    Bad(
        "fact-unknown-claim",
        "{claim: c2, value: We}",
        "{claim: c5, value: We}",
        "c5",
        "fact who-agreed: unknown claim 'c5'",
        base=WITH_FACTS,
    ),
    Bad(
        "fact-value-not-in-the-quote",
        "{claim: c2, value: We}",
        "{claim: c2, value: They}",
        "They",
        "fact who-agreed: 'They' is not in the quote of c2",
        base=WITH_FACTS,
    ),
    Bad(  # located at the list of versions
        "fact-with-one-version",
        "      - {claim: c2, value: We}\n",
        "",
        "- {claim: c1",
        "fact who-agreed: versions: List should have at least 2 items after validation, not 1",
        base=WITH_FACTS,
    ),
    Bad(
        "repost-of-unknown-article",
        ARTICLE_SOURCE,
        ARTICLE_SOURCE + "    reposts: {article: elsewhere, relation: excerpt}\n",
        "elsewhere",
        "article daily-2024-01-15: unknown article 'elsewhere'",
    ),
    Bad(
        "repost-of-itself",
        ARTICLE_SOURCE,
        ARTICLE_SOURCE + "    reposts: {article: daily-2024-01-15, relation: excerpt}\n",
        "daily-2024-01-15, relation",
        "article daily-2024-01-15: an article cannot repost itself",
    ),
    # dates
    *[
        Bad(
            f"date-{value}",
            ARTICLE_DATE,
            f'    date: "{value}"\n',
            f'"{value}"',
            f"article daily-2024-01-15: date: {message}",
        )
        for value, message in [
            ("2019-02-30", "'2019-02-30': February 2019 has 28 days"),
            ("2019-13", "'2019-13': there is no month 13"),
            ("2019-00-10", "'2019-00-10': there is no month 0"),
            ("2019-04-31", "'2019-04-31': April 2019 has 30 days"),
            ("22 May 2019", '\'22 May 2019\' is not a date: write "YYYY", "YYYY-MM" or "YYYY-MM-DD"'),
            ("0999", "'0999': year 999 is out of range"),
        ]
    ],
    Bad(
        "event-ends-before-it-starts",
        EVENT_DATE,
        EVENT_DATE + '    end: "2023-12-31"\n',
        '"2023-12-31"',
        "event talks-2024: ends (2023-12-31) before it starts (2024-01)",
    ),
    Bad(
        "position-ends-before-it-starts",
        '    from: "2024-01"\n',
        '    from: "2024-01"\n    until: "2023"\n',
        '"2023"',
        "position of minister on negotiate: ends (2023) before it starts (2024-01)",
    ),
    # values
    Bad(
        "stance-off-the-scale",
        "    stance: supports\n",
        "    stance: strongly_supports\n",
        "strongly_supports",
        f"positions[0]: stance: Input should be {STANCES}",
    ),
    *[
        Bad(
            f"quote-{name}",
            C2_QUOTE,
            f"    quote: {empty}\n",
            empty + "\n",
            "claim c2: quote: String should have at least 1 character",
        )
        for name, empty in [("empty", "''"), ("blank", "'   '"), ("empty-double-quoted", '""')]
    ],
    Bad(  # the empty value stands just after the key
        "quote-missing",
        C2_QUOTE,
        "    quote:\n",
        "\n    speaker: minister",
        "claim c2: quote: Input should be a valid string",
    ),
    *[
        Bad(
            f"url-{url}",
            ARTICLE_URL,
            f"    url: '{url}'\n",
            f"'{url}'",
            f"article daily-2024-01-15: url: '{url}' {NOT_HTTP}",
        )
        for url in [
            "javascript:alert(1)",
            "ftp://daily.example.org/file",
            "data:text/html,hi",
            "//daily.example.org",
            "https:///x",
        ]
    ],
    Bad(
        "url-with-markup-characters",
        ARTICLE_URL,
        "    url: 'https://daily.example.org/\"><script>'\n",
        "'https://daily.example.org/\"",
        "article daily-2024-01-15: url: a URL may not contain spaces, quotes, angle brackets or control characters",
    ),
    Bad(
        "homepage-not-http",
        HOMEPAGE,
        "    homepage: 'javascript:void(0)'\n",
        "'javascript",
        f"outlet daily: homepage: 'javascript:void(0)' {NOT_HTTP}",
    ),
    # claims against their own quote
    Bad(
        "lexicon-term-not-in-loaded-terms",
        C1_LOADED,
        "",
        "The authoritarian President",
        "claim c1: lexicon terms in the quote but not in loaded_terms: authoritarian",
    ),
    Bad(
        "loaded-term-not-in-the-quote",
        C1_LOADED,
        "    loaded_terms: [authoritarian, regime]\n",
        "[authoritarian, regime]",
        "claim c1: loaded_terms not found in the quote as lexicon terms: regime",
    ),
    Bad(  # 'Monday' is in the quote, but it is not a lexicon term, so it cannot be coded as one
        "loaded-term-not-in-the-lexicon",
        C1_LOADED,
        "    loaded_terms: [authoritarian, Monday]\n",
        "[authoritarian, Monday]",
        "claim c1: loaded_terms not found in the quote as lexicon terms: Monday",
    ),
    Bad(
        "lexicon-term-added-later",
        LEXICON_END,
        LEXICON_END + "  - {term: faith, category: test}\n",
        "We will negotiate",
        "claim c2: lexicon terms in the quote but not in loaded_terms: faith",
    ),
    Bad(
        "label-not-in-the-quote",
        C1_LABELS,
        "labels: {president: the strongman}",
        "the strongman",
        "claim c1: label 'the strongman' does not occur in the quote",
    ),
    Bad(
        "scare-quote-not-in-quotation-marks",
        C1_SCARE,
        "    scare_quotes: [talks, Monday]\n",
        "Monday]",
        "claim c1: 'Monday' is not in quotation marks in the quote",
    ),
    Bad(
        "scare-quote-absent-from-the-quote",
        C1_SCARE,
        "    scare_quotes: [dialogue]\n",
        "dialogue",
        "claim c1: 'dialogue' is not in quotation marks in the quote",
    ),
    Bad(
        "narration-kind-with-a-named-speaker",
        "    kind: direct\n",
        "    kind: narration\n",
        "narration\n    issues: [negotiate]\npositions",
        "claim c2: kind is 'narration' exactly when speaker is 'narration'",
    ),
    Bad(
        "narration-speaker-with-another-kind",
        "    speaker: narration\n    kind: narration\n",
        "    speaker: narration\n    kind: paraphrase\n",
        "paraphrase",
        "claim c1: kind is 'narration' exactly when speaker is 'narration'",
    ),
    Bad(
        "unknown-kind",
        "    kind: direct\n",
        "    kind: quote\n",
        "quote\n    issues",
        "claim c2: kind: Input should be 'narration', 'direct' or 'paraphrase'",
    ),
    Bad(
        "unnamed-speaker-without-source",
        C2_SPEAKER,
        "    speaker: unnamed\n",
        "unnamed",
        "claim c2: an unnamed speaker needs 'source' (how the text attributes it)",
    ),
    Bad(  # the source is accepted: the position's evidence no longer quoting the minister is all that is left
        "unnamed-speaker-with-source",
        C2_SPEAKER,
        "    speaker: unnamed\n    source: a person familiar with the talks\n",
        "c2]",
        "position of minister on negotiate: claim c2 neither quotes nor concerns 'minister'",
        alone=True,
    ),
    Bad(
        "source-for-a-named-speaker",
        C2_SPEAKER,
        C2_SPEAKER + "    source: an aide\n",
        "an aide",
        "claim c2: 'source' is only for unnamed speakers",
    ),
    Bad(
        "reserved-actor-id",
        "  - id: minister\n",
        "  - id: narration\n",
        "narration\n    name",
        "actor narration: the id 'narration' is reserved",
    ),
    Bad(
        "event-reported-by-no-claim",
        C1_EVENTS,
        "",
        "talks-2024\n",
        "event talks-2024: no claim reports this event",
        alone=True,
    ),
    Bad(
        "article-with-source-but-no-claims",
        "actors:\n",
        "  - id: daily-2024-01-16\n    outlet: daily\n    headline: More talks\n    date: '2024-01-16'\n"
        "    authors: unknown\n    url: unknown\n    source_file: other.txt\nactors:\n",
        "other.txt",
        "article daily-2024-01-16: has a source text but no claims",
        alone=True,
    ),
    Bad(
        "claim-on-article-without-source-file",
        ARTICLE_SOURCE,
        "",
        "daily-2024-01-15",
        "claim c1: article 'daily-2024-01-15' has no source_file to quote from",
        occurrence=2,
    ),
]

# Edits that must leave the dataset valid: (id, the (old, new) edits applied in turn).
VALID_EDITS: list[tuple[str, list[tuple[str, str]]]] = [
    ("leap-day", [(ARTICLE_DATE, '    date: "2024-02-29"\n')]),
    # The start is the month of January 2024, so an end on 1 January does not precede it.
    ("event-ending-within-its-start-month", [(EVENT_DATE, EVENT_DATE + '    end: "2024-01-01"\n')]),
    ("url-unknown", [(ARTICLE_URL, "    url: unknown\n")]),
    (
        "label-with-straight-apostrophe-matches-curly-quote",
        [
            ("President Smith agreed", "President Smith’s side agreed"),
            (C1_LABELS, 'labels: {president: "President Smith\'s side"}'),
        ],
    ),
]


@pytest.mark.parametrize("case", BAD_EDITS, ids=[case.id for case in BAD_EDITS])
def test_a_bad_edit_is_reported_at_its_node(tmp_path: Path, case: Bad):
    text = edit(case.base, case.old, case.new)
    path, found = problems_of(tmp_path, text)
    found = causes(found)
    expected = at(path, text, case.at, case.message, case.occurrence)
    assert expected in found, "\n".join(found)
    if case.alone:
        assert found == [expected]


@pytest.mark.parametrize("edits", [e for _, e in VALID_EDITS], ids=[name for name, _ in VALID_EDITS])
def test_an_edit_that_keeps_the_dataset_valid(tmp_path: Path, edits: list[tuple[str, str]]):
    text = MINIMAL
    for old, new in edits:
        text = edit(text, old, new)
    _, found = problems_of(tmp_path, text)
    assert found == []


# -- many problems at once --------------------------------------------------------------------------


def test_all_problems_are_reported_at_once_in_file_order(tmp_path: Path):
    text = edit(MINIMAL, "    homepage: https://daily.example.org\n", "    homepage: 'ftp://x.org'\n")
    text = edit(
        text,
        "    type: person\n    camp: government\n  - id: minister",
        "    type: persn\n    camp: government\n  - id: minister",
    )
    text = edit(text, "    stance: supports\n", "    stance: maybe\n")
    text = edit(text, "    loaded_terms: [authoritarian]\n", "    loaded_terms: [authoritarian, regime]\n")
    text = edit(text, "  licence: CC BY 4.0\n", "  licence: CC BY 4.0\n  coverage: twice\n")
    path, found = problems_of(tmp_path, text)
    found = causes(found)
    expected = [
        at(path, text, "coverage: twice", "duplicate key 'coverage' (first at line 5); YAML would keep only the last"),
        at(
            path,
            text,
            "'ftp://x.org'",
            "outlet daily: homepage: 'ftp://x.org' is not an http(s) URL; write the full address or 'unknown'",
        ),
        at(
            path,
            text,
            "persn",
            "actor president: type: Input should be 'person', 'government', 'coalition', 'institution', 'party', "
            "'international body', 'group', 'company' or 'media'",
        ),
        at(
            path,
            text,
            "[authoritarian, regime]",
            "claim c1: loaded_terms not found in the quote as lexicon terms: regime",
        ),
        at(
            path,
            text,
            "maybe",
            "positions[0]: stance: Input should be 'supports', 'leans_support', 'mixed', 'leans_against' or 'opposes'",
        ),
    ]
    for message in expected:
        assert message in found, "\n".join(found)
    # Sorted by position in the file.
    positions = [tuple(int(x) for x in m[len(path) + 1 :].split(":")[:2]) for m in found]
    assert positions == sorted(positions)


# -- the file and its environment ---------------------------------------------------------------------


def test_dashboard_data_env_chooses_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    chosen = write_yaml(tmp_path, edit(MINIMAL, C2_SPEAKER, "    speaker: nobody\n"), "chosen.yaml")
    monkeypatch.setenv("DASHBOARD_DATA", str(chosen))
    assert data_path() == chosen
    dataset, problems = check_dataset()
    assert dataset is None
    assert problems and all(p.path == str(chosen) for p in problems)
    with pytest.raises(DatasetError):
        load_dataset()
    write_yaml(tmp_path, minimal_dataset(), "chosen.yaml")
    assert load_dataset().source == str(chosen)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_dashboard_data_the_project_file_is_used(monkeypatch: pytest.MonkeyPatch, value):
    if value is None:
        monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    else:
        monkeypatch.setenv("DASHBOARD_DATA", value)
    assert data_path() == DATA
    assert dataset_module.DEFAULT_DATA == DATA


def test_missing_file_is_a_located_problem(tmp_path: Path):
    missing = tmp_path / "nowhere.yaml"
    dataset, problems = check_dataset(missing)
    assert dataset is None
    assert messages(problems) == [f"{missing}:1:1: cannot read the file: No such file or directory"]


def test_directory_instead_of_file(tmp_path: Path):
    dataset, problems = check_dataset(tmp_path)
    assert dataset is None
    assert len(problems) == 1 and problems[0].message.startswith("cannot read the file")


def test_oversized_file_is_refused_before_reading(tmp_path: Path):
    path = write_yaml(tmp_path, minimal_dataset())
    dataset, problems = check_dataset(path, budgets=Budgets(max_bytes=100))
    assert dataset is None
    assert messages(problems) == [f"{path}:1:1: file is {path.stat().st_size:,} bytes; the limit is 100"]


def test_uploaded_bytes_are_named(tmp_path: Path):
    dataset, problems = check_dataset(data=minimal_dataset().encode(), name="upload.yaml")
    assert problems == [] and dataset.source == "upload.yaml"
    _, problems = check_dataset(data=b"schema_version: 1\nmeta: [\n", name="upload.yaml")
    assert problems and all(p.path == "upload.yaml" for p in problems)


# -- provenance against a folder of texts -------------------------------------------------------------


def test_altered_quote_is_not_verbatim(tmp_path: Path, minimal_sources: Path):
    text = edit(MINIMAL, "We will negotiate in good faith,", "We shall negotiate in good faith,")
    path, found = problems_of(tmp_path, text, sources=minimal_sources)
    assert found == [at(path, text, "We shall", "claim c2: quote not found verbatim in daily.txt")]


def test_source_file_missing_from_the_folder(tmp_path: Path, minimal_sources: Path):
    (minimal_sources / "daily.txt").rename(minimal_sources / "renamed.txt")
    path, found = problems_of(tmp_path, MINIMAL, sources=minimal_sources)
    assert found == [
        at(path, MINIMAL, "daily.txt", f"article daily-2024-01-15: source_file daily.txt is not in {minimal_sources}")
    ]


def test_sources_that_are_not_a_folder(tmp_path: Path):
    path, found = problems_of(tmp_path, MINIMAL, sources=tmp_path / "absent")
    assert found == [f"{path}:1:1: --sources: {tmp_path / 'absent'} is not a folder"]


def test_sources_with_dangling_references_do_not_raise(tmp_path: Path, minimal_sources: Path):
    text = edit(MINIMAL, C2_HEAD, "  - id: c2\n    article: elsewhere\n")
    path, found = problems_of(tmp_path, text, sources=minimal_sources)
    assert found == [at(path, text, "elsewhere", "claim c2: unknown article 'elsewhere'")]


@pytest.mark.parametrize("claims", ["", "claims: 5\n"])
def test_sources_without_a_claims_list_do_not_raise(tmp_path: Path, minimal_sources: Path, claims: str):
    head, tail = MINIMAL.split("claims:\n")
    text = head + claims + "positions:\n" + tail.split("positions:\n")[1]
    _, found = problems_of(tmp_path, text, sources=minimal_sources)
    assert found  # reported, not raised
    assert any("claims" in m for m in found)


# -- garbage never raises -----------------------------------------------------------------------------


GARBAGE = [
    b"",
    b"\x00",
    b"[]",
    b"42",
    b"null",
    b"- a",
    b"~",
    b"# nothing but a comment\n",
    b"---\n",
    b"'just a string'",
    b"{a: 1}",
    b"schema_version: 1\nmeta: 5\n",
    b"schema_version: 1\nclaims: [1, [2], {id: 3}]\n",
    b"\xff\xfe\x00\x00",
    b"\xef\xbb\xbf",
    b": : :",
    b"&a [*a]",
]


@pytest.mark.parametrize("data", GARBAGE + [random.Random(seed).randbytes(200) for seed in range(8)])
def test_garbage_is_reported_never_raised(data: bytes):
    dataset, problems = check_dataset(data=data, name="garbage.yaml")
    assert dataset is None
    assert problems, "garbage must come with at least one located problem"
    assert all(p.path == "garbage.yaml" and p.line >= 1 and p.col >= 1 for p in problems)


def test_empty_file_says_what_is_expected(tmp_path: Path):
    path, found = problems_of(tmp_path, "")
    assert found == [f"{path}:1:1: the file must be a mapping with sections such as 'meta', 'outlets' and 'claims'"]
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert [str(p) for p in caught.value.problems] == found


def test_a_lexicon_past_the_limit_is_refused_once_not_per_claim(tmp_path: Path):
    from dashboard.data.schema import MAX_LEXICON_TERMS

    terms = "".join(f"  - {{term: filler{i}, category: filler}}\n" for i in range(MAX_LEXICON_TERMS + 1))
    text = MINIMAL.replace("lexicon:\n", "lexicon:\n" + terms, 1)
    assert text != MINIMAL
    path, dataset, problems = check_text(tmp_path, text)
    line, col = where(text, "  - {term: filler0")
    assert dataset is None
    limit = MAX_LEXICON_TERMS
    assert [str(p) for p in problems] == [
        f"{path}:{line}:{col + 2}: the lexicon has {limit + 2:,} terms; at most {limit} are allowed"
    ]
