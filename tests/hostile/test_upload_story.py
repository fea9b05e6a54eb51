"""An uploaded story is named in its tab's address (``?story=TOKEN``): a reload shows it again,
a link shared from the tab shows it too, and a story the server let go is said plainly.

Sessions are AppTest sessions of the real app; the registry is the server's own.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.markup.safe import md
from dashboard.shell.loading import STORY, STORY_GONE, UNLOADED, UPLOAD_KEY, load_uploaded
from dashboard.uploads import limits as upload_limits
from dashboard.uploads.budget import REGISTRY, Registry
from dashboard.uploads.limits import UploadLimits

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
SMALL = (REPO / "tests" / "classroom" / "classroom.yaml").read_text(encoding="utf-8")
BUILT_IN_TITLE = "Classroom test story"


def retitled(title: str) -> bytes:
    text = SMALL.replace(f"  title: {BUILT_IN_TITLE}\n", f'  title: "{title}"\n', 1)
    assert title in text
    return text.encode("utf-8")


def session(page: str | None = None, story: str | None = None) -> AppTest:
    """A new tab (a reload is one: Streamlit starts a new session), on ``page``, its address naming ``story``."""
    at = AppTest.from_file(APP, default_timeout=30)
    if story is not None:
        at.query_params[STORY] = story
    if page:
        at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, title: str) -> str:
    """Upload a story on the methods page as a visitor does; the token its address now names."""
    at.file_uploader[0].set_value(("mine.yaml", retitled(title), "application/x-yaml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    token = at.query_params[STORY]
    token = token[0] if isinstance(token, list) else token
    assert token == at.session_state[UPLOAD_KEY].token
    return token


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_a_reload_keeps_the_upload_and_a_shared_link_shows_it() -> None:
    tab = session("methods")
    token = upload(tab, "My story RL-1")
    assert len(token) >= 20  # unguessable: 128 random bits
    reloaded = session(story=token)  # the same address in a new session
    assert titles(reloaded) == [md("My story RL-1")]
    assert any("viewing an uploaded story" in i.value for i in reloaded.sidebar.info)
    assert not reloaded.warning
    phone = session("timeline", story=token)  # a student's link: another page, the same story, no second copy
    assert not phone.exception and phone.session_state[UPLOAD_KEY].token == token
    assert REGISTRY.get(phone.session_state[UPLOAD_KEY], upload_limits.current()) is REGISTRY.get(
        tab.session_state[UPLOAD_KEY], upload_limits.current()
    )
    stranger = session()  # no token, no story
    assert titles(stranger) == [md(BUILT_IN_TITLE)]
    assert STORY not in stranger.query_params


def test_the_story_stays_in_the_address_from_page_to_page() -> None:
    tab = session("methods")
    token = upload(tab, "My story RL-2")
    tab._page_hash = calc_hash("timeline")
    tab.query_params.clear()  # the menu's links carry no query parameters
    tab.run()
    assert not tab.exception
    assert tab.query_params[STORY] in (token, [token])
    assert not tab.info or not any("not understood" in i.value for i in tab.info)  # not an unknown setting


def test_a_story_the_server_let_go_is_said_plainly_with_a_way_to_upload_again() -> None:
    gone = session("timeline", story="no-such-story-0123456789abcdef")
    assert [w.value for w in gone.warning] == [STORY_GONE]
    assert any("Upload a file again" in link.label for link in gone.get("page_link"))
    assert STORY not in gone.query_params  # the address stops naming it
    assert UPLOAD_KEY not in gone.session_state
    gone.run()
    assert not gone.warning  # said once


def test_going_back_to_the_built_in_story_drops_it_from_the_address() -> None:
    tab = session("methods")
    upload(tab, "My story BK-1")
    next(b for b in tab.button if "built-in" in b.label).click()
    tab.run()
    assert not tab.exception
    assert STORY not in tab.query_params and UPLOAD_KEY not in tab.session_state
    assert any(m.value.replace("\\", "").startswith("Dataset: " + BUILT_IN_TITLE) for m in tab.markdown)


def test_an_evicted_story_tells_every_tab_showing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_MAX_HELD", "1")
    tab = session("methods")
    token = upload(tab, "My story EV-3")
    phone = session(story=token)
    other = session("methods")
    upload(other, "Their story EV-4")  # evicts the first
    phone.run()
    assert [w.value for w in phone.warning] == [UNLOADED]
    assert titles(phone) == [md(BUILT_IN_TITLE)] and STORY not in phone.query_params
    phone.run()
    assert not phone.warning  # said once


def bundle(title: str):
    loaded, problems = load_uploaded(retitled(title), "mine.yaml")
    assert problems == [] and loaded is not None
    return loaded


def test_a_story_is_held_while_any_tab_holds_it_and_released_after_the_last() -> None:
    registry, limits, told = Registry(), UploadLimits(), []
    registry.on_evict = told.append
    first = registry.admit(bundle("Held HD-1"), 1_000, limits, session="teacher").handle
    assert registry.join("not-a-token", limits) is None
    second = registry.join(first.token, limits, session="phone")
    assert second is not None and registry.get(second, limits) is registry.get(first, limits)
    assert registry.count() == 1 and registry.total() == 1_000  # one copy, counted once
    first.release()
    first.release()  # idempotent
    assert registry.count() == 1  # the phone still shows it
    del second
    gc.collect()
    assert registry.count() == 0 and registry.stats["released"] == 1
    assert registry.join(first.token, limits) is None  # a reload after every tab has gone: let go


def test_eviction_reaches_every_session_that_showed_the_story() -> None:
    registry, limits, told = Registry(), UploadLimits(max_held=1), []
    registry.on_evict = told.append
    kept = registry.admit(bundle("Held HD-2"), 1_000, limits, session="teacher").handle
    joined = registry.join(kept.token, limits, session="phone")
    registry.admit(bundle("Held HD-3"), 1_000, limits, session="other")
    assert sorted(told) == ["phone", "teacher"]
    assert registry.get(kept, limits) is None and registry.get(joined, limits) is None


def test_a_room_opened_on_an_uploaded_story_gives_phones_its_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The join link carries the story; the teacher is told that a code typed at /room does not."""
    from dashboard.rooms import RoomStore
    from dashboard.rooms.connection import _store
    from dashboard.rooms.engine import ENV_URL
    from dashboard.views.room.page import UPLOAD_JOIN

    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    monkeypatch.setenv(ENV_URL, url)
    _store.clear()
    store = RoomStore.from_url(url)
    try:
        tab = session("methods")
        token = upload(tab, "My story RM-1")
        room = store.open_room()
        teacher = AppTest.from_file(APP, default_timeout=30)
        teacher._page_hash = calc_hash("room")
        teacher.query_params.update({"room": room.code, "key": room.teacher_key, STORY: token})
        teacher.run()
        assert not teacher.exception, [e.value for e in teacher.exception]
        assert any(c.value == UPLOAD_JOIN for c in teacher.caption)
        assert f"/room?room={room.code}&story={token}" in [c.value for c in teacher.code]
        phone = session("room", story=token)  # the join link, opened on a phone
        assert phone.session_state[UPLOAD_KEY].token == token
        plain = AppTest.from_file(APP, default_timeout=30)  # without an upload: no such caption
        plain._page_hash = calc_hash("room")
        plain.query_params.update({"room": room.code, "key": room.teacher_key})
        plain.run()
        assert not any(c.value == UPLOAD_JOIN for c in plain.caption)
        assert f"/room?room={room.code}" in [c.value for c in plain.code]
    finally:
        store.dispose()
        _store.clear()
