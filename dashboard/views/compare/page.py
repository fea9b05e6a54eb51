"""The comparison page: outlets and a subject, a column of quotes per outlet, then one section at a time."""

from __future__ import annotations

import streamlit as st

from dashboard.data.metrics import METRIC_COLUMNS
from dashboard.markup.safe import md
from dashboard.shell.page import Page
from dashboard.shell.widgets import (
    empty_state,
    excerpts,
    legend_for_highlights,
    outlet_heading,
    table_with_download,
)
from dashboard.views.charts import colours
from dashboard.views.compare import SECTIONS, SUBJECT_KINDS, subject_choices, subject_for
from dashboard.views.compare.build import CompareView, OutletsView


def render(page: Page) -> None:
    b = page.bundle
    outlet_names = b.names["outlet"]
    st.title("Compare outlets")
    st.caption(
        "Pick the outlets and a subject; each column shows what one outlet's text says about it, with the "
        "words that frame it marked. Below, one at a time: how each outlet names the actors, its framing "
        "metrics, whose voices it quotes, its framing in Entman's four functions, which events it leaves out, "
        "and the facts the texts state differently."
    )
    st.multiselect("Outlets", b.outlets_with_text, format_func=outlet_names.get, key=page.key("outlets"))
    st.segmented_control(
        "Compare on", list(SUBJECT_KINDS), format_func=SUBJECT_KINDS.get, key=page.key("by"), required=True
    )
    kind = page.value("by")
    subjects = subject_choices(b)[kind]
    if page.value("subject") not in subjects:  # the kind changed: its first (or most spoken of) subject
        page.set("subject", subject_for(b, kind, page.value("subject")))
    if not subjects:
        page.publish()
        empty_state(f"This dataset has no {kind}s to compare on.")
        return
    st.selectbox(SUBJECT_KINDS[kind], subjects, format_func=b.names[kind].get, key=page.key("subject"))
    settings = page.settings()
    if not b.outlets_with_text:
        page.publish()
        empty_state("This dataset has no outlet's text to compare.")
        return
    if not settings.outlets:
        page.publish()
        empty_state("Choose at least one outlet to compare.")
        return

    view: CompareView = page.build(settings)
    st.subheader(md(view.heading))
    page.prompts(settings)
    page.handout(settings, f"How the outlets told it: {view.heading}")
    legend_for_highlights()
    palette = colours(b)
    for col, column in zip(st.columns(len(view.columns)), view.columns, strict=True):
        with col:
            outlet_heading(outlet_names[column.outlet], palette[column.outlet])
            st.markdown(column.header)
            excerpts(b, column.quotes)
    if all(c.quotes.empty for c in view.columns):
        empty_state("None of these outlets' texts speaks of this subject.")

    st.segmented_control(
        "Then look at",
        list(SECTIONS),
        format_func=SECTIONS.get,
        key=page.key("section"),
        required=True,
        persist_state="page",  # kept while no outlet is chosen and the control is not drawn
    )
    section = page.value("section")
    if section == "labels":
        st.radio(
            "Whose words",
            ["narration", "all"],
            key=page.key("voices"),
            horizontal=True,
            format_func={"narration": "The outlet's own narration", "all": "Narration and quoted speakers"}.get,
            persist_state="page",  # kept while another section is shown
        )
    settings = page.publish()
    sections = page.build(settings).sections
    st.subheader(SECTIONS[section])
    if section == "labels":
        _labels(sections)
    elif section == "metrics":
        _metrics(sections)
    elif section == "voices":
        _voices(sections)
    elif section == "framing":
        _framing(page, sections, settings.outlets)
    elif section == "coverage":
        st.dataframe(sections.coverage.replace({True: "✔ mentioned", False: "— not mentioned"}), hide_index=True)
        table_with_download(sections.coverage, "event-coverage", label="Show as plain table")
    else:
        _facts(sections)


def _labels(view: OutletsView) -> None:
    if view.labels.empty:
        empty_state("No labels coded for these outlets.")
        return
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


def _voices(view: OutletsView) -> None:
    if view.voices_figure is None:
        empty_state("These outlets quote no one by name or as an unnamed source.")
        return
    st.caption("Claims each outlet attributes to a speaker (quoted or paraphrased), by the speaker's camp.")
    st.plotly_chart(view.voices_figure, config={"displayModeBar": False})
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
