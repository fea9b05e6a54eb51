"""What a view is: its page, its typed settings, its memoised build and its render.

A view is a package under ``dashboard/views/`` whose ``__init__`` declares a
``View``: the page (title, icon, url path), a frozen settings class and how
its settings are read from and written to a link. Its ``build`` (in
``build.py``: pandas and Plotly, no Streamlit) and ``render`` (in ``page.py``:
Streamlit) are imported only when first used, so the validator can check
presenter steps against every view's settings without importing either.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.data.bundle import Bundle
from dashboard.views.links import Param, encode, parse


class Settings:
    """Base of each view's settings: a frozen dataclass whose fields are the settings its link may carry.

    ``params`` says, for the loaded data, each field's URL name, kind, choices
    and default; the dataclass's own defaults are only what a view without
    data would show. Lists are tuples, so settings are hashable and key the
    build's memo.
    """

    @classmethod
    def params(cls, bundle: Bundle) -> list[Param]:
        return []


@dataclass(frozen=True, eq=False)
class View:
    id: str  # its url path, and the page id presenter steps and prompts name
    title: str
    icon: str
    settings: type[Settings]
    package: str  # the view's package; its build.py and page.py are found there
    default: bool = False  # the app's home page
    builds: bool = True  # False: the page draws straight from the bundle (no build.py)
    # What this view adds to every presenter step's Student link box, as "module:function" in its package,
    # called with (bundle, path id, 0-based step): the shell draws it without importing any view.
    step_tool: str | None = None

    def params(self, bundle: Bundle) -> list[Param]:
        """The settings' link parameters for this data, worked out once per dataset."""
        return bundle.memo.get(("view-params", self.id), lambda: self.settings.params(bundle))

    def key(self, field: str) -> str:
        """The page-scoped widget key of a setting: two pages never share one."""
        return f"{self.id}.{field}"

    def defaults(self, bundle: Bundle) -> Settings:
        return self.make(bundle, {p.field: p.default for p in self.params(bundle)})

    def make(self, bundle: Bundle, values: Mapping[str, Any]) -> Settings:
        """Settings from field values (lists become tuples); a field not given takes its default."""
        given = {p.field: values.get(p.field, p.default) for p in self.params(bundle)}
        return self.settings(**{k: tuple(v) if isinstance(v, list | tuple) else v for k, v in given.items()})

    def from_link(self, bundle: Bundle, query: Mapping[str, str | Sequence[str]]) -> tuple[Settings, list[str]]:
        """The settings a link asks for, and what in it was not understood (``ignore`` names are not ours)."""
        parsed = parse(query, self.params(bundle))
        return self.make(bundle, parsed.values), parsed.notices

    def to_link(self, bundle: Bundle, settings: Settings) -> dict[str, str | list[str]]:
        """The query parameters of ``settings``, leaving out what is at its default."""
        return encode(dataclasses.asdict(settings), self.params(bundle))  # type: ignore[call-overload]

    def build(self, bundle: Bundle, settings: Settings) -> Any:
        """Everything the page draws for ``settings``, built once per dataset and settings for all sessions."""
        if not self.builds:
            return None
        make: Callable[[Bundle, Settings], Any] = importlib.import_module(f"{self.package}.build").build
        return bundle.memo.get((self.id, settings), lambda: make(bundle, settings))

    def handout(self, bundle: Bundle, settings: Settings) -> Sequence[Any]:
        """The view's printable sections; a view with no build hands out the sources it describes."""
        if not self.builds:
            from dashboard.markup.handout import Section  # the registry imports no markup until needed

            return (Section("The texts in this dataset", bundle.tables.claims.iloc[:0], kind="sources"),)
        return self.build(bundle, settings).handout

    def render(self, page: Any) -> None:
        importlib.import_module(f"{self.package}.page").render(page)

    def add_to_step(self, bundle: Bundle, path_id: str, index: int) -> None:
        """Draw what this view adds to a presenter step (its ``step_tool``), if anything."""
        if self.step_tool is None:
            return
        module, _, function = self.step_tool.partition(":")
        getattr(importlib.import_module(f"{self.package}.{module}"), function)(bundle, path_id, index)


def settings_class(cls: type) -> type[Settings]:
    """Make ``cls`` a frozen settings dataclass (a decorator, so each view reads as one declaration)."""
    return dataclass(frozen=True)(cls)


__all__ = ["Param", "Settings", "View", "settings_class"]
