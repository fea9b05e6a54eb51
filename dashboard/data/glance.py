"""Framing at a glance: per outlet, for one subject, the words that name it, its loaded terms, its scare
quotes and whose voices it lets speak. Pure pandas (the figures are drawn in views/compare/figure.py).

Every frame here is counted over the same excerpts the comparison's columns show (the claims about the
subject from the chosen outlets), so a bar and the excerpts it leads to always agree.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data.frames import VOICE_NARRATION, VOICE_QUOTED
from dashboard.data.text import Lexicon

# What a click in the strip (or the keyboard's select box) can focus the excerpts on.
LABEL, LOADED, SCARE, CAMP = "label", "loaded", "scare", "camp"
KIND_NAMES = {LABEL: "Named as", LOADED: "Loaded terms", SCARE: "In scare quotes", CAMP: "Voice from"}
UNNAMED_CAMP = "unnamed"


def annotate(about: pd.DataFrame, lexicon: Lexicon, camp_names: dict[str, str]) -> pd.DataFrame:
    """The excerpts with what the strip counts in each: its marks, loaded-term categories and speaker's camp.

    ``marks`` is what ranks excerpts "most telling first": the labels naming an actor, the loaded terms
    (lexicon matches) and the scare-quoted words it carries, one each; ties keep the data's order.
    """
    out = about.copy()  # the shared frame is never changed
    out["loaded_categories"] = [tuple(lexicon.category[m.term] for m in lexicon.matches(q)) for q in out["quote"]]
    out["marks"] = out["label_texts"].map(len) + out["loaded_hits"] + out["scare_quotes"].map(len)
    camp = out["speaker_camp"].where(out["voice"] == VOICE_QUOTED, UNNAMED_CAMP)
    out["camp"] = camp.where(out["voice"] != VOICE_NARRATION, "")
    out["camp_name"] = out["camp"].map(lambda c: camp_names.get(c, "Unnamed sources") if c else "")
    return out


def telling_first(claims: pd.DataFrame) -> pd.DataFrame:
    """Excerpts with the most marks first (a stable sort: equal ones stay in the data's order)."""
    return claims.sort_values("marks", ascending=False, kind="stable")


def in_voice(claims: pd.DataFrame, narration_only: bool) -> pd.DataFrame:
    return claims[claims["voice"] == VOICE_NARRATION] if narration_only else claims


def names_used(labels: pd.DataFrame, claims: pd.DataFrame, actor: str | None) -> pd.DataFrame:
    """outlet, outlet_name, label, actors, n: the label phrases in these excerpts (of ``actor`` only, if given)."""
    found = labels[labels["claim"].isin(claims["claim"])]
    if actor is not None:
        found = found[found["actor"] == actor]
    if found.empty:
        return pd.DataFrame(columns=["outlet", "outlet_name", "label", "actors", "n"]).astype({"n": int})
    counted = found.groupby(["outlet", "outlet_name", "label"], as_index=False, sort=False).agg(
        actors=("actor_name", lambda names: " · ".join(dict.fromkeys(names))), n=("claim", "size")
    )
    return counted.sort_values(["outlet", "n"], ascending=[True, False], kind="stable").reset_index(drop=True)


def loaded_rates(claims: pd.DataFrame) -> pd.DataFrame:
    """outlet, outlet_name, category, n, words, per_100: loaded terms per 100 words of these excerpts."""
    words = claims.groupby("outlet")["words"].sum()
    rows = [
        {"outlet": o, "outlet_name": name, "category": cat}
        for o, name, cats in zip(claims["outlet"], claims["outlet_name"], claims["loaded_categories"], strict=True)
        for cat in cats
    ]
    if not rows:
        return pd.DataFrame(columns=["outlet", "outlet_name", "category", "n", "words", "per_100"]).astype(
            {"n": int, "words": int, "per_100": float}
        )
    counted = pd.DataFrame(rows).groupby(["outlet", "outlet_name", "category"], as_index=False, sort=False).size()
    counted = counted.rename(columns={"size": "n"})
    counted["words"] = counted["outlet"].map(words).astype(int)
    # Wordless excerpts ("—") with a loaded term cannot happen (a term is a word): words is never 0 here.
    counted["per_100"] = (100 * counted["n"] / counted["words"]).round(2)
    return counted.sort_values(["outlet", "per_100"], ascending=[True, False], kind="stable").reset_index(drop=True)


def scare_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """outlet, outlet_name, term, n: the words these excerpts put in scare quotes."""
    rows = [
        {"outlet": o, "outlet_name": name, "term": term}
        for o, name, terms in zip(claims["outlet"], claims["outlet_name"], claims["scare_quotes"], strict=True)
        for term in terms
    ]
    if not rows:
        return pd.DataFrame(columns=["outlet", "outlet_name", "term", "n"]).astype({"n": int})
    counted = pd.DataFrame(rows).groupby(["outlet", "outlet_name", "term"], as_index=False, sort=False).size()
    counted = counted.rename(columns={"size": "n"})
    return counted.sort_values(["outlet", "n"], ascending=[True, False], kind="stable").reset_index(drop=True)


def voice_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """outlet, outlet_name, camp, camp_name, n: these excerpts' attributed claims, by the speaker's camp."""
    spoken = claims[claims["camp"] != ""]
    if spoken.empty:
        return pd.DataFrame(columns=["outlet", "outlet_name", "camp", "camp_name", "n"]).astype({"n": int})
    counted = spoken.groupby(["outlet", "outlet_name", "camp", "camp_name"], as_index=False, sort=False).size()
    counted = counted.rename(columns={"size": "n"})
    return counted.sort_values(["outlet", "n"], ascending=[True, False], kind="stable").reset_index(drop=True)


def carrying(claims: pd.DataFrame, kind: str, value: str) -> pd.DataFrame:
    """The excerpts that carry ``value`` of ``kind`` (a label phrase, a loaded category, a scare-quoted word,
    a camp): those the strip counted under it."""
    if kind == LABEL:
        mask = claims["label_texts"].map(lambda labels: value in labels)
    elif kind == LOADED:
        mask = claims["loaded_categories"].map(lambda cats: value in cats)
    elif kind == SCARE:
        mask = claims["scare_quotes"].map(lambda terms: value in terms)
    elif kind == CAMP:
        mask = claims["camp"] == value
    else:
        raise ValueError(f"no such focus kind: {kind!r}")
    return claims[mask.astype(bool)]
