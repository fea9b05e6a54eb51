"""“Spot the framing” as data: the words a phone shows, the codebook's reading, the seeded set, the class's
results and a student's own, on an invented story (the code knows nothing of the real one), and the real
dataset's curated excerpts."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data.dataset import load_dataset
from dashboard.views.room import spot
from tests.dataset_helpers import check_text, edit, messages

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "spot_class.yaml"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(FIXTURE)


@pytest.fixture(scope="module")
def real():
    return load_dataset(REPO / "data" / "events.yaml")


def q_of(ds, claim_id: str) -> spot.SpotQuestion:
    return spot.question_of(ds, ds.by_id("claims")[claim_id])


def test_words_keep_their_punctuation_and_a_lone_dash_joins_the_word_before() -> None:
    words, spans = spot.split_words("Petro – a “former” member, said: yes.")
    assert words == ["Petro –", "a", "“former”", "member,", "said:", "yes."]
    assert spans[0] == (0, 7) and spans[-1] == (33, 37)


def test_button_labels_are_distinct_and_read_as_the_words() -> None:
    labels = spot.button_labels(["the", "talks", "the", "the"])
    assert len(set(labels)) == 4
    assert [label.replace("\u200b", "") for label in labels] == ["the", "talks", "the", "the"]


def test_the_reading_codes_loaded_terms_label_words_and_scare_quotes_with_their_rules(ds) -> None:
    q = q_of(ds, "l7")
    assert q.words[1] == "strongman" and q.words[17] == "“dialogue”"
    kinds = {(c.kind, c.text, c.words) for c in q.codes}
    assert kinds == {
        (spot.LABEL, "The strongman Alba", (1,)),  # only the word beside the name: "Alba" and "The" frame nothing
        (spot.LOADED, "strongman", (1,)),
        (spot.LOADED, "regime", (4,)),
        (spot.SCARE, "dialogue", (17,)),
    }
    rules = {c.kind: c.rule for c in q.codes}
    assert "President Alba" in rules[spot.LABEL] and "§4, “Actors and labels”" in rules[spot.LABEL]
    assert "“regime” (label)" in next(c.rule for c in q.codes if c.text == "regime")
    assert "keeps its distance from “dialogue”" in rules[spot.SCARE]
    assert q.coded == {1, 4, 17}


def test_a_bare_name_is_no_code_and_a_phrase_covers_all_its_words(ds) -> None:
    q = q_of(ds, "h7")  # "President Alba" is the actor's own name; "crack down" is one loaded term
    assert [(c.kind, c.words) for c in q.codes] == [(spot.LOADED, (10, 11))]
    assert not q_of(ds, "h6").codes


def test_the_pool_is_the_prompts_excerpts_else_every_claim_of_20_to_60_words(ds, tmp_path: Path) -> None:
    assert [q.claim for q in spot.pool(ds)] == ["l7", "h6", "h7"]
    _, bare, problems = check_text(tmp_path, edit(_fixture_text(), "    spot: [l7, h6, h7]\n", ""))
    assert not problems and bare is not None
    # every claim of 20 to 60 words, in the file's order: l3 (21 words) too, the 13 others are shorter
    assert [q.claim for q in spot.pool(bare)] == ["l3", "l7", "h6", "h7"]


def test_a_seed_draws_the_same_set_every_time_with_a_plain_excerpt_and_outlets_in_turn(real) -> None:
    pool = spot.pool(real)
    assert len(pool) >= 12 and len({q.outlet for q in pool}) == 5
    first = spot.draw(pool, 7)
    assert [q.claim for q in first] == [q.claim for q in spot.draw(pool, 7)]
    assert len(first) == spot.QUESTIONS == len({q.claim for q in first})
    assert 1 <= sum(1 for q in first if not q.codes) <= 2
    assert len({q.outlet for q in first}) == 5
    assert any([q.claim for q in spot.draw(pool, s)] != [q.claim for q in first] for s in range(8, 12))


def test_a_small_pool_gives_what_it_has() -> None:
    plain = spot.SpotQuestion("p", "o", "x", ("x",), ())
    framed = spot.SpotQuestion("f", "o", "y", ("y",), (spot.Code(spot.LOADED, "y", (0,), "r"),))
    assert {q.claim for q in spot.draw([plain, framed], 1)} == {"p", "f"}
    assert [q.claim for q in spot.draw([framed], 1)] == ["f"]
    assert spot.draw([], 1) == []


def test_the_class_reading_sorts_codes_into_found_and_missed_and_lists_uncoded_words_many_marked(ds) -> None:
    q = q_of(ds, "l7")
    sets = [[1, 4], [1, 25], [1, 25, 17], [25], [], [1]]  # six students; "opposition" (25) is coded by nothing
    r = spot.class_reading(q, sets)
    assert r.sent == 6 and r.counts[1] == 4 and r.counts[25] == 3 and r.share(25) == 0.5
    assert {(f.code.text, round(f.share, 2)) for f in r.found} == {("The strongman Alba", 0.67), ("strongman", 0.67)}
    assert {(f.code.text, round(f.share, 2)) for f in r.missed} == {("regime", 0.17), ("dialogue", 0.17)}
    assert q.words[25] == "opposition" and r.uncoded == ((25, 0.5),)
    nobody = spot.class_reading(q, [])
    assert nobody.sent == 0 and not nobody.found and len(nobody.missed) == 4 and not nobody.uncoded


def test_a_students_own_result(ds) -> None:
    q = q_of(ds, "l7")
    mine = spot.own_result(q, [25, 1, 1])
    assert (mine.coded, mine.uncoded) == ((1,), (25,))
    assert [c.text for c in mine.missed] == ["regime", "dialogue"]
    assert spot.phrase(q, [0, 1, 2, 25]) == "The strongman Alba, · opposition"
    none = spot.own_result(q_of(ds, "h6"), [])
    assert none == spot.OwnResult((), (), ())


def test_every_curated_excerpt_of_the_real_dataset_fits_and_most_carry_framing(real) -> None:
    curated = spot.curated(real)
    assert len(curated) >= 12
    qs = spot.pool(real)
    assert [q.claim for q in qs] == curated  # every listed excerpt fits: none is dropped
    assert 2 <= sum(1 for q in qs if not q.codes) < len(qs) // 2
    bb18 = next(q for q in qs if q.claim == "bb-18")
    assert {(c.kind, c.text) for c in bb18.codes} == {
        (spot.LOADED, "fraudulent"),
        (spot.SCARE, "election"),
        (spot.SCARE, "victory"),
    }


# --- the validator ------------------------------------------------------------------------------

SPOT_PROMPT = """
prompts:
  - id: p1
    page: compare
    text: Which words frame it?
    spot: [l7]
"""


def _fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def test_a_prompt_naming_a_short_claim_or_a_missing_one_is_reported_where_it_stands(tmp_path: Path) -> None:
    text = edit(_fixture_text(), "spot: [l7, h6, h7]", "spot: [l7, h1, nope]")
    path, _, problems = check_text(tmp_path, text)
    found = messages(problems)
    assert any("prompt spot: claim h1 has 13 words; an excerpt to spot the framing in has 20 to 60" in m for m in found)
    assert any("nope" in m for m in found)
    line = text[: text.index("spot: [l7, h1, nope]")].count("\n") + 1
    assert all(m.startswith(f"{path}:{line}:") for m in found), found


def test_a_prompt_has_excerpts_or_a_poll_not_both(tmp_path: Path) -> None:
    text = edit(_fixture_text(), "    spot: [l7, h6, h7]\n", "    spot: [l7, h6, h7]\n    poll: [a, b]\n")
    _, _, problems = check_text(tmp_path, text)
    assert any("or a poll or a written answer, not both" in m for m in messages(problems)), messages(problems)
