"""The comparison page: outlets and a subject; framing at a glance; each outlet's excerpts; then one section.

Layout, top to bottom, for a 1280×720 projector first: the title, the controls on one row, the strip of four
small figures (how each outlet names the subject, its loaded terms, its scare quotes, whose voices speak),
their tables, the excerpt columns (most telling first), then the other comparisons one at a time. In
presentation mode the step's section, when it names one, comes first and the strip follows.
"""

from __future__ import annotations

import streamlit as st

from dashboard.data.glance import carrying
from dashboard.data.metrics import METRIC_COLUMNS
from dashboard.markup.safe import md
from dashboard.shell.page import Page
from dashboard.shell.widgets import (
    chart_selection,
    empty_state,
    excerpts,
    legend_for_highlights,
    outlet_heading,
    table_with_download,
)
from dashboard.views.charts import colours, for_projector
from dashboard.views.compare import SECTIONS, SUBJECT_KINDS, subject_choices, subject_for
from dashboard.views.compare.build import CompareView, OutletsView

CAPTION = "One subject, told by each outlet: its words, its scare quotes, its voices, then its excerpts."
TOP_EXCERPTS = 3  # per outlet, unless "show all": enough to compare, and what a class reads on one screen
SHORT = {"label": "Names", "loaded": "Loaded terms", "scare": "Scare quotes", "camp": "Voices"}
ALL = ""  # the focus select box's "every excerpt"
# Streamlit cannot know the screen's width on the server, so one layout serves both: on a wide screen the
# outlets' columns stand side by side; under 640 px, where Streamlit would stack them into one long scroll,
# they become a row a thumb swipes through, one outlet per screen (CSS scroll snapping), with a hint that
# says so. The page itself never gets wider than the screen: only the row scrolls sideways.
COLUMNS_KEY = "compare-excerpts"  # a container key: Streamlit gives it the class st-key-compare-excerpts
CAROUSEL_CSS = f"""<style>
@media (max-width: 640px) {{
  .st-key-{COLUMNS_KEY} [data-testid="stHorizontalBlock"] {{
    flex-wrap: nowrap; overflow-x: auto; scroll-snap-type: x mandatory; gap: .75rem; padding-bottom: .5rem;
  }}
  .st-key-{COLUMNS_KEY} [data-testid="stColumn"] {{
    flex: 0 0 86% !important; min-width: 86% !important; width: 86% !important; scroll-snap-align: start;
  }}
}}
@media (min-width: 641px) {{ .nt-swipe {{ display: none; }} }}
</style>"""


STRIP_BOX = "compare-strip"  # a container key: Streamlit gives it the class st-key-compare-strip
STRIP_PROJECTOR_HEIGHT = 250  # px: the strip under the step's prompt, the excerpt columns still on the first screen
STRIP_CSS = f"""<style>
@media (max-width: 640px) {{
  .st-key-{STRIP_BOX} {{overflow-x: auto;}}
  .st-key-{STRIP_BOX} [data-testid="stElementContainer"], .st-key-{STRIP_BOX} [data-testid="stPlotlyChart"]
  {{min-width: 760px;}}
}}
</style>"""


def render(page: Page) -> None:
    b = page.bundle
    outlet_names = b.names["outlet"]
    page.header("Compare outlets", CAPTION)
    section = page.value("section")
    # A step that names a section (e.g. "Whose voices?"): that section is what the step is about, so on the
    # projector and under a student link's question it comes first, before even the controls.
    section_first = page.focused and section != "labels" and bool(page.value("outlets"))
    if section_first:
        if not page.presenting:  # the step's title names it on the projector
            st.subheader(SECTIONS[section])
        early = page.settings()
        _section(page, section, page.build(early).sections, early.outlets)
    with page.controls():
        left, middle, right = st.columns([4, 3, 3], vertical_alignment="bottom")
        left.multiselect("Outlets", b.outlets_with_text, format_func=outlet_names.get, key=page.key("outlets"))
        middle.segmented_control(
            "Compare on", list(SUBJECT_KINDS), format_func=SUBJECT_KINDS.get, key=page.key("by"), required=True
        )
        kind = page.value("by")
        subjects = subject_choices(b)[kind]
        if page.value("subject") not in subjects:  # the kind changed: its first (or most spoken of) subject
            page.set("subject", subject_for(b, kind, page.value("subject")))
        if subjects:
            right.selectbox(SUBJECT_KINDS[kind], subjects, format_func=b.names[kind].get, key=page.key("subject"))
        if page.presenting:  # the step chose it; folded away with the rest
            _section_control(page)
    if not subjects:
        page.publish()
        empty_state(f"This dataset has no {kind}s to compare on.")
        return
    if not b.outlets_with_text:
        page.publish()
        empty_state("This dataset has no outlet's text to compare.")
        return
    if not page.settings().outlets:
        page.publish()
        empty_state("Choose at least one outlet to compare.")
        return

    settings = page.settings()  # the section picker below has its value already (its state, else the link)
    view: CompareView = page.build(settings)
    # A question about some outlets' texts (the prompt names them) opens on those texts; the strip follows.
    question = page.question
    if page.focused and not section_first and question is not None and question.outlets:
        _columns(page, view)
        _strip(page, view)
    else:
        _strip(page, view)
        page.prompts(settings)  # after the strip, which is the first screen's
        page.handout(settings, f"How the outlets told it: {view.heading}")
        _columns(page, view)
    if not page.presenting:
        st.header("More comparisons")
        _section_control(page)
        if not section_first:  # under a student's question it is drawn at the top already
            st.subheader(SECTIONS[section])
            _section(page, section, view.sections, settings.outlets)
    page.publish()  # every widget is drawn


def _section_control(page: Page) -> None:
    st.segmented_control(
        "Then look at",
        list(SECTIONS),
        format_func=SECTIONS.get,
        key=page.key("section"),
        required=True,
        persist_state="page",  # kept while no outlet is chosen and the control is not drawn
    )


def _voices_choice(page: Page) -> None:
    st.radio(
        "Whose words count in “Named as” and “Loaded terms”",
        ["narration", "all"],
        key=page.key("voices"),
        horizontal=True,
        format_func={"narration": "The outlet's own narration", "all": "Narration and quoted speakers"}.get,
        persist_state="page",  # kept while no outlet is chosen and the radio is not drawn
    )


# -- framing at a glance -------------------------------------------------------------------------------
def _focus_key(page: Page) -> str:
    return page.key("focus")  # not a setting of the link: a reader's own way into the excerpts


def focus_from_chart(chart_key: str, focus_key: str) -> None:
    """A click on a segment of the strip focuses the excerpts on what it counts (a click off it: all again)."""
    picked = chart_selection(chart_key)
    st.session_state[focus_key] = f"{picked[0]}:{picked[1]}" if picked else ALL


STRIP_KEY = "glance"  # the strip's one figure


def _strip(page: Page, view: CompareView) -> None:
    if not page.presenting:  # the step's title names the subject
        st.header(f"At a glance: {md(view.heading)}" if view.heading else "At a glance")
    # One figure, its four panels side by side with the outlets in the same order in each, so the eye reads
    # across. On a phone it keeps a readable width and swipes sideways in its own box.
    if view.strip_figure is not None:
        key = page.key(STRIP_KEY)
        figure = view.strip_figure
        if page.presenting:
            height = max(170, STRIP_PROJECTOR_HEIGHT + 36 * (len(view.columns) - 5))  # 36 px an outlet
            figure = page.bundle.memo.get(
                ("compare-strip-projector", page.settings(), _theme()),
                lambda: for_projector(view.strip_figure, _theme(), height),
            )
        st.html(STRIP_CSS)  # style only: takes no room
        with st.container(key=STRIP_BOX):
            st.plotly_chart(
                figure,
                key=key,
                on_select=lambda: focus_from_chart(key, _focus_key(page)),
                selection_mode="points",
                config={"displayModeBar": False},
                alt=" ".join(p.alt for p in view.parts),
            )
    for part in view.parts:
        if not part.drawn and not page.presenting:  # the panel says "none" on every row
            st.caption(md(f"{part.title}: {part.empty}"))
    if page.focused and page.value("by") == "actor":  # the names themselves, whole: what a class collects
        short = page.bundle.short_names
        st.markdown(
            "  \n".join(
                f"**{md(short[outlet])}** names {md(view.heading)}: " + (md(", ".join(used)) if used else "none")
                for outlet, used in view.names_used
            )
        )
    if page.presenting:
        return
    whose = "the outlets' own narration" if page.value("voices") == "narration" else "narration and quoted speakers"
    st.caption(
        f"Counted in the excerpts about the subject (names and loaded terms: {whose}). Click a segment, or pick "
        "it under “Show the excerpts that carry”, to read the excerpts that carry it."
    )
    _voices_choice(page)
    # The tables are sent only when asked for: four tables on every rerun of every student's page cost
    # more than the figure (their words are also in the figure's text description).
    if st.toggle("Show the figure's data as tables", key=page.key("glance_tables")):
        for cell, part in zip(st.columns(4), view.parts, strict=True):
            with cell:
                table_with_download(  # the toggle asked for them: open at first
                    part.table, f"glance-{part.id}", label=f"{SHORT[part.id]} as a table", expanded=True
                )


def _theme() -> str:
    return st.context.theme.type or "light"


# -- the excerpt columns -------------------------------------------------------------------------------
def _columns(page: Page, view: CompareView) -> None:
    b = page.bundle
    if not page.focused:
        st.header("What each text says")
        st.subheader(md(view.heading))  # the subject, named above its columns
    elif not page.presenting:  # under a student's question: the subject, and straight to the texts
        st.header(f"What each text says: {md(view.heading)}")
    focus_key = _focus_key(page)
    if st.session_state.get(focus_key, ALL) not in view.focus:  # a focus of other settings: every excerpt
        st.session_state[focus_key] = ALL
    total = sum(len(c.quotes) for c in view.columns)
    with st.expander("Choose the excerpts", icon=":material/filter_alt:") if page.focused else st.container():
        focus = st.selectbox(
            "Show the excerpts that carry",
            [ALL, *view.focus],
            format_func=lambda k: view.focus.get(k, "Every excerpt (no focus)"),
            key=focus_key,
        )
        show_all = st.toggle(f"Show all {total} excerpts", key=page.key("all_excerpts"))
    if focus != ALL:
        kind, value = focus.split(":", 1)
        st.button(
            "Show every excerpt again",
            icon=":material/filter_alt_off:",
            on_click=lambda: st.session_state.__setitem__(focus_key, ALL),
        )
    if not page.focused:  # focused, the legend comes under the columns
        legend_for_highlights()
    st.html(CAROUSEL_CSS)  # style only: takes no room
    st.markdown('<p class="nt-swipe">Swipe sideways for the other outlets →</p>', unsafe_allow_html=True)
    palette = colours(b)
    with st.container(key=COLUMNS_KEY):
        for col, column in zip(st.columns(len(view.columns)), view.columns, strict=True):
            with col:
                outlet_heading(b.names["outlet"][column.outlet], palette[column.outlet])
                quotes = column.quotes if focus == ALL else carrying(column.quotes, kind, value)
                shown = quotes if show_all else quotes.iloc[:TOP_EXCERPTS]  # a slice: head() copies the frame
                # Most telling first: the excerpts with the most marks (labels, loaded terms, scare quotes).
                what = "excerpt" if len(quotes) == 1 else "excerpts"
                if not quotes.empty:
                    st.caption(
                        f"{len(shown)} of {len(quotes)} {what}, most marked first"
                        if len(shown) < len(quotes)
                        else f"{len(quotes)} {what}"
                    )
                excerpts(b, shown)  # an outlet with none says "No excerpt."
                with st.expander("The text", icon=":material/article:"):
                    st.markdown(column.header)
    if all(c.quotes.empty for c in view.columns):
        empty_state("None of these outlets' texts speaks of this subject.")
    if page.focused:
        legend_for_highlights()


# -- the sections -----------------------------------------------------------------------------------
def _section(page: Page, section: str, sections: OutletsView, outlets: tuple[str, ...]) -> None:
    if section == "labels":
        _labels(page, sections)
    elif section == "metrics":
        _metrics(sections)
    elif section == "voices":
        _voices(page, sections)
    elif section == "framing":
        _framing(page, sections, outlets)
    elif section == "coverage":
        st.dataframe(sections.coverage.replace({True: "✔ mentioned", False: "— not mentioned"}), hide_index=True)
        table_with_download(sections.coverage, "event-coverage", label="Show as plain table")
    else:
        _facts(sections)


def _labels(page: Page, view: OutletsView) -> None:
    if page.presenting:
        _voices_choice(page)
    if view.labels.empty:
        empty_state("No labels coded for these outlets.")
        return
    st.caption("Every label each outlet uses for each actor, in all its text, most used first.")
    st.dataframe(view.labels, width="stretch")
    st.download_button(
        "Download labels.csv",
        lambda: view.labels.to_csv().encode("utf-8"),  # written when clicked
        "labels.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def _metrics(view: OutletsView) -> None:
    if view.metrics.empty:
        empty_state("No text of these outlets to measure.")
        return
    st.dataframe(
        view.metrics.drop(columns=["outlet"]).rename(columns={"outlet_name": "Outlet", **METRIC_COLUMNS}),
        hide_index=True,
    )
    st.caption(
        "Definitions in Methods & data (codebook, “Metrics”). They describe these texts, not the outlets in general."
    )


def _voices(page: Page, view: OutletsView) -> None:
    if view.voices_figure is None:
        empty_state("These outlets quote no one by name or as an unnamed source.")
        return
    if not page.focused:  # the step's prompt says what the figure shows
        st.caption("Claims each outlet attributes to a speaker (quoted or paraphrased) in all its text, by camp.")
    figure = view.voices_figure
    if page.presenting:
        figure = page.bundle.memo.get(
            ("compare-voices-projector", tuple(page.value("outlets")), _theme()),
            lambda: for_projector(view.voices_figure, _theme()),
        )
    st.plotly_chart(
        figure,
        config={"displayModeBar": False},
        height=page.chart_height or "content",
        alt="Whose voices are quoted, by camp: " + view.voices_alt,
    )
    table_with_download(view.voices.drop(columns=["outlet", "camp"]), "voices-by-camp")


def _framing(page: Page, view: OutletsView, chosen: tuple[str, ...]) -> None:
    if view.framing.empty:
        empty_state("No framing coded for these outlets.")
        return
    names, palette = page.bundle.names["outlet"], colours(page.bundle)
    for col, outlet in zip(st.columns(len(chosen)), chosen, strict=True):
        with col:
            outlet_heading(names[outlet], palette[outlet])
            rows = view.framing[view.framing["outlet"] == outlet].to_dict("records")
            # One block per column: a large dataset has thousands of these rows.
            st.markdown(
                "\n\n".join(
                    f"*{md(r['function_name'])}*: {md(r['text'])}  \n" + md("Claims: " + ", ".join(r["claims"]))
                    for r in rows
                )
            )


def _facts(view: OutletsView) -> None:
    if view.facts.empty:
        empty_state("No differing facts recorded for these outlets.")
        return
    for question, group in view.facts.groupby("question", sort=False):
        st.markdown(f"**{md(question)}**")
        for row in group.to_dict("records"):
            st.markdown(md(f"{row['outlet_name']}: “{row['value']}” (claim {row['claim']})"))
        if group["note"].iloc[0]:
            st.caption(md(group["note"].iloc[0]))
