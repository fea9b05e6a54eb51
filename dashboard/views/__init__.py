"""The dashboard's pages, in menu order. Each page is a script in this folder that Streamlit runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to dashboard/, as st.Page and AppTest.switch_page want it
    title: str
    icon: str
    url_path: str
    default: bool = False


PAGES: list[PageSpec] = [
    PageSpec("views/overview.py", "Overview", ":material/home:", "overview", default=True),
    PageSpec("views/timeline.py", "Timeline", ":material/timeline:", "timeline"),
    PageSpec("views/positions.py", "Actor positions", ":material/grid_on:", "positions"),
    PageSpec("views/compare.py", "Compare outlets", ":material/compare:", "compare"),
    PageSpec("views/quiz.py", "Guess the outlet", ":material/quiz:", "quiz"),
    PageSpec("views/methods.py", "Methods & data", ":material/menu_book:", "methods"),
]
