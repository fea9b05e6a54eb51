"""Overview: what the dataset is and is not, its outlets and articles, and how to read the views."""

from __future__ import annotations

from dashboard.views.base import Settings, View, settings_class


@settings_class
class OverviewSettings(Settings):
    """No settings of its own; a link with any is told so, and a presenter step still opens here."""


VIEW = View("overview", "Overview", ":material/home:", OverviewSettings, __name__, default=True, builds=False)
