"""Fixtures for the hostile-input tests: the app shows the classroom fixture unless a test says otherwise.

The fixture (tests/classroom/classroom.yaml) is a small invented dataset with prompts and a
presenter path, made for the code tests, so editing data/events.yaml breaks none of these.
Helpers live in the test modules themselves (``import conftest`` is ambiguous once tests/ has
more than one conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data.dataset import DATA_ENV

FIXTURE = Path(__file__).resolve().parents[1] / "classroom" / "classroom.yaml"


@pytest.fixture(autouse=True)
def _fixture_data_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(FIXTURE))
