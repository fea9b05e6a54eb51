"""The classroom pieces around a view: the presenter bar, discussion prompts and printable handouts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import Dataset
from dashboard.data.schema import PresenterPath, Prompt
from dashboard.markup.handout import handout_html
from dashboard.markup.safe import md, md_html_text
from dashboard.shell import links
from dashboard.views import BY_ID
from dashboard.views.base import Settings, View
from dashboard.views.links import parse

_PRESENTING_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none !important;}
html {font-size: 125%;}
.nt-step {border-left: 6px solid #0072B2; padding: .4rem 1rem; margin-bottom: .6rem;}
.nt-step p {font-size: 1.35rem; line-height: 1.45; margin: .2rem 0;}
</style>"""


@dataclass(frozen=True)
class Step:
    path: PresenterPath
    index: int  # 0-based


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


def step_link_params(path: PresenterPath, index: int) -> dict[str, str | list[str]]:
    step = path.steps[index]
    return {**step.settings, "path": path.id, "step": str(index + 1)}


def presenter_bar(bundle: Bundle, view: View, at: Step) -> None:
    """In presentation mode: large type, no sidebar, the step's prompt and previous/next links."""
    from dashboard.shell.nav import page_of  # the pages are made from the views that this bar serves

    path, i = at.path, at.index
    step = path.steps[i]
    prompt = bundle.dataset.by_id("prompts").get(step.prompt) if step.prompt else None
    st.markdown(_PRESENTING_CSS, unsafe_allow_html=True)
    st.caption(
        md(
            f"{path.title} · step {i + 1} of {len(path.steps)}"
            + (f" · about {step.minutes} min" if step.minutes else "")
        )
    )
    body = f"<p><strong>{md_html_text(step.title)}</strong></p>"
    if prompt:
        body += f"<p>{md_html_text(prompt.text)}</p>"
    st.markdown(f'<div class="nt-step">{body}</div>', unsafe_allow_html=True)
    if step.note:
        st.caption(md(f"For the teacher: {step.note}"))
    cols = st.columns(2)  # step links get room for their titles; leave and handout go on the next row
    if i > 0:
        before = path.steps[i - 1]
        cols[0].page_link(
            page_of(before.page),
            label=md(f"Previous: {before.title}"),
            icon=":material/arrow_back:",
            query_params=step_link_params(path, i - 1),
        )
    if i + 1 < len(path.steps):
        after = path.steps[i + 1]
        cols[1].page_link(
            page_of(after.page),
            label=md(f"Next: {after.title}"),
            icon=":material/arrow_forward:",
            query_params=step_link_params(path, i + 1),
        )
    cols = st.columns(2)
    cols[0].page_link(
        page_of(view.id),
        label="Leave the presentation",
        icon=":material/close:",
        query_params=dict(step.settings.items()),
    )
    with cols[1]:
        shown = BY_ID.get(step.page, view)
        settings, _ = shown.from_link(bundle, step.settings)  # as its view reads them, defaults filled in
        handout_button(bundle, shown, settings, step.title, prompt.text if prompt else None)
    if step.page != view.id:
        st.warning("This link's page is not the page of this step.", icon=":material/warning:")


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
        "Handout (printable HTML)",
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
