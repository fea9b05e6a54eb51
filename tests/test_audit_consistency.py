"""The audit's checks that one rule holds for every actor, outlet and record (codebook section 10, checks 7-11).

Each check fires, located, on a small bad variant of the minimal dataset, and leaves alone a near variant
that follows the rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dataset_helpers import MINIMAL_SOURCE_FILE, MINIMAL_SOURCE_TEXT, check_text, edit, where
from test_audit import BASE, CODEBOOK, add_claim, at, audit_text

from dashboard.data.audit import audit_file

# -- 7. one basis for the actors of a camp --------------------------------------------------------


def second_position(since: str = "2024-01", basis: str = "characterisation", note: str = "") -> str:
    record = (
        "  - actor: president\n"
        "    issue: negotiate\n"
        "    stance: supports\n"
        f'    from: "{since}"\n'
        "    evidence: [c1]\n"
        f"    basis: {basis}\n"
    )
    if note:
        record += f"    note: {note}\n"
    return edit(BASE, "lexicon:", record + "lexicon:")


def test_a_basis_that_differs_within_a_camp_on_the_same_date_is_reported(tmp_path: Path):
    text = second_position()
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "characterisation\n", found)
    assert len(hits) == 1, found
    assert "basis characterisation, but minister, of the same camp, has own_words on it (both start 2024-01)" in hits[0]
    assert len(found) == 1, found


def test_a_basis_that_differs_within_a_camp_on_the_same_claims_is_reported(tmp_path: Path):
    text = edit(second_position(since="2024-01-15"), "    evidence: [c1]\n", "    evidence: [c1, c2]\n")
    text = edit(
        text,
        "    speaker: minister\n    kind: direct\n",
        "    speaker: minister\n    kind: direct\n    actors: [president]\n",
    )
    _, found = audit_text(tmp_path, text)
    hits = [f for f in found if "of the same camp" in f]
    assert len(hits) == 1 and "(both cite c2)" in hits[0], found


@pytest.mark.parametrize(
    "variant",
    [
        {"since": "2024-01-15"},  # another date, other claims
        {"basis": "characterisation", "note": "The minister's row rests on own_words; this one on the narration."},
    ],
)
def test_a_basis_on_other_dates_and_claims_or_answered_in_the_note_is_left_alone(tmp_path: Path, variant: dict):
    _, found = audit_text(tmp_path, second_position(**variant))
    assert [f for f in found if "of the same camp" in f] == []


# -- 8. names, numbers and dates no claim gives ---------------------------------------------------

SUMMARY = "    summary: The two sides begin talks.\n"


@pytest.mark.parametrize(
    ("words", "missing"), [("in Oslo", "'Oslo'"), ("in 2023", "'2023'"), ("with 12 envoys", "'12'")]
)
def test_a_name_number_or_date_in_no_claim_is_reported(tmp_path: Path, words: str, missing: str):
    text = edit(BASE, SUMMARY, f"    summary: The two sides begin talks {words}.\n")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "The two sides begin", found)
    assert len(hits) == 1 and f"event talks-2024 summary: {missing} in none of its claims' quotes" in hits[0], found


@pytest.mark.parametrize(
    "words",
    [
        "on Monday",  # in c1's quote
        "on Monday (2024)",  # a year in brackets: as of its claims' article date
        "with President Smith",  # the event's actors' names
        "as The Daily reports",  # an outlet's name
    ],
)
def test_a_name_number_or_date_the_claims_give_is_left_alone(tmp_path: Path, words: str):
    text = edit(BASE, SUMMARY, f"    summary: The two sides begin talks {words}.\n")
    _, found = audit_text(tmp_path, text)
    assert found == []


def test_an_actor_role_is_checked_against_the_claims_about_the_actor(tmp_path: Path):
    text = edit(BASE, "    name: The Minister\n", "    name: The Minister\n    role: Minister since 2019\n")
    path, found = audit_text(tmp_path, text)
    assert len(at(path, text, "Minister since", found)) == 1 and "'2019'" in found[0], found
    fine = edit(BASE, "    name: The Minister\n", "    name: The Minister\n    role: Minister (2024)\n")
    assert audit_text(tmp_path, fine)[1] == []


def test_an_acronym_is_a_name_even_opening_a_sentence(tmp_path: Path):
    text = edit(BASE, "    title: Talks begin\n", "    title: UN talks begin\n")
    path, found = audit_text(tmp_path, text)
    assert len(at(path, text, "UN talks", found)) == 1 and "'UN'" in found[0], found
    plain = edit(BASE, "    title: Talks begin\n", "    title: Monday talks begin\n")  # a capital opening a title
    assert audit_text(tmp_path, plain)[1] == []


def test_a_number_must_come_from_a_claim_that_names_its_clause(tmp_path: Path):
    # c1 (about the president) names Smith; c3 (about him too) gives 15 but not Smith.
    c3 = (
        "  - id: c3\n    article: daily-2024-01-15\n    quote: Talks ran for 15 hours.\n    speaker: narration\n"
        "    kind: narration\n    actors: [president]\n"
    )
    role = "    name: President Smith\n    type: person\n    camp: government\n"
    text = edit(add_claim(BASE, c3), role, role + "    role: Leader Smith for 15 years; talks of 15 hours\n")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "Leader Smith for 15", found)
    assert len(hits) == 1 and "'15' in none of its claims' quotes" in hits[0], found
    fine = edit(add_claim(BASE, c3), role, role + "    role: Leader Smith; in talks of 15 hours\n")
    assert audit_text(tmp_path, fine)[1] == []


def test_with_the_source_texts_a_name_any_text_gives_is_left_alone(tmp_path: Path):
    text = edit(BASE, SUMMARY, "    summary: The two sides begin talks in Capital City.\n")
    path, dataset, problems = check_text(tmp_path, text)
    assert problems == [] and dataset is not None
    book = tmp_path / "codebook.md"
    book.write_text(CODEBOOK, encoding="utf-8")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / MINIMAL_SOURCE_FILE).write_text(MINIMAL_SOURCE_TEXT, encoding="utf-8")
    without = [str(p) for p in audit_file(path, dataset, book)]
    assert len(without) == 1 and "'Capital', 'City'" in without[0], without
    assert audit_file(path, dataset, book, sources=texts) == []


# -- 9. a disputed outcome in the dataset's own voice ---------------------------------------------

FACT = """\
facts:
  - id: talks-agreed
    question: What do the texts say the president did about talks?
    versions:
      - {claim: c1, value: agreed to}
      - {claim: c2, value: We will negotiate}
    disputed_words: [agreed, agree]
"""
WITH_FACT = edit(BASE, "lexicon:", FACT + "lexicon:")


def test_a_disputed_outcome_stated_in_the_dataset_s_own_voice_is_reported(tmp_path: Path):
    text = edit(WITH_FACT, SUMMARY, "    summary: The president agreed to talks.\n")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "The president agreed", found)
    assert len(hits) == 1 and "'agreed' states an outcome that fact talks-agreed records as disputed" in hits[0], found


@pytest.mark.parametrize(
    "summary",
    ["The Daily says the president agreed to talks.", 'The president "agreed to" talks.', "The two sides begin talks."],
)
def test_a_disputed_outcome_attributed_or_quoted_is_left_alone(tmp_path: Path, summary: str):
    text = edit(WITH_FACT, SUMMARY, f"    summary: {summary}\n")
    _, found = audit_text(tmp_path, text)
    assert found == []


# -- 10. one lemma counted in one claim and not in another of the same outlet ---------------------

COERCED = """\
  - id: c3
    article: daily-2024-01-15
    quote: The minister had to talk.
    speaker: narration
    kind: narration
    actors: [minister]
    loaded_terms: [had to]
  - id: c4
    article: daily-2024-01-15
    quote: The president has to wait.
    speaker: narration
    kind: narration
    actors: [president]
"""
C4 = "    quote: The president has to wait.\n    speaker: narration\n    kind: narration\n    actors: [president]\n"
WITH_COERCION = edit(
    add_claim(BASE, COERCED), "lexicon:\n", "lexicon:\n  - {term: had to, category: coercion framing}\n"
)


def test_a_form_of_a_counted_lemma_left_uncounted_in_the_same_outlet_is_reported(tmp_path: Path):
    path, found = audit_text(tmp_path, WITH_COERCION)
    hits = at(path, WITH_COERCION, "The president has to", found)
    assert len(hits) == 1, found
    assert "claim c4: 'has to' is a form of 'had to', counted as a loaded term in claim c3" in hits[0]


def test_a_lemma_counted_as_a_variant_or_answered_in_the_note_is_left_alone(tmp_path: Path):
    counted = edit(
        WITH_COERCION,
        "{term: had to, category: coercion framing}",
        "{term: had to, category: coercion framing, variants: [has to]}",
    )
    counted = edit(counted, C4, C4 + "    loaded_terms: [had to]\n")
    assert audit_text(tmp_path, counted)[1] == []
    noted = edit(WITH_COERCION, C4, C4 + "    note: '\"has to\" is a timetable here.'\n")
    assert audit_text(tmp_path, noted)[1] == []


def test_a_lemma_inside_a_phrase_the_lexicon_exempts_is_left_alone(tmp_path: Path):
    text = edit(WITH_COERCION, "The minister had to talk.", "The minister had to talk about a regime.")
    text = edit(text, "    loaded_terms: [had to]\n", "    loaded_terms: [had to, regime]\n")
    text = edit(text, "The president has to wait.", "The president has talked of regime change.")
    text = edit(
        text, "lexicon:\n", "lexicon:\n  - {term: regime, category: delegitimising label, not_in: [regime change]}\n"
    )
    assert audit_text(tmp_path, text)[1] == []
    counted_elsewhere = edit(text, "regime change.", "regimes.")
    _, found = audit_text(tmp_path, counted_elsewhere)
    assert len(found) == 1 and "'regimes' is a form of 'regime'" in found[0], found


# -- 11. dates quoted ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('    from: "2024-01"', "    from: 2024-01", "from"),
        ('    date: "2024-01"', "    date: 2024-01", "date"),
    ],
)
def test_an_unquoted_date_is_reported_where_it_stands(tmp_path: Path, old: str, new: str, key: str):
    text = edit(BASE, old, new)
    path, found = audit_text(tmp_path, text)
    value = new.split(": ")[1]
    line, col = where(text, f"{key}: {value}")
    col += len(key) + 2
    assert found == [
        f'{path}:{line}:{col}: audit: {key} {value} is not quoted; write "{value}" (a YAML reader may read a bare '
        "date as a number or a date object)"
    ]


def test_a_quoted_date_or_a_date_in_prose_is_left_alone(tmp_path: Path):
    assert audit_text(tmp_path, BASE)[1] == []
    text = edit(BASE, "    kind: direct\n", "    kind: direct\n    note: Said on the day of the article, 2024-01-15.\n")
    assert audit_text(tmp_path, text)[1] == []


# -- 12. a label for an actor the claim is not about ------------------------------------------------


def test_a_label_for_an_actor_missing_from_actors_is_reported_and_silent_once_tagged(tmp_path: Path):
    text = edit(BASE, "    actors: [president]\n    issues: [negotiate]\n", "    issues: [negotiate]\n")
    path, found = audit_text(tmp_path, text)
    hits = at(path, text, "authoritarian President Smith}", found)
    assert len(hits) == 1 and "claim c1: labels president but does not list it in actors" in hits[0], found
    speaker = edit(BASE, "    kind: direct\n", "    kind: direct\n    labels: {minister: We}\n")
    assert audit_text(tmp_path, speaker)[1] == []  # the speaker's own label: the claim is the speaker's
