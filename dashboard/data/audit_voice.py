"""Audit check 4: the dataset's own voice.

A word of the codebook's own-voice word list, or a lexicon term, outside
quotation marks in a field where the dataset speaks for itself (titles,
summaries, notes, descriptions, framing texts) is reported. The list of those
fields is this module's knowledge of the schema; it is kept apart from the
checks of coded claims because it reads every section, not the claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dashboard.data import schema as s
from dashboard.data.audit_quotes import Finding, quoted_spans, within
from dashboard.data.dataset import Dataset
from dashboard.data.text import Lexicon


def own_voice(d: Dataset, words: Lexicon | None) -> Iterator[Finding]:
    lexicon = d.lexicon
    for loc, what, text in own_voice_fields(d):
        quoted = quoted_spans(text)
        seen: set[tuple[str, str]] = set()
        spans: set[tuple[int, int]] = set()  # a word in both lists is reported once, as a lexicon term
        for matcher, kind in ((lexicon, "lexicon term"), (words, "own-voice word list")):
            if matcher is None:
                continue
            for m in matcher.matches(text):
                if (kind, m.term) in seen or (m.start, m.end) in spans or within(m.start, m.end, quoted):
                    continue
                seen.add((kind, m.term))
                spans.add((m.start, m.end))
                yield (
                    loc,
                    f"{what}: '{text[m.start : m.end]}' ({kind}) outside quotation marks in the dataset's "
                    "own voice; quote it and say who used it, or reword",
                )


def own_voice_fields(d: Dataset) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(location, what, text) of every field the dataset writes in its own voice."""
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
    for i, prompt in enumerate(d.prompts):  # a poll's options are ours too: a class reads them as choices
        for j, option in enumerate(prompt.poll or ()):
            yield ("prompts", i, "poll", j), f"prompt {prompt.id} poll option {j + 1}", option
    for i, p in enumerate(d.positions):
        if p.note:
            yield ("positions", i, "note"), f"position of {p.actor} on {p.issue} from {p.since}, note", p.note
    for i, f in enumerate(d.framing):
        for fn in s.FRAMING_FUNCTIONS:
            yield ("framing", i, fn, "text"), f"framing of {f.article}, {fn}", getattr(f, fn).text


def _what(section: str, sub: tuple[Any, ...], d: Dataset) -> str:
    record = getattr(d, section)[sub[0]]
    name = {"categories": "category", "facts": "fact", "paths": "path"}.get(section, section.rstrip("s"))
    what = f"{name} {record.id}"
    if len(sub) > 1:  # a path's step
        what += f", step {sub[2] + 1}"
    return what


# A presenter step's prompt is printed on its handout, so it must read on paper: it may ask students to
# look, read or compare, but not to work a screen. Whole words, case-insensitive (codebook, "Audit").
SCREEN_WORDS = re.compile(
    r"\b(click\w*|tap|taps|tapping|hover\w*|scroll\w*|drag\w*|slider|swipe\w*|open|opens|set the|move)\b",
    re.IGNORECASE,
)


def paper_prompts(d: Dataset) -> Iterator[Finding]:
    """Prompts of presenter steps that ask for something only a screen can do."""
    on_paper = {step.prompt for path in d.paths for step in path.steps if step.prompt}
    for i, prompt in enumerate(d.prompts):
        if prompt.id not in on_paper:
            continue
        quoted = quoted_spans(prompt.text)
        for m in SCREEN_WORDS.finditer(prompt.text):
            if not within(m.start(), m.end(), quoted):
                yield (
                    ("prompts", i, "text"),
                    f"prompt {prompt.id} text: '{m.group(0)}' asks for a screen, but a presenter step prints "
                    "this prompt on its handout; word it so it reads on paper too",
                )
                break
