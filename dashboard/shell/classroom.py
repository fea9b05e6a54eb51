"""The classroom pieces around a view: the presenter bar, discussion prompts and printable handouts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import segno
import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import Dataset
from dashboard.data.schema import PathStep, PresenterPath, Prompt
from dashboard.markup.handout import handout_html
from dashboard.markup.safe import md, md_html_text
from dashboard.shell import links, public_address
from dashboard.shell.loading import story_params
from dashboard.shell.targets import page_of
from dashboard.views import BY_ID, STEP_TOOLS
from dashboard.views.base import Settings, View
from dashboard.views.links import parse
from dashboard.views.steps import ASK_KEY, step_link_params, student_link_params

# Presentation mode is a layout of its own for a 1280×720 projector: no sidebar, no top padding, a
# slim bar, the step's title and prompt, then the part of the view the step is about.
_PRESENTING_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none !important;}
html {font-size: 118%;}
/* the app's header floats over the page: the bar takes its place at the top, the menu stays at the right */
[data-testid="stHeader"], [data-testid="stHeader"] * {background: transparent; pointer-events: none;}
[data-testid="stHeader"] button, [data-testid="stHeader"] a {pointer-events: auto;}
[data-testid="stMainBlockContainer"] {padding-top: .75rem; padding-bottom: 2rem;}
.st-key-nt-presenter-bar {gap: .5rem; align-items: center; flex-wrap: nowrap;}
.st-key-nt-presenter-bar p {margin: 0;}
/* the bar stays one line: where it is short of room, the path's title gives way, never the step number */
.st-key-nt-presenter-bar > * {flex: none !important;}
.st-key-nt-presenter-bar > :has(.st-key-nt-bar-where) {flex: 1 1 0 !important; min-width: 0;}
.st-key-nt-bar-where p {white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
/* Previous on the first step, Next on the last: greyed, still readable (WCAG AA: the body colour at 70%) */
.st-key-nt-presenter-bar a[disabled] {opacity: .7;}
.st-key-nt-presenter-bar a[disabled], .st-key-nt-presenter-bar a[disabled] * {color: inherit !important;}
.nt-step-title h1 {font-size: 1.9rem; padding: .2rem 0 0 0;}
.nt-step {border-left: 6px solid #0072B2; padding: .2rem 1rem; margin-bottom: .2rem;}
.nt-step p {font-size: 1.25rem; line-height: 1.4; margin: .1rem 0;}
</style>"""

# Each step opens at the top, whatever the page before it had scrolled to (Streamlit keeps the
# scroll position when it moves between pages of one app). The step's number makes the script new.
_TO_TOP_JS = """<script>/* step {step} */
for (const el of [document.scrollingElement, document.querySelector('[data-testid="stMain"]'),
                  document.querySelector('[data-testid="stAppViewContainer"]')]) {{ if (el) el.scrollTo(0, 0); }}
</script>"""


@dataclass(frozen=True)
class Step:
    path: PresenterPath
    index: int  # 0-based

    @property
    def spec(self) -> PathStep:
        return self.path.steps[self.index]


def presenter_step(dataset: Dataset) -> Step | None:
    """The presenter path and step the link asks for, if any (read from the URL only)."""
    params = links.presenter_query()
    spec = links.presenter_params(dataset)
    parsed = parse(params, spec)
    path = dataset.by_id("paths").get(parsed.values["path"])
    if path is None:
        return None
    if parse({k: v for k, v in params.items() if k == "step"}, spec).notices:
        return None  # a step the link gets wrong is not replaced by step 1: the page shows only the notice
    return Step(path, min(parsed.values["step"], len(path.steps)) - 1)


def page_url(here: View, view_id: str, params: Mapping[str, str | list[str]]) -> str | None:
    """The absolute address of a view with ``params`` (None in tests with no NT_PUBLIC_URL).

    The base is NT_PUBLIC_URL if set, else the host this session came from (``public_address``);
    ``here`` is the view this session is on: its path is taken off the browser's address to find
    the app's own base (which may sit under a prefix, ``server.baseUrlPath``).
    """
    base = public_address.base_url(st.context.url, here.id).url
    if base is None:
        return None
    query = urlencode({**params, **story_params()}, doseq=True)  # an uploaded story travels with the link
    home = view_id in BY_ID and BY_ID[view_id].default  # a page outside the menu (the room) is never home
    return base + ("" if home else "/" + view_id) + ("?" + query if query else "")


def qr_svg_url(url: str) -> str:
    """A QR code of ``url`` (segno) as an SVG data URL: sharp at any size, on a projector across a room.

    ``st.image`` passes a data URL through as it is; PNG bytes it would decode, scale down and encode
    again as JPEG on every run of every session, then register with the media file manager.
    """
    return segno.make(url, error="m").svg_data_uri(
        border=2, dark="#000000", light="#ffffff", svgclass=None, lineclass=None, omit_charset=True, encode_minimal=True
    )


NAV_WIDTH = 130  # px: Previous and Next, whatever their weight


@dataclass
class Bar:
    """What the presenter bar leaves to fill once the view is drawn: the student link follows the view as it is
    now (the teacher may have changed the event or the outlets), and the view settles its settings as it draws."""

    at: Step
    student: Any  # the Student link box
    code: Any | None  # beside the prompt, on steps meant for phones: the student link's QR code


def presenter_bar(bundle: Bundle, view: View, at: Step, link: Settings) -> Bar:
    """In presentation mode: a slim bar (Previous / Next, where we are, teacher's note, handout, student link,
    leave), then the step's title and its prompt; the view comes right after.

    Previous and Next come first and are always drawn (greyed at either end), so a clicker's second press,
    or a hand on the mouse, finds Next where it was on every step; the boxes that open sit at the far end.
    """

    path, i, step = at.path, at.index, at.spec
    last = len(path.steps) - 1
    prompt = bundle.dataset.by_id("prompts").get(step.prompt) if step.prompt else None
    st.html(_PRESENTING_CSS)  # style only: takes no room above the bar (the scripts go at the page's end)
    with st.container(horizontal=True, key="nt-presenter-bar", vertical_alignment="center"):
        for label, icon, to in (
            ("Previous", ":material/arrow_back:", max(i - 1, 0)),
            ("Next", ":material/arrow_forward:", min(i + 1, last)),
        ):
            st.page_link(
                page_of(path.steps[to].page),
                label=label,
                icon=icon,
                query_params=step_link_params(path, to, bundle),
                help=md(f"Step {to + 1}: {path.steps[to].title}") if to != i else None,
                disabled=to == i,
                width=NAV_WIDTH,  # a link to the page on screen is drawn bold: a fixed width keeps Next in place
            )
        st.container(key="nt-bar-where").markdown(
            f"Step {i + 1} of {len(path.steps)}"
            + (f" · about {step.minutes} min" if step.minutes else "")
            + f" · **{md(path.title)}**"
        )
        if step.note:
            with st.popover("Teacher's note", icon=":material/sticky_note_2:"):
                st.markdown(md(step.note))
        shown = BY_ID.get(step.page, view)
        settings = bundle.memo.get(("step-settings", path.id, i), lambda: shown.from_link(bundle, step.settings)[0])
        handout_button(bundle, shown, settings, step.title, prompt.text if prompt else None)
        student = st.popover("Student link", icon=":material/smartphone:")
        leave = view.to_link(bundle, links.current(view, bundle, link))  # the view as it is now
        st.page_link(page_of(view.id), label="Leave", icon=":material/close:", query_params=leave)
    st.markdown(step_title_html(step.title), unsafe_allow_html=True)
    words, code = st.columns([5, 2], vertical_alignment="center") if step.phones else (st, None)
    if prompt:
        words.markdown(f'<div class="nt-step"><p>{md_html_text(prompt.text)}</p></div>', unsafe_allow_html=True)
    if step.page != view.id:
        st.warning("This link's page is not the page of this step.", icon=":material/warning:")
    return Bar(at, student, code)


def finish_bar(bundle: Bundle, view: View, bar: Bar, now: Settings) -> None:
    """Fill the Student link box (and the QR code beside a phones step's prompt) with the view as it is now."""
    path, i, step = bar.at.path, bar.at.index, bar.at.spec
    st.html(_TO_TOP_JS.format(step=f"{path.id}-{i}"), unsafe_allow_javascript=True)
    st.html(CLICKER_JS, unsafe_allow_javascript=True)
    if step.page == view.id:  # the step's own view: what the projector shows now, and the step's question
        student = {**view.to_link(bundle, now), **({ASK_KEY: step.prompt} if step.prompt else {})}
    else:
        student = student_link_params(bundle, path, i)
    url = page_url(view, step.page, student)
    with bar.student:
        _student_link(bundle, step.page, student, url)
        for tool in STEP_TOOLS:  # what other views add to a step (the room's "Open a room for this class")
            tool.add_to_step(bundle, path.id, i)
    if bar.code is not None and url:  # the projector shows where students go; the code beside its address
        with bar.code.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.image(qr_code(bundle, url), width=110, alt=f"QR code of the student link {url}")
            st.caption(md(f"On your phone: {url}"))


# A presentation clicker sends PageDown / PageUp, a keyboard ArrowRight / ArrowLeft or Space: each follows the
# bar's Next or Previous link. One listener for the document, whatever the number of reruns (the flag on the
# window); it does nothing off a presenter step (no bar), nor while a field, a list, a slider or a button
# has the key (they have their own use for it), nor with a modifier held.
CLICKER_JS = """<script>
if (!window.__ntClicker) {
  window.__ntClicker = true;
  const moves = {PageDown: 'Next', ArrowRight: 'Next', ' ': 'Next', PageUp: 'Previous', ArrowLeft: 'Previous'};
  document.addEventListener('keydown', (e) => {
    const label = moves[e.key];
    if (!label || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
    const t = e.target;
    if (t && t.closest && t.closest('input, textarea, select, [contenteditable], [role="slider"], '
        + '[role="combobox"], [role="listbox"], [role="radiogroup"], [role="tablist"], [role="dialog"], '
        + '[data-baseweb="popover"]' + (e.key === ' ' ? ', button, a, summary' : ''))) return;
    const bar = document.querySelector('.st-key-nt-presenter-bar');
    if (!bar) return;
    const link = [...bar.querySelectorAll('a')].find(a => a.textContent.trim().endsWith(label));
    e.preventDefault();
    if (link && !link.hasAttribute('disabled')) link.click();
  });
}
</script>"""


STEP_TITLE_OPEN = '<div class="nt-step-title"><h1>'  # Streamlit replaces a heading's own id: style it by its box


def step_title_html(title: str) -> str:
    """The step's title as the page's one h1 (the view's own title is left out in presentation mode)."""
    return f"{STEP_TITLE_OPEN}{md_html_text(title)}</h1></div>"


def qr_code(bundle: Bundle, url: str) -> str:
    """The QR code of ``url`` for ``st.image``, made once for every session (a popover's content is drawn on
    every run)."""
    return bundle.memo.get(("qr", url), lambda: qr_svg_url(url))


def _student_link(bundle: Bundle, page_id: str, params: Mapping[str, str | list[str]], url: str | None) -> None:

    st.markdown(
        "What students open: this view as the projector shows it now, with the step's question at the top and "
        "without the presenter's controls."
    )
    if url:
        st.code(url, language=None, wrap_lines=True)
    with st.container(horizontal=True, vertical_alignment="center"):
        if url:  # beside the links, not above them: the room's button stays on a 720 px screen
            st.image(qr_code(bundle, url), width=180, alt=f"QR code of the student link {url}")
        st.page_link(
            page_of(page_id), label="Open the student link", icon=":material/open_in_new:", query_params=params
        )


# A student link's question, above the view: the same box as the projector's prompt, in the page's own type.
_QUESTION_CSS = """<style>
.nt-ask {border-left: 6px solid #0072B2; padding: .1rem .8rem; margin: 0 0 .5rem 0;}
.nt-ask p {margin: .2rem 0;}
/* under the question, the view's headings are smaller: the part it asks about still starts on a phone's screen */
[data-testid="stHeading"] h1 {font-size: 2rem; padding-top: .25rem;}
[data-testid="stHeading"] h2 {font-size: 1.35rem;}
</style>"""


def question_box(dataset: Dataset, prompt_id: str) -> None:
    """The question a student link carries, at the top of the page (the view's own title comes after it)."""
    prompt = dataset.by_id("prompts")[prompt_id]
    st.markdown(
        _QUESTION_CSS + f'<div class="nt-ask"><p><strong>Question:</strong> {md_html_text(prompt.text)}</p></div>',
        unsafe_allow_html=True,
    )


def discussion_prompts(dataset: Dataset, page_id: str, about: Settings | None = None) -> None:
    """The discussion questions curated for this view; those about what is on screen come first."""
    prompts = [p for p in dataset.prompts if p.page == page_id]
    if not prompts:
        return
    values = vars(about).values() if about is not None else ()
    shown = {v for v in values if isinstance(v, str)} | {x for v in values if isinstance(v, tuple) for x in v}

    def relevance(p: Prompt) -> int:
        return -len(shown.intersection([*p.events, *p.actors, *p.issues, *p.outlets]))

    with st.expander("Questions for discussion", icon=":material/forum:"):
        for prompt in sorted(prompts, key=relevance):
            st.markdown(md(prompt.text))


HANDOUT_LABEL = "Printable handout"


def handout_button(bundle: Bundle, view: View, settings: Settings, title: str, prompt: str | None) -> None:
    """Download what this view shows as a printable page with quotes, citations and room for notes."""
    sections = view.handout(bundle, settings)
    if not sections:
        return
    ds = bundle.dataset

    def document() -> bytes:  # written when clicked, not on every run
        return handout_html(
            title=title,
            subtitle=ds.meta.title,
            sections=list(sections),
            articles=bundle.tables.articles,
            lexicon=ds.lexicon,
            dataset_title=ds.meta.title,
            licence=ds.meta.licence,
            prompt=prompt,
            view_url=url,
        ).encode("utf-8")

    url = _view_url()
    st.download_button(
        HANDOUT_LABEL,
        document,
        file_name=_slug(title) + ".html",
        mime="text/html",
        icon=":material/print:",
        on_click="ignore",
        key=f"handout-{view.id}",
    )


def _view_url() -> str | None:
    base = st.context.url  # None when the app is not served by a browser session
    if not base:
        return None
    query = urlencode(links.query(), doseq=True)
    return f"{base.split('?')[0]}?{query}" if query else base


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "handout"
