"""The frames and metrics on the real dataset, checked against the coded claims by independent counts."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd
import pytest

from dashboard import schema as s
from dashboard.dataset import Dataset
from dashboard.frames import VOICE_NARRATION, Tables, positions_as_of
from dashboard.metrics import METRIC_COLUMNS, event_coverage, label_table, outlet_metrics, voices_by_camp
from dashboard.text import Lexicon, fold

# -- helpers computed straight from the dataset, not from the frames ---------------------------------


def outlet_of(ds: Dataset) -> dict[str, str]:
    """claim id -> outlet id."""
    articles = ds.by_id("articles")
    return {c.id: articles[c.article].outlet for c in ds.claims}


def narration_labels(ds: Dataset, actor: str) -> dict[str, set[str]]:
    """outlet id -> the labels its own narration gives ``actor``."""
    outlets = outlet_of(ds)
    found: dict[str, set[str]] = {}
    for c in ds.claims:
        if c.speaker == s.NARRATION and actor in c.labels:
            value = c.labels[actor]
            found.setdefault(outlets[c.id], set()).update([value] if isinstance(value, str) else value)
    return found


@pytest.fixture(scope="module")
def metrics(tables: Tables) -> pd.DataFrame:
    return outlet_metrics(tables).set_index("outlet")


# -- labels -------------------------------------------------------------------------------------------


def test_each_outlet_labels_maduro_in_its_own_words(tables: Tables):
    rows = tables.labels[(tables.labels["actor"] == "maduro") & (tables.labels["voice"] == VOICE_NARRATION)]
    by_outlet = rows.groupby("outlet")["label"].agg(set).to_dict()
    assert {"socialist dictator Nicolás Maduro", "Socialist Dictator Maduro", "the dictator"} <= by_outlet["breitbart"]
    assert "socialist President Nicolás Maduro" in by_outlet["wlrn"]
    assert {"President Nicolás Maduro", "President Maduro"} <= by_outlet["washington_post"]
    assert "the strongman" in by_outlet["as_coa"]
    # Nothing leaks from one outlet's vocabulary to another's.
    assert not any("dictator" in label.lower() for label in by_outlet["washington_post"] | by_outlet["wlrn"])
    assert not any("socialist" in label.lower() for label in by_outlet["washington_post"])


def test_label_frame_matches_the_coded_claims(real_dataset: Dataset, tables: Tables):
    rows = tables.labels[(tables.labels["actor"] == "maduro") & (tables.labels["voice"] == VOICE_NARRATION)]
    assert rows.groupby("outlet")["label"].agg(set).to_dict() == narration_labels(real_dataset, "maduro")


def test_every_label_is_words_of_its_own_quote(tables: Tables):
    quotes = dict(zip(tables.claims["claim"], tables.claims["quote"], strict=True))
    assert len(tables.labels) > 0
    for row in tables.labels.itertuples():
        assert fold(row.label) in fold(quotes[row.claim]), (row.claim, row.label)


def test_label_table_has_one_column_per_outlet_with_claims(tables: Tables, real_dataset: Dataset):
    table = label_table(tables)
    names = {o.id: o.name for o in real_dataset.outlets}
    with_claims = {names[o] for o in set(outlet_of(real_dataset).values())}
    assert set(table.columns) == with_claims
    assert "The Wall Street Journal" not in table.columns  # an outlet with no text of its own
    assert "Nicolás Maduro" in table.index
    assert "socialist dictator Nicolás Maduro" in table.loc["Nicolás Maduro", "Breitbart News"].split(" · ")
    assert "dictator" not in table.loc["Nicolás Maduro", "The Washington Post"]


def test_label_table_marks_labels_an_outlet_never_uses(tables: Tables):
    table = label_table(tables)
    labelled = tables.labels[tables.labels["voice"] == VOICE_NARRATION]
    pairs = set(zip(labelled["actor_name"], labelled["outlet_name"], strict=True))
    for actor in table.index:
        for outlet in table.columns:
            assert (table.loc[actor, outlet] == "—") == ((actor, outlet) not in pairs)


def test_label_table_most_used_label_first(tables: Tables):
    table = label_table(tables)
    rows = tables.labels[(tables.labels["voice"] == VOICE_NARRATION) & (tables.labels["actor"] == "maduro")]
    for outlet, group in rows.groupby("outlet_name"):
        counts = group["label"].value_counts()
        first = table.loc["Nicolás Maduro", outlet].split(" · ")[0]
        assert counts[first] == counts.max()


# -- events -------------------------------------------------------------------------------------------


def test_events_span_their_whole_month_or_year(real_dataset: Dataset, tables: Tables):
    frame = tables.events.set_index("event")
    seen = {"day": 0, "month": 0, "year": 0}
    for e in real_dataset.events:
        row = frame.loc[e.id]
        seen[e.date.precision] += 1
        start = e.date.first
        if e.date.precision == "year":
            assert (start.month, start.day) == (1, 1)
        elif e.date.precision == "month":
            assert start.day == 1
        assert row["start"] == pd.Timestamp(start)
        last = e.end or e.date
        y, m = last.last.year, last.last.month
        if last.precision == "year":
            expected_end = dt.date(y, 12, 31)
        elif last.precision == "month":
            expected_end = dt.date(y, m, calendar.monthrange(y, m)[1])
        else:
            expected_end = last.first
        assert row["end"] == pd.Timestamp(expected_end), e.id
        assert row["start"] <= row["end"]
    assert all(seen.values()), seen  # the data has events of each precision


def test_known_event_spans(tables: Tables):
    frame = tables.events.set_index("event")
    assert (frame.loc["oslo-talks-2019", "start"], frame.loc["oslo-talks-2019", "end"]) == (
        pd.Timestamp("2019-05-01"),
        pd.Timestamp("2019-05-31"),
    )
    assert (frame.loc["reelection-2018", "start"], frame.loc["reelection-2018", "end"]) == (
        pd.Timestamp("2018-01-01"),
        pd.Timestamp("2018-12-31"),
    )
    assert frame.loc["guaido-approval-2019", "end"] == pd.Timestamp("2019-04-30")


def test_every_event_is_reported_by_the_articles_whose_claims_name_it(real_dataset: Dataset, tables: Tables):
    reporting: dict[str, set[str]] = {}
    for c in real_dataset.claims:
        for e in c.events:
            reporting.setdefault(e, set()).add(c.article)
    for row in tables.events.itertuples():
        assert len(row.articles) >= 1, row.event
        assert set(row.articles) == reporting[row.event]
        articles = real_dataset.by_id("articles")
        assert set(row.outlets) == {articles[a].outlet for a in row.articles}


# -- positions ------------------------------------------------------------------------------------------


def stance(positions: pd.DataFrame, when: str, actor: str, issue: str) -> str | None:
    held = positions_as_of(positions, pd.Timestamp(when))
    match = held[(held["actor"] == actor) & (held["issue"] == issue)]
    assert len(match) <= 1
    return None if match.empty else match["stance"].iloc[0]


def test_opposition_on_stepping_down_first(tables: Tables):
    assert stance(tables.positions, "2020-01-01", "opposition", "step_down_first") == "supports"
    assert stance(tables.positions, "2022-01-01", "opposition", "step_down_first") == "leans_against"
    assert stance(tables.positions, "2017-06-01", "opposition", "step_down_first") is None


def test_a_month_precise_period_lasts_to_the_months_end(tables: Tables):
    # 'supports' runs until 2021-08, 'leans_against' from 2021-09.
    assert stance(tables.positions, "2021-08-31", "opposition", "step_down_first") == "supports"
    assert stance(tables.positions, "2021-09-01", "opposition", "step_down_first") == "leans_against"


def test_the_latest_begun_position_wins(tables: Tables):
    # Maduro on amnesty: 'opposes' from 2023 (open-ended), 'leans_against' from 2024.
    assert stance(tables.positions, "2023-06-01", "maduro", "amnesty") == "opposes"
    assert stance(tables.positions, "2024-06-01", "maduro", "amnesty") == "leans_against"


def test_positions_as_of_holds_one_stance_per_actor_and_issue(tables: Tables):
    for when in ("2015-01-01", "2019-05-22", "2021-09-03", "2024-08-11", "2030-01-01"):
        held = positions_as_of(tables.positions, pd.Timestamp(when))
        assert not held.duplicated(["actor", "issue"]).any()
        assert (held["since"] <= pd.Timestamp(when)).all()
        assert (held["until"].isna() | (held["until"] >= pd.Timestamp(when))).all()
    assert positions_as_of(tables.positions, dt.date(2000, 1, 1)).empty


# -- metrics ---------------------------------------------------------------------------------------------


def test_metrics_have_every_column_and_one_row_per_outlet_with_claims(metrics: pd.DataFrame, real_dataset: Dataset):
    assert set(METRIC_COLUMNS) <= set(metrics.columns)
    assert set(metrics.index) == set(outlet_of(real_dataset).values())


def test_shares_are_percentages(metrics: pd.DataFrame):
    for column in ("narration_share", "unnamed_share"):
        assert metrics[column].between(0, 100).all(), metrics[column]


def test_claim_counts_match_the_dataset(metrics: pd.DataFrame, real_dataset: Dataset):
    outlets = outlet_of(real_dataset)
    for outlet, row in metrics.iterrows():
        own = [c for c in real_dataset.claims if outlets[c.id] == outlet]
        assert row["claims"] == len(own)
        assert row["unnamed_claims"] == sum(c.speaker == s.UNNAMED for c in own)
        assert row["quoted_claims"] == sum(c.speaker not in (s.NARRATION, s.UNNAMED) for c in own)
        assert row["events_covered"] == len({e for c in own for e in c.events})


def test_scare_quotes_counted_from_narration(metrics: pd.DataFrame, real_dataset: Dataset):
    outlets = outlet_of(real_dataset)
    for outlet, row in metrics.iterrows():
        expected = sum(
            len(c.scare_quotes) for c in real_dataset.claims if outlets[c.id] == outlet and c.kind == "narration"
        )
        assert row["scare_quotes"] == expected
    assert metrics.loc["breitbart", "scare_quotes"] > 0
    assert metrics.loc["breitbart", "scare_quotes"] > metrics.loc["washington_post", "scare_quotes"]


def hand_count(quote: str, forms: list[str]) -> list[str]:
    """Lexicon forms in ``quote``: whole words, any case, typographic apostrophes and dashes straightened."""
    text = quote.replace("’", "'").replace("‘", "'").replace("—", "-").replace("–", "-")
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return [m.group(1).lower() for m in re.finditer(rf"(?<![\w-])({alternatives})(?![\w-])", text, re.IGNORECASE)]


# WLRN's claims cover its whole text; AS/COA's leave some words uncoded, so the rate must use the body length.
@pytest.mark.parametrize("outlet", ["wlrn", "as_coa"])
def test_loaded_per_100_matches_a_hand_count(metrics: pd.DataFrame, real_dataset: Dataset, outlet: str):
    term_of = {}
    for entry in real_dataset.lexicon_entries:
        for form in (entry.term, *entry.variants):
            term_of[form.lower()] = entry.term
    claims = [c for c in real_dataset.claims if outlet_of(real_dataset)[c.id] == outlet]
    hits = 0
    narration_hits = 0
    for c in claims:
        found = hand_count(c.quote, list(term_of))
        hits += len(found)
        narration_hits += len(found) if c.kind == "narration" else 0
        # The coders' loaded_terms agree with the count, claim by claim.
        assert {term_of[f] for f in found} == set(c.loaded_terms), c.id
    words = sum(a.words for a in real_dataset.articles if a.outlet == outlet)
    assert hits > 0 and words > 0
    assert metrics.loc[outlet, "loaded_per_100"] == round(100 * hits / words, 2)
    assert metrics.loc[outlet, "loaded_per_100_narration"] == round(100 * narration_hits / words, 2)


def test_voices_by_camp_count_every_attributed_claim_once(tables: Tables, real_dataset: Dataset):
    voices = voices_by_camp(tables)
    attributed = [c for c in real_dataset.claims if c.speaker != s.NARRATION]
    assert voices["claims"].sum() == len(attributed)
    actors = real_dataset.by_id("actors")
    outlets = outlet_of(real_dataset)
    expected: dict[tuple[str, str], int] = {}
    for c in attributed:
        camp = "unnamed" if c.speaker == s.UNNAMED else actors[c.speaker].camp
        expected[(outlets[c.id], camp)] = expected.get((outlets[c.id], camp), 0) + 1
    assert dict(zip(zip(voices["outlet"], voices["camp"], strict=True), voices["claims"], strict=True)) == expected
    assert set(voices.loc[voices["camp"] == "unnamed", "camp_name"]) <= {"Unnamed sources"}


def test_event_coverage_marks_the_events_each_outlet_mentions(tables: Tables, real_dataset: Dataset):
    coverage = event_coverage(tables)
    outlets = outlet_of(real_dataset)
    with_claims = sorted(set(outlets.values()))
    assert list(coverage.columns[:2]) == ["event", "date"]
    assert sorted(coverage.columns[2:]) == with_claims
    assert list(coverage["event"]) == [e.title for e in real_dataset.events]
    for outlet in with_claims:
        mentioned = {e for c in real_dataset.claims if outlets[c.id] == outlet for e in c.events}
        marked = {e.id for e, flag in zip(real_dataset.events, coverage[outlet], strict=True) if flag}
        assert marked == mentioned, outlet
    # Every event is mentioned by some outlet.
    assert coverage[with_claims].any(axis=1).all()


def test_event_coverage_for_chosen_outlets(tables: Tables):
    coverage = event_coverage(tables, ["wlrn", "wsj", "no_such_outlet"])
    assert list(coverage.columns) == ["event", "date", "wlrn"]


# -- lexicon matching ------------------------------------------------------------------------------------


def lexicon(*terms: str | tuple[str, list[str]]) -> Lexicon:
    entries = []
    for t in terms:
        term, variants = (t, []) if isinstance(t, str) else t
        entries.append((term, "test", variants))
    return Lexicon(entries)


def spans(lex: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(m.term, text[m.start : m.end]) for m in lex.matches(text)]


def test_whole_words_only():
    lex = lexicon("regime")
    assert spans(lex, "The regimes fell; regime change; aregime; regime_x; regime.") == [
        ("regime", "regime"),
        ("regime", "regime"),
    ]


def test_case_insensitive_and_reported_by_the_entry_term():
    lex = lexicon("Marxist", ("crackdown", ["crack down", "cracks down"]))
    assert spans(lex, "MARXIST and marxist; police Cracks Down in a CRACKDOWN") == [
        ("Marxist", "MARXIST"),
        ("Marxist", "marxist"),
        ("crackdown", "Cracks Down"),
        ("crackdown", "CRACKDOWN"),
    ]


def test_a_word_inside_a_hyphenated_word_does_not_match():
    lex = lexicon("socialist")
    assert spans(lex, "the socialist-led coalition and anti-socialist voters") == []
    assert spans(lex, "a socialist, led by socialists") == [("socialist", "socialist")]


def test_phrase_terms_win_over_their_words():
    lex = lexicon("crisis", "humanitarian crisis", "human rights", "human rights abuses", "free", "free world")
    text = "a humanitarian crisis, a crisis, human rights abuses and human rights in the free world, free"
    assert spans(lex, text) == [
        ("humanitarian crisis", "humanitarian crisis"),
        ("crisis", "crisis"),
        ("human rights abuses", "human rights abuses"),
        ("human rights", "human rights"),
        ("free world", "free world"),
        ("free", "free"),
    ]
    assert lex.terms_in("grave human rights abuses") == ["human rights abuses"]


def test_hyphenated_terms_win_over_their_first_word():
    lex = lexicon("socialist", "socialist-led")
    assert spans(lex, "the socialist-led socialist state") == [
        ("socialist-led", "socialist-led"),
        ("socialist", "socialist"),
    ]


def test_offsets_point_into_the_original_curly_text():
    lex = lexicon(("Maduro's regime", []), "rightful", "left-leaning")
    text = "“Maduro’s regime” — ‘rightful’ leaders, a left‑leaning\u00a0government"
    found = lex.matches(text)
    assert [text[m.start : m.end] for m in found] == ["Maduro’s regime", "rightful", "left‑leaning"]
    assert [m.term for m in found] == ["Maduro's regime", "rightful", "left-leaning"]


def test_terms_in_lists_distinct_terms_in_order_of_first_appearance():
    lex = lexicon("regime", "dictator")
    assert lex.terms_in("dictator, regime, dictator, Regime") == ["dictator", "regime"]
    assert Lexicon([]).matches("any text at all") == []


def test_real_lexicon_on_a_breitbart_phrase(real_dataset: Dataset):
    text = "socialist dictator Nicolás Maduro’s socialist-led “regime”"
    assert real_dataset.lexicon.terms_in(text) == ["socialist", "dictator", "socialist-led", "regime"]
