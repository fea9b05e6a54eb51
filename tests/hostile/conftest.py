"""Fixtures for the hostile-input tests: every test sees the project's own dataset unless it says otherwise.

Helpers live in the test modules themselves (``import conftest`` is ambiguous once
tests/ has more than one conftest.py).
"""

from __future__ import annotations

import pytest

from dashboard.dataset import DATA_ENV


@pytest.fixture(autouse=True)
def _real_data_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)
