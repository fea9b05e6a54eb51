"""Compare outlets in Chromium: the framing strip on a projector's first screen, the columns on a phone,
and the "Whose voices?" presenter step with its figure first.

Uses the browser and the served app shared by every browser test (tests/browser/conftest.py), on the
curated data (the presenter path is the data's). Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest
from browserkit import PHONE, open_app, readme_screenshot, screenshot, updating_readme_screenshots, wait_for_charts

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
STRIP = '[data-testid="stPlotlyChart"]'


def chart_boxes(page) -> list[dict]:
    """Each drawn chart's box relative to the top of the page's scrolling area, with its accessible name."""
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel)).map(c => {
             const r = c.getBoundingClientRect();
             const named = c.querySelector('[aria-label]');
             return {top: r.top, bottom: r.bottom, label: named ? named.getAttribute('aria-label') : ''};
           })""",
        STRIP,
    )


def test_the_strip_is_on_a_projectors_first_screen(app_url: str, open_page) -> None:
    page = open_page(viewport=PROJECTOR)
    open_app(page, f"{app_url}/compare")
    wait_for_charts(page, min_charts=1)
    screenshot(page, "compare-projector")
    if updating_readme_screenshots():
        readme_screenshot(page, "compare-projector")
    boxes = chart_boxes(page)
    strip = boxes[0]  # one figure, its four panels side by side
    assert strip["bottom"] <= PROJECTOR["height"], strip
    alt = page.locator(STRIP).first.get_attribute("aria-label") or ""  # st.plotly_chart's alt: every panel's words
    assert all(t in alt for t in ("Named as", "Loaded terms", "Scare quotes", "Whose voices speak")), alt
    titles = page.locator(f"{STRIP} .annotation-text").evaluate_all("ts => ts.map(t => t.textContent)")
    assert titles == ["Named as", "Loaded terms per 100 words", "Scare quotes", "Whose voices speak"], titles
    assert page.get_by_role("heading", level=2, name="At a glance", exact=False).first.is_visible()


def test_on_a_phone_the_page_fits_and_the_outlets_swipe(app_url: str, open_page) -> None:
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    open_app(page, f"{app_url}/compare")
    wait_for_charts(page, min_charts=1)
    screenshot(page, "compare-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The strip's four panels keep a readable width: the figure swipes sideways in its own box.
    strip = page.locator(".st-key-compare-strip")
    assert strip.evaluate("b => b.scrollWidth > b.clientWidth"), "the figure is wider than the phone, in its box"
    assert page.locator(STRIP).first.bounding_box()["width"] >= 700
    row = page.locator('.st-key-compare-excerpts [data-testid="stHorizontalBlock"]').first
    row.scroll_into_view_if_needed()
    columns = row.locator(':scope > [data-testid="stColumn"]')
    assert columns.count() >= 2
    first, second = columns.nth(0), columns.nth(1)
    # One outlet per screen: the second column starts off to the right, inside the row, not the page.
    assert second.bounding_box()["x"] >= PHONE["width"] * 0.8
    row.evaluate("r => r.scrollBy({left: r.clientWidth, behavior: 'instant'})")
    page.wait_for_timeout(400)  # scroll snapping settles
    box = second.bounding_box()
    assert 0 <= box["x"] < PHONE["width"] * 0.2, box
    assert first.bounding_box()["x"] < 0
    screenshot(page, "compare-phone-swiped")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_whose_voices_step_shows_its_figure_first(app_url: str, open_page) -> None:
    page = open_page(viewport=PROJECTOR)
    open_app(page, f"{app_url}/compare?by=issue&subject=negotiate&section=voices&path=class-45&step=8")
    wait_for_charts(page, min_charts=2)
    screenshot(page, "compare-step-8")
    voices = page.locator(STRIP).first
    assert "Unnamed sources" in (voices.text_content() or ""), "the first chart is the voices figure (its legend)"
    box = voices.bounding_box()
    # Under the presenter bar and the step's prompt: its top and most of it on the first screen.
    assert box["y"] >= 0 and box["y"] + box["height"] / 2 <= PROJECTOR["height"], box
