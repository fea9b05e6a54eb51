"""Every quote in the real dataset occurs verbatim in its article's text (when the texts are at hand)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dataset_helpers import DATA

from dashboard.data.dataset import Dataset, check_dataset
from dashboard.data.text import fold, fold_keep_length


@pytest.fixture(scope="module")
def sources_dir() -> Path:
    value = os.environ.get("SOURCES_DIR", "").strip()
    if not value:
        pytest.skip("set SOURCES_DIR to the folder of source texts to check provenance")
    folder = Path(value)
    if not folder.is_dir():
        pytest.fail(f"SOURCES_DIR={value} is not a folder")
    return folder


@pytest.fixture(scope="module")
def checked(sources_dir: Path) -> Dataset:
    dataset, problems = check_dataset(DATA, sources=sources_dir)
    assert [str(p) for p in problems] == []
    assert dataset is not None
    return dataset


def test_every_quote_is_verbatim_in_its_source(checked: Dataset):
    assert len(checked.claims) >= 80
    assert len(checked.events) >= 25
    assert len(checked.issues) >= 8


def test_every_source_file_is_present_and_quoted(checked: Dataset, sources_dir: Path):
    claimed_articles = {c.article for c in checked.claims}
    with_text = [a for a in checked.articles if a.source_file]
    assert with_text
    for article in with_text:
        assert (sources_dir / article.source_file).is_file(), article.source_file
        assert article.id in claimed_articles, article.id


def test_every_outlet_has_articles_and_every_text_outlet_has_claims(checked: Dataset):
    claim_outlets = {checked.by_id("articles")[c.article].outlet for c in checked.claims}
    article_outlets = {a.outlet for a in checked.articles}
    text_outlets = {a.outlet for a in checked.articles if a.source_file}
    for outlet in checked.outlets:
        assert outlet.id in article_outlets, outlet.id
        assert outlet.id in claim_outlets or outlet.id not in text_outlets, outlet.id
    assert text_outlets <= claim_outlets


def test_the_provenance_check_can_fail(tmp_path: Path, sources_dir: Path):
    """With one source text emptied, exactly the claims quoting it are reported."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in sources_dir.glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())
    dataset, _ = check_dataset(DATA)
    article = next(a for a in dataset.articles if a.source_file)
    (folder / article.source_file).write_text("", encoding="utf-8")
    _, problems = check_dataset(DATA, sources=folder)
    expected = {c.id for c in dataset.claims if c.article == article.id}
    assert expected
    reported = {p.message.split(":")[0].removeprefix("claim ") for p in problems}
    assert reported == expected
    assert all(p.message.endswith(f"quote not found verbatim in {article.source_file}") for p in problems)


# -- folding (always run) -------------------------------------------------------------------------


def test_fold_straightens_quotes_and_apostrophes():
    assert fold("“Venezuela’s ‘rightful’ leader”") == "\"Venezuela's 'rightful' leader\""
    assert fold("„low“ and ‚single‘ and 5′ 6″") == "\"low\" and 'single' and 5' 6\""


def test_fold_turns_dashes_into_hyphens():
    assert fold("2019–2024 — a long‑run − minus ‒ figure ― bar ‐ hyphen") == (
        "2019-2024 - a long-run - minus - figure - bar - hyphen"
    )


def test_fold_collapses_whitespace():
    assert fold("  socialist\u00a0President\n\n  Nicolás \t Maduro  ") == "socialist President Nicolás Maduro"


def test_fold_makes_a_text_and_its_typographic_twin_equal():
    plain = 'Maduro\'s "regime" - the worst crisis'
    fancy = "Maduro’s\n“regime” — the  worst\u00a0crisis"
    assert fold(fancy) == fold(plain) == plain
    assert fold(fancy) in fold("Before. " + fancy + " After.")


def test_fold_leaves_other_text_alone():
    text = "Nicolás Maduro, 28 July: ¿qué? «Yes»"
    assert fold(text) == text


def test_fold_keep_length_keeps_offsets():
    text = "“talks” — Maduro’s\u00a0regime\n"
    kept = fold_keep_length(text)
    assert len(kept) == len(text)
    assert kept == '"talks" - Maduro\'s regime\n'
