"""Each attribution pattern: one sentence it credits, one it leaves alone; and the segmenter's hard cases."""

from __future__ import annotations

import pytest

from dashboard.build.draft import Draft
from dashboard.build.extract import read_pasted
from dashboard.build.suggest import add_article, sentences


def claims_of(text: str) -> list:
    draft = add_article(Draft(), read_pasted(text))
    return [c for c in draft.claims if c.sentence >= 0], draft


def speaker(text: str, index: int = -1) -> tuple[str, str, str | None]:
    """(speaker's name or narration/unnamed, rule, source) suggested for sentence ``index``."""
    claims, draft = claims_of(text)
    sug = claims[index].suggested
    who = sug["speaker"].value
    actor = draft.actor(who)
    source = sug["source"].value if "source" in sug else None
    return (actor.name if actor else who), sug["speaker"].rule, source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The plan will fail, Maria Lopez said.", ("Maria Lopez", "name-said")),
        ("“We are ready to talk,” said Carlos Vecchio.", ("Carlos Vecchio", "said-name")),
        ("Prices rose by a third last year, according to Juan Perez.", ("Juan Perez", "according-to")),
        ("Ana Ruiz told reporters the talks had stalled.", ("Ana Ruiz", "name-said")),
        ("Luis León, who directs a polling firm, said the talks were a step forward.", ("Luis León", "name-who-said")),
        ("Rosa Diaz resigned on Monday, saying she had no regrets.", ("Rosa Diaz", "name-saying")),
        ("Prices rose sharply last year, according to Santiago.", ("Santiago", "according-to")),  # one name
        ("The Electoral Council (CNE) said the vote was fair.", ("Electoral Council", "name-said")),  # its initials off
        (
            "The council was accused by Amnesty International of hiding the figures.",
            ("Amnesty International", "by-name"),
        ),
    ],
)
def test_a_named_speaker_is_found_by_its_pattern(text: str, expected: tuple[str, str]) -> None:
    who, rule, _ = speaker(text)
    assert (who, rule) == expected


@pytest.mark.parametrize(
    "text",
    [
        "They discussed what was said in the talks.",  # a verb of saying with no one before it
        "Prices rose according to plan.",  # "according to" with no name
        "He was told to wait outside.",  # a passive "told"
        "Luis León, who directs a polling firm, met the delegates.",  # an aside, but no verb of saying
        "The council met, discussing the budget.",  # a participle, but not of saying
        "The bill was passed by the Senate.",  # "by" after a verb that is not of saying
        "Guaidó’s call for new elections said nothing of the army.",  # a possessive before a noun: no subject
    ],
)
def test_a_sentence_without_that_pattern_is_left_alone(text: str) -> None:
    assert speaker(text)[:2] == ("narration", "narration")


def test_said_with_a_clause_credits_the_subject_not_a_name_in_the_clause() -> None:
    assert speaker("The court said the election results stunned Maduro.")[0] == "court"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("People familiar with the talks said the deal was close.", "People familiar with the talks"),
        ("Two officials who asked not to be named said the deal was close.", "Two officials who asked not to be named"),
        ("The deal was close, said one person briefed on the talks.", "one person briefed on the talks"),
        ("The deal was close, according to people familiar with the matter.", "people familiar with the matter"),
        ("Anonymous “people” said the deal was close.", "Anonymous “people”"),  # its quotation marks kept
        (
            "A manager, speaking on condition of anonymity, said it was close.",
            "A manager, speaking on condition of anonymity",
        ),
        ("Two officials, who asked not to be named, said it was close.", "Two officials, who asked not to be named"),
        ("Officials at the ministry in Caracas said it was close.", "Officials at the ministry"),  # the place left off
    ],
)
def test_an_unnamed_source_keeps_its_own_words(text: str, source: str) -> None:
    assert speaker(text) == ("unnamed", "unnamed-source", source)


def test_people_without_a_verb_of_saying_are_no_source() -> None:
    assert speaker("People gathered in the square before the vote.")[0] == "narration"


def test_an_office_credits_the_person_the_text_named_with_it() -> None:
    text = "Mayor Anna Lind opened the meeting. The mayor said the plan was fair."
    assert speaker(text)[:2] == ("Anna Lind", "name-said")
    _, draft = claims_of("The mayor said the plan was fair.")  # no one named with the office: the office
    assert [(a.name, a.suggested["type"].value) for a in draft.actors] == [("mayor", "person")]


def test_a_pronoun_credits_the_person_last_named() -> None:
    text = "Maria Lopez spoke first at the hearing. She said the vote was fair."
    assert speaker(text)[:2] == ("Maria Lopez", "pronoun-said")


def test_a_pronoun_inside_the_quotation_credits_no_one() -> None:
    assert speaker("“He said no to every offer,” Maria Lopez recalled.")[:2] == ("Maria Lopez", "name-said")


def test_a_quotation_is_credited_to_the_speaker_of_the_next_sentence() -> None:
    text = "“We will not give up.” Rosa Diaz said the group would keep asking the council."
    claims, draft = claims_of(text)
    assert len(claims) == 2
    first = claims[0].suggested
    assert first["speaker"].rule == "quote-next-sentence"
    assert draft.actor(first["speaker"].value).name == "Rosa Diaz"
    assert first["kind"].value == "direct"


def test_a_quotation_no_sentence_credits_is_left_as_it_is() -> None:
    text = "The hall was full.\n“Nobody asked us.”\nThe vote was held at noon."
    assert speaker(text, 1)[:2] == ("narration", "narration")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Mr. Smith met Dr. Jones on Jan. 5 in Washington. They talked for an hour.", 2),  # abbreviations
        ("J. R. Hartley wrote the report. It was long.", 2),  # initials
        ("U.S. officials met in Oslo. The talks ended.", 2),  # an abbreviation that ends a word
        ("“We will win. We always win,” he said. Then he left.", 2),  # a quotation of two sentences stays whole
        ("Prices rose 2.5 percent in March. They fell in April.", 2),  # a decimal point
    ],
)
def test_the_segmenter_splits_hard_cases(text: str, count: int) -> None:
    found = [text[a:b] for a, b in sentences(text)]
    assert len(found) == count, found
    assert "".join(found).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added


def test_kind_quote_span_and_scare_quotes_follow_their_rules() -> None:
    text = (
        "“The harbour belongs to everyone who lives here,” Petra Holm said.\n"
        "Petra Holm said the sale was a “mistake”.\n"
        "The council held a 'consultation' of the town, a \"listening exercise\" of one evening.\n"
    )
    claims, _ = claims_of(text)
    direct, paraphrase, narration = (c.suggested for c in claims)
    assert direct["kind"].value == "direct"
    assert direct["quote_span"].value == "The harbour belongs to everyone who lives here"
    assert paraphrase["kind"].value == "paraphrase" and paraphrase["scare_quotes"].value == []  # Holm's word
    assert "quote_span" not in paraphrase and "quote_span" not in narration
    assert narration["kind"].value == "narration"
    # double quotation marks, straight or curly, as the audit's detector reads them; single ones are no quote
    assert narration["scare_quotes"].value == ["listening exercise"]


def test_scare_quotes_in_narration_are_suggested() -> None:
    claims, _ = claims_of("The so-called “consultation” was over before it began.")
    assert claims[0].suggested["scare_quotes"].value == ["consultation"]
    assert claims[0].suggested["loaded_terms"].value == ["so-called"]  # the general lexicon


def test_labels_name_actors_by_their_aliases_and_names_are_merged() -> None:
    text = "Maria Lopez said the vote was fair. Later, Lopez said it again."
    claims, draft = claims_of(text)
    lopez = [a for a in draft.actors if a.name == "Maria Lopez"]
    assert len(lopez) == 1 and "Lopez" in lopez[0].aliases
    assert claims[1].suggested["speaker"].value == lopez[0].id
    assert claims[1].suggested["labels"].value == {lopez[0].id: ["Lopez"]}
    assert lopez[0].suggested["type"].value == "person"
    assert lopez[0].suggested["aliases"].value == ["Lopez"] and lopez[0].suggested["aliases"].rule == "actor-name"
    assert not lopez[0].accepted


def test_every_suggestion_names_its_rule_and_a_codebook_anchor() -> None:
    claims, _ = claims_of("People familiar with the talks said the deal was close. The regime denied it.")
    for claim in claims:
        for sug in claim.suggested.values():
            assert sug.rule and sug.rule_text and sug.anchor.startswith("docs/codebook.md#")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("“It is over,” said Venezuelan President Nicolás Maduro.", "Nicolás Maduro"),
        ("Secretary of State Antony Blinken said the talks would resume.", "Antony Blinken"),
        ("The talks had stalled, said AS/COA's Eric Farnsworth.", "Eric Farnsworth"),
    ],
)
def test_titles_nationalities_and_possessives_are_left_off_the_name(text: str, name: str) -> None:
    assert speaker(text)[0] == name


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The Lima Group said it would meet.", "group"),
        ("The Foreign Ministry said it would meet.", "government"),
        ("The Supreme Court said it would rule.", "institution"),
        ("Maria Lopez said she would meet them.", "person"),
    ],
)
def test_an_actors_type_is_suggested_from_its_name(text: str, kind: str) -> None:
    _, draft = claims_of(text)
    assert [a.suggested["type"].value for a in draft.actors] == [kind]


def test_a_confirmed_actor_keeps_its_name_when_a_longer_one_is_met() -> None:
    draft = add_article(Draft(), read_pasted("Vecchio said the talks failed."))
    draft.actors[0].confirmed = True  # the teacher kept "Vecchio" as it is
    draft = add_article(draft, read_pasted("Carlos Vecchio said so again."))
    (actor,) = draft.actors
    assert (actor.name, actor.aliases) == ("Vecchio", ["Carlos Vecchio"])


def test_a_longer_name_met_later_becomes_the_name_and_its_type_is_suggested_again() -> None:
    _, draft = claims_of("Vecchio said the talks failed. Later, Carlos Vecchio said so again.")
    (actor,) = draft.actors
    assert (actor.name, actor.aliases, actor.suggested["type"].value) == ("Carlos Vecchio", ["Vecchio"], "person")


def test_a_very_long_paragraph_is_segmented_in_parts_and_nothing_is_lost() -> None:
    paragraph = " ".join(f"The council met again on day number {n} of the long talks." for n in range(2_500))
    assert len(paragraph) > 140_000
    found = sentences(paragraph)
    assert len(found) == 2_500
    assert " ".join(paragraph[a:b] for a, b in found) == paragraph


def test_a_sentence_longer_than_a_quote_may_be_is_cut_at_a_space() -> None:
    text = "word " * 9_000  # 45,000 characters and no full stop
    found = sentences(text)
    assert all(b - a <= 20_000 for a, b in found) and len(found) == 3
    assert " ".join(text[a:b] for a, b in found) == text.strip()
