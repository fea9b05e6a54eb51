"""Fixtures for the classroom tests (helpers are in kit.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dashboard.ui
from dashboard.dataset import DATA_ENV

from .kit import DATA


@pytest.fixture(autouse=True)
def _real_data_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the project's own dataset unless it points the app elsewhere itself."""
    monkeypatch.delenv(DATA_ENV, raising=False)


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write an edited copy of data/events.yaml to a fresh path and point the app at it.

    Call it with a function from the YAML text to the edited text. Each test gets its
    own path, so the app's cache (keyed by path and file version) never hands back
    another test's dataset.
    """

    def make(edit: Callable[[str], str], name: str = "events.yaml") -> Path:
        path = tmp_path / name
        path.write_text(edit(DATA.read_text(encoding="utf-8")), encoding="utf-8")
        monkeypatch.setenv(DATA_ENV, str(path))
        return path

    return make


@pytest.fixture
def handouts(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every handout the app builds during the test, as the keyword arguments it was built from."""
    calls: list[dict[str, Any]] = []
    real = dashboard.ui.handout_html

    def spy(**kwargs: Any) -> str:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(dashboard.ui, "handout_html", spy)
    return calls
