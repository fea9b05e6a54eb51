"""Framing metrics per outlet, computed from the coded claims by the same rules for every outlet.

See docs/codebook.md ("Metrics") for what each figure means and its limits:
they describe the texts in this dataset, not the outlets in general.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data import frame_schemas as fs
from dashboard.data.frames import VOICE_NARRATION, VOICE_QUOTED, VOICE_UNNAMED, Tables

METRIC_COLUMNS: dict[str, str] = {
    "claims": "Claims coded",
    "narration_share": "Narration share of coded words (%)",
    "quoted_claims": "Claims quoting named speakers",
    "unnamed_claims": "Claims from unnamed sources",
    "unnamed_share": "Unnamed share of attributed claims (%)",
    "loaded_per_100": "Loaded terms per 100 words (whole text)",
    "loaded_per_100_narration": "Loaded terms per 100 words (narration only)",
    "scare_quotes": "Scare-quoted terms",
    "events_covered": "Events mentioned",
    "camps_quoted": "Camps quoted",
}


def outlet_metrics(tables: Tables) -> pd.DataFrame:
    """One row per outlet that has coded text, with the figures in ``METRIC_COLUMNS``.

    Rates per 100 words use the article's body length (``words`` in the data)
    where known, else the words of its coded claims.
    """
    claims = tables.claims
    if claims.empty:
        return fs.empty(fs.OutletMetrics)
    words = tables.articles.groupby("outlet")["words"].sum()
    rows = []
    for outlet, group in claims.groupby("outlet", sort=False):
        narration = group[group["voice"] == VOICE_NARRATION]
        attributed = group[group["voice"] != VOICE_NARRATION]
        unnamed = group[group["voice"] == VOICE_UNNAMED]
        quoted = group[group["voice"] == VOICE_QUOTED]
        body = int(words.get(outlet, 0)) or int(group["words"].sum())
        coded_words = int(group["words"].sum())
        rows.append(
            {
                "outlet": outlet,
                "outlet_name": group["outlet_name"].iloc[0],
                "claims": len(group),
                "narration_share": round(100 * narration["words"].sum() / coded_words, 1) if coded_words else 0.0,
                "quoted_claims": len(quoted),
                "unnamed_claims": len(unnamed),
                "unnamed_share": round(100 * len(unnamed) / len(attributed), 1) if len(attributed) else 0.0,
                # body is 0 only when every quote is wordless ("—") and the article's length is not given
                "loaded_per_100": round(100 * group["loaded_hits"].sum() / body, 2) if body else 0.0,
                "loaded_per_100_narration": round(100 * narration["loaded_hits"].sum() / body, 2) if body else 0.0,
                "scare_quotes": int(narration["scare_quotes"].map(len).sum()),
                "events_covered": len({e for evs in group["events"] for e in evs}),
                "camps_quoted": quoted["speaker_camp"].nunique(),
            }
        )
    return pd.DataFrame(rows)


def voices_by_camp(tables: Tables) -> pd.DataFrame:
    """How many claims each outlet attributes to speakers of each camp (unnamed sources as their own row)."""
    claims = tables.claims[tables.claims["voice"] != VOICE_NARRATION]
    if claims.empty:
        return fs.empty(fs.VoicesByCamp)
    camp_names = dict(zip(tables.actors["camp"], tables.actors["camp_name"], strict=False))
    camp = claims["speaker_camp"].where(claims["voice"] == VOICE_QUOTED, "unnamed")
    counted = (
        claims.assign(camp=camp)
        .groupby(["outlet", "outlet_name", "camp"], as_index=False, sort=False)
        .size()
        .rename(columns={"size": "claims"})
    )
    counted["camp_name"] = counted["camp"].map(lambda c: camp_names.get(c, "Unnamed sources"))
    return counted[["outlet", "outlet_name", "camp", "camp_name", "claims"]]


def label_table(tables: Tables, voice: str | None = VOICE_NARRATION) -> pd.DataFrame:
    """Actor × outlet: the distinct labels each outlet uses for each actor, most used first.

    By default only the outlet's own narration counts, since that is the
    outlet's choice of words; pass ``voice=None`` for every voice.
    """
    labels = tables.labels if voice is None else tables.labels[tables.labels["voice"] == voice]
    if labels.empty:
        return pd.DataFrame(index=pd.Index([], dtype=str, name="Actor"))
    counted = labels.groupby(["actor_name", "outlet_name", "label"], sort=False).size().reset_index(name="n")
    counted = counted.sort_values(["actor_name", "outlet_name", "n"], ascending=[True, True, False], kind="stable")
    joined = counted.groupby(["actor_name", "outlet_name"], sort=False)["label"].agg(" · ".join)
    return joined.unstack("outlet_name").fillna("—").rename_axis(index="Actor", columns=None)


def event_coverage(tables: Tables, outlets: list[str] | None = None) -> pd.DataFrame:
    """Event × outlet: whether each outlet's text mentions each event (True/False)."""
    chosen = outlets if outlets is not None else list(tables.outlets["outlet"])
    with_text = set(tables.claims["outlet"])
    # astype: mapping no events gives an object column, not a True/False one
    cover = {
        o: tables.events["outlets"].map(lambda names, o=o: o in names).astype(bool) for o in chosen if o in with_text
    }
    frame = pd.DataFrame(cover, index=tables.events.index)
    frame.insert(0, "event", tables.events["title"])
    frame.insert(1, "date", tables.events["date"])
    return frame
