"""A live room in real browsers: the teacher's projector at 1280×720 and three students on 390 px phones.

The teacher opens the room from the Overview and starts the quiz; each student opens the join link the
projector shows, answers and sends; the projector's count goes up by itself (its results are a fragment
that refreshes, no reload), and Reveal draws the class's answers. The app runs on its own server with a
fresh SQLite store. Screenshots go to test-artifacts/screenshots/room-*.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from axekit import AXE_JS, MISSING_AXE, assert_accessible_in_each_scheme, theme_readers
from browserkit import PHONE, screenshot, serve_for_tests, wait_for_app, wait_for_charts
from playwright.sync_api import Page, expect

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import data_path, load_dataset
from dashboard.rooms import RoomStore
from dashboard.views.quiz.build import questions
from dashboard.views.steps import step_link_params

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
LIVE_MS = 15_000  # the projector refreshes every 2 s: a count must show well within this


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The served app's store: an SQLite file of its own in a temporary folder."""
    return f"sqlite:///{tmp_path_factory.mktemp('rooms') / 'rooms.sqlite3'}"


@pytest.fixture(scope="module")
def room_app(chromium_path: str, store_url: str) -> Iterator[str]:
    """The app on a free port with that store."""
    with serve_for_tests("room-browser", {"NT_ROOMS_URL": store_url}) as url:
        yield url


def fits_width(tab: Page) -> bool:
    return tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_students_answer_on_phones_and_the_projector_counts_them_live(
    room_app: str, open_page, page_errors: dict[Page, list[str]]
) -> None:
    bundle = Bundle.build(load_dataset(data_path()))
    names = bundle.names["outlet"]
    first = questions(bundle, 1)[0]

    projector = open_page(viewport=PROJECTOR, reduced_motion="reduce")
    projector.goto(room_app + "/", wait_until="domcontentloaded")
    wait_for_app(projector)
    projector.get_by_role("button", name="Open a room").click()
    projector.get_by_role("link", name=re.compile(r"^Go to room")).click()
    projector.wait_for_url(re.compile(r"/room\?room=[A-Z2-9]{6}$"))  # no teacher key in the address
    wait_for_app(projector)
    code = re.search(r"room=([A-Z2-9]{6})", projector.url).group(1)  # type: ignore[union-attr]
    expect(projector.locator("h1.nt-room-code")).to_contain_text(code)
    join = projector.locator('[data-testid="stCode"]').inner_text().strip()
    assert join == f"{room_app}/room?room={code}"
    qr = projector.locator('[data-testid="stImage"] img').first
    box = qr.bounding_box()
    assert box and box["width"] >= 240 and box["y"] + box["height"] <= PROJECTOR["height"]  # whole, on screen
    code_box = projector.locator("h1.nt-room-code").bounding_box()
    assert code_box and code_box["height"] >= 60  # read from the back of the room
    # The server is on 127.0.0.1: the projector says phones cannot open that, and what to do.
    expect(projector.get_by_text("Phones cannot open this link", exact=False)).to_be_visible()
    screenshot(projector, "room-projector-lobby")

    phones = [open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce") for _ in range(3)]
    for phone in phones:
        phone.goto(join, wait_until="domcontentloaded")
        wait_for_app(phone)
        expect(phone.get_by_text("Waiting for the teacher to start")).to_be_visible()
    expect(projector.get_by_text("3 joined", exact=True)).to_be_visible(timeout=LIVE_MS)

    projector.get_by_role("button", name="Start").click()
    expect(projector.get_by_text(re.compile(r"^Question 1 of \d+$"))).to_be_visible()
    expect(projector.get_by_text("0 answered · 3 joined")).to_be_visible()
    screenshot(projector, "room-projector-question")

    other = next(o for o in bundle.outlets_with_text if o != first.outlet)
    for phone, outlet in zip(phones, (first.outlet, first.outlet, other), strict=True):
        # The phone follows the projector by itself: no reload.
        expect(phone.get_by_text(re.compile(r"^Question 1 of \d+$"))).to_be_visible(timeout=LIVE_MS)
        phone.get_by_role("radiogroup").get_by_text(names[outlet], exact=True).click()
        phone.get_by_role("button", name="Send").click()
        expect(phone.get_by_text(f"Your answer: {names[outlet]}")).to_be_visible()
    phone = phones[0]
    assert fits_width(phone), "the student's page is wider than a 390 px phone"
    expect(phone.get_by_role("button", name="Reveal")).to_have_count(0)
    screenshot(phone, "room-phone-answered")

    expect(projector.get_by_text("3 answered · 3 joined")).to_be_visible(timeout=LIVE_MS)
    # The same phone in a new tab (as after a reconnect to a restarted server) is the same student.
    again = phone.context.new_page()
    again.goto(join, wait_until="domcontentloaded")
    wait_for_app(again)
    expect(again.get_by_text(f"Your answer: {names[first.outlet]}")).to_be_visible()
    again.close()
    projector.wait_for_timeout(2_500)  # one refresh of the projector
    expect(projector.get_by_text("3 answered · 3 joined")).to_be_visible()
    projector.get_by_role("button", name="Reveal").click()
    wait_for_charts(projector)
    expect(projector.get_by_text(f"It was {names[first.outlet]}.")).to_be_visible()
    screenshot(projector, "room-projector-revealed")
    expect(phone.get_by_text("The answers are on the projector now.")).to_be_visible(timeout=LIVE_MS)
    screenshot(phone, "room-phone-revealed")
    for tab in (projector, *phones):
        assert not [e for e in page_errors[tab] if "_stcore" not in e], page_errors[tab]


def test_a_written_answer_reaches_the_projector_as_plain_text(room_app: str, store_url: str, open_page) -> None:
    store = RoomStore.from_url(store_url)
    room = store.open_room()
    path = next(p for p in load_dataset(data_path()).paths if p.id == "class-45")
    projector = open_page(viewport=PROJECTOR, reduced_motion="reduce")
    projector.goto(f"{room_app}/room?room={room.code}&key={room.teacher_key}&plan={path.id}")
    wait_for_app(projector)
    projector.get_by_role("button", name="Start").click()
    expect(projector.get_by_text(re.compile(r"^Question 1 of \d+$"))).to_be_visible()
    expect(projector.get_by_text("Written answer", exact=True)).to_be_visible()  # its kind
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce")
    phone.goto(f"{room_app}/room?room={room.code}")
    wait_for_app(phone)
    written = "<b>bold?</b> **not bold** <img src=x onerror=alert(1)>"
    phone.get_by_label("Your answer").fill(written)
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Your answer: <b>bold?</b>", exact=False)).to_be_visible()
    assert fits_width(phone)
    screenshot(phone, "room-phone-written")
    expect(projector.get_by_text("1 answered · 1 joined")).to_be_visible(timeout=LIVE_MS)
    projector.get_by_role("button", name="Reveal").click()
    expect(projector.get_by_text("None is shown yet", exact=False)).to_be_visible()
    # Revealed, and the answer is still off the projector: only in the teacher's folded list.
    expect(projector.get_by_text(written, exact=True).filter(visible=True)).to_have_count(0)
    screenshot(projector, "room-projector-written-unshown")
    panel = projector.get_by_text("Written answers: choose what the class sees")
    panel.click()
    expect(projector.get_by_text(written, exact=True).filter(visible=True)).to_have_count(1)  # the list
    projector.get_by_role("button", name="Show", exact=True).click()
    expect(projector.get_by_text("None is shown yet", exact=False)).to_have_count(0)
    panel.click()  # folded again: the shown answer stays on the projector
    expect(projector.get_by_text(written, exact=True).filter(visible=True)).to_have_count(1)
    assert projector.locator("main b, main img[src=x]").count() == 0  # no element made from the answer
    screenshot(projector, "room-projector-written")
    store.dispose()


def test_the_projector_s_address_grants_no_control_in_another_browser(room_app: str, store_url: str, open_page) -> None:
    store = RoomStore.from_url(store_url)
    room = store.open_room()
    projector = open_page(viewport=PROJECTOR, reduced_motion="reduce")
    projector.goto(f"{room_app}/room?room={room.code}&key={room.teacher_key}")
    projector.wait_for_url(re.compile(rf"/room\?room={room.code}$"))  # the key leaves the address at once
    wait_for_app(projector)
    expect(projector.get_by_role("button", name="Start")).to_be_visible()
    assert room.teacher_key not in projector.content()
    photographed = projector.url
    elsewhere = open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce")
    elsewhere.goto(photographed)
    wait_for_app(elsewhere)
    expect(elsewhere.get_by_text("Waiting for the teacher to start")).to_be_visible()
    for name in ("Start", "Next", "Previous", "Reveal", "End", "Control link"):
        expect(elsewhere.get_by_role("button", name=name)).to_have_count(0)
    screenshot(elsewhere, "room-projector-address-elsewhere")
    projector.reload()  # the projector's own browser keeps its session (a cookie) across a reload
    wait_for_app(projector)
    expect(projector.get_by_role("button", name="Start")).to_be_visible()
    # A control link, made on demand, opens the controls on a second device.
    projector.get_by_role("button", name="Control link").click()
    projector.get_by_role("button", name="Make a control link").click()
    link = projector.locator('[data-testid="stCode"]').filter(has_text="key=")
    expect(link).to_have_count(1)
    control = link.inner_text().strip()
    second = open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce")
    second.goto(control)
    second.wait_for_url(re.compile(rf"/room\?room={room.code}$"))
    wait_for_app(second)
    second.get_by_role("button", name="Start").click()
    expect(projector.get_by_text(re.compile(r"^Question 1 of \d+$"))).to_be_visible(timeout=LIVE_MS)
    store.dispose()


def test_previous_after_reveal_shows_the_result_and_no_answer_box(room_app: str, store_url: str, open_page) -> None:
    bundle = Bundle.build(load_dataset(data_path()))
    names = bundle.names["outlet"]
    first = questions(bundle, 1)[0]
    store = RoomStore.from_url(store_url)
    room = store.open_room()
    projector = open_page(viewport=PROJECTOR, reduced_motion="reduce")
    projector.goto(f"{room_app}/room?room={room.code}&key={room.teacher_key}")
    wait_for_app(projector)
    projector.get_by_role("button", name="Start").click()
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce")
    phone.goto(f"{room_app}/room?room={room.code}")
    wait_for_app(phone)
    phone.get_by_role("radiogroup").get_by_text(names[first.outlet], exact=True).click()
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text(f"Your answer: {names[first.outlet]}")).to_be_visible()
    expect(projector.get_by_text("1 answered · 1 joined")).to_be_visible(timeout=LIVE_MS)
    projector.get_by_role("button", name="Reveal").click()
    expect(projector.get_by_text(f"It was {names[first.outlet]}.")).to_be_visible()
    projector.get_by_role("button", name="Next").click()
    expect(projector.get_by_text(re.compile(r"^Question 2 of \d+$"))).to_be_visible()
    expect(phone.get_by_role("radiogroup")).to_be_visible(timeout=LIVE_MS)
    projector.get_by_role("button", name="Previous").click()
    expect(projector.get_by_text(re.compile(r"^Question 1 of \d+$"))).to_be_visible()
    wait_for_charts(projector)
    expect(projector.get_by_text(f"It was {names[first.outlet]}.")).to_be_visible()  # the result, again
    expect(projector.get_by_role("button", name="Reveal")).to_be_disabled()
    screenshot(projector, "room-projector-previous-revealed")
    expect(phone.get_by_text("The answers are on the projector now.")).to_be_visible(timeout=LIVE_MS)
    expect(phone.get_by_role("radiogroup")).to_have_count(0)
    expect(phone.get_by_role("button", name=re.compile("^Send"))).to_have_count(0)
    expect(phone.get_by_text(f"Your answer: {names[first.outlet]}")).to_be_visible()
    screenshot(phone, "room-phone-previous-revealed")
    store.dispose()


def test_back_from_a_room_opened_at_a_step_lands_on_the_step(room_app: str, open_page) -> None:
    bundle = Bundle.build(load_dataset(data_path()))
    path = next(p for p in bundle.dataset.paths if p.id == "class-45")
    step = 1
    address = f"{room_app}/{path.steps[step].page}?{urlencode(step_link_params(path, step, bundle), doseq=True)}"
    projector = open_page(viewport=PROJECTOR, reduced_motion="reduce")
    projector.goto(address)
    wait_for_app(projector)
    projector.get_by_role("button", name="Student link").click()
    projector.get_by_role("button", name="Open a room for this class").click()
    projector.get_by_role("link", name=re.compile(r"^Go to room")).click()
    projector.wait_for_url(re.compile(r"/room\?room="))
    wait_for_app(projector)
    back = projector.get_by_role("link", name=re.compile(rf"^Back to step {step + 1}"))
    expect(back).to_be_visible()
    screenshot(projector, "room-projector-from-step")
    projector.go_back()
    projector.wait_for_url(address)
    wait_for_app(projector)
    expect(projector.locator(".st-key-nt-presenter-bar")).to_be_visible()
    expect(projector.get_by_text("Part of this link was not understood", exact=False)).to_have_count(0)
    assert projector.url == address
    projector.go_forward()
    projector.wait_for_url(re.compile(r"/room\?room="))
    wait_for_app(projector)
    projector.get_by_role("link", name=re.compile(rf"^Back to step {step + 1}")).click()
    projector.wait_for_url(address)
    wait_for_app(projector)
    expect(projector.locator(".st-key-nt-presenter-bar")).to_be_visible()


def test_the_room_pages_draw_nothing_from_the_theme_on_the_server() -> None:
    """What lets the room's and Spot's axe tests switch colour scheme on a loaded page rather than load each
    page twice: nothing the room draws reads the theme on the server (only other views' pages may)."""
    readers = theme_readers()
    assert all(r.startswith("views/") and r != "views/room" for r in readers), readers


def test_the_room_pages_pass_axe_core(room_app: str, store_url: str, open_page) -> None:
    """The join box, the projector (lobby, question, revealed chart) and a student's phone: WCAG 2.1 AA, in the
    light and the dark scheme."""
    if not AXE_JS.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_AXE)
        pytest.skip(MISSING_AXE)
    bundle = Bundle.build(load_dataset(data_path()))
    first = questions(bundle, 1)[0]
    store = RoomStore.from_url(store_url)
    room = store.open_room()
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce")
    phone.goto(f"{room_app}/room", wait_until="domcontentloaded")
    wait_for_app(phone)
    assert_accessible_in_each_scheme(phone, "the join box")

    projector = open_page(viewport=PROJECTOR, reduced_motion="reduce")
    projector.goto(f"{room_app}/room?room={room.code}&key={room.teacher_key}", wait_until="domcontentloaded")
    wait_for_app(projector)
    assert_accessible_in_each_scheme(projector, "the projector's lobby")
    projector.get_by_role("button", name="Start").click()
    expect(projector.get_by_text(re.compile(r"^Question 1 of \d+$"))).to_be_visible()
    assert_accessible_in_each_scheme(projector, "the projector's question")

    phone.goto(f"{room_app}/room?room={room.code}", wait_until="domcontentloaded")
    wait_for_app(phone)
    phone.get_by_role("radiogroup").get_by_text(bundle.names["outlet"][first.outlet], exact=True).click()
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Your answer: ", exact=False)).to_be_visible()
    assert_accessible_in_each_scheme(phone, "a student's question")

    expect(projector.get_by_text("1 answered · 1 joined")).to_be_visible(timeout=LIVE_MS)
    projector.get_by_role("button", name="Reveal").click()
    wait_for_charts(projector)
    assert_accessible_in_each_scheme(projector, "the projector's revealed answers", "room-projector-revealed")
    expect(phone.get_by_text("The answers are on the projector now.")).to_be_visible(timeout=LIVE_MS)
    assert_accessible_in_each_scheme(phone, "a student's revealed question")
    projector.get_by_role("button", name="Control link").click()
    projector.get_by_role("button", name="Make a control link").click()
    expect(projector.locator('[data-testid="stCode"]').filter(has_text="key=")).to_have_count(1)
    assert_accessible_in_each_scheme(projector, "the control link")
    projector.keyboard.press("Escape")
    projector.get_by_role("button", name="End").click()
    projector.get_by_role("button", name="Close the room").click()
    expect(projector.get_by_text("The questions played")).to_be_visible()
    assert_accessible_in_each_scheme(projector, "a closed room's summary", "room-projector-closed")

    # Written answers: the teacher's folded list, open, and one answer shown with its nickname.
    written = store.open_room()
    projector.goto(f"{room_app}/room?room={written.code}&key={written.teacher_key}&plan=class-45")
    wait_for_app(projector)
    projector.get_by_role("button", name="Start").click()
    expect(projector.get_by_text("Written answer", exact=True)).to_be_visible()
    phone.goto(f"{room_app}/room?room={written.code}", wait_until="domcontentloaded")
    wait_for_app(phone)
    phone.get_by_label("Your answer").fill("The broadcaster quotes both sides.")
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("Your answer: ", exact=False)).to_be_visible()
    expect(projector.get_by_text("1 answered · 1 joined")).to_be_visible(timeout=LIVE_MS)
    projector.get_by_role("button", name="Reveal").click()
    projector.get_by_text("Written answers: choose what the class sees").click()
    projector.get_by_role("button", name="Show", exact=True).click()
    expect(projector.get_by_text("None is shown yet", exact=False)).to_have_count(0)
    assert_accessible_in_each_scheme(
        projector, "the written answers and the teacher's list", "room-projector-written-list"
    )
    store.dispose()
