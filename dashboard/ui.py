"""Streamlit glue shared by the pages: the cached dataset and how problems are shown.

The dataset and its frames are cached once per file version for every session
(``st.cache_resource`` hands all sessions the same objects, so nothing here
may mutate them); per-user state lives in widgets and the URL.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard.bundle import Bundle
from dashboard.dataset import Dataset, check_dataset, data_path
from dashboard.handout import handout_html, sections_for_view
from dashboard.highlight import STYLE, excerpt_html
from dashboard.safe import md, md_html_text
from dashboard.schema import PresenterPath, Prompt
from dashboard.urlstate import Param, encode, parse
from dashboard.viewspecs import VIEW_SPECS
from dashboard.yaml_reader import Budgets, Problem

Loaded = Bundle  # what the pages receive: the dataset and everything derived from it


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def _load(path: str, version: tuple[int, int]) -> tuple[Loaded | None, tuple[Problem, ...]]:
    # ``version`` (mtime, size) is only part of the key: an edited file is read afresh.
    dataset, problems = check_dataset(path)
    if dataset is None:
        return None, tuple(problems)
    loaded = Bundle.build(dataset)
    # Streamlit runs a full garbage collection after every script run, walking every object in the
    # process. The dataset, its frames and the libraries loaded by now live as long as the server:
    # frozen, they are left out of those walks, which were most of a rerun's cost (bench/README.md).
    gc.collect()
    gc.freeze()
    return loaded, ()


UPLOAD_KEY = "uploaded_dataset"
# An uploaded story is read under tighter limits than the project's own file: a public
# URL must survive whatever is sent to it (docs: "Try your own story").
UPLOAD_BUDGETS = Budgets(max_bytes=5 * 1024 * 1024, max_depth=24, max_aliases=200, max_items=400_000, max_seconds=5.0)


def load_uploaded(data: bytes, name: str) -> tuple[Loaded | None, list[Problem]]:
    """Check an uploaded file; the result is for this session only and is never put in a shared cache."""
    dataset, problems = check_dataset(data=data, name=name, budgets=UPLOAD_BUDGETS)
    if dataset is None:
        return None, problems
    return Bundle.build(dataset), []


def load_or_stop() -> Loaded:
    """This session's dataset (its own upload, else the shared file), or a page listing what is wrong."""
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is not None:
        return uploaded
    path = data_path()
    try:
        stat = Path(path).stat()
        version = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (0, 0)
    loaded, problems = _load(str(path), version)
    if loaded is None:
        show_problems(problems)
        st.stop()
    return loaded


def show_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    st.error(f"The dataset has {len(problems)} problem(s) and cannot be shown. Fix them and reload.", icon="⚠️")
    st.code("\n".join(str(p) for p in problems) or "unknown problem", language=None)


# -- links: every view setting lives in the URL -------------------------------------------------
PRESENTER_KEYS = ("path", "step")


def _query_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def presenter_spec(dataset: Dataset) -> list[Param]:
    """The two settings that put any view in presentation mode: which path, which step."""
    longest = max((len(p.steps) for p in dataset.paths), default=1)
    return [
        Param("path", "one", "", choices=["", *(p.id for p in dataset.paths)]),
        Param("step", "int", 1, lo=1, hi=longest),
    ]


def settings_from_link(spec: list[Param]) -> None:
    """Give this page's widgets their values from the link the first time they are drawn.

    Widgets lose their state when the visitor switches pages, so returning to a
    page starts again from its link; so does moving to another presenter step.
    Anything in the link that is not understood is ignored, and the visitor is
    told so.
    """
    params = _query_params()
    full = spec + presenter_spec(load_or_stop().dataset)
    parsed = parse(params, full)
    step = (parsed.values["path"], parsed.values["step"])
    stepped = bool(step[0]) and st.session_state.get("_presenter_step") != step
    st.session_state["_presenter_step"] = step
    if not stepped and all(p.name in st.session_state for p in spec):
        return
    for p in spec:
        if stepped or p.name not in st.session_state:
            st.session_state[p.name] = parsed.values[p.name]
    if parsed.notices:
        st.info(
            md("Part of this link was not understood and was ignored: " + "; ".join(parsed.notices) + "."),
            icon=":material/link_off:",
        )


def current_settings(spec: list[Param]) -> dict[str, object]:
    return {p.name: st.session_state.get(p.name, p.default) for p in spec}


def settings_to_link(spec: list[Param]) -> None:
    """Write the page's current settings into the URL, so a copied link reopens this exact view."""
    wanted = encode(current_settings(spec), spec)
    for key in PRESENTER_KEYS:  # a presenter step keeps its place in the path
        if key in st.query_params:
            wanted[key] = st.query_params[key]
    if _query_params() != {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)


# -- shared pieces of the pages -------------------------------------------------------------------
def table_with_download(frame: pd.DataFrame, name: str, label: str = "Show as a table", **kwargs: object) -> None:
    """The data behind a view: a readable table (the chart's text alternative) and its CSV."""
    with st.expander(label):
        st.dataframe(frame, hide_index=True, **kwargs)
    st.download_button(
        f"Download {name}.csv",
        frame.to_csv(index=False).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


def excerpts(loaded: Loaded, claims: pd.DataFrame, show_outlet: bool = False) -> None:
    """Claims as highlighted quote blocks; the HTML escapes everything from the data."""
    if claims.empty:
        st.caption("No excerpt.")
        return
    lexicon = loaded.dataset.lexicon

    def build() -> str:
        return STYLE + "".join(excerpt_html(row, lexicon, show_outlet) for row in claims.to_dict("records"))

    st.markdown(loaded.memo.get(("excerpts", tuple(claims["claim"]), show_outlet), build), unsafe_allow_html=True)


def legend_for_highlights() -> None:
    st.markdown(
        STYLE + '<span class="nt-meta">Marked in the excerpts: <span class="nt-label">label naming an actor</span> · '
        '<span class="nt-loaded">loaded term (lexicon)</span> · <span class="nt-scare">scare-quoted word</span>. '
        "Hover a mark for its category.</span>",
        unsafe_allow_html=True,
    )


def empty_state(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def outlet_heading(name: str, colour: str) -> None:
    """An outlet's name with its colour dot, the same colour it has on every page."""
    dot = (
        f'<span style="color:{colour}" aria-hidden="true">●</span>' if re.fullmatch(r"#[0-9A-Fa-f]{6}", colour) else ""
    )
    st.markdown(f"{dot} <strong>{md_html_text(name)}</strong>", unsafe_allow_html=True)


# -- classroom: prompts, presenter steps, handouts ----------------------------------------------
_PRESENTING_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none !important;}
html {font-size: 125%;}
.nt-step {border-left: 6px solid #0072B2; padding: .4rem 1rem; margin-bottom: .6rem;}
.nt-step p {font-size: 1.35rem; line-height: 1.45; margin: .2rem 0;}
</style>"""


def presenter_step(dataset: Dataset) -> tuple[PresenterPath, int] | None:
    """The presenter path and 0-based step the link asks for, if any (read from the URL only)."""
    params = _query_params()
    spec = presenter_spec(dataset)
    parsed = parse(params, spec)
    path = dataset.by_id("paths").get(parsed.values["path"])
    if path is None:
        return None
    if parse({k: v for k, v in params.items() if k == "step"}, spec).notices:
        return None  # a step the link gets wrong is not replaced by step 1: the page shows only the notice
    return path, min(parsed.values["step"], len(path.steps)) - 1


def step_link_params(path: PresenterPath, index: int) -> dict[str, str | list[str]]:
    step = path.steps[index]
    return {**step.settings, "path": path.id, "step": str(index + 1)}


def presenter_bar(loaded: Loaded, page_id: str) -> bool:
    """In presentation mode: large type, no sidebar, the step's prompt and previous/next links. True if shown."""
    found = presenter_step(loaded.dataset)
    if found is None:
        return False
    path, i = found
    step = path.steps[i]
    prompt = loaded.dataset.by_id("prompts").get(step.prompt) if step.prompt else None
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
            f"views/{before.page}.py",
            label=md(f"Previous: {before.title}"),
            icon=":material/arrow_back:",
            query_params=step_link_params(path, i - 1),
        )
    if i + 1 < len(path.steps):
        after = path.steps[i + 1]
        cols[1].page_link(
            f"views/{after.page}.py",
            label=md(f"Next: {after.title}"),
            icon=":material/arrow_forward:",
            query_params=step_link_params(path, i + 1),
        )
    cols = st.columns(2)
    cols[0].page_link(
        f"views/{page_id}.py",
        label="Leave the presentation",
        icon=":material/close:",
        query_params={k: v for k, v in step.settings.items()},
    )
    with cols[1]:
        # The step's settings as its view reads them (``outlets: a,b`` as in a link; defaults filled in).
        settings = parse(step.settings, VIEW_SPECS[step.page](loaded.tables)).values
        handout_button(loaded, page_id, settings, step.title, prompt.text if prompt else None)
    if step.page != page_id:
        st.warning("This link's page is not the page of this step.", icon=":material/warning:")
    return True


def discussion_prompts(dataset: Dataset, page_id: str, about: dict[str, object] | None = None) -> None:
    """The discussion questions curated for this view; those about what is on screen come first."""
    prompts = [p for p in dataset.prompts if p.page == page_id]
    if not prompts:
        return
    shown = {str(v) for v in (about or {}).values() if isinstance(v, str)} | {
        str(x) for v in (about or {}).values() if isinstance(v, list | tuple) for x in v
    }

    def relevance(p: Prompt) -> int:
        return -len(shown.intersection([*p.events, *p.actors, *p.issues, *p.outlets]))

    with st.expander("Questions for discussion", icon=":material/forum:"):
        for prompt in sorted(prompts, key=relevance):
            st.markdown(md(prompt.text))


def handout_button(loaded: Loaded, page_id: str, settings: dict[str, object], title: str, prompt: str | None) -> None:
    """Download what this view shows as a printable page with quotes, citations and room for notes."""
    key = ("handout-sections", page_id, tuple(sorted((k, str(v)) for k, v in settings.items())))
    sections = loaded.memo.get(key, lambda: sections_for_view(loaded.tables, page_id, settings))
    if not sections:
        return
    ds = loaded.dataset
    document = handout_html(
        title=title,
        subtitle=ds.meta.title,
        sections=sections,
        articles=loaded.tables.articles,
        lexicon=ds.lexicon,
        dataset_title=ds.meta.title,
        licence=ds.meta.licence,
        prompt=prompt,
        view_url=_view_url(),
    )
    st.download_button(
        "Handout (printable HTML)",
        document.encode("utf-8"),
        file_name=_slug(title) + ".html",
        mime="text/html",
        icon=":material/print:",
        on_click="ignore",
        key=f"handout-{page_id}",
    )


def _view_url() -> str | None:
    base = st.context.url  # None when the app is not served by a browser session
    if not base:
        return None
    query = urlencode(_query_params(), doseq=True)
    return f"{base.split('?')[0]}?{query}" if query else base


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "handout"


def chart_selection(chart_key: str) -> list | None:
    """The ``customdata`` of the point the visitor clicked in the chart drawn under ``chart_key``."""
    points = st.session_state[chart_key]["selection"]["points"]
    return points[0].get("customdata") if points else None
