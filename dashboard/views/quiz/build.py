"""The quiz for a seed, and each question's reveal: its article and the cues that could have told it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.data.bundle import Bundle
from dashboard.markup.handout import Section
from dashboard.views.quiz import QuizSettings
from dashboard.views.quiz.questions import Question, build_quiz, candidates, giveaway_terms


@dataclass(frozen=True)
class Reveal:
    claim: pd.DataFrame  # the question's claim, one row
    article: dict
    cues: list[str]


@dataclass(frozen=True)
class QuizView:
    questions: list[Question]
    handout: tuple[Section, ...] = ()  # the quiz on paper: masked excerpts, the answers on a last page


def build(b: Bundle, s: QuizSettings) -> QuizView:
    qs = questions(b, s.seed)
    if not qs:
        return QuizView(qs)
    claims = b.tables.claims.set_index("claim", drop=False).loc[[q.claim for q in qs]]
    sheet = claims.assign(quiz_text=[q.excerpt for q in qs]).reset_index(drop=True)
    choices = tuple(b.names["outlet"][o] for o in b.outlets_with_text)  # the page's choices, in its order
    return QuizView(qs, (Section(f"Guess the outlet: quiz {s.seed}", sheet, kind="quiz", choices=choices),))


def questions(b: Bundle, seed: int) -> list[Question]:
    pool = b.memo.get("quiz-pool", lambda: (candidates(b.tables), giveaway_terms(b.tables)))
    return b.memo.get(("quiz", seed), lambda: build_quiz(b.tables, seed, pool=pool[0], terms=pool[1]))


def reveal(b: Bundle, q: Question) -> Reveal:
    def make() -> Reveal:
        t, lexicon = b.tables, b.dataset.lexicon
        claim = t.claims[t.claims["claim"] == q.claim]
        row = claim.iloc[0]
        article = t.articles[t.articles["article"] == row["article"]].iloc[0].to_dict()
        cues = [
            "Voice: the outlet's own narration"
            if row["voice"] == "narration"
            else f"Voice: {row['speaker_name']} ({row['kind']})"
        ]
        if row["label_texts"]:
            cues.append("Labels: " + "; ".join(row["label_texts"]))
        if row["loaded_terms"]:
            cues.append("Loaded terms: " + ", ".join(f"{t} ({lexicon.category[t]})" for t in row["loaded_terms"]))
        if row["scare_quotes"]:
            cues.append("Scare quotes: " + ", ".join(row["scare_quotes"]))
        return Reveal(claim, article, cues)

    return b.memo.get(("quiz-reveal", q.claim), make)
