"""A loaded dataset with what is derived from it once: its frames, display names and a memo.

One ``Bundle`` serves every session looking at the same file (the project's
own, cached by the app), or one session (an uploaded file). Nothing in it is
mutated after it is built; what the views derive from it is kept in ``memo``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from dashboard.data.dataset import Dataset
from dashboard.data.frames import Tables, tables_of
from dashboard.data.memo import Memo


@dataclass(frozen=True, eq=False)
class Bundle:
    dataset: Dataset
    tables: Tables
    memo: Memo = field(default_factory=Memo, repr=False)

    @classmethod
    def build(cls, dataset: Dataset) -> Bundle:
        return cls(dataset, tables_of(dataset))

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
        """Outlets whose own text is in the dataset, in data order."""
        present = set(self.tables.claims["outlet"])
        return [o for o in self.tables.outlets["outlet"] if o in present]

    @cached_property
    def short_names(self) -> dict[str, str]:
        """Each outlet's short name, for chart axes and projectors."""
        t = self.tables.outlets
        return dict(zip(t["outlet"], t["short_name"], strict=True))

    @cached_property
    def default_actor(self) -> str:
        """The actor the texts speak of most: a comparison every outlet has something to say about."""
        told = self.tables.claims.explode("actors")["actors"].value_counts()
        return str(told.index[0]) if not told.empty else str(next(iter(self.tables.actors["actor"]), ""))
