"""Shared fixtures for the data-layer tests; the helpers themselves are in dataset_helpers.py.

The helpers (the minimal valid dataset, ``write_yaml``, ``edit``, ``where``) are
re-exported here too, but test modules import them from ``dataset_helpers``:
``import conftest`` is ambiguous once tests/ has more than one conftest.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import hypothesis
import pytest
from dataset_helpers import (  # noqa: F401 - re-exported for convenience
    DATA,
    MINIMAL,
    MINIMAL_SOURCE_FILE,
    MINIMAL_SOURCE_TEXT,
    REPO,
    check_text,
    edit,
    messages,
    minimal_dataset,
    where,
    write_yaml,
)

from dashboard.data.dataset import Dataset, load_dataset
from dashboard.data.frames import Tables, build_tables

# No background warming of each test's dataset (dashboard/views/warm.py): dozens of small datasets, each
# warmed beside the tests, would only slow them down. The tests of warming turn it on themselves.
os.environ.setdefault("NT_WARM", "0")
# Hypothesis profiles. Each property test names its full number of examples with
# ``strategies.examples(n)``; the "dev" profile, loaded here and so the default, runs a quarter of
# them (at least two), ``--hypothesis-profile=ci`` all of them, derandomised (Hypothesis' own "ci"
# settings). pytest's Hypothesis plugin loads a profile named on the command line after this file.
hypothesis.settings.register_profile("dev", max_examples=25)
hypothesis.settings.register_profile("ci", hypothesis.settings.get_profile("ci"), max_examples=100)
hypothesis.settings.load_profile("dev")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def real_dataset() -> Dataset:
    """The project's own dataset, loaded (and so fully checked) once per session."""
    return load_dataset(DATA)


@pytest.fixture(scope="session")
def tables(real_dataset: Dataset) -> Tables:
    return build_tables(real_dataset)


@pytest.fixture
def minimal_text() -> str:
    return minimal_dataset()


@pytest.fixture
def minimal_sources(tmp_path: Path) -> Path:
    """A folder holding the minimal dataset's article text."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / MINIMAL_SOURCE_FILE).write_text(MINIMAL_SOURCE_TEXT, encoding="utf-8")
    return folder
