"""The app's one RoomStore, on Streamlit's SQL connection ``st.connection("rooms", type="sql")``.

Which database, first found wins:
1. ``NT_ROOMS_URL`` in the environment (e.g. ``postgresql://user:pass@db-host/rooms``);
2. ``[connections.rooms]`` in ``.streamlit/secrets.toml`` (``url = "..."``, or Streamlit's
   dialect/host/port/username/password/database fields); see ``.streamlit/secrets.toml.example``;
3. an SQLite file, ``rooms.sqlite3`` in ``NT_DATA_DIR`` (default ``var/`` in the project).

``room_store()`` may raise StoreUnavailable (database down, disk full): pages show its message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy.engine import URL

from dashboard.rooms.drafts import DraftStore
from dashboard.rooms.engine import engine_options, prepare, resolve_url
from dashboard.rooms.store import RoomStore

CONNECTION = "rooms"


def _secrets_section() -> Mapping[str, Any]:
    try:
        connections = st.secrets.get("connections", {})
        section = connections.get(CONNECTION, {}) if isinstance(connections, Mapping) else {}
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):  # no secrets.toml: not an error
        return {}
    return section if isinstance(section, Mapping) else {}


def configured_url() -> str | None:
    """The URL from ``[connections.rooms]`` in secrets.toml, if it has one."""
    section = _secrets_section()
    if section.get("url"):
        return str(section["url"])
    if section.get("dialect"):
        driver = f"+{section['driver']}" if section.get("driver") else ""
        url = URL.create(
            f"{section['dialect']}{driver}",
            username=section.get("username"),
            password=section.get("password"),
            host=section.get("host"),
            port=int(section["port"]) if section.get("port") else None,
            database=section.get("database"),
        )
        return url.render_as_string(hide_password=False)
    return None


@st.cache_resource(show_spinner=False)
def _store(url: str) -> RoomStore:
    # One engine (one connection pool) per server process, shared by every session; a failure is
    # not cached, so the next rerun tries again once the database is back.
    parsed = prepare(url)
    conn = st.connection(
        CONNECTION, type="sql", url=parsed.render_as_string(hide_password=False), **engine_options(parsed)
    )
    return RoomStore(conn.engine)


def room_store() -> RoomStore:
    """The shared store, migrated to the current schema on first use."""
    return _store(resolve_url(configured_url()))


def draft_store() -> DraftStore:
    """Story drafts, kept in the same database as the rooms (``drafts.py``)."""
    return DraftStore(room_store())
