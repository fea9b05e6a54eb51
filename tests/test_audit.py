"""The audit: each check fires, located, on a small bad variant of the minimal dataset, and is silent once fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from dataset_helpers import MINIMAL, check_text, edit, where

from dashboard.data import audit as audit_module
from dashboard.data.audit import WORD_LIST_HEADING, audit_file, read_word_list

CODEBOOK = f"""\
# Codebook

## 10. Checking your work

{WORD_LIST_HEADING}

- partisan
- `hardliners` — evaluative
- so-called (a hedge that takes a side)

### Something else

- notaword
"""

# MINIMAL with its one position's evidence basis coded, so the audit has nothing to say about it.
POSITION_END = "    evidence: [c2]\nlexicon:"
BASE = edit(MINIMAL, POSITION_END, "    evidence: [c2]\n    basis: own_words\nlexicon:")
POSITIONS = "positions:\n"


def audit_text(tmp_path: Path, text: str, codebook: str | None = CODEBOOK) -> tuple[str, list[str]]:
    """Check ``text`` (it must be valid), audit it, and return (its path, the findings as strings)."""
    path, dataset, problems = check_text(tmp_path, text)
    assert problems == [], [str(p) for p in problems]
    assert dataset is not None
    book = tmp_path / "codebook.md"
    book.write_text(codebook if codebook is not None else "# A codebook without the list\n", encoding="utf-8")
    found = [str(p) for p in audit_file(path, dataset, book)]
    assert all(": audit: " in f for f in found), found
    return path, found


def at(path: str, text: str, snippet: str, found: list[str], occurrence: int = 1) -> list[str]:
    """The findings located at the start of ``snippet`` in ``text``."""
    line, col = where(text, snippet, occurrence)
    return [f for f in found if f.startswith(f"{path}:{line}:{col}: audit: ")]


def add_claim(text: str, claim: str) -> str:
    return edit(text, POSITIONS, claim + POSITIONS)


def test_the_base_fixture_has_no_findings(tmp_path: Path):
    _, found = audit_text(tmp_path, BASE)
    assert found == []


# -- 1. labels -------------------------------------------------------------------------------

C3_UNCODED = """\
  - id: c3
    article: daily-2024-01-15
    quote: Later the authoritarian President Smith left the room.
    speaker: narration
    kind: narration
    actors: [president]
    loaded_terms: [authoritarian]
"""


def test_a_label_coded_in_one_claim_and_not_another_about_the_same_actor_is_reported(tmp_path: Path):
    text = add_claim(BASE, C3_UNCODED)
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "Later the authoritarian", found)
    assert len(hits) == 1, found
    assert "claim c3: 'authoritarian President Smith' is coded as a label of president in claim c1" in hits[0]
    assert len(found) == 1


def test_the_label_check_is_silent_once_the_label_is_coded(tmp_path: Path):
    text = add_claim(BASE, C3_UNCODED + "    labels: {president: authoritarian President Smith}\n")
    assert audit_text(tmp_path, text)[1] == []


def test_a_label_without_the_descriptor_another_claim_codes_is_reported_at_the_labels(tmp_path: Path):
    text = add_claim(BASE, C3_UNCODED + "    labels: {president: President Smith}\n")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "President Smith}\n", found, occurrence=2)  # the value under labels.president
    assert len(hits) == 1 and "'authoritarian President Smith'" in hits[0], found


def test_a_phrase_in_a_claim_not_about_the_actor_is_not_a_label(tmp_path: Path):
    text = add_claim(BASE, C3_UNCODED.replace("    actors: [president]\n", ""))
    assert audit_text(tmp_path, text)[1] == []


def test_a_note_that_names_the_phrase_answers_the_label_finding(tmp_path: Path):
    claim = C3_UNCODED + "    note: “authoritarian President Smith” here names his office, not him.\n"
    assert audit_text(tmp_path, add_claim(BASE, claim))[1] == []


def test_a_phrase_that_is_part_of_a_longer_name_is_not_a_label(tmp_path: Path):
    # "Smith" is coded for the president; "Smith Foundation" is another name.
    text = edit(
        BASE,
        "labels: {president: authoritarian President Smith}",
        "labels: {president: [authoritarian President Smith, Smith]}",
    )
    claim = """\
  - id: c3
    article: daily-2024-01-15
    quote: A grant from the Smith Foundation, and then Smith spoke.
    speaker: narration
    kind: narration
    actors: [president]
"""
    _, found = audit_text(tmp_path, add_claim(text, claim))
    assert len(found) == 1 and "claim c3: 'Smith' is coded" in found[0], found
    fixed = add_claim(text, claim + "    labels: {president: Smith}\n")
    assert audit_text(tmp_path, fixed)[1] == []


# -- 2. scare quotes in narration ------------------------------------------------------------

C1_QUOTE = "The authoritarian President Smith agreed to “talks” on Monday,"


def test_a_quoted_word_in_narration_missing_from_scare_quotes_is_reported(tmp_path: Path):
    text = edit(BASE, "    scare_quotes: [talks]\n", "")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, C1_QUOTE, found)
    assert len(hits) == 1 and "claim c1: the narration puts 'talks' in quotation marks" in hits[0], found
    assert audit_text(tmp_path, BASE)[1] == []  # the same claim with the word listed


def test_a_longer_quoted_span_in_narration_is_a_quotation_not_a_scare_quote(tmp_path: Path):
    claim = """\
  - id: c3
    article: daily-2024-01-15
    quote: He promised “talks with anyone at any time” and left.
    speaker: narration
    kind: narration
"""
    assert audit_text(tmp_path, add_claim(BASE, claim))[1] == []
    short = claim.replace("“talks with anyone at any time”", "“talks with anyone”")
    assert len(audit_text(tmp_path, add_claim(BASE, short))[1]) == 1


def test_a_quoted_word_in_speech_or_explained_in_the_note_is_not_a_scare_quote(tmp_path: Path):
    speech = """\
  - id: c3
    article: daily-2024-01-15
    quote: He said the “gringos” left.
    speaker: minister
    kind: paraphrase
"""
    assert audit_text(tmp_path, add_claim(BASE, speech))[1] == []
    name = """\
  - id: c3
    article: daily-2024-01-15
    quote: The “Unity Table” met.
    speaker: narration
    kind: narration
"""
    assert len(audit_text(tmp_path, add_claim(BASE, name))[1]) == 1
    explained = name + "    note: The marks around “Unity Table” only mark the coalition's name.\n"
    assert audit_text(tmp_path, add_claim(BASE, explained))[1] == []


# -- 3. positions ----------------------------------------------------------------------------


def position(stance: str = "supports", since: str = "2024-01", until: str | None = None, evidence: str = "c2") -> str:
    end = f'    until: "{until}"\n' if until else ""
    return (
        f"  - actor: minister\n    issue: negotiate\n    stance: {stance}\n"
        f'    from: "{since}"\n{end}    evidence: [{evidence}]\n    basis: own_words\n'
    )


def with_positions(*records: str, text: str = BASE) -> str:
    head, rest = text.split(POSITIONS)
    return head + POSITIONS + "".join(records) + "lexicon:" + rest.split("lexicon:", 1)[1]


def test_a_stance_shown_from_before_any_evidence_is_reported(tmp_path: Path):
    text = with_positions(position(since="2023"))
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, '"2023"', found)
    assert len(hits) == 1, found
    assert "position of minister on negotiate from 2023: the matrix shows this stance from January 2023" in hits[0]
    assert "claim c2, dated 2024-01-15" in hits[0]


@pytest.mark.parametrize("since", ["2024-01", "2024", "2024-01-15"])
def test_a_stance_from_the_month_of_its_evidence_is_backed(tmp_path: Path, since: str):
    assert audit_text(tmp_path, with_positions(position(since=since)))[1] == []


def test_a_year_start_is_backed_only_by_evidence_from_its_first_month(tmp_path: Path):
    text = edit(with_positions(position(since="2024")), '    date: "2024-01-15"\n', '    date: "2024-03-15"\n')
    text = edit(text, 'last_updated: "2024-01-20"', 'last_updated: "2024-03-20"')
    path, found = audit_text(tmp_path, text)
    assert len(at(path, text, '"2024"\n', found)) == 1, found


def test_an_event_tagged_on_the_evidence_dates_an_earlier_stance(tmp_path: Path):
    event = """\
  - id: offer-2023
    title: An offer
    summary: The minister offers talks.
    date: "2023-06"
    category: talks
"""
    text = edit(with_positions(position(since="2023-06")), "\nclaims:\n", "\n" + event + "claims:\n")
    # c1 reports the event (every event needs a claim); c2, the evidence, does not yet.
    bad = edit(text, "    events: [talks-2024]\n", "    events: [talks-2024, offer-2023]\n")
    path, found = audit_text(tmp_path, bad)
    assert len(at(path, bad, '"2023-06"\n    evidence', found)) == 1, found
    good = edit(bad, "    speaker: minister\n", "    speaker: minister\n    events: [offer-2023]\n")
    assert audit_text(tmp_path, good)[1] == []


def test_an_until_that_nothing_shows_ending_is_reported(tmp_path: Path):
    text = with_positions(position(until="2024-01"))
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, '"2024-01"\n    evidence', found)
    assert len(hits) == 1 and "nothing shows the stance ending in 2024-01" in hits[0], found


def test_an_until_is_backed_by_the_next_stance_taking_over(tmp_path: Path):
    # The article, of 15 January, shows the stance changing that day.
    text = with_positions(position(until="2024-01-14"), position(stance="opposes", since="2024-01-15"))
    assert audit_text(tmp_path, text)[1] == []
    gap = with_positions(position(until="2024-01-15"), position(stance="opposes", since="2024-03"))
    path, found = audit_text(tmp_path, gap)
    hits = at(path, gap, '"2024-01-15"\n    evidence', found)
    assert len(hits) == 1 and "no later position of minister on negotiate starts by 2024-01-16" in hits[0], found
    assert len(found) == 2  # and the March stance, whose only evidence was published in January


def test_a_stance_that_begins_after_every_evidence_text_is_reported(tmp_path: Path):
    text = with_positions(position(since="2024-03"))
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, '"2024-03"', found)
    assert len(hits) == 1 and "every evidence text was published before the stance begins" in hits[0], found


LATER_TEXT = """\
  - id: daily-2024-06-01
    outlet: daily
    headline: Talks over
    date: "2024-06-01"
    authors: unknown
    url: unknown
    source_file: daily2.txt
"""
C4_LATER = """\
  - id: c4
    article: daily-2024-06-01
    quote: The minister had backed talks until January.
    speaker: narration
    kind: narration
    actors: [minister]
    issues: [negotiate]
"""


def test_an_until_is_backed_by_evidence_from_a_text_written_after_it(tmp_path: Path):
    text = edit(BASE, "\nactors:\n", "\n" + LATER_TEXT + "actors:\n")
    text = edit(text, 'last_updated: "2024-01-20"', 'last_updated: "2024-06-20"')
    text = add_claim(text, C4_LATER)
    assert audit_text(tmp_path, with_positions(position(until="2024-01", evidence="c2, c4"), text=text))[1] == []
    _, found = audit_text(tmp_path, with_positions(position(until="2024-01"), text=text))
    assert len(found) == 1 and "nothing shows the stance ending" in found[0], found


def test_a_position_without_a_basis_is_reported(tmp_path: Path):
    path, found = audit_text(tmp_path, MINIMAL)
    hits = at(path, MINIMAL, "supports\n", found)
    assert len(hits) == 1 and "position of minister on negotiate from 2024-01: no basis coded" in hits[0], found


C3_UNNAMED = """\
  - id: c3
    article: daily-2024-01-15
    quote: People close to the minister say he will talk.
    speaker: unnamed
    source: People close to the minister
    kind: paraphrase
    actors: [minister]
    issues: [negotiate]
"""


def coded(stance: str, basis: str, evidence: str = "c2") -> str:
    text = edit(add_claim(BASE, C3_UNNAMED), "    stance: supports\n", f"    stance: {stance}\n")
    text = edit(text, "    evidence: [c2]\n    basis: own_words\n", f"    evidence: [{evidence}]\n    basis: {basis}\n")
    return text


@pytest.mark.parametrize(
    ("basis", "evidence", "needs"),
    [
        ("own_words", "c3", "a claim spoken by an actor among"),
        ("named_source", "c2", "a claim spoken by an actor other than minister"),
        ("characterisation", "c2", "a narration claim"),
        ("unnamed_sources", "c2", "an unnamed or narration claim"),
    ],
)
def test_a_basis_its_evidence_speakers_do_not_have_is_reported(tmp_path: Path, basis: str, evidence: str, needs: str):
    text = coded("leans_support", basis, evidence)
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, f"{basis}\n", found)
    assert len(hits) == 1 and f"basis {basis} needs {needs}" in hits[0], found
    assert len(found) == 1


def test_the_basis_matching_the_evidence_speakers_is_silent(tmp_path: Path):
    assert audit_text(tmp_path, coded("leans_support", "unnamed_sources", "c3"))[1] == []
    assert audit_text(tmp_path, coded("supports", "own_words", "c2, c3"))[1] == []


def test_a_full_stance_on_unnamed_sources_is_reported(tmp_path: Path):
    text = coded("supports", "unnamed_sources", "c3")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "supports\n    from", found)
    assert len(hits) == 1 and "'supports' on unnamed_sources" in hits[0] and "'leans_support'" in hits[0], found
    assert len(found) == 1


# -- 4. the dataset's own voice --------------------------------------------------------------

PROMPTS_AND_PATHS = """\
prompts:
  - id: p1
    text: Compare how the texts name the president.
    page: compare
    poll: [By name, By title]
paths:
  - id: lesson
    title: A lesson on naming
    steps:
      - title: Start with the timeline
        page: timeline
        note: Draw out who speaks first.
framing:
  - article: daily-2024-01-15
    problem_definition: {text: The text presents a deadlock., claims: [c1]}
    causal_interpretation: {text: It attributes it to months of pressure., claims: [c1]}
    moral_evaluation: {text: It calls Smith 'authoritarian'., claims: [c1]}
    remedy: {text: It points to talks., claims: [c2]}
"""
FULL = BASE + PROMPTS_AND_PATHS
FULL = edit(
    FULL,
    "    homepage: https://daily.example.org\n",
    "    homepage: https://daily.example.org\n    note: A daily paper.\n",
)
FULL = edit(FULL, "    name: The Minister\n", "    name: The Minister\n    role: minister of talks\n")
FULL = edit(FULL, "    basis: own_words\n", "    basis: own_words\n    note: Says he will negotiate.\n")
FULL = edit(
    FULL, "    issues: [negotiate]\npositions:", "    issues: [negotiate]\n    note: Said at the table.\npositions:"
)


def test_the_full_fixture_has_no_findings(tmp_path: Path):
    assert audit_text(tmp_path, FULL)[1] == []


OWN_VOICE_FIELDS = [
    ("meta description", "A minimal dataset for the tests.", "A partisan dataset for the tests."),
    ("outlet kind", "kind: national daily", "kind: partisan daily"),
    ("outlet note", "A daily paper.", "A partisan daily paper."),
    ("actor role", "minister of talks", "partisan minister of talks"),
    ("issue question", "Negotiate with the other side?", "Negotiate with the partisan side?"),
    ("event title", "title: Talks begin", "title: Partisan talks begin"),
    ("event summary", "The two sides begin talks.", "The two partisan sides begin talks."),
    ("claim note", "Said at the table.", "Said at the partisan table."),
    ("position note", "Says he will negotiate.", "Says he will negotiate with partisans and hardliners."),
    ("framing text", "It points to talks.", "It points to partisan talks."),
    ("prompt text", "Compare how the texts", "Compare how the partisan texts"),
    ("prompt p1 poll option", "poll: [By name, By title]", "poll: [By name, By partisan title]"),
    ("path title", "A lesson on naming", "A partisan lesson on naming"),
    ("path step title", "Start with the timeline", "Start with the so-called timeline"),
    ("path step note", "Draw out who speaks first.", "Draw out who partisan speaks first."),
]


@pytest.mark.parametrize(("field", "old", "new"), OWN_VOICE_FIELDS, ids=[f[0] for f in OWN_VOICE_FIELDS])
def test_a_listed_word_in_an_own_voice_field_is_reported(tmp_path: Path, field: str, old: str, new: str):
    text = edit(FULL, old, new)
    path, found = audit_text(tmp_path, text)
    value = new.split(": ", 1)[1] if new.startswith(("kind: ", "title: ")) else new
    if new.startswith("poll: "):  # the finding is at the option itself
        value = new.removeprefix("poll: [").rstrip("]").split(", ")[-1]
    hits = at(path, text, value, found)
    assert hits and all("(own-voice word list) outside quotation marks" in h for h in hits), found
    assert len(found) == len(hits)
    assert field.split()[0] in hits[0]


@pytest.mark.parametrize(
    "summary",
    ["The two “partisan” sides begin talks.", "The two 'partisan' sides begin talks.", 'The two "partisan" sides.'],
)
def test_a_listed_word_inside_quotation_marks_is_not_reported(tmp_path: Path, summary: str):
    quoted = summary.replace("'", "''")  # YAML's single-quoted style
    text = edit(FULL, "summary: The two sides begin talks.", f"summary: '{quoted}'")
    assert audit_text(tmp_path, text)[1] == []


def test_quotation_marks_nested_in_others_are_read_as_pairs(tmp_path: Path):
    # Read as one straight pair per quoted span, the word stays inside: not '”", then "' as a pair.
    summary = """summary: 'The "partisan “talks”" and "sides" begin.'"""
    assert audit_text(tmp_path, edit(FULL, "summary: The two sides begin talks.", summary))[1] == []


def test_an_apostrophe_is_not_a_quotation_mark(tmp_path: Path):
    text = edit(FULL, "The two sides begin talks.", "The minister's partisan sides' talks begin.")
    _, found = audit_text(tmp_path, text)
    assert len(found) == 1 and "'partisan'" in found[0], found


def test_a_lexicon_term_in_an_own_voice_field_is_reported_unless_quoted(tmp_path: Path):
    text = edit(FULL, "The two sides begin talks.", "The authoritarian side begins talks.")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "The authoritarian side", found)
    assert len(hits) == 1 and "event talks-2024 summary: 'authoritarian' (lexicon term)" in hits[0], found
    quoted = edit(FULL, "The two sides begin talks.", "The “authoritarian” side begins talks.")
    assert audit_text(tmp_path, quoted)[1] == []


def test_a_word_in_both_the_lexicon_and_the_word_list_is_reported_once(tmp_path: Path):
    text = edit(FULL, "The two sides begin talks.", "The authoritarian side begins talks.")
    _, found = audit_text(tmp_path, text, codebook=CODEBOOK.replace("- partisan\n", "- partisan\n- authoritarian\n"))
    assert len(found) == 1 and "(lexicon term)" in found[0], found


def test_a_codebook_without_the_word_list_is_one_clear_problem(tmp_path: Path):
    text = edit(FULL, "The two sides begin talks.", "The authoritarian partisan side begins talks.")
    _, found = audit_text(tmp_path, text, codebook=None)
    book = tmp_path / "codebook.md"
    assert [f for f in found if f.startswith(str(book))] == [
        f"{book}:1:1: audit: no '{WORD_LIST_HEADING}' heading; own-voice fields are checked for lexicon terms only"
    ]
    assert [f for f in found if "'authoritarian' (lexicon term)" in f]  # the lexicon is still checked
    assert not [f for f in found if "partisan" in f]


def test_the_word_list_is_the_bullets_under_its_heading(tmp_path: Path):
    book = tmp_path / "codebook.md"
    book.write_text(CODEBOOK, encoding="utf-8")
    assert read_word_list(book) == (["partisan", "hardliners", "so-called"], [])


def test_the_default_codebook_is_read_when_none_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    book = tmp_path / "default.md"
    book.write_text(CODEBOOK, encoding="utf-8")
    monkeypatch.setattr(audit_module, "DEFAULT_CODEBOOK", book)
    text = edit(FULL, "The two sides begin talks.", "The partisan sides begin talks.")
    path, dataset, _ = check_text(tmp_path, text)
    assert dataset is not None
    found = [str(p) for p in audit_file(path, dataset)]
    assert len(found) == 1 and "'partisan'" in found[0], found


def test_a_file_that_cannot_be_read_again_is_one_problem(tmp_path: Path):
    path, dataset, _ = check_text(tmp_path, MINIMAL)  # its position has no basis: one finding to locate
    assert dataset is not None
    Path(path).unlink()
    found = audit_file(path, dataset, tmp_path / "none.md")
    assert [str(p) for p in found if p.path == path] == [
        f"{path}:1:1: audit: cannot read the file: No such file or directory"
    ]


# -- 5. quoted words in framing texts and position notes -------------------------------------


def test_framing_that_quotes_words_its_article_does_not_have_is_reported(tmp_path: Path):
    text = edit(FULL, "It calls Smith 'authoritarian'.", "It calls Smith 'a dictator'.")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "It calls Smith", found)
    assert len(hits) == 1, found
    assert "framing of daily-2024-01-15, moral_evaluation: quotes 'a dictator', which is in none" in hits[0]


@pytest.mark.parametrize(
    "words",
    ["'authoritarian'", "“Authoritarian President Smith”", "'authoritarian … on Monday'", "'negotiate in good faith'"],
)
def test_framing_that_quotes_its_article_is_silent(tmp_path: Path, words: str):
    text = edit(FULL, "It calls Smith 'authoritarian'.", f"It calls Smith {words}.")
    assert audit_text(tmp_path, text)[1] == []


def test_a_position_note_quoting_words_not_in_its_evidence_articles_is_reported(tmp_path: Path):
    text = edit(FULL, "Says he will negotiate.", "Says he will 'negotiate in bad faith'.")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "Says he will", found)
    assert len(hits) == 1 and "quotes 'negotiate in bad faith'" in hits[0], found
    good = edit(FULL, "Says he will negotiate.", "Says he will 'negotiate in good faith'.")
    assert audit_text(tmp_path, good)[1] == []


# -- 6. prompts on paper --------------------------------------------------------------------

ON_A_STEP = edit(
    FULL, "        note: Draw out who speaks first.\n", "        note: Draw out who speaks first.\n        prompt: p1\n"
)


@pytest.mark.parametrize(
    "words", ["Click a marker and compare", "Hover the marks and compare", "Move the slider and compare", "Open it and"]
)
def test_a_step_prompt_that_asks_for_a_screen_is_reported(tmp_path: Path, words: str):
    text = edit(ON_A_STEP, "Compare how the texts", f"{words} how the texts")
    path, found = audit_text(tmp_path, text)
    assert [f for f in found if "asks for a screen" in f] == at(path, text, f"{words} how", found)
    assert len(at(path, text, f"{words} how", found)) == 1


def test_a_screen_word_is_reported_only_on_a_prompt_a_step_prints(tmp_path: Path):
    text = edit(FULL, "Compare how the texts", "Click and compare how the texts")  # p1 is on no step
    assert [f for f in audit_text(tmp_path, text)[1] if "asks for a screen" in f] == []


def test_a_screen_word_inside_quotation_marks_is_the_texts_not_an_instruction(tmp_path: Path):
    text = edit(ON_A_STEP, "Compare how the texts", 'Compare "open" and how the texts')
    assert audit_text(tmp_path, text)[1] == []
