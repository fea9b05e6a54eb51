"""Data tests: the curated dataset data/events.yaml itself, not the code that reads it.

This folder is where tests about the curated data go, and the only place they go: editing
data/events.yaml may break a test here, and should break no test elsewhere. Code tests run on the
minimal dataset (tests/dataset_helpers.py) or on small datasets under tests/fixtures/ made for them.
Run just these with ``python3 run.py tests tests/data``.

The checks here hold for any good curation, so they name no record of the data: the data is valid,
it opens into every frame and metric, and its coders' loaded terms agree with a count by hand.
"""

from __future__ import annotations

from dataset_helpers import DATA, hand_count

from dashboard.data.dataset import Dataset, check_dataset
from dashboard.data.frames import Tables
from dashboard.data.metrics import event_coverage, label_table, outlet_metrics, voices_by_camp


def test_the_curated_dataset_is_valid():
    dataset, problems = check_dataset(DATA)
    assert [str(p) for p in problems] == []
    assert dataset is not None and dataset.source == str(DATA)
    for section in ("outlets", "articles", "actors", "issues", "events", "claims", "positions"):
        assert getattr(dataset, section), f"the curated dataset has no {section}"


def test_the_curated_dataset_opens_into_every_frame_and_metric(real_dataset: Dataset, tables: Tables):
    for section in ("outlets", "articles", "actors", "issues", "events", "claims", "positions"):
        assert len(getattr(tables, section)) == len(getattr(real_dataset, section)), section
    with_text = {real_dataset.by_id("articles")[c.article].outlet for c in real_dataset.claims}
    assert set(outlet_metrics(tables)["outlet"]) == with_text
    assert voices_by_camp(tables)["claims"].sum() == sum(c.speaker != "narration" for c in real_dataset.claims)
    assert len(event_coverage(tables)) == len(real_dataset.events)
    assert not label_table(tables).empty


def test_every_claims_loaded_terms_agree_with_a_hand_count(real_dataset: Dataset):
    entries = real_dataset.lexicon_entries
    term_of = {form.lower(): e.term for e in entries for form in (e.term, *e.variants)}
    not_in = {e.term: e.not_in for e in entries}
    disagree = []
    for c in real_dataset.claims:
        counted = set(hand_count(c.quote, term_of, not_in))
        if counted != set(c.loaded_terms):
            disagree.append(f"{c.id}: counted {sorted(counted)}, coded {sorted(c.loaded_terms)}")
    assert disagree == []


def test_the_curated_dataset_passes_the_audit(capsys):
    """The audit needs no source texts: ``python -m dashboard.validate data/events.yaml --audit`` finds nothing."""
    from dashboard.validate import main

    code = main([str(DATA), "--audit"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "the audit finds nothing" in out


def test_the_curated_dataset_passes_the_audit_and_every_quote_is_in_its_source(capsys):
    """What CI holds the curated data to: ``python -m dashboard.validate data/events.yaml --sources … --audit``."""
    import os

    import pytest

    from dashboard.validate import main

    sources = os.environ.get("SOURCES_DIR")
    if not sources:
        pytest.skip("set SOURCES_DIR to the folder of source texts to check provenance")
    assert main([str(DATA), "--sources", sources, "--audit"]) == 0, capsys.readouterr().out
    assert "the audit finds nothing" in capsys.readouterr().out
