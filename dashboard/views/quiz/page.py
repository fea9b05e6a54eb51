"""The quiz page: the quiz number, the score, one question at a time, and its reveal once answered."""

from __future__ import annotations

import random

import streamlit as st

from dashboard.markup.highlight import STYLE
from dashboard.markup.safe import md, md_html_text, md_link
from dashboard.shell.page import Page
from dashboard.shell.widgets import empty_state, excerpts, legend_for_highlights
from dashboard.views.quiz import kept
from dashboard.views.quiz.build import QuizView, reveal
from dashboard.views.quiz.questions import Question, score

ANSWERS = "quiz.answers"  # this visitor's answers by quiz number, kept for the session, never in the link
RESTORED = "quiz.restored"  # the quiz numbers whose answers this session has read back from the browser
# Written after each answer; read back by the next session (a reload). Only our own encoded value goes in.
_KEEP = '<script>document.cookie = "{name}={value}; path=/; max-age={age}; SameSite=Lax";</script>'


def _answers(seed: int) -> dict[int, str]:
    return st.session_state.setdefault(ANSWERS, {}).setdefault(seed, {})


def _check(page: Page, seed: int, number: int) -> None:
    if choice := st.session_state.get(page.key(f"answer-{seed}-{number}")):
        _answers(seed)[number] = choice


def _read_back(seed: int, questions: list[Question], choices: list[str]) -> None:
    """Once per quiz and session: the answers this browser kept for it (a reload starts a new session)."""
    restored = st.session_state.setdefault(RESTORED, set())
    if seed in restored:
        return
    restored.add(seed)
    answers = _answers(seed)
    if not answers:
        answers.update(kept.decode(st.context.cookies.get(kept.cookie_name(seed), ""), questions, choices))


def _new_quiz(page: Page) -> None:
    page.set("seed", random.randint(1, 99_999))
    page.set("question", 1)


def render(page: Page) -> None:
    b = page.bundle
    outlet_names = b.names["outlet"]
    page.header(
        "Guess the outlet",
        "Read the excerpt, with the names of outlets and writers hidden, and pick the outlet it comes from. "
        "Everyone who opens this link gets the same questions, so a class can answer together.",
    )
    seed = int(page.value("seed"))
    view: QuizView = page.build(page.settings())
    questions = view.questions
    if not questions:
        page.publish()
        empty_state("This dataset has no excerpts suitable for a quiz.")
        return
    page.set("question", min(max(int(page.value("question")), 1), len(questions)))
    answers = _answers(seed)
    choices = b.outlets_with_text
    _read_back(seed, questions, choices)

    right_n, wrong_n = score(answers, questions)
    # One line, not three metrics: on a phone the excerpt must stay on the first screen (numbers only: nothing
    # from the data to escape).
    st.markdown(f"Quiz {seed} · your score: **{right_n}** right, **{wrong_n}** wrong")
    st.segmented_control(
        "Question",
        [q.number for q in questions],
        key=page.key("question"),
        required=True,
        format_func=lambda n: (
            f"{n} ✔" if n in answers and answers[n] == questions[n - 1].outlet else f"{n} ✘" if n in answers else str(n)
        ),
    )
    settings = page.publish()
    q = questions[settings.question - 1]
    st.markdown(STYLE, unsafe_allow_html=True)  # the excerpt style: body-text colour, not Streamlit's grey quote
    st.markdown(
        f'<blockquote class="nt-quote" style="font-size:1.25rem">{md_html_text(q.excerpt)}</blockquote>',
        unsafe_allow_html=True,
    )
    answered = answers.get(q.number)
    st.radio(
        "Which outlet published this?",
        choices,
        format_func=lambda o: md(outlet_names[o]),  # radio labels are markdown: data is shown as text
        # An answered question keeps showing the choice made, also after the visitor moves away and back.
        index=choices.index(answered) if answered in choices else None,
        key=page.key(f"answer-{seed}-{q.number}"),
        disabled=answered is not None,
    )
    if answered is None:
        st.button("Check my answer", type="primary", on_click=_check, args=(page, seed, q.number))
    else:
        _reveal(page, q, answered)
    if answers:  # kept in this browser, so that a reload keeps the score
        value = kept.encode(questions, answers)
        st.html(
            _KEEP.format(name=kept.cookie_name(seed), value=value, age=kept.MAX_AGE_S), unsafe_allow_javascript=True
        )

    back, forward = st.columns(2)
    back.button(
        "Previous",
        on_click=page.set,
        args=("question", q.number - 1),
        disabled=q.number == 1,
        icon=":material/arrow_back:",
    )
    forward.button(
        "Next",
        on_click=page.set,
        args=("question", q.number + 1),
        disabled=q.number == len(questions),
        icon=":material/arrow_forward:",
    )
    # The quiz number is in the link; changing it is for whoever shares the quiz, so it waits down here.
    with st.expander("Quiz number: share it, or choose another quiz", icon=":material/tag:"):
        st.number_input(
            "Quiz number",
            min_value=0,
            max_value=10**9,
            step=1,
            key=page.key("seed"),
            help="Share the link, or this number, so everyone gets the same quiz.",
        )
        if not page.presenting:
            st.button("New quiz", on_click=_new_quiz, args=(page,), icon=":material/shuffle:")
    page.prompts()


def _reveal(page: Page, q: Question, answered: str) -> None:
    names = page.bundle.names["outlet"]
    shown = reveal(page.bundle, q)
    if answered == q.outlet:
        st.success(md(f"Right: {names[q.outlet]}."), icon=":material/check_circle:")
    else:
        st.error(md(f"Not quite: you said {names[answered]}; it is {names[q.outlet]}."), icon=":material/cancel:")
    st.markdown(md_link(shown.article["title"], shown.article["url"]))
    st.markdown("**The cues that could have told you**")
    legend_for_highlights()
    excerpts(page.bundle, shown.claim)
    for cue in shown.cues:
        st.markdown("- " + md(cue))
