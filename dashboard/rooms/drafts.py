"""Story drafts ("Build a story") kept in the room store's database under a secret edit link.

A draft is opaque JSON to the store: it checks the size, not the content (the builder's ``Draft``
reads it back and checks it). Whoever holds the edit link (``/build?draft=ID&key=KEY``) may read,
save and delete the draft; only the key's hash is stored, compared in constant time. A draft expires
``ttl`` (30 days) after its last save: an expired draft cannot be opened, and ``purge`` deletes it (the
store purges when a draft is made, like rooms; ``python -m dashboard.rooms purge`` does it on demand).
Each draft has a size budget and the store a number of live drafts, so nobody can fill the disk.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from dashboard.rooms import inputs
from dashboard.rooms.errors import DraftExpired, DraftNotFound, DraftTooLarge, NotDraftKey
from dashboard.rooms.store import RoomStore
from dashboard.rooms.tables import DRAFT_ID_MAX, drafts

PAGE = "build"  # the page an edit link opens
_ID_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class DraftLimits:
    max_bytes: int = 2_000_000  # one draft's JSON: six long articles with their claims fit several times over
    max_live: int = 2000  # unexpired drafts in the store: with max_bytes, bounds its disk use (4 GB)
    ttl: timedelta = timedelta(days=30)  # from the last save


@dataclass(frozen=True)
class NewDraft:
    draft_id: str
    key: str  # the secret edit key: shown once, in the edit link; only its hash is stored
    expires_at: datetime

    @property
    def link(self) -> str:
        return edit_link(self.draft_id, self.key)


@dataclass(frozen=True)
class SavedDraft:
    draft_id: str
    body: str  # the draft's JSON as saved
    created_at: datetime
    updated_at: datetime
    expires_at: datetime


def edit_link(draft_id: str, key: str) -> str:
    """The page address that opens a draft for editing (relative: the page adds the server's address)."""
    return f"/{PAGE}?" + urlencode({"draft": draft_id, "key": key})


def new_draft_id() -> str:
    return secrets.token_urlsafe(12)  # 96 random bits: ids are not guessable either


def _draft_id(value: str) -> str:
    text = str(value or "").strip()
    if not text or len(text) > DRAFT_ID_MAX or not set(text) <= _ID_CHARS:
        raise DraftNotFound(f"There is no draft “{text[:DRAFT_ID_MAX]}”: check the edit link.")
    return text


class DraftStore:
    """Drafts in the room store's database (same engine, migrations, errors and write lock)."""

    def __init__(self, rooms: RoomStore, limits: DraftLimits | None = None) -> None:
        self.rooms = rooms
        self.limits = limits or DraftLimits()

    def _now(self) -> datetime:
        return self.rooms._now()

    def _size(self, body: str) -> int:
        if not isinstance(body, str):
            raise TypeError("a draft's body is its JSON text")
        size = len(body.encode("utf-8"))
        if size > self.limits.max_bytes:
            raise DraftTooLarge(
                f"This draft is {size / 1e6:.1f} MB, over the {self.limits.max_bytes / 1e6:g} MB a draft may take: "
                "remove an article, or download the YAML instead."
            )
        return size

    def _row(self, conn: Connection, draft_id: str, key: str | None, *, lock: bool = False) -> Row[Any]:
        public = _draft_id(draft_id)
        query = select(drafts).where(drafts.c.public_id == public)
        if lock:
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            raise DraftNotFound(
                f"There is no draft “{public}” on this server: it was deleted, or it expired and was removed."
            )
        if not inputs.key_matches(key, row.key_hash):
            raise NotDraftKey("This edit link's key does not belong to the draft: copy the whole link you were given.")
        if self._now() >= row.expires_at:
            when = row.expires_at.strftime("%-d %B %Y")
            raise DraftExpired(
                f"This draft expired on {when}: a draft is kept {self.limits.ttl.days} days after its last save."
            )
        return row

    def create(self, body: str) -> NewDraft:
        """Keep a new draft; its id and secret key (shown once). Also purges expired drafts."""
        size = self._size(body)
        self.purge()
        key = inputs.new_teacher_key()

        def run(conn: Connection) -> NewDraft:
            now = self._now()
            live = conn.execute(select(func.count()).select_from(drafts).where(drafts.c.expires_at > now)).scalar_one()
            if live >= self.limits.max_live:
                raise DraftTooLarge(
                    f"This server already keeps {live} drafts, as many as it may; download the YAML instead, "
                    "or try again when older drafts have expired."
                )
            draft_id = new_draft_id()
            expires = now + self.limits.ttl
            conn.execute(
                insert(drafts).values(
                    public_id=draft_id,
                    key_hash=inputs.hash_key(key),
                    body=body,
                    size=size,
                    created_at=now,
                    updated_at=now,
                    expires_at=expires,
                )
            )
            return NewDraft(draft_id, key, expires)

        for _ in range(3):  # 96-bit ids: a clash is next to impossible, and then another is drawn
            try:
                return self.rooms.transaction(run, write=True)
            except sa_exc.IntegrityError:
                continue
        raise DraftTooLarge("No free draft id was found; try again.")

    def load(self, draft_id: str, key: str | None) -> SavedDraft:
        """The draft an edit link names: DraftNotFound, NotDraftKey or DraftExpired, each with its own message."""

        def run(conn: Connection) -> SavedDraft:
            row = self._row(conn, draft_id, key)
            return SavedDraft(row.public_id, row.body, row.created_at, row.updated_at, row.expires_at)

        return self.rooms.transaction(run, write=False)

    def save(self, draft_id: str, key: str | None, body: str) -> SavedDraft:
        """Replace the draft's JSON; it is kept ``ttl`` from now."""
        size = self._size(body)

        def run(conn: Connection) -> SavedDraft:
            row = self._row(conn, draft_id, key, lock=True)
            now = self._now()
            expires = now + self.limits.ttl
            conn.execute(
                update(drafts)
                .where(drafts.c.id == row.id)
                .values(body=body, size=size, updated_at=now, expires_at=expires)
            )
            return SavedDraft(row.public_id, body, row.created_at, now, expires)

        return self.rooms.transaction(run, write=True)

    def delete(self, draft_id: str, key: str | None) -> None:
        """Delete the draft now (an expired one too: its owner may still want it gone at once)."""

        def run(conn: Connection) -> None:
            public = _draft_id(draft_id)
            row = conn.execute(select(drafts).where(drafts.c.public_id == public).with_for_update()).first()
            if row is None:
                raise DraftNotFound(f"There is no draft “{public}” on this server: it was already deleted.")
            if not inputs.key_matches(key, row.key_hash):
                raise NotDraftKey("This edit link's key does not belong to the draft: it was not deleted.")
            conn.execute(delete(drafts).where(drafts.c.id == row.id))

        self.rooms.transaction(run, write=True)

    def purge(self) -> int:
        """Delete every expired draft; the number deleted."""
        return self.rooms.transaction(
            lambda conn: conn.execute(delete(drafts).where(drafts.c.expires_at <= self._now())).rowcount, write=True
        )
