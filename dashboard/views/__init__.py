"""The dashboard's views, in menu order: the one list that drives navigation, page ids, step checks and handouts.

Importing this package imports each view's declaration only (its page and
settings), never Streamlit or Plotly: the validator reads it too.
"""

from __future__ import annotations

from dashboard.views.base import View
from dashboard.views.build import VIEW as BUILD
from dashboard.views.compare import VIEW as COMPARE
from dashboard.views.methods import VIEW as METHODS
from dashboard.views.overview import VIEW as OVERVIEW
from dashboard.views.positions import VIEW as POSITIONS
from dashboard.views.quiz import VIEW as QUIZ
from dashboard.views.room import VIEW as ROOM
from dashboard.views.timeline import VIEW as TIMELINE

VIEWS: tuple[View, ...] = (OVERVIEW, TIMELINE, POSITIONS, COMPARE, QUIZ, METHODS)
BY_ID: dict[str, View] = {v.id: v for v in VIEWS}
# Pages in the menu, after the views, that make a story rather than show one: not views a prompt or a
# presenter step may name.
TOOLS: tuple[View, ...] = (BUILD,)
# Pages outside the menu, reached by a link only (a live room's teacher and student links). They are not
# views a prompt or a presenter step may name.
HIDDEN: tuple[View, ...] = (ROOM,)
# The views that add something to every presenter step (``View.step_tool``), in the order they are drawn.
STEP_TOOLS: tuple[View, ...] = tuple(v for v in (*VIEWS, *TOOLS, *HIDDEN) if v.step_tool)
