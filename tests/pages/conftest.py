"""Fixtures for the page tests and the UI-logic tests (helpers live in page_kit.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from page_kit import DATA, raw_data

from dashboard.dataset import DATA_ENV, Dataset, load_dataset
from dashboard.frames import Tables, build_tables


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
def real_tables(ds: Dataset) -> Tables:
    return build_tables(ds)


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write an edited copy of the real dataset to a fresh path and point the app at it.

    Call it with a function from the YAML text to the edited text; it returns the
    path. Each test gets its own path, so the app's cache (keyed by path and
    file version) never hands back another test's dataset.
    """

    def make(edit, name: str = "events.yaml") -> Path:
        path = tmp_path / name
        path.write_text(edit(DATA.read_text(encoding="utf-8")), encoding="utf-8")
        monkeypatch.setenv(DATA_ENV, str(path))
        return path

    return make
