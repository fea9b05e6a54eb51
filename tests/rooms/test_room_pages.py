"""The live room's pages, driven as a teacher and as students would (AppTest), on a real SQLite store.

Each test gets its own store file (NT_ROOMS_URL) and reads tests/fixtures/room_class.yaml, an invented
class dataset with a written-answer prompt and a poll on its presenter path. Teacher and students are
separate AppTest sessions of the same app process, so they share the store as browsers on one server do.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import astuple
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block
from streamlit.util import calc_hash

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import check_dataset, load_dataset
from dashboard.rooms import Activity, NewRoom, RoomStore
from dashboard.rooms.engine import ENV_URL
from dashboard.views.quiz.build import questions
from dashboard.views.room.names import TEACHER
from dashboard.views.room.opening import room_params, start_item
from dashboard.views.room.plans import plan_items
from dashboard.views.steps import step_link_params
from tests.pages.page_kit import follow
from tests.rooms.kit import pages_store

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
FIXTURE = REPO / "tests" / "fixtures" / "room_class.yaml"
COUNT = re.compile(r"(\d+) answered · (\d+) joined")
TEACHER_BUTTONS = {"room.next", "room.prev", "room.reveal", "room.close", "room.delete"}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RoomStore]:
    """A fresh SQLite store that the app's pages use too, and the fixture dataset."""
    yield from pages_store(tmp_path, monkeypatch, FIXTURE)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return Bundle.build(load_dataset(FIXTURE))


def visit(page: str, params: dict[str, str] | None = None) -> AppTest:
    """A new browser session opening ``/page?params``."""
    at = AppTest.from_file(APP, default_timeout=30)
    at._page_hash = calc_hash(page)
    at.query_params.update(params or {})
    return at.run()


def teacher(room: NewRoom, **params: str) -> AppTest:
    return visit("room", {"room": room.code, "key": room.teacher_key, **params})


def student(room: NewRoom) -> AppTest:
    return visit("room", {"room": room.code})


def go_to_room(at: AppTest) -> AppTest:
    """After "Open a room": follow its "Go to room" link in the same session, as the teacher does."""
    (link,) = [el for el in at.get("page_link") if el.proto.label.startswith("Go to room")]
    assert "key=" not in link.proto.query_string  # the teacher key is never in a link
    return follow(at, link)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return at.run()


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def counts(at: AppTest) -> tuple[int, int]:
    found = [m for el in at.markdown if (m := COUNT.search(el.value))]
    assert len(found) == 1, [el.value for el in at.markdown]
    return int(found[0].group(1)), int(found[0].group(2))


def everything(at: AppTest) -> str:
    """Every element of the page as its protobuf text: what the browser is sent, widgets included."""
    parts: list[str] = []

    def walk(block: Block) -> None:
        for node in block.children.values():
            if isinstance(node, Block):
                parts.append(str(node.proto))
                walk(node)
            else:
                parts.append(str(node.proto))

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)


def plain(text: str) -> str:
    """Markdown text with its backslash escapes removed: what the reader sees."""
    return re.sub(r"\\(.)", r"\1", text)


def param(at: AppTest, name: str) -> str:
    """One value of the page's link, as the address bar holds it."""
    value = at.query_params[name]
    return value if isinstance(value, str) else value[-1]


def projected(at: AppTest) -> list[str]:
    """The written answers on the projector: every text but those in the teacher's folded list."""
    folded = {id(el) for ex in at.expander for el in ex.text}
    return [el.value for el in at.text if id(el) not in folded]


def panel(at: AppTest) -> list[str]:
    """The teacher's folded list of written answers."""
    return [el.value for ex in at.expander if "choose what the class sees" in ex.label for el in ex.text]


def button_keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


def answer(at: AppTest, value: str) -> AppTest:
    """Choose (a radio) or write (a text area) ``value`` and press Send."""
    if at.radio:
        at.radio[0].set_value(value)
    else:
        at.text_area[0].input(value)
    return click(at, "room.send")


def start_quiz(room: NewRoom) -> AppTest:
    t = teacher(room)
    clean(t)
    return click(t, "room.next")


# --- opening and joining ------------------------------------------------------------------------


def test_open_a_room_on_the_overview_takes_the_teacher_to_a_teacher_link(store: RoomStore) -> None:
    at = visit("overview")
    clean(at)
    click(at, "overview.open_room")
    clean(at)
    go_to_room(at)
    clean(at)
    code = param(at, "room")
    assert "key" not in at.query_params  # exchanged at once: the address bar is the student link
    token = at.session_state[TEACHER][code]
    assert store.check_teacher(code, token).activity.kind == "lobby"  # a real room, and this its teacher
    assert any(code in str(el.proto) and "nt-room-code" in str(el.proto) for el in at.get("html"))
    assert [c.value for c in at.code] == [f"/room?room={code}"]  # the join link has no key
    assert button_keys(at) >= TEACHER_BUTTONS
    assert any(el.value == "### 0 joined" for el in at.markdown)


def test_a_student_joins_answers_and_the_projector_count_goes_up(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = start_quiz(room)
    clean(t)
    assert counts(t) == (0, 0)
    s = student(room)
    clean(s)
    t.run()
    assert counts(t) == (0, 1)  # opening the link joins
    first = questions(bundle, 1)[0]
    assert any(first.excerpt[:30] in str(el.proto) for el in s.markdown)
    names = bundle.names["outlet"]
    assert s.radio[0].options == [names[o] for o in bundle.outlets_with_text]
    assert s.radio[0].value is None  # nothing is chosen for the student
    s = answer(s, names["ledger"])
    clean(s)
    assert "Your answer: " + names["ledger"] in [el.value.replace("\\", "") for el in s.markdown]
    t.run()
    assert counts(t) == (1, 1)
    assert not t.get("plotly_chart")  # the distribution waits for the reveal


def test_a_later_answer_replaces_the_earlier_one(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = start_quiz(room)
    names = bundle.names["outlet"]
    s = answer(student(room), names["ledger"])
    s = answer(s, names["harbour"])
    clean(s)
    shown = [el.value.replace("\\", "") for el in s.markdown if el.value.startswith("Your answer")]
    assert shown == [f"Your answer: {names['harbour']}"]
    t.run()
    assert counts(t) == (1, 1)
    results = store.results(room.code, room.teacher_key)
    assert dict(results.distribution or ()) == {names["ledger"]: 0, names["harbour"]: 1}


def test_reveal_shows_the_distribution_the_right_answer_and_the_cues(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = start_quiz(room)
    names = bundle.names["outlet"]
    q = questions(bundle, 1)[0]
    other = next(o for o in bundle.outlets_with_text if o != q.outlet)
    for choice in (q.outlet, q.outlet, other):
        clean(answer(student(room), names[choice]))
    click(t, "room.reveal")
    clean(t)
    assert counts(t) == (3, 3)
    spec = json.loads(t.get("plotly_chart")[0].proto.spec)
    bars = dict(zip([y.replace("<br>", " ") for y in spec["data"][0]["y"]], spec["data"][0]["x"], strict=True))
    assert bars == {names[q.outlet]: 2, names[other]: 1}
    assert len({spec["data"][0]["marker"]["color"]}) == 1  # one neutral colour: no bar looks right
    table = t.dataframe[0].value
    assert dict(zip(table["Answer"], table["Students"], strict=True)) == bars
    assert [s.value.replace("\\", "") for s in t.success] == [f"It was {names[q.outlet]}."]
    assert any("The cues that could have told you" in el.value for el in t.markdown)
    assert any(el.value.replace("\\", "").startswith("- Voice:") for el in t.markdown)
    # After the reveal a student's phone says so, and takes no more answers.
    s = student(room)
    clean(s)
    assert not s.radio and "room.send" not in button_keys(s)
    assert any("on the projector" in i.value for i in s.info)


def test_the_teacher_moves_on_and_back(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = start_quiz(room)
    qs = questions(bundle, 1)
    assert store.state(room.code).activity == Activity("quiz", "1", 1)
    click(t, "room.next")
    assert store.state(room.code).activity == Activity("quiz", "1", 2)
    assert any(el.value == f"#### Question 2 of {len(qs)}" for el in t.markdown)
    s = student(room)
    assert s.radio[0].key == "room.choice.quiz:1:2"
    click(t, "room.prev")
    assert store.state(room.code).activity == Activity("quiz", "1", 1)
    for _ in range(len(qs) - 1):
        click(t, "room.next")
    assert t.button(key="room.next").disabled  # the last question
    clean(t)


# --- written answers and polls from the presenter path -----------------------------------------


def test_written_answers_are_shown_as_text_only_and_the_teacher_can_hide_one(store: RoomStore) -> None:
    room = store.open_room()
    t = click(teacher(room, plan="lesson"), "room.next")  # the path's first poll: a written answer
    clean(t)
    assert store.state(room.code).answer_kind == "text"
    hostile = ["<b>x</b>", "**x**", "[link](https://example.org) :red[y]"]
    students = [student(room) for _ in hostile]
    for s, text in zip(students, hostile, strict=True):
        clean(answer(s, text))
    s = students[0]
    s.text_input(key="room.nickname").input("<i>Ana</i>").run()  # a nickname is plain text too
    clean(s)
    click(t, "room.reveal")
    clean(t)
    everyone = ["<i>Ana</i>: <b>x</b>", "**x**", "[link](https://example.org) :red[y]"]
    assert projected(t) == []  # revealed, and nothing a student wrote is on the projector yet
    assert panel(t) == everyone  # the teacher's folded list has them all, with nicknames
    assert any("None is shown yet" in i.value for i in t.info)
    markup = "\n".join(el.value for el in [*t.markdown, *t.caption, *t.info, *t.success])
    for text in [*hostile, "<i>Ana</i>"]:
        assert text not in markup  # nothing a student wrote reaches markdown or HTML unescaped
    assert store.results(room.code).texts == ()  # nor the students' view of the results
    ids = [a.answer_id for a in store.results(room.code, room.teacher_key).texts or ()]
    click(t, f"room.show.{ids[0]}")
    assert projected(t) == ["<b>x</b>"]  # shown, still without its nickname
    click(t, "room.show_all.True")
    assert projected(t) == ["<b>x</b>", "**x**", "[link](https://example.org) :red[y]"]
    click(t, "room.names")
    assert projected(t) == everyone
    click(t, f"room.hide.{ids[1]}")
    clean(t)
    assert projected(t) == ["<i>Ana</i>: <b>x</b>", "[link](https://example.org) :red[y]"]
    assert [(a.text, a.nickname) for a in store.results(room.code).texts or ()] == [
        ("<b>x</b>", "<i>Ana</i>"),
        ("[link](https://example.org) :red[y]", None),
    ]
    click(t, "room.show_all.False")
    assert projected(t) == [] and len(panel(t)) == 3


def test_a_path_s_poll_is_offered_with_its_options_and_no_teacher_note(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = click(teacher(room, plan="lesson"), "room.next")
    s = student(room)
    clean(s)
    assert s.text_area[0].key == "room.text.step:lesson:1"
    note = bundle.dataset.by_id("paths")["lesson"].steps[0].note
    assert note and note not in everything(s)  # the step's teacher note is for the teacher only
    click(t, "room.next")  # the next step whose prompt has a poll: "Whose voices?"
    voices = bundle.dataset.by_id("prompts")["voices"]
    state = store.state(room.code)
    assert state.activity.kind == "step" and state.options == tuple(voices.poll or ())
    total = len(plan_items(bundle, "lesson", 1))
    assert any(el.value == f"#### Question 2 of {total}" for el in t.markdown)  # one count for the plan
    assert "Poll" in [c.value for c in t.caption]
    s.run()
    assert "Poll" in [c.value for c in s.caption]
    assert s.radio[0].options == list(voices.poll or ())
    assert voices.text in everything(s)
    clean(answer(s, "One camp only"))
    click(t, "room.reveal")
    spec = json.loads(t.get("plotly_chart")[0].proto.spec)
    assert dict(zip(spec["data"][0]["y"], spec["data"][0]["x"], strict=True))["One camp only"] == 1
    assert not t.success  # a poll has no right answer


def test_the_plans_list_the_quiz_and_the_path_s_polls_in_order(bundle: Bundle) -> None:
    quiz = plan_items(bundle, "quiz", 1)
    assert [it.activity.position for it in quiz] == list(range(1, len(questions(bundle, 1)) + 1))
    path = plan_items(bundle, "lesson", 1)
    seed = int(bundle.dataset.by_id("paths")["lesson"].steps[8].settings["seed"])  # the path's quiz step
    quiz = [("quiz", str(seed), n, "choice", 8) for n in range(1, len(questions(bundle, seed)) + 1)]
    assert [(*astuple(it.activity), it.answer_kind, it.step) for it in path] == [
        ("step", "lesson", 1, "text", 0),
        ("step", "lesson", 8, "choice", 7),
        *quiz,
    ]
    assert room_params(bundle, "lesson") == {"plan": "lesson"}
    assert room_params(bundle, "no-such-path") == {} and room_params(bundle, None) == {}


# --- what a student never sees, and what goes wrong -----------------------------------------------


def test_a_student_page_never_shows_the_teacher_key_or_the_teacher_s_buttons(store: RoomStore) -> None:
    room = store.open_room()
    t = start_quiz(room)
    s = student(room)
    clean(s)
    assert not button_keys(s) & TEACHER_BUTTONS
    assert room.teacher_key not in everything(s)
    assert room.teacher_key not in json.dumps(dict(s.query_params))
    click(t, "room.reveal")
    s.run()
    assert room.teacher_key not in everything(s) and not button_keys(s) & TEACHER_BUTTONS
    # The teacher's own page shows its key nowhere either: only its address bar holds it.
    assert room.teacher_key not in everything(t)


def test_a_closed_room_refuses_answers_with_a_message(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = start_quiz(room)
    s = student(room)  # the phone still shows the question when the teacher closes the room
    click(t, "room.close")
    clean(t)
    assert store.state(room.code).closed
    assert any("is closed" in w.value for w in t.warning)
    s = answer(s, bundle.names["outlet"]["ledger"])
    assert [plain(e.value) for e in s.error] == [f"Room {room.code} is closed: the teacher has ended it."]
    assert not s.exception
    assert store.results(room.code, room.teacher_key).answered == 0
    s = student(room)
    assert any("is closed" in i.value for i in s.info) and not s.radio and "room.send" not in button_keys(s)


def test_an_unknown_code_says_so_and_offers_a_box_to_type_the_code(store: RoomStore) -> None:
    room = store.open_room()
    s = visit("room", {"room": "ZZZZZZ"})
    assert not s.exception
    assert [plain(e.value) for e in s.error] == ["There is no room with the code ZZZZZZ. It may have expired."]
    s.text_input(key="room.code_input").input(room.code.lower()[:3] + " " + room.code.lower()[3:])
    click(s, "room.go")
    clean(s)
    assert param(s, "room") == room.code
    assert store.results(room.code, room.teacher_key).participants == 1
    # A code that cannot be one is refused by the box itself.
    s = visit("room")
    s.text_input(key="room.code_input").input("0OIL1!")
    click(s, "room.go")
    assert "Check the code on the projector" in plain(s.error[0].value) and not s.exception


def test_a_wrong_teacher_key_gets_a_message_and_no_controls(store: RoomStore) -> None:
    room = store.open_room()
    t = visit("room", {"room": room.code, "key": "not-the-key"})
    assert not t.exception
    assert [plain(e.value) for e in t.error] == ["This link's teacher key does not belong to this room."]
    assert not button_keys(t) & TEACHER_BUTTONS


def test_an_unreachable_store_is_a_message_not_a_traceback(store: RoomStore, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv(ENV_URL, f"postgresql://nobody@127.0.0.1:{port}/rooms")
    for at in (visit("room", {"room": "ABCDEF", "key": "k"}), visit("room", {"room": "ABCDEF"})):
        assert not at.exception
        assert len(at.error) == 1 and f"127.0.0.1:{port}" in plain(at.error[0].value)
        # Drawn by the page's retrying fragment: the page comes back by itself, no reload needed.
        assert [c.value for c in at.caption] == ["Trying again every few seconds…"]
    at = visit("overview")
    click(at, "overview.open_room")
    assert not at.exception and f"127.0.0.1:{port}" in plain(at.error[0].value)
    assert "room" not in at.query_params


def test_too_many_answers_are_refused_with_the_wait(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    start_quiz(room)
    s = student(room)
    names = [bundle.names["outlet"][o] for o in bundle.outlets_with_text]
    for i in range(store.limits.writes_per_window):  # the join spent one write of the window
        s = answer(s, names[i % 2])
    assert len(s.error) == 1 and plain(s.error[0].value).startswith("Too many answers in a short time: wait")
    assert not s.exception


# --- polls in the data ----------------------------------------------------------------------------


def test_the_fixture_s_polls_are_read() -> None:
    prompts = load_dataset(FIXTURE).by_id("prompts")
    assert prompts["voices"].poll == ["Both camps", "One camp only", "Neither camp", "Not sure"]
    assert prompts["expectations"].written and prompts["expectations"].poll is None


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


# Path lesson's step 8 names the refused prompt: one reference, folded under the prompt's problem.
STEP_FOLDED = "; with it, 1 reference to this prompt fails (not listed)"


@pytest.mark.parametrize(
    ("poll", "needle", "message"),
    [
        ("[Only one]", "poll: [Only one]", "poll: List should have at least 2 items after validation, not 1"),
        (
            "[" + ", ".join(f"Option {i}" for i in range(9)) + "]",
            "Option 8",
            "poll: List should have at most 8 items after validation, not 9",
        ),
        ("[Agree, Agree]", "[Agree, Agree]", "poll: listed more than once: Agree"),
        ("[Agree, " + "n" * 81 + "]", "n" * 81, "poll[2]: String should have at most 80 characters"),
        (
            '[Agree, "Dis\\tagree"]',
            "Dis\\tagree",
            "poll[2]: a poll option must be one line of plain text; it has U+0009",
        ),
    ],
)
def test_a_bad_poll_is_located_at_its_line(tmp_path: Path, poll: str, needle: str, message: str) -> None:
    good = FIXTURE.read_text(encoding="utf-8")
    text = good.replace("poll: [Both camps, One camp only, Neither camp, Not sure]", f"poll: {poll}")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    dataset, problems = check_dataset(path)
    assert dataset is None or "voices" not in dataset.by_id("prompts")
    line = _line_of(text, needle)
    assert [(p.line, p.message) for p in problems if p.message.startswith("prompt")] == [
        (line, f"prompt voices: {message}{STEP_FOLDED}")
    ]
    assert f"{path}:{line}:" in "\n".join(map(str, problems))
    # The prompt is left out, and so is the step that names it: counted under the prompt's problem (its
    # cause), not listed again, and not dropped silently.
    assert not any("unknown prompt 'voices'" in p.message for p in problems)


def test_a_prompt_with_both_a_poll_and_a_written_answer_is_located_at_written(tmp_path: Path) -> None:
    good = FIXTURE.read_text(encoding="utf-8")
    text = good.replace("    poll: [Both camps,", "    written: true\n    poll: [Both camps,")
    path = tmp_path / "both.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check_dataset(path)
    line = _line_of(text, "poll: [Both camps") - 1  # the line of "written: true" in the voices prompt
    assert [(p.line, p.message) for p in problems if p.message.startswith("prompt")] == [
        (line, f"prompt voices: written: a prompt has a poll or a written answer, not both{STEP_FOLDED}")
    ]


def test_the_teacher_deletes_the_room_and_everything_sent_to_it(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = start_quiz(room)
    clean(answer(student(room), bundle.names["outlet"]["ledger"]))
    assert t.button(key="room.delete").disabled  # asks first
    t.checkbox(key="room.delete_sure").check().run()
    click(t, "room.delete")
    clean(t)
    assert "room" not in t.query_params and "key" not in t.query_params  # the teacher's link is gone too
    assert t.session_state["room.delete_sure"] is False  # the next room asks again
    assert t.text_input(key="room.code_input") is not None
    s = student(room)
    assert [plain(e.value) for e in s.error] == [f"There is no room with the code {room.code}. It may have expired."]


def test_an_expired_room_says_it_has_ended_and_offers_the_code_box(store: RoomStore) -> None:
    room = store.open_room(ttl=timedelta(milliseconds=200))
    time.sleep(0.3)  # the app's store keeps real time: let the room run out
    s = student(room)
    assert not s.exception
    assert [plain(e.value) for e in s.error] == [
        f"Room {room.code} has ended: a room lasts a day; ask for the new code."
    ]
    assert s.text_input(key="room.code_input") is not None and not s.radio
    t = teacher(room)
    assert "has expired; open a new room" in plain(t.error[0].value)
    assert not button_keys(t) & TEACHER_BUTTONS


def test_a_code_in_a_link_is_quoted_as_text_in_the_message(store: RoomStore) -> None:
    s = visit("room", {"room": "[x](https://e.org)"})
    assert not s.exception
    assert plain(s.error[0].value).startswith("There is no room with the code “[x](https://e.org)”")
    assert "[x](https" not in s.error[0].value  # escaped: no link made from a link's text


def test_room_button_on_a_path_s_quiz_step_opens_the_path_at_its_quiz(store: RoomStore, bundle: Bundle) -> None:
    """The presenter bar's own button (in its "Student link" popover), on the path's quiz step."""
    path = bundle.dataset.by_id("paths")["lesson"]
    at = visit(
        path.steps[8].page,
        {k: v if isinstance(v, str) else ",".join(v) for k, v in step_link_params(path, 8, bundle).items()},
    )
    clean(at)
    click(at, "presenter.open_room")
    clean(at)
    go_to_room(at)
    clean(at)
    assert param(at, "plan") == "lesson"
    state = store.state(param(at, "room"))
    seed = bundle.dataset.by_id("paths")["lesson"].steps[8].settings["seed"]
    assert state.activity == Activity("quiz", str(seed), 1) and state.answer_kind == "choice"
    assert any(el.value.startswith("#### Question 1 of ") for el in at.markdown)
    assert button_keys(at) >= TEACHER_BUTTONS


def test_the_answers_chart_is_described_in_text_in_its_own_order() -> None:
    from dashboard.views.room.figure import distribution_alt

    described = distribution_alt([("Outlet B", 3), ("Outlet A", 1)])
    assert described == "The class's answers, 4 in all: Outlet B: 3; Outlet A: 1"


# --- who controls the room, and what a reveal settles ---------------------------------------------


def test_the_projector_s_address_opened_elsewhere_is_a_student_s_page(store: RoomStore) -> None:
    room = store.open_room()
    t = teacher(room)
    clean(t)
    shown = {k: param(t, k) for k in t.query_params}
    assert shown.get("room") == room.code and "key" not in shown
    assert room.teacher_key not in everything(t)
    elsewhere = visit("room", shown)  # the projector's address, typed into another browser
    clean(elsewhere)
    assert not button_keys(elsewhere) & TEACHER_BUTTONS
    assert "room.send" not in button_keys(elsewhere)
    assert any("Waiting for the teacher" in i.value for i in elsewhere.info)
    click(t, "room.next")  # the projector keeps its controls without the key in its address
    clean(t)
    assert store.state(room.code).activity.kind == "quiz"


def test_a_control_link_is_made_on_demand_and_replaces_the_key(store: RoomStore) -> None:
    room = store.open_room()
    t = teacher(room)
    assert not [c for c in t.code if "key=" in c.value]  # no control link until asked for
    click(t, "room.control")
    clean(t)
    links = [c.value for c in t.code if "key=" in c.value]
    assert len(links) == 1 and links[0].startswith(f"/room?room={room.code}&key=")
    key = links[0].split("key=")[1]
    phone = visit("room", {"room": room.code, "key": key})
    clean(phone)
    assert button_keys(phone) >= TEACHER_BUTTONS and "key" not in phone.query_params
    stale = teacher(room)  # the first key works no more
    assert not button_keys(stale) & TEACHER_BUTTONS and stale.error
    t.run()
    assert not [c for c in t.code if "key=" in c.value]  # shown once
    click(t, "room.next")
    assert store.state(room.code).activity.kind == "quiz"  # the projector kept its session


def test_previous_after_reveal_shows_the_result_read_only(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = start_quiz(room)
    names = bundle.names["outlet"]
    s = answer(student(room), names["ledger"])
    click(t, "room.reveal")
    click(t, "room.next")
    assert not t.button(key="room.reveal").disabled  # question 2 is open
    click(t, "room.prev")
    clean(t)
    assert store.state(room.code).revealed
    assert t.button(key="room.reveal").disabled and t.get("plotly_chart")  # the result, read-only
    assert any("revealed" in c.value for c in t.caption)
    s.run()
    clean(s)
    assert not s.radio and "room.send" not in button_keys(s)
    assert any("on the projector" in i.value for i in s.info)
    assert "Your answer: " + names["ledger"] in [el.value.replace("\\", "") for el in s.markdown]


def test_a_closed_room_shows_no_join_code_and_sums_up_what_was_played(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    t = start_quiz(room)
    clean(answer(student(room), bundle.names["outlet"]["ledger"]))
    click(t, "room.reveal")
    click(t, "room.next")
    click(t, "room.close")
    clean(t)
    assert not t.get("imgs") and not t.code  # no QR code, no join link
    assert "Scan to join" not in everything(t)
    total = len(questions(bundle, 1))
    summary = [el.value for el in t.markdown if el.value.startswith("- Question")]
    assert [plain(line) for line in summary] == [f"- Question 1 of {total} (guess the outlet): 1 answered, revealed"]


def test_a_room_from_a_step_links_back_to_it_and_starts_at_the_next_question(store: RoomStore, bundle: Bundle) -> None:
    path = bundle.dataset.by_id("paths")["lesson"]
    at = visit(
        path.steps[1].page,
        {k: v if isinstance(v, str) else ",".join(v) for k, v in step_link_params(path, 1, bundle).items()},
    )
    click(at, "presenter.open_room")
    go_to_room(at)
    clean(at)
    assert store.state(param(at, "room")).activity == Activity("step", "lesson", 8)  # the next poll along
    assert start_item(bundle, "lesson", 0).activity == Activity("step", "lesson", 1)  # a step's own poll
    assert start_item(bundle, "lesson", 9) is None  # none left: the lobby
    back = [el for el in at.get("page_link") if "Back to step 2" in el.proto.label]
    assert len(back) == 1
    assert param(at, "back") == "lesson/2"
    assert back[0].proto.page == path.steps[1].page
    assert back[0].proto.query_string == "lanes=outlet&path=lesson&step=2"  # the step's own link


def test_a_loopback_join_link_gets_the_warning(store: RoomStore, monkeypatch: pytest.MonkeyPatch) -> None:
    room = store.open_room()
    t = teacher(room)
    assert not t.warning  # a relative link: nothing to say
    monkeypatch.setenv("NT_PUBLIC_URL", "http://127.0.0.1:8501")
    t = teacher(store.open_room())
    clean(t)
    assert any("Phones cannot open this link" in plain(w.value) for w in t.warning)
    monkeypatch.setenv("NT_PUBLIC_URL", "https://class.example.org")
    t = teacher(store.open_room())
    assert not t.warning and t.code[0].value.startswith("https://class.example.org/room?room=")


# --- a room changed from another device -------------------------------------------------------------


def test_a_room_closed_elsewhere_refuses_the_projector_s_next_and_says_so(store: RoomStore) -> None:
    room = store.open_room()
    t = start_quiz(room)
    before = store.state(room.code).activity
    store.close(room.code, room.teacher_key)  # from the teacher's phone, by the control link
    click(t, "room.next")  # the projector still showed the open question
    assert not t.exception
    assert [plain(e.value) for e in t.error] == [f"Room {room.code} is closed."]
    assert store.state(room.code).activity == before  # refused on the server: nothing moved


def test_a_room_deleted_elsewhere_is_said_once_to_the_projector_and_to_a_phone(store: RoomStore) -> None:
    room = store.open_room()
    t = start_quiz(room)
    s = student(room)
    t.checkbox(key="room.delete_sure").check().run()
    store.delete_room(room.code, room.teacher_key)  # from the teacher's phone, by the control link
    gone = [f"There is no room with the code {room.code}. It may have expired."]
    click(t, "room.delete")
    assert not t.exception and [plain(e.value) for e in t.error] == gone
    assert not button_keys(t) & TEACHER_BUTTONS and t.text_input(key="room.code_input") is not None
    s.text_input(key="room.nickname").input("Ana").run()
    assert not s.exception and [plain(e.value) for e in s.error] == gone
    for action in ("room.reveal", "room.control"):  # each teacher button, on a room gone meanwhile
        other = store.open_room()
        t = start_quiz(other)
        store.delete_room(other.code, other.teacher_key)
        click(t, action)
        assert not t.exception, action
        assert [plain(e.value) for e in t.error] == [
            f"There is no room with the code {other.code}. It may have expired."
        ]
        assert not button_keys(t) & TEACHER_BUTTONS and not [c for c in t.code if "key=" in c.value]


def test_send_without_an_answer_asks_for_one_and_sends_nothing(store: RoomStore) -> None:
    room = store.open_room()
    start_quiz(room)
    s = click(student(room), "room.send")
    assert [plain(e.value) for e in s.error] == ["Choose an answer first, then send it."]
    assert store.results(room.code, room.teacher_key).answered == 0


def test_a_question_no_longer_in_the_dataset_asks_the_teacher_to_move_on(store: RoomStore, bundle: Bundle) -> None:
    room = store.open_room()
    store.set_activity(
        room.code, room.teacher_key, Activity("step", "a-path-removed", 1), answer_kind="choice", options=("a", "b")
    )
    t = teacher(room)
    clean(t)
    assert [w.value for w in t.warning] == ["What the room has on screen is not in this dataset any more; press Next."]
    s = student(room)
    clean(s)
    assert any("Waiting for the teacher" in i.value for i in s.info) and not s.radio
    click(t, "room.next")
    assert store.state(room.code).activity == plan_items(bundle, "quiz", 1)[0].activity


def test_a_written_question_revealed_before_any_answer_says_none_came(store: RoomStore) -> None:
    room = store.open_room()
    t = click(teacher(room, plan="lesson"), "room.next")  # the path's first poll: a written answer
    click(t, "room.reveal")
    clean(t)
    assert any("0 written answers. None is shown yet" in i.value for i in t.info)
    assert "No written answers yet." in [c.value for c in t.caption]
    assert projected(t) == [] and panel(t) == []
