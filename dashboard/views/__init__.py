"""The dashboard's pages, in menu order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.views import overview


@dataclass(frozen=True)
class PageSpec:
    run: Callable[[], None]
    title: str
    icon: str
    url_path: str
    default: bool = False


PAGES: list[PageSpec] = [
    PageSpec(overview.render, "Overview", ":material/home:", "overview", default=True),
]
