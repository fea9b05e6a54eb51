"""Compare outlets: the same event, actor or issue as each outlet told it, side by side."""

from __future__ import annotations

import streamlit as st

from dashboard.frames import Tables
from dashboard.metrics import METRIC_COLUMNS
from dashboard.safe import md, md_link
from dashboard.ui import (
    current_settings,
    discussion_prompts,
    empty_state,
    excerpts,
    handout_button,
    legend_for_highlights,
    load_or_stop,
    outlet_heading,
    presenter_bar,
    settings_from_link,
    settings_to_link,
    table_with_download,
)
from dashboard.viewdata import OutletsView, outlets_view, subject_claims
from dashboard.viewspecs import COMPARE_SECTIONS, SUBJECT_KINDS


def render() -> None:
    loaded = load_or_stop()
    tables = loaded.tables
    outlet_names = loaded.names["outlet"]
    with_text = loaded.outlets_with_text
    subjects = {kind: loaded.names[kind] for kind in SUBJECT_KINDS}
    spec = loaded.spec("compare")
    colours = loaded.outlet_colours
    default_subject = loaded.default_actor
    st.title("Compare outlets")
    st.caption(
        "Pick the outlets and a subject; each column shows what one outlet's text says about it, with the "
        "words that frame it marked. Below, one at a time: how each outlet names the actors, its framing "
        "metrics, whose voices it quotes, its framing in Entman's four functions, which events it leaves out, "
        "and the facts the texts state differently."
    )
    settings_from_link(spec)
    presenting = presenter_bar(loaded, "compare")
    st.multiselect("Outlets", with_text, format_func=outlet_names.get, key="outlets")
    st.segmented_control("Compare on", list(SUBJECT_KINDS), format_func=SUBJECT_KINDS.get, key="by", required=True)
    kind = st.session_state["by"]
    if st.session_state["subject"] not in subjects[kind]:
        st.session_state["subject"] = default_subject if kind == "actor" else next(iter(subjects[kind]))
    st.selectbox(SUBJECT_KINDS[kind], list(subjects[kind]), format_func=subjects[kind].get, key="subject")
    chosen = st.session_state["outlets"]
    if not chosen:
        settings_to_link(spec)
        empty_state("Choose at least one outlet to compare.")
        return

    heading = subjects[kind][st.session_state["subject"]]
    st.subheader(md(heading))
    if not presenting:
        discussion_prompts(loaded.dataset, "compare", current_settings(spec))
        handout_button(loaded, "compare", current_settings(spec), f"How the outlets told it: {heading}", None)
    legend_for_highlights()
    about = subject_claims(loaded, kind, st.session_state["subject"], chosen)
    for col, outlet in zip(st.columns(len(chosen)), chosen, strict=True):
        with col:
            outlet_heading(outlet_names[outlet], colours[outlet])
            st.markdown(loaded.memo.get(("outlet-header", outlet), lambda o=outlet: _outlet_header(tables, o)))
            excerpts(loaded, about[about["outlet"] == outlet])
    if about.empty:
        empty_state("None of these outlets' texts speaks of this subject.")

    st.segmented_control(
        "Then look at", list(COMPARE_SECTIONS), format_func=COMPARE_SECTIONS.get, key="section", required=True
    )
    section = st.session_state["section"]
    if section == "labels":
        st.radio(
            "Whose words",
            ["narration", "all"],
            key="voices",
            horizontal=True,
            format_func={"narration": "The outlet's own narration", "all": "Narration and quoted speakers"}.get,
        )
    settings_to_link(spec)
    view = outlets_view(loaded, chosen, narration_only=st.session_state["voices"] == "narration")
    st.subheader(COMPARE_SECTIONS[section])
    if section == "labels":
        _labels(view)
    elif section == "metrics":
        _metrics(view)
    elif section == "voices":
        _voices(view)
    elif section == "framing":
        _framing(view, chosen, outlet_names, colours)
    elif section == "coverage":
        st.dataframe(view.coverage.replace({True: "✔ mentioned", False: "— not mentioned"}), hide_index=True)
        table_with_download(view.coverage, "event-coverage", label="Show as plain table")
    else:
        _facts(view)


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


def _framing(view: OutletsView, chosen: list[str], outlet_names: dict[str, str], colours: dict[str, str]) -> None:
    if view.framing.empty:
        empty_state("No framing coded for these outlets.")
        return
    for col, outlet in zip(st.columns(len(chosen)), chosen, strict=True):
        with col:
            outlet_heading(outlet_names[outlet], colours[outlet])
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


def _outlet_header(tables: Tables, outlet: str) -> str:
    """An outlet's facts and its articles (linked), as one block of markdown built once per dataset."""
    o = tables.outlets.set_index("outlet").loc[outlet]
    lines = [md(f"{o['kind']} · {o['country']}")]
    for a in tables.articles[tables.articles["outlet"] == outlet].to_dict("records"):
        lines.append(md_link(a["title"], a["url"]) + ("" if a["url"] != "unknown" else md(" · URL unknown")))
        if a["relation"]:
            lines.append(md(f"A {a['relation']} of {a['reposts_outlet']}'s report"))
    return "\n\n".join(lines)


render()
