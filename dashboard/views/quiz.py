"""Guess the outlet: an excerpt with the names masked; pick the outlet, then see what could have told you."""

from __future__ import annotations

import random

import streamlit as st

from dashboard.quiz import Question, score
from dashboard.safe import md, md_html_text, md_link
from dashboard.ui import (
    Loaded,
    discussion_prompts,
    empty_state,
    excerpts,
    legend_for_highlights,
    load_or_stop,
    presenter_bar,
    settings_from_link,
    settings_to_link,
)
from dashboard.viewdata import quiz


def _answers(seed: int) -> dict[int, str]:
    """This visitor's answers to quiz ``seed`` (kept for the session, never in the link)."""
    return st.session_state.setdefault("quiz_answers", {}).setdefault(seed, {})


def _check(seed: int, number: int) -> None:
    choice = st.session_state.get(f"answer-{seed}-{number}")
    if choice:
        _answers(seed)[number] = choice


def _go(to: int) -> None:
    st.session_state["question"] = to


def _new_quiz() -> None:
    st.session_state["seed"] = random.randint(1, 99_999)
    st.session_state["question"] = 1


def render() -> None:
    loaded = load_or_stop()
    spec = loaded.spec("quiz")
    outlet_names = loaded.names["outlet"]
    st.title("Guess the outlet")
    settings_from_link(spec)
    presenting = presenter_bar(loaded, "quiz")
    st.caption(
        "Read the excerpt, with the names of outlets and writers hidden, and pick the outlet it comes from. "
        "Everyone who opens this link gets the same questions, so a class can answer together."
    )
    seed = int(st.session_state["seed"])
    questions = quiz(loaded, seed)
    if not questions:
        settings_to_link(spec)
        empty_state("This dataset has no excerpts suitable for a quiz.")
        return
    st.session_state["question"] = min(max(int(st.session_state["question"]), 1), len(questions))
    answers = _answers(seed)

    left, middle, right = st.columns([2, 1, 1])
    left.number_input(
        "Quiz number",
        min_value=0,
        max_value=10**9,
        step=1,
        key="seed",
        help="Share the link, or this number, so everyone gets the same quiz.",
    )
    right_n, wrong_n = score(answers, questions)
    middle.metric("Right", right_n)
    right.metric("Wrong", wrong_n)
    st.segmented_control(
        "Question",
        [q.number for q in questions],
        key="question",
        required=True,
        format_func=lambda n: (
            f"{n} ✔" if n in answers and answers[n] == questions[n - 1].outlet else f"{n} ✘" if n in answers else str(n)
        ),
    )
    settings_to_link(spec)
    q = questions[int(st.session_state["question"]) - 1]
    st.markdown(
        f'<blockquote class="nt-quote" style="font-size:1.25rem">{md_html_text(q.excerpt)}</blockquote>',
        unsafe_allow_html=True,
    )
    choices = loaded.outlets_with_text
    answered = answers.get(q.number)
    st.radio(
        "Which outlet published this?",
        choices,
        format_func=lambda o: md(outlet_names[o]),  # radio labels are markdown: data is shown as text
        # An answered question keeps showing the choice made, also after the visitor moves away and back.
        index=choices.index(answered) if answered in choices else None,
        key=f"answer-{seed}-{q.number}",
        disabled=answered is not None,
    )
    if answered is None:
        st.button("Check my answer", type="primary", on_click=_check, args=(seed, q.number))
    else:
        _reveal(loaded, q, answered, outlet_names)

    back, forward, fresh = st.columns(3)
    back.button("Previous", on_click=_go, args=(q.number - 1,), disabled=q.number == 1, icon=":material/arrow_back:")
    forward.button(
        "Next", on_click=_go, args=(q.number + 1,), disabled=q.number == len(questions), icon=":material/arrow_forward:"
    )
    if not presenting:
        fresh.button("New quiz", on_click=_new_quiz, icon=":material/shuffle:")
        discussion_prompts(loaded.dataset, "quiz")


def _reveal(loaded: Loaded, q: Question, answered: str, outlet_names: dict[str, str]) -> None:
    tables, lexicon = loaded.tables, loaded.dataset.lexicon
    claim = tables.claims[tables.claims["claim"] == q.claim].iloc[0]
    article = tables.articles[tables.articles["article"] == claim["article"]].iloc[0]
    if answered == q.outlet:
        st.success(md(f"Right: {outlet_names[q.outlet]}."), icon=":material/check_circle:")
    else:
        st.error(
            md(f"Not quite: you said {outlet_names[answered]}; it is {outlet_names[q.outlet]}."),
            icon=":material/cancel:",
        )
    st.markdown(md_link(article["title"], article["url"]))
    st.markdown("**The cues that could have told you**")
    legend_for_highlights()
    excerpts(loaded, tables.claims[tables.claims["claim"] == q.claim])
    cues = []
    if claim["voice"] == "narration":
        cues.append("Voice: the outlet's own narration")
    else:
        cues.append(f"Voice: {claim['speaker_name']} ({claim['kind']})")
    if claim["label_texts"]:
        cues.append("Labels: " + "; ".join(claim["label_texts"]))
    if claim["loaded_terms"]:
        cues.append("Loaded terms: " + ", ".join(f"{t} ({lexicon.category[t]})" for t in claim["loaded_terms"]))
    if claim["scare_quotes"]:
        cues.append("Scare quotes: " + ", ".join(claim["scare_quotes"]))
    for cue in cues:
        st.markdown("- " + md(cue))


render()
