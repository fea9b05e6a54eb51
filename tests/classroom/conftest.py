"""Fixtures for the classroom tests (helpers are in kit.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

import dashboard.shell.classroom
from dashboard.data.bundle import Bundle
from dashboard.data.dataset import DATA_ENV, Dataset, load_dataset
from dashboard.data.frames import Tables, tables_of

from .kit import FIXTURE, Deferred


@pytest.fixture(autouse=True)
def _fixture_data_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app shows the classroom fixture (kit.FIXTURE) unless a test points it elsewhere itself.

    Code tests run on a small dataset made for them, so editing data/events.yaml breaks only the
    tests about that data.
    """
    monkeypatch.setenv(DATA_ENV, str(FIXTURE))


@pytest.fixture(scope="session")
def story() -> Dataset:
    """The classroom fixture, loaded (and so fully checked) once per session."""
    return load_dataset(FIXTURE)


@pytest.fixture(scope="session")
def bundle(story: Dataset) -> Bundle:
    return Bundle.build(story)


@pytest.fixture(scope="session")
def tables(story: Dataset) -> Tables:
    """The fixture's frames (this overrides the real data's ``tables`` of tests/conftest.py here)."""
    return tables_of(story)


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write an edited copy of the classroom fixture to a fresh path and point the app at it.

    Call it with a function from the YAML text to the edited text. Each test gets its
    own path, so the app's cache (keyed by path and file version) never hands back
    another test's dataset.
    """

    def make(edit: Callable[[str], str], name: str = "events.yaml") -> Path:
        path = tmp_path / name
        path.write_text(edit(FIXTURE.read_text(encoding="utf-8")), encoding="utf-8")
        monkeypatch.setenv(DATA_ENV, str(path))
        return path

    return make


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Deferred:
    """The callables behind every deferred download button drawn during the test, by file id.

    AppTest's media file manager lives for one run only, so a button's callable is caught as it
    is registered; calling it is what a click in the browser does.
    """
    seen: Deferred = {}
    real = MediaFileManager.add_deferred

    def spy(self: MediaFileManager, data_callable: Callable[[], Any], *args: Any, **kwargs: Any) -> str:
        file_id = real(self, data_callable, *args, **kwargs)
        seen[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return seen


@pytest.fixture
def handouts(monkeypatch: pytest.MonkeyPatch, downloads: Deferred) -> list[dict[str, Any]]:
    """Every handout written during the test (its button clicked), as the keyword arguments it was written from.

    A handout is written only when its button is clicked: a test clicks it with ``kit.download``.
    """
    calls: list[dict[str, Any]] = []
    real = dashboard.shell.classroom.handout_html

    def spy(**kwargs: Any) -> str:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(dashboard.shell.classroom, "handout_html", spy)
    return calls
