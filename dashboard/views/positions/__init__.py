"""Actor positions: actors × issues, the stance each held as of a chosen month, each cell backed by quotes."""

from __future__ import annotations

from dashboard.data.bundle import Bundle
from dashboard.data.filters import month_options
from dashboard.views.base import Param, Settings, View, settings_class


@settings_class
class PositionsSettings(Settings):
    asof: str = ""  # 'YYYY-MM'; "" only for a dataset with no positions
    camps: tuple[str, ...] = ()
    actor: str = ""
    issue: str = ""

    @classmethod
    def params(cls, bundle: Bundle) -> list[Param]:
        t = bundle.tables
        months = position_months(bundle)
        camps = list(dict.fromkeys(t.actors["camp"]))
        return [
            Param("asof", "one", months[-1] if months else "", choices=months),
            Param("camps", "many", camps, choices=camps),
            Param("actor", "one", "", choices=["", *actors_with_positions(bundle)]),
            Param("issue", "one", "", choices=["", *t.issues["issue"]]),
        ]


def position_months(bundle: Bundle) -> list[str]:
    """Every month from the first recorded stance to the last event or stance; none without positions."""
    t = bundle.tables
    if t.positions.empty:
        return []
    ends = [t.positions["since"].max(), *([t.events["end"].max()] if not t.events.empty else [])]
    return month_options(t.positions["since"].min().date(), max(ends).date())


def actors_with_positions(bundle: Bundle) -> list[str]:
    recorded = set(bundle.tables.positions["actor"])
    return [a for a in bundle.tables.actors["actor"] if a in recorded]


VIEW = View("positions", "Actor positions", ":material/grid_on:", PositionsSettings, __name__)
