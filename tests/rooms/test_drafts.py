"""The draft store: made, opened by its edit link only, saved, deleted, expired and purged, within budget."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from dashboard.rooms import DraftExpired, DraftNotFound, DraftTooLarge, NotDraftKey, RoomStore
from dashboard.rooms.drafts import DraftLimits, DraftStore, edit_link
from dashboard.rooms.tables import drafts as drafts_table

from .kit import Clock

BODY = json.dumps({"title": "A strike", "articles": [{"text": "Workers walked out on Thursday."}]})


@pytest.fixture
def drafts(store: RoomStore) -> Iterator[DraftStore]:
    yield DraftStore(store, DraftLimits(max_bytes=10_000, max_live=3))


def test_a_new_draft_opens_by_its_edit_link_and_only_its_hash_is_stored(drafts: DraftStore, clock: Clock) -> None:
    made = drafts.create(BODY)
    assert made.expires_at == clock.now + timedelta(days=30)
    query = parse_qs(urlsplit(made.link).query)
    assert urlsplit(made.link).path == "/build"
    assert query == {"draft": [made.draft_id], "key": [made.key]}
    loaded = drafts.load(made.draft_id, made.key)
    assert json.loads(loaded.body) == json.loads(BODY)
    with drafts.rooms.engine.connect() as conn:
        row = conn.execute(select(drafts_table)).one()
    assert made.key not in tuple(str(v) for v in row) and len(row.key_hash) == 64
    other = drafts.create(BODY)
    assert other.draft_id != made.draft_id and other.key != made.key


def test_wrong_key_missing_and_expired_each_say_what_happened(drafts: DraftStore, clock: Clock) -> None:
    made = drafts.create(BODY)
    with pytest.raises(NotDraftKey, match="key does not belong"):
        drafts.load(made.draft_id, "not-the-key")
    with pytest.raises(NotDraftKey):
        drafts.load(made.draft_id, None)
    with pytest.raises(DraftNotFound, match="no draft “nope”"):
        drafts.load("nope", made.key)
    with pytest.raises(DraftNotFound):
        drafts.load("<script>alert(1)</script>", made.key)  # not an id at all
    clock.advance(days=30)
    with pytest.raises(DraftExpired, match="expired on 31 March 2026: a draft is kept 30 days"):
        drafts.load(made.draft_id, made.key)
    with pytest.raises(NotDraftKey):  # an expired draft does not tell a stranger that it exists
        drafts.load(made.draft_id, "not-the-key")


def test_saving_replaces_the_draft_and_keeps_it_30_days_from_the_save(drafts: DraftStore, clock: Clock) -> None:
    made = drafts.create(BODY)
    clock.advance(days=29)
    saved = drafts.save(made.draft_id, made.key, json.dumps({"title": "Changed"}))
    assert saved.expires_at == clock.now + timedelta(days=30)
    clock.advance(days=29)  # 58 days after it was made, 29 after its last save
    loaded = drafts.load(made.draft_id, made.key)
    assert json.loads(loaded.body) == {"title": "Changed"}
    assert loaded.created_at < loaded.updated_at
    with pytest.raises(NotDraftKey):
        drafts.save(made.draft_id, "not-the-key", "{}")
    assert json.loads(drafts.load(made.draft_id, made.key).body) == {"title": "Changed"}


def test_delete_is_immediate_and_needs_the_key(drafts: DraftStore) -> None:
    made = drafts.create(BODY)
    with pytest.raises(NotDraftKey):
        drafts.delete(made.draft_id, "not-the-key")
    drafts.load(made.draft_id, made.key)  # still there
    drafts.delete(made.draft_id, made.key)
    with pytest.raises(DraftNotFound):
        drafts.load(made.draft_id, made.key)
    with pytest.raises(DraftNotFound, match="already deleted"):
        drafts.delete(made.draft_id, made.key)


def test_expired_drafts_are_purged_and_live_ones_kept(drafts: DraftStore, clock: Clock) -> None:
    old = drafts.create(BODY)
    clock.advance(days=20)
    young = drafts.create(BODY)
    clock.advance(days=11)
    assert drafts.purge() == 1
    with pytest.raises(DraftNotFound):
        drafts.load(old.draft_id, old.key)
    assert drafts.load(young.draft_id, young.key).draft_id == young.draft_id


def test_a_draft_over_the_budget_is_refused_and_the_saved_one_is_unchanged(drafts: DraftStore) -> None:
    with pytest.raises(DraftTooLarge, match=r"over the 0\.01 MB a draft may take"):
        drafts.create("x" * 10_001)
    made = drafts.create(BODY)
    with pytest.raises(DraftTooLarge):
        drafts.save(made.draft_id, made.key, "é" * 5_001)  # counted in UTF-8 bytes, not characters
    assert drafts.load(made.draft_id, made.key).body == BODY


def test_the_store_holds_a_bounded_number_of_live_drafts(drafts: DraftStore, clock: Clock) -> None:
    for _ in range(3):
        drafts.create(BODY)
    with pytest.raises(DraftTooLarge, match="already keeps 3 drafts"):
        drafts.create(BODY)
    clock.advance(days=31)
    assert drafts.create(BODY).draft_id  # the expired three were purged to make room


def test_edit_link_escapes_what_it_carries() -> None:
    assert edit_link("abc", "k&y=1") == "/build?draft=abc&key=k%26y%3D1"


def test_the_purge_command_purges_drafts_too(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from dashboard.rooms.__main__ import main

    live = DraftStore(RoomStore.from_url(db_url)).create(BODY)  # made first: making a draft purges expired ones
    old = DraftStore(RoomStore.from_url(db_url, clock=lambda: datetime(2020, 1, 1, tzinfo=UTC))).create(BODY)
    assert main(["purge", "--url", db_url]) == 0
    assert "purged 0 expired room(s) and 1 expired draft(s)" in capsys.readouterr().out
    store = RoomStore.from_url(db_url)
    assert DraftStore(store).load(live.draft_id, live.key).body == BODY
    with pytest.raises(DraftNotFound):
        DraftStore(store).load(old.draft_id, old.key)
    store.dispose()
