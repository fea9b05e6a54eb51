"""The frames and metrics, checked on a small invented dataset against the coded claims by independent counts.

These are code tests: they read tests/fixtures/three_outlets.yaml (see its header for what it holds),
never data/events.yaml, so editing the curated data cannot break them. A few facts of the fixture are
named outright (its outlets, labels, dates and stances) where an independent count would only repeat
the code under test.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import pytest
from dataset_helpers import THREE_OUTLETS, hand_count

from dashboard.data import schema as s
from dashboard.data.dataset import Dataset, load_dataset
from dashboard.data.frames import VOICE_NARRATION, VOICE_QUOTED, Tables, build_tables, positions_as_of
from dashboard.data.metrics import METRIC_COLUMNS, event_coverage, label_table, outlet_metrics, voices_by_camp
from dashboard.data.text import Lexicon, fold


@pytest.fixture(scope="module")
def small() -> Dataset:
    return load_dataset(THREE_OUTLETS)


@pytest.fixture(scope="module")
def tables(small: Dataset) -> Tables:  # overrides conftest's frames of the curated data
    return build_tables(small)


@pytest.fixture(scope="module")
def metrics(tables: Tables) -> pd.DataFrame:
    return outlet_metrics(tables).set_index("outlet")


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


# -- labels -------------------------------------------------------------------------------------------


def test_each_outlet_labels_an_actor_in_its_own_words(tables: Tables):
    rows = tables.labels[(tables.labels["actor"] == "alba") & (tables.labels["voice"] == VOICE_NARRATION)]
    by_outlet = rows.groupby("outlet")["label"].agg(set).to_dict()
    # A quoted speaker's label ("a regime that jails its critics") is not the outlet's own.
    assert by_outlet == {"ledger": {"The regime", "strongman Alba"}, "harbour": {"President Alba"}}
    quoted = tables.labels[tables.labels["voice"] == VOICE_QUOTED]
    assert list(quoted["label"]) == ["a regime that jails its critics"]


def test_label_frame_matches_the_coded_claims(small: Dataset, tables: Tables):
    for actor in ("alba", "ruiz"):
        rows = tables.labels[(tables.labels["actor"] == actor) & (tables.labels["voice"] == VOICE_NARRATION)]
        assert rows.groupby("outlet")["label"].agg(set).to_dict() == narration_labels(small, actor)


def test_every_label_is_words_of_its_own_quote(tables: Tables):
    quotes = dict(zip(tables.claims["claim"], tables.claims["quote"], strict=True))
    assert len(tables.labels) > 0
    for row in tables.labels.itertuples():
        assert fold(row.label) in fold(quotes[row.claim]), (row.claim, row.label)


def test_label_table_has_one_column_per_outlet_with_claims(tables: Tables, small: Dataset):
    table = label_table(tables)
    names = {o.id: o.name for o in small.outlets}
    assert set(table.columns) == {names[o] for o in set(outlet_of(small).values())}
    assert "The Weekly Review" not in table.columns  # an outlet with no text of its own
    assert set(table.index) == {"President Alba", "Dana Ruiz"}
    assert table.loc["Dana Ruiz", "The Daily Ledger"] == "Dana Ruiz"
    assert "a regime" not in table.loc["President Alba", "The Daily Ledger"]  # narration only by default
    every_voice = label_table(tables, voice=None)
    assert "a regime that jails its critics" in every_voice.loc["President Alba", "The Daily Ledger"].split(" · ")


def test_label_table_marks_labels_an_outlet_never_uses(tables: Tables):
    table = label_table(tables)
    labelled = tables.labels[tables.labels["voice"] == VOICE_NARRATION]
    pairs = set(zip(labelled["actor_name"], labelled["outlet_name"], strict=True))
    assert table.loc["Dana Ruiz", "Harbour Radio"] == "—"
    for actor in table.index:
        for outlet in table.columns:
            assert (table.loc[actor, outlet] == "—") == ((actor, outlet) not in pairs)


def test_label_table_most_used_label_first(tables: Tables):
    # The ledger calls Alba "The regime" once (first in the file) and "strongman Alba" twice.
    assert label_table(tables).loc["President Alba", "The Daily Ledger"] == "strongman Alba · The regime"
    table = label_table(tables)
    rows = tables.labels[tables.labels["voice"] == VOICE_NARRATION]
    for (actor, outlet), group in rows.groupby(["actor_name", "outlet_name"]):
        counts = group["label"].value_counts()
        first = table.loc[actor, outlet].split(" · ")[0]
        assert counts[first] == counts.max()


# -- events -------------------------------------------------------------------------------------------


def test_events_span_their_whole_month_or_year(small: Dataset, tables: Tables):
    frame = tables.events.set_index("event")
    seen = {"day": 0, "month": 0, "year": 0}
    for e in small.events:
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
    assert all(seen.values()), seen  # the fixture has events of each precision


@pytest.mark.parametrize(
    ("event", "start", "end"),
    [
        ("election-2018", "2018-01-01", "2018-12-31"),  # a year
        ("talks-2019", "2019-05-01", "2019-05-31"),  # a month
        ("sanctions-2024", "2024-02-01", "2024-02-29"),  # a month of a leap year
        ("accord-2021", "2021-09-03", "2021-09-03"),  # a day
        ("approval-2019", "2019-01-23", "2019-04-30"),  # a day to the end of a month
    ],
)
def test_event_spans(tables: Tables, event: str, start: str, end: str):
    row = tables.events.set_index("event").loc[event]
    assert (row["start"], row["end"]) == (pd.Timestamp(start), pd.Timestamp(end))


def test_every_event_is_reported_by_the_articles_whose_claims_name_it(small: Dataset, tables: Tables):
    reporting: dict[str, set[str]] = {}
    for c in small.claims:
        for e in c.events:
            reporting.setdefault(e, set()).add(c.article)
    articles = small.by_id("articles")
    for row in tables.events.itertuples():
        assert len(row.articles) >= 1, row.event
        assert set(row.articles) == reporting[row.event]
        assert set(row.outlets) == {articles[a].outlet for a in row.articles}


def test_an_events_articles_are_in_date_order(tables: Tables):
    row = tables.events.set_index("event").loc["talks-2019"]
    # harbour-2024-02-10's claim comes first in the file but its article is the later one.
    assert row["articles"] == ("ledger-2019-05-20", "harbour-2024-02-10")
    assert row["outlets"] == ("ledger", "harbour")


# -- positions ------------------------------------------------------------------------------------------


def stance(positions: pd.DataFrame, when: str, actor: str, issue: str) -> str | None:
    held = positions_as_of(positions, pd.Timestamp(when))
    match = held[(held["actor"] == actor) & (held["issue"] == issue)]
    assert len(match) <= 1
    return None if match.empty else match["stance"].iloc[0]


def test_a_stance_changes_over_time(tables: Tables):
    assert stance(tables.positions, "2018-06-01", "ruiz", "step_aside") is None
    assert stance(tables.positions, "2020-01-01", "ruiz", "step_aside") == "supports"
    assert stance(tables.positions, "2022-01-01", "ruiz", "step_aside") == "leans_against"


def test_a_month_precise_period_lasts_to_the_months_end(tables: Tables):
    # 'supports' runs until 2021-08, 'leans_against' from 2021-09.
    assert stance(tables.positions, "2021-08-31", "ruiz", "step_aside") == "supports"
    assert stance(tables.positions, "2021-09-01", "ruiz", "step_aside") == "leans_against"


def test_the_latest_begun_position_wins(tables: Tables):
    # Alba on amnesty: 'opposes' from 2023 (open-ended), 'leans_against' from 2024.
    assert stance(tables.positions, "2023-06-01", "alba", "amnesty") == "opposes"
    assert stance(tables.positions, "2024-06-01", "alba", "amnesty") == "leans_against"


def test_positions_as_of_holds_one_stance_per_actor_and_issue(tables: Tables):
    for when in ("2015-01-01", "2019-05-22", "2021-09-03", "2023-01-01", "2024-08-11", "2030-01-01"):
        held = positions_as_of(tables.positions, pd.Timestamp(when))
        assert not held.duplicated(["actor", "issue"]).any()
        assert (held["since"] <= pd.Timestamp(when)).all()
        assert (held["until"].isna() | (held["until"] >= pd.Timestamp(when))).all()
    assert positions_as_of(tables.positions, dt.date(2000, 1, 1)).empty


def test_positions_name_their_evidence_basis(tables: Tables):
    frame = tables.positions
    assert list(zip(frame["basis"], frame["basis_label"], strict=True)) == [
        ("own_words", "The actor's own words"),
        ("unnamed_sources", "Unnamed sources"),
        ("", "not coded"),
        ("", "not coded"),
    ]


# -- metrics ---------------------------------------------------------------------------------------------


def test_metrics_have_every_column_and_one_row_per_outlet_with_claims(metrics: pd.DataFrame, small: Dataset):
    assert set(METRIC_COLUMNS) <= set(metrics.columns)
    assert set(metrics.index) == set(outlet_of(small).values()) == {"ledger", "harbour"}


def test_shares_are_percentages(metrics: pd.DataFrame):
    for column in ("narration_share", "unnamed_share"):
        assert metrics[column].between(0, 100).all(), metrics[column]
    assert metrics.loc["ledger", "unnamed_share"] == 50.0  # one unnamed claim of two attributed ones


def test_claim_counts_match_the_dataset(metrics: pd.DataFrame, small: Dataset):
    outlets = outlet_of(small)
    for outlet, row in metrics.iterrows():
        own = [c for c in small.claims if outlets[c.id] == outlet]
        assert row["claims"] == len(own)
        assert row["unnamed_claims"] == sum(c.speaker == s.UNNAMED for c in own)
        assert row["quoted_claims"] == sum(c.speaker not in (s.NARRATION, s.UNNAMED) for c in own)
        assert row["events_covered"] == len({e for c in own for e in c.events})


def test_scare_quotes_counted_from_narration(metrics: pd.DataFrame, small: Dataset):
    outlets = outlet_of(small)
    for outlet, row in metrics.iterrows():
        expected = sum(len(c.scare_quotes) for c in small.claims if outlets[c.id] == outlet and c.kind == "narration")
        assert row["scare_quotes"] == expected
    # The ledger's narration scare-quotes two words; its quoted speaker's “elections” is not counted.
    assert metrics.loc["ledger", "scare_quotes"] == 2
    assert metrics.loc["harbour", "scare_quotes"] == 0


# The ledger's articles give their body length; the harbour's do not, so its rate uses the coded words.
@pytest.mark.parametrize("outlet", ["ledger", "harbour"])
def test_loaded_per_100_matches_a_hand_count(metrics: pd.DataFrame, small: Dataset, outlet: str):
    term_of = {form.lower(): e.term for e in small.lexicon_entries for form in (e.term, *e.variants)}
    claims = [c for c in small.claims if outlet_of(small)[c.id] == outlet]
    hits = 0
    narration_hits = 0
    for c in claims:
        found = hand_count(c.quote, term_of)
        hits += len(found)
        narration_hits += len(found) if c.kind == "narration" else 0
        # The coded loaded_terms agree with the count, claim by claim.
        assert set(found) == set(c.loaded_terms), c.id
    # The fixture's quotes have no free-standing punctuation, so splitting at spaces counts words.
    words = sum(a.words or 0 for a in small.articles if a.outlet == outlet) or sum(len(c.quote.split()) for c in claims)
    assert hits > 0 and words > 0
    assert metrics.loc[outlet, "loaded_per_100"] == round(100 * hits / words, 2)
    assert metrics.loc[outlet, "loaded_per_100_narration"] == round(100 * narration_hits / words, 2)


def test_voices_by_camp_count_every_attributed_claim_once(tables: Tables, small: Dataset):
    voices = voices_by_camp(tables)
    attributed = [c for c in small.claims if c.speaker != s.NARRATION]
    assert voices["claims"].sum() == len(attributed)
    actors = small.by_id("actors")
    outlets = outlet_of(small)
    expected: dict[tuple[str, str], int] = {}
    for c in attributed:
        camp = "unnamed" if c.speaker == s.UNNAMED else actors[c.speaker].camp
        expected[(outlets[c.id], camp)] = expected.get((outlets[c.id], camp), 0) + 1
    assert dict(zip(zip(voices["outlet"], voices["camp"], strict=True), voices["claims"], strict=True)) == expected
    assert expected[("harbour", "government")] == 2  # two speakers of one camp
    assert set(voices.loc[voices["camp"] == "unnamed", "camp_name"]) == {"Unnamed sources"}


def test_event_coverage_marks_the_events_each_outlet_mentions(tables: Tables, small: Dataset):
    coverage = event_coverage(tables)
    outlets = outlet_of(small)
    with_claims = sorted(set(outlets.values()))
    assert list(coverage.columns[:2]) == ["event", "date"]
    assert sorted(coverage.columns[2:]) == with_claims
    assert list(coverage["event"]) == [e.title for e in small.events]
    for outlet in with_claims:
        mentioned = {e for c in small.claims if outlets[c.id] == outlet for e in c.events}
        marked = {e.id for e, flag in zip(small.events, coverage[outlet], strict=True) if flag}
        assert marked == mentioned, outlet
    # Every event is mentioned by some outlet.
    assert coverage[with_claims].any(axis=1).all()


def test_event_coverage_for_chosen_outlets(tables: Tables):
    # An outlet with no text and an unknown id get no column.
    coverage = event_coverage(tables, ["harbour", "weekly", "no_such_outlet"])
    assert list(coverage.columns) == ["event", "date", "harbour"]


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
    lex = lexicon(("Alba's regime", []), "rightful", "left-leaning")
    text = "“Alba’s regime” — ‘rightful’ leaders, a left‑leaning\u00a0government"
    found = lex.matches(text)
    assert [text[m.start : m.end] for m in found] == ["Alba’s regime", "rightful", "left‑leaning"]
    assert [m.term for m in found] == ["Alba's regime", "rightful", "left-leaning"]


def test_terms_in_lists_distinct_terms_in_order_of_first_appearance():
    lex = lexicon("regime", "dictator")
    assert lex.terms_in("dictator, regime, dictator, Regime") == ["dictator", "regime"]
    assert Lexicon([]).matches("any text at all") == []


def test_a_datasets_lexicon_is_built_from_its_entries_and_variants(small: Dataset):
    text = "A strongman’s regimes crack down on human rights abuses"
    assert small.lexicon.terms_in(text) == ["strongman", "regime", "crackdown", "human rights abuses"]
