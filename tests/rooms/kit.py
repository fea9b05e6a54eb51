"""Helpers for the room store's tests: a clock the test moves, the PostgreSQL URL from CI, and the store that
the pages' tests serve."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dashboard.data.dataset import DATA_ENV
from dashboard.rooms import RoomStore
from dashboard.rooms.connection import _store
from dashboard.rooms.engine import ENV_URL

# Where CI's PostgreSQL is (.ci/run starts one on loopback and sets this).
PG_ENV = "NT_ROOMS_TEST_URL"
# Set in CI: then a missing PostgreSQL fails the run instead of skipping its half of the tests.
REQUIRE_ENV = "REQUIRE_POSTGRES"


@dataclass
class Clock:
    """The store's clock, moved by the test: expiry and rate windows without sleeping."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 1, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def pg_schema_url(base: str) -> tuple[str, str]:
    """A fresh schema on the test server, and a URL whose connections use only it."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(base).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(base).set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def pg_drop_schema(base: str, schema: str) -> None:
    admin = create_engine(make_url(base).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def pages_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dataset: Path) -> Iterator[RoomStore]:
    """A fresh SQLite store that the app's pages (AppTest) use too, with ``dataset`` served: the body of a page
    test module's ``store`` fixture. The pages' cached store is dropped before and after."""
    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    monkeypatch.setenv(ENV_URL, url)
    monkeypatch.setenv(DATA_ENV, str(dataset))
    _store.clear()
    made = RoomStore.from_url(url)
    yield made
    made.dispose()
    _store.clear()
