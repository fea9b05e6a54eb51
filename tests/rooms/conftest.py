"""Fixtures: every store test runs on an SQLite file and, when CI gives one, on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from dashboard.rooms import RoomStore

from .kit import REQUIRE_ENV, Clock, pg_base_url, pg_drop_schema, pg_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new schema on the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('rooms') / 'rooms.sqlite3'}"
        return
    base = pg_base_url()
    if base is None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but NT_ROOMS_TEST_URL is not set: CI must start PostgreSQL (.ci/run)")
        pytest.skip("no PostgreSQL for the tests (set NT_ROOMS_TEST_URL)")
    url, schema = pg_schema_url(base)
    yield url
    pg_drop_schema(base, schema)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_url: str, clock: Clock) -> Iterator[RoomStore]:
    made = RoomStore.from_url(db_url, clock=clock)
    yield made
    made.dispose()
