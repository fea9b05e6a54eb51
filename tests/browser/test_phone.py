"""Every page at phone width (390×844, touch) in Chromium: it fits the width, the actor-position
matrix never overlaps itself, and one tap on a square selects it. Also the positions page at a
1280×720 projector, in presentation mode.
"""

from __future__ import annotations

import re

import pytest
from browserkit import (
    PHONE,
    choose,
    combobox,
    open_app,
    readme_screenshot,
    screenshot,
    updating_readme_screenshots,
    wait_for_app,
    wait_for_charts,
)
from playwright.sync_api import expect

from dashboard.views.positions.page import PROJECTOR_MATRIX_HEIGHT

PAGES = ["", "timeline", "positions", "compare", "quiz", "methods"]
PROJECTOR = {"width": 1280, "height": 720}
MOVED_STEP = "/positions?actor=opposition&issue=step_down_first&asof=2019-05&path=class-45&step=4"

# Elements of the main block that show past the viewport's edges: each box is cut to the boxes of
# the ancestors that clip it (overflow hidden, an SVG, Streamlit's own sideways scrollers), and what
# is invisible does not count. A block that would need a sideways scroll (overflow auto) does not cut.
_TOO_WIDE_JS = r"""() => {
  const vw = document.documentElement.clientWidth, out = [];
  const main = document.querySelector('[data-testid="stMain"]');
  for (const el of main.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.opacity === '0') continue;
    if (el.closest('[data-testid="stElementToolbar"]')) continue;  // Streamlit's toolbar, shown on hover only
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let left = r.left, right = r.right;
    for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
      const s = getComputedStyle(a);
      // Sideways scrollers by design: Streamlit's data grid, code block and a multiselect's row of tags, the
      // compare page's swipe between outlets, and a wide text table (scrolled in its own box on a phone).
      const grid = a.matches('[data-testid="stDataFrameResizable"], [data-testid="stMultiSelectTagsContainer"], '
        + '.st-key-compare-excerpts [data-testid="stHorizontalBlock"], .st-key-compare-strip, '
        + '[data-testid="stMarkdownContainer"] table, '
        + '[data-testid="stCode"] pre');
      if (['hidden', 'clip'].includes(s.overflowX) || a instanceof SVGSVGElement || grid) {
        const c = a.getBoundingClientRect();
        left = Math.max(left, c.left); right = Math.min(right, c.right);
      }
      if (s.opacity === '0') { right = left; break; }
    }
    if (right - left > 0 && (left < -0.5 || right > vw + 0.5)) {
      const id = el.closest('[data-testid]');
      out.push(`${el.tagName.toLowerCase()}.${String(el.className.baseVal ?? el.className).slice(0, 40)}`
        + ` in ${id ? id.getAttribute('data-testid') : '?'}: from x=${Math.round(left)} to x=${Math.round(right)}`
        + ` (${Math.round(r.width)} px wide) "${(el.textContent || '').trim().slice(0, 40)}"`);
    }
  }
  const shown = out.filter(t => !/^(path|svg|span|g)\./.test(t)).slice(0, 8);
  return {scrollWidth: document.documentElement.scrollWidth, tooWide: shown, count: out.length};
}"""

# Pairs of rendered boxes that overlap, among the matrix's squares, question headings and actor names.
_OVERLAPS_JS = """() => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"]');
  const boxes = (sel, kind) => [...chart.querySelectorAll(sel)]
    .map(e => [kind, e.textContent, e.getBoundingClientRect()]).filter(b => b[2].width > 0);
  const all = [...boxes('.scatterlayer .point', 'square'), ...boxes('.xtick text', 'heading'),
               ...boxes('.annotation-text', 'name')];
  const out = [];
  for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) {
    const a = all[i][2], b = all[j][2];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      out.push(`${all[i][0]} ${all[i][1]} / ${all[j][0]} ${all[j][1]}`);
  }
  return {counts: {squares: boxes('.scatterlayer .point', 's').length, headings: boxes('.xtick text', 'h').length,
                   names: boxes('.annotation-text', 'n').length}, overlaps: out};
}"""


def _phone(open_page):
    return open_page(viewport=PHONE, has_touch=True, is_mobile=True)


@pytest.mark.parametrize("path", PAGES, ids=[p or "overview" for p in PAGES])
def test_every_page_fits_a_phone(app_url, open_page, path):
    page = _phone(open_page)
    open_app(page, f"{app_url}/{path}")
    screenshot(page, f"phone-{path or 'overview'}")
    fit = page.evaluate(_TOO_WIDE_JS)
    assert fit["scrollWidth"] <= PHONE["width"] and not fit["count"], f"/{path} at 390 px: {fit}"


@pytest.mark.parametrize("viewport", [PHONE, PROJECTOR], ids=["phone", "projector"])
def test_matrix_never_overlaps(app_url, open_page, viewport):
    page = open_page(viewport=viewport)
    open_app(page, f"{app_url}/positions")
    wait_for_charts(page)
    found = page.evaluate(_OVERLAPS_JS)
    screenshot(page, f"positions-matrix-{viewport['width']}")
    if updating_readme_screenshots() and viewport is PHONE:
        readme_screenshot(page, "phone-positions")
    assert found["counts"]["squares"] > 10 and found["counts"]["headings"] > 3 and found["counts"]["names"] > 3, found
    assert not found["overlaps"], found["overlaps"][:10]


def test_one_tap_on_a_square_selects_it(app_url, open_page):
    page = _phone(open_page)
    open_app(page, f"{app_url}/positions")
    wait_for_charts(page)
    actor_box = combobox(page, "Actor")
    expect(actor_box).to_have_value("Choose an actor…")
    square = page.locator('[data-testid="stPlotlyChart"] .scatterlayer .point').nth(3)
    square.scroll_into_view_if_needed()
    box = square.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(actor_box).not_to_have_value("Choose an actor…")
    wait_for_app(page)
    actor, question = actor_box.input_value(), combobox(page, "Question").input_value()
    expect(page.get_by_text(f"{actor} — {question}", exact=True)).to_be_visible()
    screenshot(page, "phone-positions-tapped")


def test_the_moved_position_step_shows_slider_matrix_and_cell_on_a_projector(app_url, open_page):
    page = open_page(viewport=PROJECTOR)
    open_app(page, app_url + MOVED_STEP)
    wait_for_charts(page, 1)
    screenshot(page, "projector-positions-step")
    slider = page.get_by_role("slider", name="As of")
    expect(slider).to_be_visible()
    matrix = page.locator('[data-testid="stPlotlyChart"]').first.bounding_box()
    quote = page.locator("blockquote").first.bounding_box()
    # Both start on the first screen, side by side: the matrix, and beside it the cell's steps and first quote
    # (what the prompt asks about).
    assert matrix["y"] < PROJECTOR["height"] - 300 and quote["y"] < PROJECTOR["height"] - 40, (matrix, quote)
    assert quote["x"] >= matrix["x"] + matrix["width"], "the cell beside the matrix, not under it"
    assert matrix["height"] == PROJECTOR_MATRIX_HEIGHT
    assert page.evaluate(_OVERLAPS_JS)["overlaps"] == [], "the projector's larger squares never overlap"
    assert page.get_by_role("combobox", name="Actor").is_hidden(), "the pickers fold away"
    # The teacher moves the month with the class: the matrix follows it.
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page).not_to_have_url(re.compile(r"asof=2019-05"))
    wait_for_app(page)
    assert "step=4" in page.url


def test_a_phone_can_choose_a_cell_with_the_select_boxes(app_url, open_page, app_tables):
    """The select boxes under the matrix reach the same evidence as a tap (and are the keyboard's way)."""
    page = _phone(open_page)
    open_app(page, f"{app_url}/positions")
    names = dict(zip(app_tables.actors["actor"], app_tables.actors["name"], strict=True))
    questions = dict(zip(app_tables.issues["issue"], app_tables.issues["question"], strict=True))
    choose(page, "Actor", names["opposition"])
    wait_for_app(page)
    choose(page, "Question", questions["step_down_first"])
    wait_for_app(page)
    text = f"{names['opposition']} — {questions['step_down_first']}"
    expect(page.get_by_text(text, exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(2)


def test_a_student_link_to_an_event_leads_a_phone_to_its_quotes(app_url, open_page):
    """A link with an event chosen: on a phone its quotes are far below the chart; a link on the first
    screen takes the student there."""
    page = _phone(open_page)
    open_app(page, f"{app_url}/timeline?event=oslo-talks-2019")
    jump = page.get_by_role("link", name=re.compile("^↓ What each outlet said about"))
    assert jump.bounding_box()["y"] + jump.bounding_box()["height"] <= PHONE["height"]
    jump.tap()
    title = page.locator('[data-testid="stMarkdownContainer"] h4').first
    expect(title).to_be_in_viewport()
    screenshot(page, "phone-timeline-event-jump")
