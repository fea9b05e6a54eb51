"""Compare outlets: the same event, actor or issue as each outlet told it, side by side."""

from __future__ import annotations

from dashboard.data.bundle import Bundle
from dashboard.views.base import Param, Settings, View, settings_class

SUBJECT_KINDS = {"event": "An event", "actor": "An actor", "issue": "An issue"}
# The comparison's second half, one section at a time (each in the link, so a step can point at one).
SECTIONS = {
    "labels": "How each outlet names the actors",
    "metrics": "Framing metrics",
    "voices": "Whose voices are quoted, by camp",
    "framing": "Framing: Entman's four functions",
    "coverage": "Which events each outlet mentions",
    "facts": "Where the texts state facts differently",
}


@settings_class
class CompareSettings(Settings):
    outlets: tuple[str, ...] = ()
    by: str = "actor"
    subject: str = ""
    voices: str = "narration"
    section: str = "labels"

    @classmethod
    def params(cls, bundle: Bundle) -> list[Param]:
        with_text = bundle.outlets_with_text
        subjects = [s for ids in subject_choices(bundle).values() for s in ids]
        return [
            Param("outlets", "many", with_text, choices=with_text),
            Param("by", "one", "actor", choices=list(SUBJECT_KINDS)),
            Param("subject", "one", bundle.default_actor, choices=["", *subjects]),
            Param("voices", "one", "narration", choices=["narration", "all"]),
            Param("section", "one", "labels", choices=list(SECTIONS)),
        ]


def subject_choices(bundle: Bundle) -> dict[str, list[str]]:
    t = bundle.tables
    return {"event": list(t.events["event"]), "actor": list(t.actors["actor"]), "issue": list(t.issues["issue"])}


def subject_for(bundle: Bundle, by: str, subject: str) -> str:
    """``subject`` if it is one of kind ``by``, else that kind's first (for actors: the most spoken of)."""
    ids = subject_choices(bundle)[by]
    if subject in ids:
        return subject
    if by == "actor" and bundle.default_actor in ids:
        return bundle.default_actor
    return ids[0] if ids else ""


VIEW = View("compare", "Compare outlets", ":material/compare:", CompareSettings, __name__)
