"""A student's quiz answers kept in their own browser (a cookie), so that a reload keeps their score.

The server stores nothing: the page writes the cookie after each answer and reads it
back when a new session (a reload, the same link opened again) starts on that quiz. A
value is taken only if it was written for the same questions (its fingerprint), and only
answers that name a question of this quiz and one of its choices; anything else is ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from urllib.parse import quote, unquote

from dashboard.views.quiz.questions import Question

MAX_AGE_S = 86_400  # a day: one lesson, as long as a room lasts
MAX_VALUE = 2_000  # characters: a browser keeps about 4 KB per cookie


def cookie_name(seed: int) -> str:
    return f"nt_quiz_{seed}"


def fingerprint(questions: Sequence[Question]) -> str:
    """Which quiz the answers belong to: the same seed on another dataset (an upload) is another quiz."""
    text = "|".join(f"{q.number}:{q.claim}:{q.outlet}" for q in questions)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def encode(questions: Sequence[Question], answers: Mapping[int, str]) -> str:
    """The cookie's value: URL-encoded, so only letters, digits and ``%-._~`` (safe in a cookie and in a script)."""
    pairs = "~".join(f"{n}-{o}" for n, o in sorted(answers.items()))
    return quote(f"{fingerprint(questions)}.{pairs}", safe="")


def decode(value: object, questions: Sequence[Question], choices: Collection[str]) -> dict[int, str]:
    """The answers a cookie holds for this quiz; {} for a value written for other questions, or not by us."""
    if not isinstance(value, str) or not value or len(value) > MAX_VALUE:
        return {}
    mark, _, pairs = unquote(value).partition(".")
    if mark != fingerprint(questions):
        return {}
    numbers = {q.number for q in questions}
    answers: dict[int, str] = {}
    for pair in pairs.split("~"):
        number, _, outlet = pair.partition("-")
        if number.isdigit() and int(number) in numbers and outlet in choices:
            answers[int(number)] = outlet
    return answers
