"""A loaded dataset with everything derived from it once: frames, view settings, names, colours, CSVs.

One ``Bundle`` serves every session looking at the same file (the project's
own, cached by the app), or one session (an uploaded file). Nothing in it is
mutated after it is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from dashboard.dataset import Dataset
from dashboard.figures import outlet_colours
from dashboard.frames import Tables, build_tables
from dashboard.memo import Memo
from dashboard.urlstate import Param
from dashboard.viewspecs import VIEW_SPECS, default_actor, outlets_with_text


@dataclass(frozen=True)
class Bundle:
    dataset: Dataset
    tables: Tables
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)

    @classmethod
    def build(cls, dataset: Dataset) -> Bundle:
        return cls(dataset, build_tables(dataset))

    def spec(self, page: str) -> list[Param]:
        return self.specs[page]

    @cached_property
    def specs(self) -> dict[str, list[Param]]:
        """Each view's link settings, worked out once: they depend only on the data."""
        return {page: make(self.tables) for page, make in VIEW_SPECS.items()}

    @cached_property
    def outlet_colours(self) -> dict[str, str]:
        t = self.tables.outlets
        overrides = {o: c for o, c in zip(t["outlet"], t["colour"], strict=True) if c}
        return outlet_colours(list(t["outlet"]), overrides)

    @cached_property
    def names(self) -> dict[str, dict[str, str]]:
        """Display names by id, per kind of record."""
        t = self.tables
        return {
            "outlet": dict(zip(t.outlets["outlet"], t.outlets["name"], strict=True)),
            "actor": dict(zip(t.actors["actor"], t.actors["name"], strict=True)),
            "issue": dict(zip(t.issues["issue"], t.issues["question"], strict=True)),
            "camp": dict(zip(t.actors["camp"], t.actors["camp_name"], strict=False)),
            "category": dict(zip(t.events["category"], t.events["category_name"], strict=False)),
            "event": dict(zip(t.events["event"], t.events["date"] + " · " + t.events["title"], strict=True)),
        }

    @cached_property
    def outlets_with_text(self) -> list[str]:
        return outlets_with_text(self.tables)

    @cached_property
    def default_actor(self) -> str:
        return default_actor(self.tables)
