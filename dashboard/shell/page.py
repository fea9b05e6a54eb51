"""How every page runs: load the dataset, read the link, show the presenter bar, draw the view.

``Page`` is what a view's ``render`` is handed: its settings as the widgets
hold them, the page-scoped keys to draw those widgets under, and whether a
presenter step is on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.data.schema import Prompt
from dashboard.shell import classroom, links, loading
from dashboard.shell.targets import page_of
from dashboard.views.base import Settings, View

PRESENTING_CHART_HEIGHT = 380  # px: the bar and the prompt take the rest of a 720 px projector screen


@dataclass
class Page:
    view: View
    bundle: Bundle
    link: Settings  # the settings the link asked for
    step: classroom.Step | None  # the presenter step on screen, if any
    asked: str | None = None  # a student link's question (a prompt id of this view), shown above the view

    @property
    def presenting(self) -> bool:
        return self.step is not None

    @property
    def question(self) -> Prompt | None:
        """The question on screen: the step's prompt on the projector, a student link's under it."""
        prompt_id = self.step.spec.prompt if self.step is not None else self.asked
        return self.bundle.dataset.by_id("prompts").get(prompt_id) if prompt_id else None

    @property
    def focused(self) -> bool:
        """The view opens on the part a step is about: on the projector, and on a student link with its question."""
        return self.presenting or self.asked is not None

    @property
    def chart_height(self) -> int | None:
        """A chart's height in presentation mode (under the bar, on a 1280×720 screen); None: its own."""
        return PRESENTING_CHART_HEIGHT if self.presenting else None

    def header(self, title: str, caption: str | None = None) -> None:
        """The view's title and what it shows; in presentation mode the step's title stands in for both, and
        under a student link's question the question says what to look at."""
        if not self.presenting:
            st.title(title)
            if caption and not self.focused:
                st.caption(caption)

    @contextmanager
    def controls(self, label: str = "Change what is shown") -> Iterator[None]:
        """Where the view's widgets go: in line, or folded away when a step set them (on the projector, and under
        a student link's question)."""
        with st.expander(label, icon=":material/tune:") if self.focused else st.container():
            yield

    def key(self, field: str) -> str:
        return self.view.key(field)

    def value(self, field: str) -> Any:
        """A setting's current value (its widget's, else the link's)."""
        return links.state_or_link(self.key(field), getattr(self.link, field))

    def set(self, field: str, value: Any) -> None:
        """Change a setting before its widget is drawn (or from a widget's callback)."""
        st.session_state[self.key(field)] = value

    def settings(self) -> Settings:
        return links.current(self.view, self.bundle, self.link)

    def publish(self) -> Settings:
        """The current settings, written to the address bar; call once every widget is drawn."""
        settings = self.settings()
        links.write_link(self.view, self.bundle, settings)
        return settings

    def build(self, settings: Settings) -> Any:
        return self.view.build(self.bundle, settings)

    def prompts(self, about: Settings | None = None) -> None:
        """The discussion questions for this view (not shown in presentation mode: the step has its own)."""
        if not self.presenting:
            classroom.discussion_prompts(self.bundle.dataset, self.view.id, about)

    def handout(self, settings: Settings, title: str) -> None:
        if not self.presenting:
            classroom.handout_button(self.bundle, self.view, settings, title, None)


# Streamlit draws a selected segmented control's label and a slider's value in the primary colour, which
# on the dark theme's background is 3.6:1; the body colour keeps them readable (WCAG 2.1 AA) in both
# themes, and the selection still shows by its tint and border. On a phone a wide text table scrolls in its
# own box rather than widening the page. A link in a caption (a step's student address) would be the link
# colour faded to 3:1; it takes the caption's colour and stays underlined. A style-only st.html takes no space.
_CONTRAST_CSS = """<style>
[data-testid="stButtonGroup"] button[data-selected]:not([data-disabled]), [data-testid="stSliderThumbValue"]
{color: inherit;}
[data-testid="stCaptionContainer"] a {color: inherit; text-decoration: underline;}
@media (max-width: 640px) {[data-testid="stMarkdownContainer"] table {display: block; overflow-x: auto;}}
</style>"""


def _upload_notices() -> None:
    """Whether this tab shows an uploaded story, and what its links give others; or that it was let go."""
    if loading.viewing_upload():
        st.sidebar.info(UPLOAD_SHARED, icon=":material/upload:")
    elif gone := loading.gone_notice():
        st.warning(gone, icon=":material/hourglass_empty:")
        st.page_link(page_of("methods"), label="Upload a file again (Methods & data)", icon=":material/upload:")


UPLOAD_SHARED = (
    "You are viewing an uploaded story (a file from Methods & data, or a draft from Build a story). The links "
    "you share from here carry it: student "
    "links, QR codes and a room's join link show it too, for as long as this server holds it."
)


def run(view: View) -> None:
    st.html(_CONTRAST_CSS)
    bundle = loading.load_or_stop()
    _upload_notices()
    link = links.seed_from_link(view, bundle)
    step = classroom.presenter_step(bundle.dataset)
    bar = classroom.presenter_bar(bundle, view, step, link) if step is not None else None
    asked = links.asked(bundle.dataset, view.id) if step is None else None
    if asked is not None:
        classroom.question_box(bundle.dataset, asked)
    view.render(Page(view, bundle, link, step, asked))
    if bar is not None:
        classroom.finish_bar(bundle, view, bar, links.current(view, bundle, link))
