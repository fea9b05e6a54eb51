"""“Spot the framing” in real browsers: a teacher's projector at 1280×720 and three students on 390 px phones.

The teacher plays the seeded set; on each of two questions every phone taps words and sends them, the
projector counts the sets live, and after Reveal the shaded excerpt counts exactly the words the phones
sent; Reveal reaches every phone as its own result. axe-core checks the new phone and projector views
in light and dark. Screenshots go to test-artifacts/screenshots/spot-*.png (docs/screenshots/spot-reveal.png
with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from axekit import AXE_JS, MISSING_AXE, assert_accessible_in_each_scheme
from browserkit import (
    PHONE,
    readme_screenshot,
    screenshot,
    serve_for_tests,
    updating_readme_screenshots,
    wait_for_app,
)
from playwright.sync_api import Page, expect

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import data_path, load_dataset
from dashboard.rooms import RoomStore
from dashboard.views.room.plans import plan_items, spot_question

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
LIVE_MS = 15_000
SHARE = re.compile(r"^(\d+)% marked$")


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('rooms') / 'rooms.sqlite3'}"


@pytest.fixture(scope="module")
def room_app(chromium_path: str, store_url: str) -> Iterator[str]:
    # A public address, as a school's server has: the projector shows its join link, not a warning.
    with serve_for_tests(
        "spot-browser", {"NT_ROOMS_URL": store_url, "NT_PUBLIC_URL": "https://class.example.org"}
    ) as url:
        yield url


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return Bundle.build(load_dataset(data_path()))


def words_of(phone: Page):
    return phone.locator('[data-testid="stButtonGroup"] button')


def tap_and_send(phone: Page, positions: list[int], undone: int | None = None) -> None:
    """Tap each word once; ``undone`` is tapped twice first (marked, then unmarked): it is not sent."""
    buttons = words_of(phone)
    expect(buttons.first).to_be_visible(timeout=LIVE_MS)
    if undone is not None:
        buttons.nth(undone).click()
        expect(buttons.nth(undone)).to_have_attribute("aria-pressed", "true")
        buttons.nth(undone).click()
        expect(buttons.nth(undone)).to_have_attribute("aria-pressed", "false")
    for w in positions:
        buttons.nth(w).click()
    phone.get_by_role("button", name=re.compile(r"^Send")).click()
    expect(phone.get_by_text(re.compile(r"^Sent: "))).to_be_visible()


def projected_counts(projector: Page, sent: int) -> list[int]:
    """Each word's count as the projector's shaded excerpt gives it (its share of ``sent``, in its title)."""
    titles = projector.locator(".nt-spot-w").evaluate_all("els => els.map(e => e.title)")
    return [round(int(SHARE.match(t).group(1)) * sent / 100) for t in titles]  # type: ignore[union-attr]


def fits_width(tab: Page) -> bool:
    return tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_three_phones_mark_two_questions_and_the_projector_counts_every_mark(
    room_app: str, store_url: str, bundle: Bundle, open_page, page_errors: dict[Page, list[str]]
) -> None:
    items = plan_items(bundle, "spot", 1)
    store = RoomStore.from_url(store_url)
    room = store.open_room()
    projector = open_page(viewport=PROJECTOR, reduced_motion="reduce")
    projector.goto(f"{room_app}/room?room={room.code}&key={room.teacher_key}&plan=spot&seed=1")
    wait_for_app(projector)
    phones = [open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce") for _ in range(3)]
    for phone in phones:
        phone.goto(f"{room_app}/room?room={room.code}", wait_until="domcontentloaded")
        wait_for_app(phone)
    expect(projector.get_by_text("3 joined", exact=True)).to_be_visible(timeout=LIVE_MS)
    projector.get_by_role("button", name="Start").click()
    for n, item in enumerate(items[:2], 1):
        if n > 1:
            projector.get_by_role("button", name="Next").click()
        expect(projector.get_by_text(re.compile(rf"^Question {n} of \d+$"))).to_be_visible()
        expect(projector.get_by_text("0 marked · 3 joined")).to_be_visible(timeout=LIVE_MS)
        q = spot_question(bundle, item)
        assert q is not None
        picks = [sorted(q.coded)[:2] or [0], [0, len(q.words) - 1], []]  # the last student finds nothing to mark
        sent = [0] * len(q.words)
        for phone, words in zip(phones, picks, strict=True):
            expect(phone.get_by_text(re.compile(rf"^Question {n} of \d+$"))).to_be_visible(timeout=LIVE_MS)
            expect(words_of(phone)).to_have_count(len(q.words))
            tap_and_send(phone, words, undone=1 if 1 not in words else None)
            for w in set(words):
                sent[w] += 1
        if n == 1:
            phone = phones[0]
            assert fits_width(phone), "the words to tap are wider than a 390 px phone"
            screenshot(phone, "spot-phone-marked")
        expect(projector.get_by_text("3 marked · 3 joined")).to_be_visible(timeout=LIVE_MS)
        projector.get_by_role("button", name="Reveal").click()
        expect(projector.get_by_text("Where the class looked", exact=False)).to_be_visible()
        expect(projector.locator(".nt-spot-w")).to_have_count(len(q.words))
        assert projected_counts(projector, 3) == sent  # marks sent = marks counted
        expect(projector.get_by_text("The codebook's reading", exact=True)).to_be_visible()
        screenshot(projector, f"spot-projector-revealed-{n}")
        if n == 1 and updating_readme_screenshots():  # the question, its shading, reading and lists in view
            projector.locator("h4").filter(has_text=f"Question {n} of").evaluate("e => e.scrollIntoView()")
            readme_screenshot(projector, "spot-reveal")
        for phone in phones:  # Reveal reaches every phone, as its own result, with no Send
            expect(phone.get_by_text("Your result")).to_be_visible(timeout=LIVE_MS)
            expect(phone.get_by_role("button", name=re.compile(r"^Send"))).to_have_count(0)
        screenshot(phones[0], f"spot-phone-result-{n}")
    for tab in (projector, *phones):
        assert not [e for e in page_errors[tab] if "_stcore" not in e], page_errors[tab]
    store.dispose()


def test_the_spot_views_pass_axe_core(room_app: str, store_url: str, bundle: Bundle, open_page) -> None:
    """The phone's words to tap and its result, the projector's question and its reveal: WCAG 2.1 AA, in the
    light and the dark scheme."""
    if not AXE_JS.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_AXE)
        pytest.skip(MISSING_AXE)
    q = spot_question(bundle, plan_items(bundle, "spot", 1)[0])
    assert q is not None
    store = RoomStore.from_url(store_url)
    room = store.open_room()
    projector = open_page(viewport=PROJECTOR, reduced_motion="reduce")
    projector.goto(f"{room_app}/room?room={room.code}&key={room.teacher_key}&plan=spot&seed=1")
    wait_for_app(projector)
    projector.get_by_role("button", name="Start").click()
    expect(projector.get_by_text(re.compile(r"^Question 1 of \d+$"))).to_be_visible()
    assert_accessible_in_each_scheme(projector, "the projector's excerpt")
    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce")
    phone.goto(f"{room_app}/room?room={room.code}", wait_until="domcontentloaded")
    wait_for_app(phone)
    tap_and_send(phone, sorted({*sorted(q.coded)[:1], 0}))
    assert_accessible_in_each_scheme(phone, "a phone's marked words", "spot-phone-marked")
    expect(projector.get_by_text("1 marked · 1 joined")).to_be_visible(timeout=LIVE_MS)
    projector.get_by_role("button", name="Reveal").click()
    expect(projector.get_by_text("Where the class looked", exact=False)).to_be_visible()
    assert_accessible_in_each_scheme(projector, "the projector's reveal", "spot-projector-revealed")
    projector.get_by_text("As a table").click()
    assert_accessible_in_each_scheme(projector, "the reveal's table")
    expect(phone.get_by_text("Your result")).to_be_visible(timeout=LIVE_MS)
    assert_accessible_in_each_scheme(phone, "a phone's own result", "spot-phone-result")
    store.dispose()
