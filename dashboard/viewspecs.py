"""What each view keeps in its link: the settings, their allowed values and defaults.

Pure, so the pages, the presenter path's checks and the tests all read the
same definitions.
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard.figures import LANES
from dashboard.filters import month_options
from dashboard.frames import Tables
from dashboard.urlstate import Param

SUBJECT_KINDS = {"event": "An event", "actor": "An actor", "issue": "An issue"}
# The comparison's second half, one section at a time (each in the link, so a step can point at one).
COMPARE_SECTIONS = {
    "labels": "How each outlet names the actors",
    "metrics": "Framing metrics",
    "voices": "Whose voices are quoted, by camp",
    "framing": "Framing: Entman's four functions",
    "coverage": "Which events each outlet mentions",
    "facts": "Where the texts state facts differently",
}


def outlets_with_text(tables: Tables) -> list[str]:
    """Outlets whose own text is in the dataset, in data order."""
    present = set(tables.claims["outlet"])
    return [o for o in tables.outlets["outlet"] if o in present]


def timeline_spec(tables: Tables) -> list[Param]:
    events = tables.events
    first, last = events["start"].min().date(), events["end"].max().date()
    categories = list(dict.fromkeys(events["category"]))
    reporting = outlets_with_text(tables)
    return [
        Param("lanes", "one", "category", choices=list(LANES)),
        Param("from", "date", first, lo=first, hi=last),
        Param("to", "date", last, lo=first, hi=last),
        Param("categories", "many", categories, choices=categories),
        Param("actors", "many", [], choices=list(tables.actors["actor"])),
        Param("outlets", "many", reporting, choices=reporting),
        Param("q", "text", ""),
        Param("event", "one", "", choices=["", *events["event"]]),
    ]


def position_months(tables: Tables) -> list[str]:
    positions = tables.positions
    last = max(tables.events["end"].max(), positions["since"].max())
    return month_options(positions["since"].min().date(), last.date())


def positions_spec(tables: Tables) -> list[Param]:
    if tables.positions.empty:
        return []
    months = position_months(tables)
    camps = list(dict.fromkeys(tables.actors["camp"]))
    recorded = set(tables.positions["actor"])
    with_positions = [a for a in tables.actors["actor"] if a in recorded]
    return [
        Param("asof", "one", months[-1], choices=months),
        Param("camps", "many", camps, choices=camps),
        Param("actor", "one", "", choices=["", *with_positions]),
        Param("issue", "one", "", choices=["", *tables.issues["issue"]]),
    ]


def default_actor(tables: Tables) -> str:
    """The actor the texts speak of most: a comparison every outlet has something to say about."""
    told = tables.claims.explode("actors")["actors"].value_counts()
    return str(told.index[0]) if not told.empty else str(next(iter(tables.actors["actor"]), ""))


def subject_choices(tables: Tables) -> dict[str, list[str]]:
    return {
        "event": list(tables.events["event"]),
        "actor": list(tables.actors["actor"]),
        "issue": list(tables.issues["issue"]),
    }


def compare_spec(tables: Tables) -> list[Param]:
    with_text = outlets_with_text(tables)
    subjects = subject_choices(tables)
    return [
        Param("outlets", "many", with_text, choices=with_text),
        Param("by", "one", "actor", choices=list(SUBJECT_KINDS)),
        Param("subject", "one", default_actor(tables), choices=[s for ids in subjects.values() for s in ids]),
        Param("voices", "one", "narration", choices=["narration", "all"]),
        Param("section", "one", "labels", choices=list(COMPARE_SECTIONS)),
    ]


def quiz_spec(tables: Tables) -> list[Param]:
    return [Param("seed", "int", 1, lo=0, hi=10**9), Param("question", "int", 1, lo=1, hi=50)]


def no_settings(tables: Tables) -> list[Param]:
    return []


# Page id (its URL path) -> the settings its link may carry.
VIEW_SPECS: dict[str, Callable[[Tables], list[Param]]] = {
    "overview": no_settings,
    "timeline": timeline_spec,
    "positions": positions_spec,
    "compare": compare_spec,
    "quiz": quiz_spec,
    "methods": no_settings,
}
