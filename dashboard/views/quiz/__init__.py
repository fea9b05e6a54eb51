"""Guess the outlet: an excerpt with the names masked; pick the outlet, then see what could have told you."""

from __future__ import annotations

from dashboard.data.bundle import Bundle
from dashboard.views.base import Param, Settings, View, settings_class


@settings_class
class QuizSettings(Settings):
    seed: int = 1  # the quiz number: the same link gives everyone the same questions
    question: int = 1

    @classmethod
    def params(cls, bundle: Bundle) -> list[Param]:
        return [Param("seed", "int", 1, lo=0, hi=10**9), Param("question", "int", 1, lo=1, hi=50)]


VIEW = View("quiz", "Guess the outlet", ":material/quiz:", QuizSettings, __name__)
