"""Build a story in a real Chromium at 1280×720: paste two short articles, accept the suggestions, add an
event, open the draft in every view (timeline, matrix, compare, quiz) and download a file the validator
accepts; axe-core on the page with a draft, light and dark; a hostile upload said plainly; a phone's view.

The articles are the page tests' invented ones (tests/pages/fixtures/build).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from axekit import AXE_JS, MISSING_AXE, blocking, describe, theme_readers, violations_in_each_scheme
from browserkit import (
    PHONE,
    app_errors,
    assert_no_error_box,
    open_app,
    readme_screenshot,
    screenshot,
    updating_readme_screenshots,
    wait_for_app,
)
from playwright.sync_api import Page, expect

from dashboard.data.dataset import check_dataset

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "pages" / "fixtures" / "build"
PROJECTOR = {"width": 1280, "height": 720}
TEXTS = (("gazette.txt", "The Example Gazette"), ("radio.txt", "Example Community Radio"))


def add_text(page: Page, name: str, outlet: str) -> None:
    page.get_by_label("Outlet (optional)", exact=True).fill(outlet)
    page.get_by_label("Article text", exact=True).fill((FIXTURES / name).read_text(encoding="utf-8"))
    page.get_by_role("button", name="Add this text").click()
    expect(page.get_by_text("Added the pasted text")).to_be_visible()
    wait_for_app(page)


def with_two_texts(page: Page, url: str) -> None:
    open_app(page, url + "/build")
    for name, outlet in TEXTS:
        add_text(page, name, outlet)
    page.get_by_role("button", name="Accept all suggestions").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="3. Actors")).to_be_visible()


def test_a_teacher_builds_a_story_and_opens_it_in_every_view(
    app_url: str, open_page: Callable[..., Page], page_errors: dict[Page, list[str]], tmp_path: Path
) -> None:
    page = open_page(viewport=PROJECTOR)
    with_two_texts(page, app_url)
    assert_no_error_box(page)
    screenshot(page, "build-texts-1280x720")

    form = page.locator('[data-testid="stForm"]').filter(has_text="Add an event")
    form.get_by_label("Title", exact=True).fill("Council votes to sell the harbour")
    form.get_by_label("Date", exact=True).fill("2024-02-29")
    form.get_by_label("Category", exact=True).fill("Decisions")
    form.get_by_label("Summary", exact=True).fill("The town council voted to sell the old harbour to a developer.")
    claims = form.get_by_role("combobox").first
    claims.click()
    claims.fill("voted on Thursday")  # typing filters the claims; Enter takes the first match
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(form.get_by_text("voted on Thursday")).to_be_visible()
    expect(page.get_by_role("listbox")).to_have_count(0)  # the list has closed: the click reaches the button
    form.get_by_role("button", name="Add the event").click()
    wait_for_app(page)
    titles = page.get_by_label("Title", exact=True)
    expect(titles).to_have_count(2)  # the event's own, and the empty form's for the next one
    expect(titles.first).to_have_value("Council votes to sell the harbour")
    expect(titles.last).to_have_value("")
    assert_no_error_box(page)
    page.get_by_role("heading", name="7. Use it").scroll_into_view_if_needed()
    screenshot(page, "build-use-it-1280x720")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download YAML").click()
    story = tmp_path / "story.yaml"
    download.value.save_as(story)
    dataset, problems = check_dataset(story)
    assert problems == [] and dataset is not None, problems
    assert [e.title for e in dataset.events] == ["Council votes to sell the harbour"]
    assert {a.id for a in dataset.actors} >= {"jane_doe", "tom_lee"}

    page.get_by_role("button", name="Open in the dashboard").click()
    expect(page.get_by_text("The draft is open in every view for this tab")).to_be_visible(timeout=60_000)
    links = {}
    for label in ("Timeline", "Actor positions", "Compare outlets", "Guess the outlet"):
        href = page.locator('[data-testid="stPageLink"] a').filter(has_text=label).first.get_attribute("href")
        assert href and re.search(r"[?&]story=[\w-]{16,}", href), href
        links[label] = href
    shows = {  # what only the draft's story has, in each view
        "Timeline": lambda: page.get_by_role("figure", name=re.compile(r"^Timeline of 1 event .* Decisions: 1 event")),
        "Actor positions": lambda: page.get_by_text("This dataset records no positions."),  # none drafted
        "Compare outlets": lambda: page.get_by_text("Example Community Radio").first,
        "Guess the outlet": lambda: page.get_by_role("heading", name="Guess the outlet"),
    }
    for label in links:
        page.locator('[data-testid="stPageLink"] a').filter(has_text=label).first.click()
        wait_for_app(page)
        expect(page.get_by_text("You are viewing an uploaded story").first).to_be_visible()
        expect(shows[label]()).to_be_visible()
        assert_no_error_box(page)
        assert "story=" in page.url
        screenshot(page, f"build-opened-{label.lower().replace(' ', '-')}")
        page.go_back()
        wait_for_app(page)
    assert app_errors(page_errors[page]) == [], page_errors[page]


def test_the_build_page_on_the_projector_and_on_a_phone(app_url: str, open_page: Callable[..., Page]) -> None:
    page = open_page(viewport=PROJECTOR)
    open_app(page, app_url + "/build")
    for name, outlet in TEXTS:
        add_text(page, name, outlet)
    # The claims as suggested: the "Suggested" column marks what is not yet accepted.
    page.get_by_role("heading", name="2. Claims").evaluate("h => h.scrollIntoView({block: 'start'})")
    wait_for_app(page)
    shot = screenshot(page, "build-1280x720")
    if updating_readme_screenshots():
        readme_screenshot(page, "build")
    assert shot.exists()
    phone = open_page(viewport=PHONE)
    open_app(phone, app_url + "/build")
    add_text(phone, *TEXTS[0])
    assert_no_error_box(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    screenshot(phone, "build-phone-390")


def test_a_hostile_upload_is_refused_with_a_message_and_the_draft_is_kept(
    app_url: str, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    page = open_page(viewport=PROJECTOR)
    open_app(page, app_url + "/build")
    add_text(page, *TEXTS[0])
    fake = tmp_path / "report.docx"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.get_by_role("tab", name="Upload a file").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(fake))
    expect(page.get_by_text("not a Word (.docx) file")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Nothing was added; the draft is unchanged")).to_be_visible()
    # the text added before is still there (a table's cells are drawn on a canvas, kept in the page for readers)
    expect(page.locator("td", has_text="Council votes to sell the old harbour").first).to_be_attached()
    assert page.locator("script", has_text="alert(1)").count() == 0


def test_no_accessibility_violations_on_the_build_page_with_a_draft(
    app_url: str, open_page: Callable[..., Page]
) -> None:
    """axe in light and dark on one load: the build page reads no theme on the server."""
    if not AXE_JS.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_AXE)
        pytest.skip(MISSING_AXE)
    assert "views/build" not in theme_readers()
    page = open_page(viewport=PROJECTOR)
    with_two_texts(page, app_url)
    page.wait_for_load_state("networkidle")
    for scheme, violations in violations_in_each_scheme(page, shot="a11y-build").items():
        for v in violations:
            print(f"/build [{scheme}] {v['id']} ({v['impact']}): {len(v['nodes'])} node(s)")
        failing = blocking(violations)
        assert not failing, f"on /build in the {scheme} theme:\n" + describe(failing)
