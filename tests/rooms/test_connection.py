"""The app reaches the store through st.connection, configured by the environment or by default."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.rooms.engine import ENV_DATA_DIR, ENV_URL


def _page() -> None:
    import streamlit as st

    from dashboard.rooms import StoreUnavailable
    from dashboard.rooms.connection import room_store

    try:
        store = room_store()
    except StoreUnavailable as error:
        st.error(str(error))
    else:
        room = store.open_room()
        st.text(f"{store.engine.url.get_backend_name()} {store.state(room.code).code == room.code}")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from dashboard.rooms.connection import _store

    _store.clear()


def test_with_nothing_configured_the_app_uses_an_sqlite_file_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    at = AppTest.from_function(_page).run(timeout=30)
    assert not at.exception and not at.error
    assert at.text[0].value == "sqlite True"
    assert (tmp_path / "data" / "rooms.sqlite3").exists()
    assert (tmp_path / "data" / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_an_unreachable_configured_database_is_a_message_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv(ENV_URL, f"postgresql://nobody@127.0.0.1:{port}/rooms")
    at = AppTest.from_function(_page).run(timeout=30)
    assert not at.exception
    assert "cannot be reached" in at.error[0].value and f"127.0.0.1:{port}" in at.error[0].value


def test_secrets_name_the_database_and_the_environment_overrides_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "default"))
    at = AppTest.from_function(_page)
    at.secrets["connections"] = {"rooms": {"url": f"sqlite:///{tmp_path / 'from-secrets.sqlite3'}"}}
    at.run(timeout=30)
    assert at.text[0].value == "sqlite True"
    assert (tmp_path / "from-secrets.sqlite3").exists() and not (tmp_path / "default").exists()
    monkeypatch.setenv(ENV_URL, f"sqlite:///{tmp_path / 'from-env.sqlite3'}")
    at.run(timeout=30)
    assert (tmp_path / "from-env.sqlite3").exists()


def test_the_purge_command_deletes_expired_rooms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from dashboard.rooms import RoomStore
    from dashboard.rooms.__main__ import main

    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    RoomStore.from_url(url).open_room()  # opening a room purges expired ones: make the old one last
    RoomStore.from_url(url, clock=lambda: datetime(2020, 1, 1, tzinfo=UTC)).open_room()  # long expired
    assert main(["purge", "--url", url]) == 0
    assert "purged 1 expired room(s)" in capsys.readouterr().out
    assert main(["purge", "--url", "postgresql://nobody@127.0.0.1:1/rooms"]) == 1
    assert "cannot be reached" in capsys.readouterr().err


def test_upgrade_brings_a_new_store_to_the_current_schema_and_status_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dashboard.rooms import migrate
    from dashboard.rooms.__main__ import main

    path = tmp_path / "fresh.sqlite3"
    url = f"sqlite:///{path}"
    assert main(["upgrade", "--url", url]) == 0
    assert capsys.readouterr().out == f"file {path}: schema at {migrate.head()}\n"
    assert main(["status", "--url", url]) == 0
    assert capsys.readouterr().out == f"file {path}: schema {migrate.head()}\n"
