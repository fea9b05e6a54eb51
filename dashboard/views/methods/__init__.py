"""Methods & data: the coding rules, where the data comes from, every table as CSV, and your own upload."""

from __future__ import annotations

from dashboard.views.base import Settings, View, settings_class


@settings_class
class MethodsSettings(Settings):
    """No settings of its own; a link with any is told so."""


VIEW = View("methods", "Methods & data", ":material/menu_book:", MethodsSettings, __name__, builds=False)
