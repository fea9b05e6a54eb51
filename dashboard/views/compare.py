"""Compare outlets: the same event, actor or issue as each outlet told it, side by side."""

from __future__ import annotations

import streamlit as st

from dashboard.figures import voices_figure
from dashboard.filters import claims_about, for_outlets
from dashboard.frames import Tables
from dashboard.metrics import METRIC_COLUMNS, event_coverage, label_table, outlet_metrics, voices_by_camp
from dashboard.safe import md, md_link
from dashboard.ui import (
    current_settings,
    discussion_prompts,
    empty_state,
    excerpts,
    handout_button,
    legend_for_highlights,
    load_or_stop,
    outlet_colours_for,
    outlet_heading,
    presenter_bar,
    settings_from_link,
    settings_to_link,
    table_with_download,
)
from dashboard.viewspecs import SUBJECT_KINDS, compare_spec, default_actor, outlets_with_text


def render() -> None:
    loaded = load_or_stop()
    tables, lexicon = loaded.tables, loaded.dataset.lexicon
    claims = tables.claims
    outlet_names = dict(zip(tables.outlets["outlet"], tables.outlets["name"], strict=True))
    with_text = outlets_with_text(tables)
    subjects = {
        "event": dict(zip(tables.events["event"], tables.events["date"] + " · " + tables.events["title"], strict=True)),
        "actor": dict(zip(tables.actors["actor"], tables.actors["name"], strict=True)),
        "issue": dict(zip(tables.issues["issue"], tables.issues["question"], strict=True)),
    }
    spec = compare_spec(tables)
    colours = outlet_colours_for(tables)
    default_subject = default_actor(tables)
    st.title("Compare outlets")
    st.caption(
        "Pick the outlets and a subject; each column shows what one outlet's text says about it, with the "
        "words that frame it marked. Below: how each outlet names the actors, whose voices it quotes, its "
        "framing in Entman's four functions, and which events it leaves out."
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
    about = claims_about(claims, kind, st.session_state["subject"], chosen)
    for col, outlet in zip(st.columns(len(chosen)), chosen, strict=True):
        with col:
            _outlet_header(tables, outlet, colours[outlet])
            excerpts(about[about["outlet"] == outlet], lexicon)
    if about.empty:
        empty_state("None of these outlets' texts speaks of this subject.")

    st.subheader("How each outlet names the actors")
    st.radio(
        "Whose words",
        ["narration", "all"],
        key="voices",
        horizontal=True,
        format_func={"narration": "The outlet's own narration", "all": "Narration and quoted speakers"}.get,
    )
    settings_to_link(spec)
    labels = label_table(
        for_outlets(tables, chosen), voice="narration" if st.session_state["voices"] == "narration" else None
    )
    if labels.empty:
        empty_state("No labels coded for these outlets.")
    else:
        st.dataframe(labels, width="stretch")
        st.download_button(
            "Download labels.csv",
            labels.to_csv().encode("utf-8"),
            "labels.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
        )

    st.subheader("Framing metrics")
    metrics = outlet_metrics(for_outlets(tables, chosen))
    st.dataframe(
        metrics.drop(columns=["outlet"]).rename(columns={"outlet_name": "Outlet", **METRIC_COLUMNS}), hide_index=True
    )
    st.caption(
        "Definitions in Methods & data (codebook, “Metrics”). They describe these texts, not the outlets in general."
    )
    voices = voices_by_camp(for_outlets(tables, chosen))
    if not voices.empty:
        st.markdown("**Whose voices are quoted, by camp**")
        st.plotly_chart(voices_figure(voices), config={"displaylogo": False})
        table_with_download(voices.drop(columns=["outlet", "camp"]), "voices-by-camp")

    st.subheader("Framing: Entman's four functions")
    framing = tables.framing[tables.framing["outlet"].isin(chosen)]
    if framing.empty:
        empty_state("No framing coded for these outlets.")
    for col, outlet in zip(st.columns(len(chosen)), chosen, strict=True):
        with col:
            outlet_heading(outlet_names[outlet], colours[outlet])
            for row in framing[framing["outlet"] == outlet].to_dict("records"):
                st.markdown(f"*{md(row['function_name'])}*: {md(row['text'])}")
                st.caption(md("Claims: " + ", ".join(row["claims"])))

    st.subheader("Which events each outlet mentions")
    coverage = event_coverage(tables, chosen)
    shown = coverage.rename(columns=outlet_names)
    st.dataframe(shown.replace({True: "✔ mentioned", False: "— not mentioned"}), hide_index=True)
    table_with_download(shown, "event-coverage", label="Show as plain table")

    facts = tables.facts[tables.facts["outlet"].isin(chosen)]
    st.subheader("Where the texts state facts differently")
    if facts.empty:
        empty_state("No differing facts recorded for these outlets.")
    for question, group in facts.groupby("question", sort=False):
        st.markdown(f"**{md(question)}**")
        for row in group.to_dict("records"):
            st.markdown(md(f"{row['outlet_name']}: “{row['value']}” (claim {row['claim']})"))
        if group["note"].iloc[0]:
            st.caption(md(group["note"].iloc[0]))


def _outlet_header(tables: Tables, outlet: str, colour: str) -> None:
    o = tables.outlets.set_index("outlet").loc[outlet]
    outlet_heading(o["name"], colour)
    st.caption(md(f"{o['kind']} · {o['country']}"))
    for a in tables.articles[tables.articles["outlet"] == outlet].to_dict("records"):
        st.markdown(md_link(a["title"], a["url"]) + ("" if a["url"] != "unknown" else md(" · URL unknown")))
        if a["relation"]:
            st.caption(md(f"A {a['relation']} of {a['reposts_outlet']}'s report"))


render()
