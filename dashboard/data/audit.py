"""The audit: mechanical checks of coding consistency on a dataset that is already valid.

``check_dataset`` refuses what is wrong; the audit reports what a coder must look
at, as warnings located ``PATH:LINE:COL: audit: ...`` (codebook section 10, "The
audit"). Each check is a rule the codebook states and a machine can apply the same
way to every outlet:

1. labels (``audit_labels``): a phrase coded as a label of an actor in one claim,
   found uncoded in another claim about that actor;
2. scare quotes (``audit_quotes``): a short quoted word in narration not listed in
   ``scare_quotes``;
3. positions (``audit_positions``): a start no evidence claim dates, an ``until``
   nothing shows ending, a missing ``basis`` or one the evidence's speakers do not
   have, a full stance on reported evidence;
4. own voice (``audit_voice``): a word of the codebook's own-voice word list, or a
   lexicon term, outside quotation marks where the dataset speaks for itself;
5. framing (and position notes) (``audit_quotes``): quoted words found in none of
   the article's claims' quotes.
6. prompts on paper (``audit_voice``): a presenter step's prompt, printed on its handout, that
   asks for a screen (click, hover, the slider...).
7-10. the same rule for every actor and outlet (``audit_consistency``): bases that differ within a
   camp on the same claims or date; names, numbers and dates in titles, summaries and roles that no
   claim gives; a disputed outcome stated as the dataset's own; a lemma counted in one claim of an
   outlet and not in another.
11. dates written unquoted, in positions and everywhere else (here: it reads the file's text, not the
   records).
12. a label coded for an actor the claim is not tagged with (``audit_consistency``).

Each check yields ``(location, message)`` findings; this module reads the word
list from the codebook, runs the checks and locates their findings. Every check is
linear in the size of the dataset (check 1 indexes label phrases by their first
word rather than comparing claims with claims), so it stays fast at 50,000 claims.
The file is read again, to locate findings, only when there are any.
"""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.data.audit_consistency import (
    basis_by_camp,
    disputed_outcomes,
    labelled_not_about,
    uncoded_lemmas,
    unsupported_names,
)
from dashboard.data.audit_labels import labels
from dashboard.data.audit_positions import positions
from dashboard.data.audit_quotes import Finding, quoted_words, scare_quotes
from dashboard.data.audit_voice import own_voice, paper_prompts
from dashboard.data.dataset import Dataset
from dashboard.data.located import Problem, locate
from dashboard.data.text import Lexicon
from dashboard.data.yaml_reader import read_yaml

DEFAULT_CODEBOOK = Path(__file__).resolve().parents[2] / "docs" / "codebook.md"
WORD_LIST_HEADING = "### Own-voice word list"
PREFIX = "audit: "


def _located(path: str, found: list[Finding]) -> list[Problem]:
    """The findings located in the file at ``path``, read again only if there is something to locate."""
    if not found:
        return []
    try:
        root, _ = read_yaml(Path(path).read_bytes(), path)
    except OSError as err:
        return [Problem(path, 1, 1, f"{PREFIX}cannot read the file: {err.strerror or err}")]
    return [Problem(path, *locate(root, loc), PREFIX + message) for loc, message in found]


def section_bullets(lines: list[str], heading: str) -> tuple[int | None, list[str]]:
    """The index of the line that is ``heading`` in a markdown file's ``lines`` (None if there is none), and
    the text of each bullet under it, up to the next heading."""
    start = next((n for n, line in enumerate(lines) if line.strip() == heading), None)
    bullets: list[str] = []
    for line in lines[start + 1 :] if start is not None else ():
        if line.startswith("#"):
            break
        if m := re.match(r"\s*[-*+]\s+(.*)", line):
            bullets.append(m.group(1))
    return start, bullets


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
    start, bullets = section_bullets(lines, WORD_LIST_HEADING)
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
    for item in bullets:
        ticked = re.search(r"`([^`]+)`", item)
        item = ticked.group(1) if ticked else re.split(r"\s[—–-]\s|\s\(", item)[0]
        item = item.strip(" \"'“”‘’*_.,;:")
        if item:
            words.append(item)
    if not words:
        return [], [Problem(shown, start + 1, 1, f"{PREFIX}the own-voice word list has no bullets")]
    return words, []


# A date field and an unquoted date value after it (a YAML reader may take 2022-10 for a number or a date
# object, codebook section 2); block or flow style, anywhere in the file.
_DATE_KEYS = "from|until|date|end|not_before|last_updated"
_UNQUOTED_DATE = re.compile(
    rf"(?m)(?:^[ \t]*(?:-[ \t]+)?|[{{,][ \t]*)({_DATE_KEYS}):[ \t]*"
    r"(\d{4}-\d{1,2}(?:-\d{1,2})?)(?=[ \t]*(?:$|[,}#]))"
)


def unquoted_dates(path: str | Path) -> list[Problem]:
    """Dates written bare (``from: 2022-10``), located in the file's text itself: the records cannot tell."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # the validator has read it; a file gone since has nothing to audit
    found = []
    for m in _UNQUOTED_DATE.finditer(text):
        at = m.start(2)
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        found.append(
            Problem(
                str(path),
                line,
                col,
                f'{PREFIX}{m.group(1)} {m.group(2)} is not quoted; write "{m.group(2)}" (a YAML reader may read a '
                "bare date as a number or a date object)",
            )
        )
    return found


def audit_file(
    path: str | Path, dataset: Dataset, codebook: str | Path | None = None, sources: str | Path | None = None
) -> list[Problem]:
    """Audit the valid ``dataset`` read from ``path``; the own-voice word list comes from ``codebook``, and
    names in titles, summaries and roles are also looked up in the article texts in ``sources``, if given.

    Returns warnings, each located ``PATH:LINE:COL`` and starting "audit: ", sorted by place.
    Records of a valid dataset are in file order, so record i of a section is item i of the file's
    section and its location is looked up in the file, read again here (only when there are findings).
    """
    words, problems = read_word_list(codebook if codebook is not None else DEFAULT_CODEBOOK)
    found = [
        *labels(dataset),
        *scare_quotes(dataset),
        *positions(dataset),
        *own_voice(dataset, Lexicon((w, "own voice", ()) for w in words) if words else None),
        *paper_prompts(dataset),
        *quoted_words(dataset),
        *basis_by_camp(dataset),
        *unsupported_names(dataset, sources),
        *disputed_outcomes(dataset),
        *uncoded_lemmas(dataset),
        *labelled_not_about(dataset),
    ]
    return sorted(set(problems + _located(str(path), found) + unquoted_dates(path)))
