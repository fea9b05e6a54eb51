"""A lexicon entry's ``not_in`` phrases: the term is not counted inside them, and counted everywhere else.

The matcher is tested on its own, then through the validator, which must count with the same matcher
(codebook section 8, "A limit of mechanical matching").
"""

from __future__ import annotations

from pathlib import Path

from dataset_helpers import MINIMAL, check_text, edit, messages, where

from dashboard.data.text import Lexicon

REGIME = Lexicon([("regime", "delegitimising label", [], ["regime change"])])


def found(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(m.term, text[m.start : m.end]) for m in lexicon.matches(text)]


def test_the_term_is_skipped_inside_the_phrase_and_matched_elsewhere_in_the_same_text():
    text = "The stakes aren’t regime change; the regime stays, and the regime’s allies too."
    matches = REGIME.matches(text)
    assert [text[m.start : m.end] for m in matches] == ["regime", "regime"]
    assert [m.start for m in matches] == [text.index("the regime stays") + 4, text.index("regime’s")]


def test_the_phrase_is_matched_by_the_lexicons_rules_case_and_folding():
    assert REGIME.matches("Regime Change, again") == []
    assert REGIME.matches("regime\u00a0change") == []  # a non-breaking space folds to a space
    assert found(REGIME, "regime changes") == [("regime", "regime")]  # an inflection is a phrase of its own


def test_the_phrase_must_stand_as_whole_words_on_both_sides():
    old = Lexicon([("regime", "delegitimising label", [], ["the old regime"])])
    assert old.matches("They fought the old regime.") == []
    assert found(old, "Bathe old regime") == [("regime", "regime")]  # "the" is inside "Bathe"
    assert found(old, "the old regime-era laws") == []  # "regime-era" is another word: no match at all
    assert found(old, "under the old regime") == []


def test_each_of_several_phrases_excepts_the_term_even_where_they_overlap():
    lexicon = Lexicon([("regime", "delegitimising label", [], ["old regime", "regime change", "regime changes"])])
    text = "The old regime changed; a regime changer; regime changes; the regime."
    found_at = [m.start for m in lexicon.matches(text)]
    assert found_at == [text.index("regime changer"), text.rindex("regime")]


def test_a_variant_inside_a_phrase_is_skipped_too_and_other_terms_are_untouched():
    lexicon = Lexicon(
        [
            ("dictator", "delegitimising label", ["dictators"], ["benevolent dictators"]),
            ("regime", "delegitimising label", []),
        ]
    )
    text = "Benevolent dictators, a regime change and two dictators."
    assert found(lexicon, text) == [("regime", "regime"), ("dictator", "dictators")]


def test_without_not_in_the_term_counts_inside_the_phrase():
    plain = Lexicon([("regime", "delegitimising label", [])])
    assert found(plain, "aren’t regime change") == [("regime", "regime")]


WLRN_STYLE = (
    "  - id: c3\n"
    "    article: daily-2024-01-15\n"
    "    quote: where the stakes now aren’t regime change, but election reform.\n"
    "    speaker: narration\n"
    "    kind: narration\n"
)
REGIME_ENTRY = "  - {term: regime, category: delegitimising label, not_in: [regime change]}\n"


def with_claim(claim: str, entry: str = REGIME_ENTRY) -> str:
    """The minimal dataset with one more claim and one more lexicon entry."""
    text = edit(MINIMAL, "positions:\n", claim + "positions:\n")
    return edit(
        text,
        "  - {term: authoritarian, category: delegitimising label}\n",
        "  - {term: authoritarian, category: delegitimising label}\n" + entry,
    )


def test_the_validator_accepts_a_quote_whose_only_occurrence_is_inside_the_phrase(tmp_path: Path):
    _, dataset, problems = check_text(tmp_path, with_claim(WLRN_STYLE))
    assert messages(problems) == []
    assert dataset is not None
    # The dataset's matcher, used by the metrics and the highlighting, counts the same way.
    assert dataset.lexicon.terms_in("where the stakes now aren’t regime change, but election reform.") == []


def test_the_validator_rejects_the_term_coded_inside_the_phrase(tmp_path: Path):
    claim = WLRN_STYLE + "    loaded_terms: [regime]\n"
    shown, _, problems = check_text(tmp_path, text := with_claim(claim))
    line, col = where(text, "[regime]\n")
    assert messages(problems) == [
        f"{shown}:{line}:{col}: claim c3: loaded_terms not found in the quote as lexicon terms: regime"
    ]


def test_the_validator_still_requires_the_term_outside_the_phrase(tmp_path: Path):
    claim = edit(WLRN_STYLE, "election reform.", "the regime stays.")
    shown, _, problems = check_text(tmp_path, text := with_claim(claim))
    line, col = where(text, "where the stakes")
    assert messages(problems) == [
        f"{shown}:{line}:{col}: claim c3: lexicon terms in the quote but not in loaded_terms: regime"
    ]


def test_a_not_in_phrase_without_its_term_is_a_located_error(tmp_path: Path):
    entry = "  - {term: regime, category: delegitimising label, not_in: [change of government]}\n"
    shown, _, problems = check_text(tmp_path, text := with_claim(WLRN_STYLE + "    loaded_terms: [regime]\n", entry))
    line, col = where(text, "change of government")
    assert messages(problems) == [
        f"{shown}:{line}:{col}: lexicon: not_in phrase 'change of government' does not contain the term 'regime' "
        "or a variant"
    ]
