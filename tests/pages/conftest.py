"""Fixtures for the page tests and the UI-logic tests (helpers live in page_kit.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from page_kit import DATA, SMALL, empty_text, raw_data

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import DATA_ENV, Dataset, load_dataset


@pytest.fixture(autouse=True)
def _real_data_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the project's own dataset unless it points ``DASHBOARD_DATA`` elsewhere itself."""
    monkeypatch.delenv(DATA_ENV, raising=False)


@pytest.fixture(scope="session")
def raw() -> dict[str, Any]:
    """data/events.yaml as plain strings, lists and dicts (PyYAML, not the dashboard's reader)."""
    return raw_data()


@pytest.fixture(scope="session")
def ds() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="session")
def real_bundle(ds: Dataset) -> Bundle:
    """The curated data as the pages see it (for the settings a view reads from a link)."""
    return Bundle.build(ds)


@pytest.fixture
def dataset_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write a dataset to a fresh path and point the app at it.

    Call it with the dataset's text, or with a function from the small fixture's
    text (tests/pages/fixtures/small.yaml) to the edited text; it returns the
    path. Each test gets its own path, so the app's cache (keyed by path and
    file version) never hands back another test's dataset.
    """

    def make(text: str | Callable[[str], str] | None = None, name: str = "events.yaml") -> Path:
        small = SMALL.read_text(encoding="utf-8")
        path = tmp_path / name
        path.write_text(text(small) if callable(text) else (text or small), encoding="utf-8")
        monkeypatch.setenv(DATA_ENV, str(path))
        return path

    return make


@pytest.fixture
def small_data(dataset_file: Callable[..., Path]) -> Path:
    """The app pointed at the small invented dataset."""
    return dataset_file()


@pytest.fixture
def empty_data(dataset_file: Callable[..., Path]) -> Path:
    """The app pointed at a valid dataset with no events and no claims (so no positions, framing or paths)."""
    return dataset_file(empty_text)
