"""The "guess the outlet" quiz: the pure quiz builder, and the quiz page driven with AppTest.

Both run on the classroom fixture (``tables``/``story`` are its frames and dataset, see conftest.py).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pandas as pd
import pytest
import streamlit as st

from dashboard.data.dataset import Dataset
from dashboard.data.frames import Tables
from dashboard.markup.safe import html_attr, md, md_link
from dashboard.markup.safe import md_html_text as html_text  # HTML shown through st.markdown
from dashboard.views.quiz import kept
from dashboard.views.quiz.questions import (
    ELLIPSIS,
    MASK,
    Question,
    as_excerpt,
    build_quiz,
    candidates,
    giveaway_terms,
    mask,
    score,
)

from .kit import assert_clean, button, contains_any, goto, open_page, plain

SEED = 2024
QUIZ = "quiz"
SEED_KEY, QUESTION_KEY = "quiz.seed", "quiz.question"  # the page-scoped widget keys


# -- what may not appear in an excerpt, read from the dataset independently of the quiz module ----
@pytest.fixture(scope="module")
def names(story: Dataset) -> list[str]:
    """Every outlet's name and aliases, and every writer's full name and surname."""
    out = [n for o in story.outlets for n in (o.name, *o.aliases)]
    for article in story.articles:
        if isinstance(article.authors, list):
            out += [x for a in article.authors for x in (a, a.split()[-1])]
    return sorted(set(out))


def quote_of(tables: Tables, claim: str) -> str:
    return str(tables.claims.loc[tables.claims["claim"] == claim, "quote"].iloc[0])


# -- pure ---------------------------------------------------------------------------------------
def test_same_seed_same_quiz(tables: Tables) -> None:
    first, again = build_quiz(tables, SEED), build_quiz(tables, SEED)
    assert first, "the fixture yields a quiz"
    assert first == again  # claims, answers, order and excerpts
    assert [q.number for q in first] == list(range(1, len(first) + 1))


def test_different_seeds_differ(tables: Tables) -> None:
    quizzes = {seed: build_quiz(tables, seed) for seed in (1, 2, 3, SEED, 99_999)}
    orders = {tuple(q.claim for q in quiz) for quiz in quizzes.values()}
    assert len(orders) == len(quizzes), "each seed gives its own questions or order"
    # The set of claims differs too, not just the order.
    assert len({frozenset(q.claim for q in quiz) for quiz in quizzes.values()}) > 1


@pytest.mark.parametrize("seed", [0, 1, SEED, 10**9])
def test_every_outlet_with_text_appears(tables: Tables, seed: int) -> None:
    quiz = build_quiz(tables, seed)
    with_text = set(tables.claims["outlet"])
    assert {q.outlet for q in quiz} == with_text
    per_outlet = pd.Series([q.outlet for q in quiz]).value_counts()
    assert set(per_outlet) == {2}, per_outlet.to_dict()  # PER_OUTLET questions each, none favoured
    assert len({q.claim for q in quiz}) == len(quiz), "no claim is asked twice"
    for q in quiz:  # the answer is the outlet of the claim asked about
        assert tables.claims.loc[tables.claims["claim"] == q.claim, "outlet"].iloc[0] == q.outlet


@pytest.mark.parametrize("seed", range(20))
def test_no_excerpt_names_an_outlet_or_writer(tables: Tables, names: list[str], seed: int) -> None:
    terms = giveaway_terms(tables)
    assert {n for n in names if len(n) > 2} <= set(terms), "giveaway_terms misses a name"
    for q in build_quiz(tables, seed):
        assert not contains_any(q.excerpt, names), (q.claim, q.excerpt)
        quote = quote_of(tables, q.claim)
        assert q.excerpt == as_excerpt(quote, mask(quote, terms))


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        # Fragments of the curated texts: they start or stop mid-sentence, and say so.
        (
            "and are accused by the United Nations of grave human rights abuses.",
            "… and are accused by the United Nations of grave human rights abuses.",
        ),
        ("in which Urrejola told the press that", "… in which Urrejola told the press that …"),
        ("We will negotiate in good faith,", "We will negotiate in good faith …"),
        ("the talks resumed; ", "… the talks resumed …"),
        # Whole sentences stay as they are, closing quotation marks and all.
        ("The talks resumed in Oslo.", "The talks resumed in Oslo."),
        ("“Will they return?” she asked.", "“Will they return?” she asked."),
        ("He called it a “dialogue.”", "He called it a “dialogue.”"),
        ("2019 was the year talks began!", "2019 was the year talks began!"),
    ],
)
def test_an_excerpt_is_a_whole_sentence_or_marked_as_an_excerpt(quote: str, shown: str) -> None:
    assert as_excerpt(quote) == shown


def test_a_masked_name_at_the_start_is_not_taken_for_a_fragment() -> None:
    quote = "Harbour Radio said the envoys met again,"
    assert as_excerpt(quote, mask(quote, ["Harbour Radio"])) == f"{MASK} said the envoys met again {ELLIPSIS}"


def test_candidates_leave_out_quotes_that_name_an_outlet_or_writer(tables: Tables, names: list[str]) -> None:
    pool = candidates(tables)
    named = [
        c for c, quote in zip(tables.claims["claim"], tables.claims["quote"], strict=True) if contains_any(quote, names)
    ]
    assert named, "the fixture has quotes naming an outlet or writer, so the filter is exercised"
    assert not set(named) & set(pool["claim"]), "a quote naming an outlet or writer is offered as a question"
    assert all(not contains_any(q, names) for q in pool["quote"])
    # Excerpts with a framing cue come first: an outlet with enough cued excerpts is asked only those.
    for seed in range(20):
        for q in build_quiz(tables, seed):
            mine = pool[pool["outlet"] == q.outlet]
            if (mine["cues"] > 0).sum() >= 2:
                assert mine.loc[mine["claim"] == q.claim, "cues"].iloc[0] > 0, q


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        ("A report by the wall street journal said", ["The Wall Street Journal"], f"A report by {MASK} said"),
        ("WSJ and wsj and Wsj", ["WSJ"], f"{MASK} and {MASK} and {MASK}"),
        # curly in the text, straight in the term, and the other way round
        ("Venezuela\u2019s Post: O\u2019Grady wrote", ["O'Grady"], f"Venezuela\u2019s Post: {MASK} wrote"),
        ("O'Grady wrote it", ["O\u2019Grady"], f"{MASK} wrote it"),
        ("Martel\u2019s story", ["Martel"], f"{MASK}\u2019s story"),
        # longest first: a full name is one mask, not a mask and a leftover
        ("Frances Martel wrote", ["Martel", "Frances Martel"], f"{MASK} wrote"),
        # whole words only
        ("Martello and WSJournal stay", ["Martel", "WSJ"], "Martello and WSJournal stay"),
        ("AS/COA's analyst", ["AS/COA"], f"{MASK}'s analyst"),
        ("nothing to hide", [], "nothing to hide"),
    ],
)
def test_mask(text: str, terms: list[str], expected: str) -> None:
    terms = sorted(terms, key=len, reverse=True)  # as giveaway_terms orders them
    assert mask(text, terms) == expected


def test_mask_keeps_the_rest_of_the_text_byte_for_byte() -> None:
    text = "\u201cDialogue,\u201d said Breitbart\u2019s   reporter \u2014 twice."
    assert mask(text, ["Breitbart"]) == f"\u201cDialogue,\u201d said {MASK}\u2019s   reporter \u2014 twice."


def test_score() -> None:
    questions = [Question(1, "c1", "wlrn", "x"), Question(2, "c2", "breitbart", "y"), Question(3, "c3", "wlrn", "z")]
    assert score({}, questions) == (0, 0)
    assert score({1: "wlrn"}, questions) == (1, 0)
    assert score({1: "wlrn", 2: "wlrn"}, questions) == (1, 1)
    assert score({1: "breitbart", 2: "breitbart", 3: "wlrn"}, questions) == (2, 1)
    assert score({9: "wlrn"}, questions) == (0, 0), "an answer to no question counts for nothing"


# -- the page ---------------------------------------------------------------------------------------
def excerpt_blocks(at) -> list[str]:
    """The question's excerpt as the page shows it (the large quote block)."""
    return [m.value for m in at.markdown if m.value.startswith('<blockquote class="nt-quote" style=')]


def shown_excerpt(at) -> str:
    blocks = excerpt_blocks(at)
    assert len(blocks) == 1, blocks
    return html.unescape(re.sub(r"<[^>]+>", "", blocks[0]))


SCORE = re.compile(r"your score: \*\*(\d+)\*\* right, \*\*(\d+)\*\* wrong")


def metrics(at) -> dict[str, str]:
    """The score line, as {"Right": n, "Wrong": m} (one line, so a phone keeps the excerpt on its first screen)."""
    found = [m for m in (SCORE.search(plain(x.value)) for x in at.markdown) if m]
    assert len(found) == 1, "one score line"
    return {"Right": found[0].group(1), "Wrong": found[0].group(2)}


def answer_key(seed: int, number: int) -> str:
    return f"quiz.answer-{seed}-{number}"


def answer(at, seed: int, number: int, outlet: str):
    """Pick ``outlet`` (a rerun, as in a browser), then press "Check my answer"."""
    at.radio(key=answer_key(seed, number)).set_value(outlet).run()
    return button(at, "Check my answer").click().run()


def test_page_shows_the_same_first_question_as_build_quiz(tables: Tables) -> None:
    expected = build_quiz(tables, SEED)
    for _ in range(2):  # two fresh sessions, e.g. the projector and a phone
        at = open_page(QUIZ, {"seed": str(SEED)})
        assert_clean(at)
        assert at.number_input(key=SEED_KEY).value == SEED
        assert at.button_group(key=QUESTION_KEY).value == 1
        assert excerpt_blocks(at) == [
            f'<blockquote class="nt-quote" style="font-size:1.25rem">{html_text(expected[0].excerpt)}</blockquote>'
        ]
        assert [r.key for r in at.radio] == [answer_key(SEED, 1)]
        assert at.radio[0].value is None
        assert metrics(at) == {"Right": "0", "Wrong": "0"}
        assert at.button_group(key=QUESTION_KEY).options == [str(q.number) for q in expected]


def test_page_excerpts_never_name_an_outlet_or_writer(tables: Tables, names: list[str]) -> None:
    quiz = build_quiz(tables, SEED)
    at = open_page(QUIZ, {"seed": str(SEED)})
    for q in quiz:
        at.button_group(key=QUESTION_KEY).set_value(q.number).run()
        assert_clean(at)
        assert shown_excerpt(at) == q.excerpt
        assert not contains_any(shown_excerpt(at), names), (q.number, q.claim)
        assert dict(at.query_params) == {"seed": str(SEED), **({"question": str(q.number)} if q.number > 1 else {})}


def test_page_masks_names_in_a_quote_that_reaches_it(
    tables: Tables, names: list[str], monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Masking is the second line of defence: a named quote let through the filter still reaches no one."""
    named = tables.claims[tables.claims["quote"].map(lambda q: bool(contains_any(q, names)))].copy()
    named["cues"] = 1
    pool = named.sort_values("claim")
    monkeypatch.setattr("dashboard.views.quiz.build.candidates", lambda _tables: pool)
    # The app keeps quizzes with the loaded dataset: start from a fresh load, and leave none patched behind.
    st.cache_resource.clear()
    request.addfinalizer(st.cache_resource.clear)
    quiz = build_quiz(tables, SEED, pool=pool)
    assert {q.outlet for q in quiz} == set(tables.claims["outlet"]), "every outlet has a named quote here"
    assert quiz and all(MASK in q.excerpt for q in quiz)
    at = open_page(QUIZ, {"seed": str(SEED)})
    for q in quiz:
        at.button_group(key=QUESTION_KEY).set_value(q.number).run()
        assert_clean(at)
        shown = shown_excerpt(at)
        assert MASK in shown and shown == q.excerpt
        assert not contains_any(shown, names), (q.claim, shown)


def test_right_and_wrong_answers_are_told_and_counted(tables: Tables) -> None:
    quiz = build_quiz(tables, SEED)
    names = dict(zip(tables.outlets["outlet"], tables.outlets["name"], strict=True))
    at = open_page(QUIZ, {"seed": str(SEED)})

    answer(at, SEED, 1, quiz[0].outlet)
    assert_clean(at)
    assert [plain(s.value) for s in at.success] == [f"Right: {names[quiz[0].outlet]}."]
    assert metrics(at) == {"Right": "1", "Wrong": "0"}
    assert at.radio(key=answer_key(SEED, 1)).disabled, "an answered question cannot be answered again"
    assert not [b for b in at.button if b.label == "Check my answer"]

    button(at, "Next").click().run()  # to question 2 with the Next button
    assert at.button_group(key=QUESTION_KEY).value == 2
    wrong = next(o for o in names if o != quiz[1].outlet and o in set(tables.claims["outlet"]))
    answer(at, SEED, 2, wrong)
    assert not at.exception and not at.success
    assert [plain(e.value) for e in at.error] == [f"Not quite: you said {names[wrong]}; it is {names[quiz[1].outlet]}."]
    assert metrics(at) == {"Right": "1", "Wrong": "1"}
    assert at.button_group(key=QUESTION_KEY).options[:3] == ["1 ✔", "2 ✘", "3"]

    # Back to question 1 with the segmented control: the answer, its reveal and the score stay.
    at.button_group(key=QUESTION_KEY).set_value(1).run()
    assert_clean(at)
    assert [plain(s.value) for s in at.success] == [f"Right: {names[quiz[0].outlet]}."]
    assert at.radio(key=answer_key(SEED, 1)).value == quiz[0].outlet, "the answered choice is still shown"
    assert metrics(at) == {"Right": "1", "Wrong": "1"}

    # Previous from question 1 is disabled, Next from the last one too.
    assert button(at, "Previous").disabled
    at.button_group(key=QUESTION_KEY).set_value(len(quiz)).run()
    assert button(at, "Next").disabled and not button(at, "Previous").disabled


def test_answers_stay_locked_after_leaving_the_quiz_and_belong_to_their_quiz_number(tables: Tables) -> None:
    quiz = build_quiz(tables, SEED)
    at = open_page(QUIZ, {"seed": str(SEED)})
    answer(at, SEED, 1, quiz[0].outlet)
    goto(at, "timeline", {})  # off to another page in the same session, then back by the quiz's link
    assert_clean(at)
    goto(at, QUIZ, {"seed": str(SEED)})
    assert_clean(at)
    assert at.radio(key=answer_key(SEED, 1)).disabled and at.radio(key=answer_key(SEED, 1)).value == quiz[0].outlet
    assert metrics(at) == {"Right": "1", "Wrong": "0"}
    assert not [b for b in at.button if b.label == "Check my answer"]
    # Another quiz number starts unanswered: answers are kept per quiz, and never put in the link.
    goto(at, QUIZ, {"seed": "7"})
    assert metrics(at) == {"Right": "0", "Wrong": "0"}
    assert not at.radio(key=answer_key(7, 1)).disabled
    assert dict(at.query_params) == {"seed": "7"}


def test_an_unanswered_check_does_nothing() -> None:
    at = open_page(QUIZ, {"seed": str(SEED)})
    button(at, "Check my answer").click().run()
    assert_clean(at)
    assert not at.success and metrics(at) == {"Right": "0", "Wrong": "0"}


def _cued_question(tables: Tables) -> tuple[int, Question]:
    """The first seed and question whose claim has labels, loaded terms and scare quotes and a linked article."""
    claims = tables.claims.set_index("claim")
    for seed in range(1, 500):
        for q in build_quiz(tables, seed):
            c = claims.loc[q.claim]
            if c["label_texts"] and c["loaded_terms"] and c["scare_quotes"] and c["url"].startswith("http"):
                return seed, q
    pytest.fail("no quiz question with every kind of cue in the first 500 seeds")


def _voiced_question(tables: Tables) -> tuple[int, Question]:
    claims = tables.claims.set_index("claim")
    for q in build_quiz(tables, SEED):
        if claims.loc[q.claim, "voice"] != "narration":
            return SEED, q
    pytest.fail(f"no quoted voice in quiz {SEED}")


@pytest.mark.parametrize("which", ["cued", "voiced"])
def test_reveal_shows_the_cues_and_the_article(story: Dataset, tables: Tables, which: str) -> None:
    seed, q = _cued_question(tables) if which == "cued" else _voiced_question(tables)
    claim = tables.claims.set_index("claim").loc[q.claim]
    article = tables.articles.set_index("article").loc[claim["article"]]
    at = open_page(QUIZ, {"seed": str(seed), "question": str(q.number)})
    assert shown_excerpt(at) == q.excerpt
    answer(at, seed, q.number, q.outlet)
    assert_clean(at)

    sources = [m.value for m in at.markdown]
    link = md_link(article["title"], article["url"])
    assert link in sources
    if which == "cued":  # its article has an http(s) address: the title is a live link to it
        assert link.startswith("[") and link.endswith(f"]({article['url']})"), link
    assert "**The cues that could have told you**" in sources
    # The highlighted excerpt, with the outlet's own text unmasked now.
    assert any(f"claim {html_attr(q.claim)}</span></blockquote>" in s for s in sources)

    cues = [plain(s)[2:] for s in sources if s.startswith("- ")]
    voice = (
        "Voice: the outlet's own narration"
        if claim["voice"] == "narration"
        else f"Voice: {claim['speaker_name']} ({claim['kind']})"
    )
    assert cues[0] == " ".join(voice.split())
    expected = [voice]
    if claim["label_texts"]:
        expected.append("Labels: " + "; ".join(claim["label_texts"]))
    if claim["loaded_terms"]:
        lexicon = story.lexicon
        expected.append("Loaded terms: " + ", ".join(f"{t} ({lexicon.category[t]})" for t in claim["loaded_terms"]))
    if claim["scare_quotes"]:
        expected.append("Scare quotes: " + ", ".join(claim["scare_quotes"]))
    assert [s for s in sources if s.startswith("- ")] == ["- " + md(e) for e in expected]
    if which == "cued":
        assert [c.split(":")[0] for c in cues] == ["Voice", "Labels", "Loaded terms", "Scare quotes"]


def test_new_quiz_and_the_seed_box(tables: Tables) -> None:
    at = open_page(QUIZ, {"seed": str(SEED), "question": "3"})
    assert at.button_group(key=QUESTION_KEY).value == 3
    at.number_input(key=SEED_KEY).set_value(7).run()
    assert_clean(at)
    assert shown_excerpt(at) == build_quiz(tables, 7)[2].excerpt
    assert dict(at.query_params) == {"seed": "7", "question": "3"}
    button(at, "New quiz").click().run()
    assert_clean(at)
    seed = at.number_input(key=SEED_KEY).value
    assert at.button_group(key=QUESTION_KEY).value == 1
    assert shown_excerpt(at) == build_quiz(tables, seed)[0].excerpt
    assert dict(at.query_params).get("seed", "1") == str(seed)


# -- the score kept in the student's browser (a cookie; the reload itself is in tests/browser) ---------
def test_kept_answers_come_back_for_the_same_quiz_only(tables: Tables) -> None:
    quiz, other = build_quiz(tables, SEED), build_quiz(tables, SEED + 1)
    choices = sorted(set(tables.claims["outlet"]))
    answers = {1: quiz[0].outlet, 3: choices[0]}
    value = kept.encode(quiz, answers)
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", value), "safe in a cookie and inside the page's script"
    assert kept.decode(value, quiz, choices) == answers
    assert kept.decode(value, other, choices) == {}, "another quiz's questions: not these answers"
    assert kept.cookie_name(SEED) == f"nt_quiz_{SEED}"


@pytest.mark.parametrize(
    "forged",
    ["", "x", "%ZZ", "~~~", "a" * 5_000, None, 12],
)
def test_a_cookie_not_written_by_the_page_gives_no_answers(tables: Tables, forged: object) -> None:
    quiz = build_quiz(tables, SEED)
    assert kept.decode(forged, quiz, sorted(set(tables.claims["outlet"]))) == {}


def test_only_answers_to_this_quizs_questions_among_its_choices_are_taken(tables: Tables) -> None:
    quiz = build_quiz(tables, SEED)
    choices = sorted(set(tables.claims["outlet"]))
    mark = kept.fingerprint(quiz)
    value = quote(f"{mark}.1-{choices[0]}~99-{choices[0]}~2-not-an-outlet~x-{choices[1]}~3-{choices[1]}", safe="")
    assert kept.decode(value, quiz, choices) == {1: choices[0], 3: choices[1]}


def test_the_page_keeps_the_answers_in_the_browser_after_an_answer(tables: Tables) -> None:
    at = open_page(QUIZ, {"seed": str(SEED)})
    scripts = lambda: [h.proto.body for h in at.get("html") if "nt_quiz_" in h.proto.body]  # noqa: E731
    assert scripts() == []  # nothing to keep yet
    quiz = build_quiz(tables, SEED)
    answer(at, SEED, 1, quiz[0].outlet)
    assert_clean(at)
    [script] = scripts()
    value = kept.encode(quiz, {1: quiz[0].outlet})
    assert f'document.cookie = "nt_quiz_{SEED}={value}; path=/; max-age=86400; SameSite=Lax"' in script
