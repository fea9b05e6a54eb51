"""A story drafted by ``python -m dashboard.build`` from a few articles: every page opens on it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from page_kit import REPO, assert_clean, open_page

from dashboard.views import VIEWS

# Two short articles made for the builder's tests (tests/fixtures/articles), as a teacher would give them.
ARTICLES = [REPO / "tests" / "fixtures" / "articles" / name for name in ("gazette.txt", "radio.txt")]


HIDDEN_PAGES = ("room",)  # outside the menu: opens on any dataset, without a room code


def _build(paths: list[Path], out: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "dashboard.build", *map(str, paths), "--out", str(out), "--title", "Built story"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def _every_page_opens() -> None:
    for view_id in [*(v.id for v in VIEWS), *HIDDEN_PAGES]:
        at = open_page(view_id)
        assert_clean(at)
        assert at.title or at.markdown, view_id
    assert [t.value for t in open_page("overview").title] == ["Built story"]


def test_every_page_opens_on_a_built_story(tmp_path: Path, dataset_file: Callable[..., Path]) -> None:
    out = tmp_path / "story.yaml"
    _build(ARTICLES, out)
    dataset_file(out.read_text(encoding="utf-8"), name="built.yaml")
    _every_page_opens()


def test_every_page_opens_on_the_story_built_from_the_source_texts(
    tmp_path: Path, dataset_file: Callable[..., Path]
) -> None:
    sources = os.environ.get("SOURCES_DIR")
    if not sources:
        pytest.skip("set SOURCES_DIR to the folder of source texts")
    out = tmp_path / "story.yaml"
    _build(sorted(Path(sources).glob("*.txt")), out)
    dataset_file(out.read_text(encoding="utf-8"), name="built.yaml")
    _every_page_opens()
