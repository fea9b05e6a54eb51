"""What a reload keeps, in a real browser: an uploaded story (and a link from its tab shows it; a lost one is
said plainly), and a student's quiz score (kept in their own browser)."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from axekit import AXE_JS, MISSING_AXE, blocking, describe, theme_readers, violations_in_each_scheme
from browserkit import SCREENSHOTS, assert_no_error_box, open_app, wait_for_app
from playwright.sync_api import expect

from dashboard.shell.loading import STORY_GONE
from tests.classroom.kit import REPO

pytestmark = pytest.mark.browser

SMALL = (REPO / "tests" / "classroom" / "classroom.yaml").read_text(encoding="utf-8")
TITLE = "My story BR-1"
# The uploaded story: the classroom story retitled, its quiz step one that students follow on their phones.
STORY_FILE = (
    SMALL.replace("  title: Classroom test story\n", f'  title: "{TITLE}"\n', 1)
    .replace("        prompt: quiz-cues\n", "        prompt: quiz-cues\n        phones: true\n", 1)
    .encode("utf-8")
)
WAIT_MS = 45_000


def story_of(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("story", [None])[0]


def test_a_reload_keeps_an_upload_and_a_link_from_the_tab_shows_it(app_url: str, open_page) -> None:
    tab = open_page()
    tab.set_default_timeout(WAIT_MS)
    open_app(tab, f"{app_url}/methods")
    tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "mine.yaml", "mimeType": "application/x-yaml", "buffer": STORY_FILE}]
    )
    expect(tab.get_by_text("Showing your file: mine.yaml")).to_be_visible(timeout=WAIT_MS)
    tab.wait_for_function("() => new URLSearchParams(location.search).has('story')", timeout=WAIT_MS)
    token = story_of(tab.url)
    assert token and len(token) >= 20

    tab.reload(wait_until="domcontentloaded")
    wait_for_app(tab)
    expect(tab.get_by_text(f"Dataset: {TITLE}.", exact=False)).to_be_visible()
    expect(tab.get_by_text("Showing your file: mine.yaml")).to_be_visible()
    expect(tab.get_by_text("You are viewing an uploaded story", exact=False)).to_be_visible()
    assert story_of(tab.url) == token
    assert_no_error_box(tab)
    tab.screenshot(path=str(SCREENSHOTS / "upload-after-reload.png"))

    # The presenter's quiz step: the address the projector shows for phones (and its QR code) names the story.
    tab.goto(f"{app_url}/quiz?path=lesson&step=9&story={token}", wait_until="domcontentloaded")
    wait_for_app(tab)
    on_phone = tab.get_by_text("On your phone:", exact=False).first
    expect(on_phone).to_be_visible()
    assert f"story={token}" in on_phone.inner_text()
    expect(tab.get_by_role("img", name=f"story={token}", exact=False).first).to_be_attached()

    # Another browser (a student's phone) given a link from this tab sees the same story.
    phone = open_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    phone.set_default_timeout(WAIT_MS)
    open_app(phone, f"{app_url}/?story={token}")
    expect(phone.locator("h1").first).to_have_text(TITLE)
    assert_no_error_box(phone)


def test_a_link_to_a_story_the_server_does_not_hold_says_so(app_url: str, page) -> None:
    page.set_default_timeout(WAIT_MS)
    open_app(page, f"{app_url}/timeline?story=not-held-0123456789abcdef")
    expect(page.get_by_text(STORY_GONE[:60], exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Upload a file again (Methods & data)")).to_be_visible()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('story')", timeout=WAIT_MS)
    page.screenshot(path=str(SCREENSHOTS / "upload-gone.png"))


def score_line(tab) -> str:
    return tab.get_by_text("your score:", exact=False).first.inner_text()


def test_a_reload_keeps_a_students_quiz_score(app_url: str, open_page) -> None:
    phone = open_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    phone.set_default_timeout(WAIT_MS)
    open_app(phone, f"{app_url}/quiz?seed=31")
    assert "0 right, 0 wrong" in score_line(phone)
    phone.get_by_role("radiogroup", name="Which outlet published this?").get_by_role("radio").first.check(force=True)
    phone.get_by_role("button", name="Check my answer").click()
    expect(phone.get_by_text("The cues that could have told you")).to_be_visible()
    wait_for_app(phone)
    after = score_line(phone)
    assert after.count("1") >= 1 and "0 right, 0 wrong" not in after
    phone.wait_for_function("() => document.cookie.includes('nt_quiz_31=')", timeout=WAIT_MS)

    phone.reload(wait_until="domcontentloaded")
    wait_for_app(phone)
    assert score_line(phone) == after  # the same score, read back from this browser
    expect(phone.get_by_text("The cues that could have told you")).to_be_visible()  # question 1 stays answered
    expect(phone.get_by_role("button", name="Check my answer")).to_have_count(0)

    other = open_page(viewport={"width": 390, "height": 844})  # another device: its own, empty score
    other.set_default_timeout(WAIT_MS)
    open_app(other, f"{app_url}/quiz?seed=31")
    assert "0 right, 0 wrong" in score_line(other)


def test_the_upload_notices_are_accessible(app_url: str, open_page) -> None:
    """The sidebar's notice while an upload is shown, and the page's notice when it is gone: axe, both themes (on
    one load each: neither page reads the theme on the server, test_a11y.py's theme_readers says which do)."""
    assert not {"views/methods", "views/overview"} & theme_readers()
    if not AXE_JS.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_AXE)
        pytest.skip(MISSING_AXE)
    tab = open_page()
    tab.set_default_timeout(WAIT_MS)
    open_app(tab, f"{app_url}/methods")
    tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "mine.yaml", "mimeType": "application/x-yaml", "buffer": STORY_FILE}]
    )
    expect(tab.get_by_text("You are viewing an uploaded story", exact=False)).to_be_visible(timeout=WAIT_MS)
    wait_for_app(tab)
    for scheme, violations in violations_in_each_scheme(tab).items():
        failing = blocking(violations)
        assert not failing, f"an upload shown, {scheme}:\n{describe(failing)}"
    open_app(tab, f"{app_url}/?story=not-held-0123456789abcdef")
    expect(tab.get_by_text(STORY_GONE[:60], exact=False)).to_be_visible()
    for scheme, violations in violations_in_each_scheme(tab, shot="upload-gone").items():
        failing = blocking(violations)
        assert not failing, f"a story gone, {scheme}:\n{describe(failing)}"
