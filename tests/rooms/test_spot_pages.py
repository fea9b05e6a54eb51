"""“Spot the framing” on the room's pages, driven as a teacher and students would (AppTest), on a real SQLite store.

The dataset is tests/fixtures/spot_class.yaml: an invented story whose prompt lists three excerpts (one with
no coded framing), played as a seeded set (plan ``spot``) and as a step of its presenter path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import load_dataset
from dashboard.rooms import NewRoom, RoomStore
from dashboard.views.room.plans import plan_items, spot_question
from tests.rooms.kit import pages_store
from tests.rooms.test_room_pages import APP, button_keys, clean, click, plain, visit

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "spot_class.yaml"
MARKED = re.compile(r"(\d+) marked · (\d+) joined")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RoomStore]:
    """A fresh SQLite store that the app's pages use too, and the fixture dataset."""
    yield from pages_store(tmp_path, monkeypatch, FIXTURE)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return Bundle.build(load_dataset(FIXTURE))


def label(text: str) -> str:
    """A button's label as it reads: without its escapes and the zero-width spaces that keep words apart."""
    return plain(text).replace("\u200b", "")


def marked(at: AppTest) -> tuple[int, int]:
    found = [m for el in at.markdown if (m := MARKED.search(el.value))]
    assert len(found) == 1, [el.value for el in at.markdown]
    return int(found[0].group(1)), int(found[0].group(2))


def spot_teacher(room: NewRoom, **params: str) -> AppTest:
    t = visit("room", {"room": room.code, "key": room.teacher_key, "plan": "spot", "seed": "1", **params})
    clean(t)
    return click(t, "room.next")


def student(room: NewRoom) -> AppTest:
    return visit("room", {"room": room.code})


def mark(at: AppTest, words: list[int]) -> AppTest:
    """Tap ``words`` (positions) and press Send. Set by position: two words may read the same ("the")."""
    at.session_state[at.pills[0].key] = list(words)
    return click(at, "room.send")


def text_of(at: AppTest) -> str:
    """What the page says in its markdown and captions, as the reader sees it."""
    return "\n".join(plain(el.value) for el in [*at.markdown, *at.caption, *at.info, *at.success])


def html_of(at: AppTest) -> str:
    return "\n".join(str(el.proto) for el in at.markdown)


def test_a_phone_taps_words_sends_them_and_sending_again_replaces_them(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = spot_teacher(room)
    clean(t)
    assert marked(t) == (0, 0)
    first = plan_items(bundle, "spot", 1)[0]
    s = student(room)
    clean(s)
    (pills,) = s.pills
    assert [label(o) for o in pills.options] == list(first.options)  # every word, in order, as text
    assert pills.value == []  # nothing marked for the student
    repeated = [i for i, w in enumerate(first.options) if first.options.index(w) != i]
    assert repeated  # the excerpt has a word twice: each of its buttons marks its own place
    s = mark(s, [1, repeated[0]])
    clean(s)
    key = first.activity.key
    assert store.my_marks(room.code, s.session_state["room.session"], key) == (1, repeated[0])
    t.run()
    assert marked(t) == (1, 1)
    assert "Send again (replaces your marks)" in [b.label for b in s.button]
    s = mark(s, [2])
    clean(s)
    assert store.my_marks(room.code, s.session_state["room.session"], key) == (2,)
    t.run()
    assert marked(t) == (1, 1)  # replaced, not a second set
    assert "nt-spot-w" not in html_of(t)  # nothing of the class's marks before Reveal
    back = AppTest.from_file(APP, default_timeout=30)  # the same phone, reconnected: a new session, its cookie
    back._page_hash = calc_hash("room")
    back.query_params["room"] = room.code
    back.session_state["room.session"] = s.session_state["room.session"]
    back.run()
    clean(back)
    assert back.pills[0].value == [2] and "Send again (replaces your marks)" in [b.label for b in back.button]


def test_an_empty_set_can_be_sent(store: RoomStore) -> None:
    room = store.open_room()
    t = spot_teacher(room)
    s = mark(student(room), [])
    clean(s)
    t.run()
    assert marked(t) == (1, 1)


def test_reveal_shades_the_excerpt_reads_the_codebook_and_lists_three_kinds(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = spot_teacher(room)
    items = plan_items(bundle, "spot", 1)
    framed = next(i for i, it in enumerate(items) if spot_question(bundle, it).codes)
    for _ in range(framed):
        t = click(t, "room.next")
    q = spot_question(bundle, items[framed])
    code = q.codes[0]
    uncoded = next(w for w in range(len(q.words)) if w not in q.coded)
    students = [student(room) for _ in range(3)]
    for s, words in zip(students, ([*code.words], [*code.words, uncoded], [uncoded]), strict=True):
        clean(mark(s, words))
    t.run()
    assert marked(t) == (3, 3)
    t = click(t, "room.reveal")
    clean(t)
    html = html_of(t)
    assert html.count("nt-spot-w") == len(q.words)
    assert "67% marked" in html and "0% marked" in html  # the share is in each word's text for screen readers
    assert all(plain(c.rule) in text_of(t) for c in q.codes)  # the codebook's reading with its rules
    text = text_of(t)
    for title in ("Found by most, and coded", "Coded, but missed by most", "Marked by many, not coded"):
        assert title in text
    assert f"{q.words[uncoded]}: 67%" in text
    table = t.dataframe[0].value
    assert list(table.columns) == ["Word", "Marked by", "Share", "Codebook"]
    assert table["Marked by"].sum() == 2 * len(code.words) + 2 and table.loc[uncoded, "Share"] == "67%"
    # Every phone gets its own result, and no Send
    for s in students:
        s.run()
        clean(s)
        assert not s.pills and "room.send" not in button_keys(s)
        assert "Your result" in text_of(s)
    last = text_of(students[2])
    assert f"Your marks it does not code: {q.words[uncoded]}" in last
    assert "What it codes that you did not mark" in last


def test_a_phone_that_sends_after_reveal_is_told_so_and_nothing_is_stored(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = spot_teacher(room)
    s = student(room)
    s.session_state[s.pills[0].key] = [1]
    click(t, "room.reveal")
    s = click(s, "room.send")  # the page still showed the question when the student pressed Send
    assert any("no longer open" in e.value for e in s.error)
    key = plan_items(bundle, "spot", 1)[0].activity.key
    assert store.my_marks(room.code, s.session_state["room.session"], key) is None


def test_a_student_page_shows_a_plain_excerpt_result_when_the_codebook_codes_nothing(
    store: RoomStore, bundle: Bundle
) -> None:
    room = store.open_room()
    t = spot_teacher(room)
    items = plan_items(bundle, "spot", 1)
    at = next(i for i, it in enumerate(items) if not spot_question(bundle, it).codes)
    for _ in range(at):
        t = click(t, "room.next")
    s = mark(student(room), [])
    click(t, "room.reveal")
    s.run()
    text = text_of(s)
    assert "The codebook codes nothing in this excerpt" in text or "codes **nothing**" in text
    assert "You marked nothing, and it codes nothing." in text
    t.run()
    assert "The codebook codes nothing in this excerpt" in text_of(t)


def test_the_path_plays_its_steps_excerpts_and_the_plan_chooser_offers_the_activity(
    store: RoomStore, bundle: Bundle
) -> None:
    room = store.open_room()
    t = visit("room", {"room": room.code, "key": room.teacher_key, "plan": "lesson"})
    clean(t)
    assert "Spot the framing" in t.selectbox[0].options
    items = plan_items(bundle, "lesson", 1)
    first_spot = next(i for i, it in enumerate(items) if it.activity.kind == "spot")
    for _ in range(first_spot + 1):
        t = click(t, "room.next")
    clean(t)
    assert marked(t) == (0, 0)
    assert "Spot the framing" in text_of(t)
    s = student(room)
    clean(s)
    assert [label(o) for o in s.pills[0].options] == list(items[first_spot].options)
