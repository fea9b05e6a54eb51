"""Helpers for the data-layer tests, importable by name (``from dataset_helpers import ...``).

They live here rather than in conftest.py because more than one conftest.py
exists under tests/, so ``import conftest`` is ambiguous.

``MINIMAL`` is a small but complete valid dataset. Tests make bad variants of it
with ``edit`` (which insists the text being replaced occurs exactly once, so a
change to the base text breaks loudly instead of silently testing nothing) and
find the expected line and column of the offending text with ``where``.

Code tests run on ``MINIMAL`` or on the small datasets in tests/fixtures/ (``THREE_OUTLETS``);
only the data tests in tests/data/ rely on what the curated ``DATA`` says.
"""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.data.dataset import Dataset, check_dataset
from dashboard.data.located import Problem

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "events.yaml"  # the curated dataset: only tests under tests/data/ should rely on its content
FIXTURES = REPO / "tests" / "fixtures"
THREE_OUTLETS = FIXTURES / "three_outlets.yaml"  # a small invented dataset for the frame and metric tests

# The article text the minimal dataset's quotes come from (for --sources checks).
MINIMAL_SOURCE_FILE = "daily.txt"
MINIMAL_SOURCE_TEXT = (
    "CAPITAL CITY — The authoritarian President Smith agreed to “talks” on Monday,\n"
    "after months of pressure.\n\n"
    "“We will negotiate in good faith,” the minister said.\n"
)

MINIMAL = """\
schema_version: 1
meta:
  title: Test dataset
  description: A minimal dataset for the tests.
  coverage: One article.
  licence: CC BY 4.0
  last_updated: "2024-01-20"
camps:
  - id: government
    name: Government
categories:
  - id: talks
    name: Talks
outlets:
  - id: daily
    name: The Daily
    kind: national daily
    country: Testland
    ownership: unknown
    funding: unknown
    language: en
    homepage: https://daily.example.org
articles:
  - id: daily-2024-01-15
    outlet: daily
    headline: Talks begin
    date: "2024-01-15"
    authors: [A. Writer]
    url: https://daily.example.org/talks-begin
    source_file: daily.txt
actors:
  - id: president
    name: President Smith
    type: person
    camp: government
  - id: minister
    name: The Minister
    type: person
    camp: government
issues:
  - id: negotiate
    question: Negotiate with the other side?
events:
  - id: talks-2024
    title: Talks begin
    summary: The two sides begin talks.
    date: "2024-01"
    category: talks
    actors: [president, minister]
claims:
  - id: c1
    article: daily-2024-01-15
    quote: The authoritarian President Smith agreed to “talks” on Monday,
    speaker: narration
    kind: narration
    events: [talks-2024]
    actors: [president]
    issues: [negotiate]
    labels: {president: authoritarian President Smith}
    loaded_terms: [authoritarian]
    scare_quotes: [talks]
  - id: c2
    article: daily-2024-01-15
    quote: We will negotiate in good faith,
    speaker: minister
    kind: direct
    issues: [negotiate]
positions:
  - actor: minister
    issue: negotiate
    stance: supports
    from: "2024-01"
    evidence: [c2]
lexicon:
  - {term: authoritarian, category: delegitimising label}
"""


def minimal_dataset(extra: str = "") -> str:
    """The minimal valid dataset text, with ``extra`` (more top-level sections) appended."""
    return MINIMAL + extra


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the single occurrence of ``old`` replaced by ``new``."""
    count = text.count(old)
    assert count == 1, f"expected exactly one {old!r} in the text, found {count}"
    return text.replace(old, new)


def where(text: str, snippet: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the start of the ``occurrence``-th ``snippet`` in ``text``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(snippet, start + 1)
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, col


def write_yaml(tmp_path: Path, text: str | bytes, name: str = "data.yaml") -> Path:
    """Write ``text`` (str as UTF-8, or raw bytes) to ``tmp_path/name`` and return the path."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def check_text(tmp_path: Path, text: str | bytes, **kwargs) -> tuple[str, Dataset | None, list[Problem]]:
    """Write ``text`` to a file, check it, and return (the file's path as shown, dataset, problems)."""
    path = write_yaml(tmp_path, text)
    dataset, problems = check_dataset(path, **kwargs)
    return str(path), dataset, problems


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def hand_count(quote: str, term_of: dict[str, str], not_in: dict[str, list[str]] | None = None) -> list[str]:
    """The lexicon terms in ``quote``, one per occurrence, counted by hand (independently of text.Lexicon).

    ``term_of`` maps every form (term or variant), lower-cased, to its entry's term; ``not_in`` maps a
    term to the phrases inside which it is not counted. Forms match as whole words, in any case, with
    typographic apostrophes and dashes straightened; the longest form at a place wins.
    """
    text = quote.replace("’", "'").replace("‘", "'").replace("—", "-").replace("–", "-")

    def spans(phrases: list[str]) -> list[tuple[int, int, str]]:
        alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
        pattern = rf"(?<![\w-])({alternatives})(?![\w-])"
        return [(m.start(1), m.end(1), m.group(1)) for m in re.finditer(pattern, text, re.IGNORECASE)]

    found = []
    for start, end, form in spans(list(term_of)):
        term = term_of[re.sub(r"\s+", " ", form.lower())]
        phrases = (not_in or {}).get(term, [])
        if not any(s <= start and end <= e for s, e, _ in (spans(phrases) if phrases else [])):
            found.append(term)
    return found
