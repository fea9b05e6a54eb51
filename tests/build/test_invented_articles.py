"""The builder on three small invented articles (an election, a strike, local news): texts none of its rules
were written from. Each sentence's suggested speaker, kind, source and quote span, as a reader applying the
codebook's rules would code them; and the actor candidates and relative dates they give."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.build.draft import Draft
from dashboard.build.extract import read_article
from dashboard.build.suggest import add_article

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
N, U = "narration", "unnamed"

# Per sentence (the headline first): speaker (an actor's name, narration or unnamed), kind, unnamed source.
EXPECTED = {
    "election.txt": [
        (N, "narration", None),
        (N, "narration", None),
        ("county election office", "paraphrase", None),  # according to …
        ("Dana Okafor", "direct", None),  # X told …; "Challenger" is a title, not the name
        (N, "narration", None),
        ("Greg Sutter", "direct", None),  # "he said": the subject of the sentence before
        ("Greg Sutter", "paraphrase", None),  # X, who …, said; one quoted word: a paraphrase
        (U, "paraphrase", "Two campaign aides who asked not to be named"),
        (U, "paraphrase", "People familiar with the count"),
        ("Rick Beal", "direct", None),  # said X
        ("Rick Beal", "direct", None),  # a quotation credited by the sentence before
        ("county election office", "paraphrase", None),  # a short form of a body's name
        (U, "paraphrase", "Okafor's critics"),  # a possessive names no source
        (N, "narration", None),
        (N, "narration", None),
    ],
    "strike.txt": [
        (N, "narration", None),
        (N, "narration", None),
        ("Harbour Workers Union", "paraphrase", None),  # called by X
        ("Samir Haddad", "direct", None),
        ("Alma Port Authority", "paraphrase", None),  # "the port authority": a body
        ("Alma Port Authority", "paraphrase", None),  # "It described …": the body last named
        ("Alma Port Authority", "paraphrase", None),
        ("Samir Haddad", "paraphrase", None),
        ("Samir Haddad", "direct", None),  # a paragraph that is all quotation: the speaker before it
        (N, "narration", None),
        (U, "paraphrase", "Shipping analysts"),  # a capital that only starts the sentence names no one
        (U, "paraphrase", "A manager, speaking on condition of anonymity"),
        (U, "paraphrase", "Workers"),
    ],
    "local.txt": [
        (N, "narration", None),
        (N, "narration", None),
        ("Ruth Adeyemi", "paraphrase", None),
        ("Ruth Adeyemi", "direct", None),
        ("Ruth Adeyemi", "direct", None),
        (U, "paraphrase", "Parents at the meeting"),
        ("Patel", "paraphrase", None),
        ("Maria Chen", "paraphrase", None),  # said X of ORGANISATION: the person speaks
        (N, "narration", None),
        (N, "narration", None),
    ],
}


@pytest.fixture(scope="module")
def drafts() -> dict[str, Draft]:
    return {name: add_article(Draft(), read_article(name, (ARTICLES / name).read_bytes())) for name in EXPECTED}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_sentence_gets_the_speaker_kind_and_source_the_rules_give(drafts: dict[str, Draft], name: str) -> None:
    draft = drafts[name]
    got = []
    for claim in draft.claims:
        sug = claim.suggested
        actor = draft.actor(sug["speaker"].value)
        who = actor.name if actor else sug["speaker"].value
        got.append((who, sug["kind"].value, sug["source"].value if "source" in sug else None))
    assert got == EXPECTED[name]


def test_a_direct_quote_span_is_the_words_inside_straight_or_curly_quotation_marks(drafts: dict[str, Draft]) -> None:
    spans = [c.suggested["quote_span"].value for c in drafts["election.txt"].claims if "quote_span" in c.suggested]
    assert spans == [
        "We ran on clean water and cheaper buses, and people listened",
        "Every ballot will be counted",
        "It is a sham",
        "The whole thing was rigged from the start",
    ]
    curly = add_article(Draft(), read_article("c.txt", "“We ran,” Dana Okafor said, “and won.”".encode()))
    assert curly.claims[0].suggested["quote_span"].value == "We ran … and won"


def _terms(draft: Draft, start: str) -> list[str]:
    return next(c.suggested["loaded_terms"].value for c in draft.claims if c.quote.startswith(start))


def test_loaded_terms_come_from_the_general_lexicon_in_any_voice(drafts: dict[str, Draft]) -> None:
    election, strike = drafts["election.txt"], drafts["strike.txt"]
    assert _terms(election, '"It is a sham,"') == ["sham"]
    assert _terms(election, '"The whole thing was rigged') == ["rigged"]
    assert _terms(election, "Okafor's critics") == ["radical"]
    assert _terms(strike, "The strike is the first") == ["crackdown"]
    assert _terms(strike, "Workers accused") == ["scheme"]
    assert _terms(election, "Riverton voters") == []


def test_the_actor_candidates_are_names_without_their_titles_and_merged_by_alias(drafts: dict[str, Draft]) -> None:
    actors = {a.name: (a.aliases, a.suggested["type"].value) for a in drafts["election.txt"].actors}
    assert actors["Dana Okafor"] == (["Okafor"], "person")
    assert actors["Greg Sutter"] == (["Sutter"], "person")
    local = {a.name: (a.aliases, a.suggested["type"].value) for a in drafts["local.txt"].actors}
    assert local["Patel"] == ([], "person")  # "Mr. Patel": a personal title makes a person
    assert local["Westbrook Library"] == ([], "person")  # a place comes up as a name: the teacher's judgement
    assert "Friends of Westbrook Library" not in local  # "of": another body, not a longer name of this one
    strike = {a.name: (a.aliases, a.suggested["type"].value) for a in drafts["strike.txt"].actors}
    assert strike["Alma Port Authority"] == (["port authority"], "institution")
    assert not any(len(name.split()) == 1 and name.lower() in ("it", "this") for name in strike)


def test_relative_dates_are_shown_with_their_words(drafts: dict[str, Draft]) -> None:
    got = {n: [(m.words, m.suggestion.value) for m in d.articles[0].dates] for n, d in drafts.items()}
    assert got == {
        "election.txt": [("on Tuesday", "2025-11-04"), ("last week", "2025"), ("on Friday", "2025-11-07")],
        "strike.txt": [("on Monday", "2026-03-09"), ("last month", "2026-02")],
        # "every Sunday" is a habit; "takes effect April 6" is to come
        "local.txt": [("from April", "2025-04"), ("on Thursday", "2025-02-27"), ("April 6", "2025-04-06")],
    }


def test_nothing_is_accepted_until_the_teacher_accepts_it(drafts: dict[str, Draft]) -> None:
    for draft in drafts.values():
        assert all(not c.accepted and c.speaker is None and c.kind is None for c in draft.claims)
        assert all(not a.confirmed and a.type is None for a in draft.actors)
