"""The served dashboard in a real Chromium: every page draws, clicks and links work, a copied URL reopens the view.

Run: ``REQUIRE_BROWSER=1 python -m pytest tests/browser -q``. Screenshots of
every run go to test-artifacts/screenshots/; with UPDATE_SCREENSHOTS=1 the
README's pictures in docs/screenshots/ are rewritten too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from browserkit import (
    PHONE,
    TALL,
    app_errors,
    assert_no_error_box,
    choose,
    combobox,
    open_app,
    readme_screenshot,
    screenshot,
    updating_readme_screenshots,
    wait_for_app,
    wait_for_charts,
)
from playwright.sync_api import Page, expect

from dashboard.data.frames import Tables
from dashboard.views import VIEWS
from dashboard.views.base import View

pytestmark = pytest.mark.browser

# What each page's chart draws its data as (pages not listed need not have a chart).
CHART_MARKS = {
    "timeline": ".scatterlayer .point",  # event markers
    "positions": ".scatterlayer .point",  # stance squares
    "compare": ".barlayer .point",  # voices by camp
}
# The link each page is first loaded with: the comparison draws its chart in its "voices" section.
LOAD_QUERY = {"compare": "?section=voices"}
FIXED_TITLES = {
    "timeline": "Timeline",
    "positions": "Actor positions",
    "compare": "Compare outlets",
    "methods": "Methods & data",
}
# The README's pictures: each page in a state worth showing, at 1280×900.
README_STATES = {
    "overview": "",
    "timeline": "?event=oslo-talks-2019",
    "positions": "?actor=opposition&issue=step_down_first",
    "methods": "",
}
QUOTES = "blockquote.nt-quote"


def page_url(app_url: str, spec: View, query: str = "") -> str:
    return f"{app_url}/{'' if spec.default else spec.id}{query}"


def assert_healthy(page: Page, errors: list[str]) -> None:
    """No error box on the page, and no uncaught or console error that may be the app's."""
    assert_no_error_box(page)
    assert app_errors(errors) == [], f"browser errors on {page.url}"


def quote_texts(page: Page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator(QUOTES).all_inner_texts()]


def h_texts(page: Page, tag: str) -> list[str]:
    return [t.strip() for t in page.locator(f'[data-testid="stMain"] {tag}').all_inner_texts()]


@pytest.mark.parametrize("spec", VIEWS, ids=[v.id for v in VIEWS])
def test_page_loads_and_draws(
    spec: View,
    app_url: str,
    open_page: Callable[..., Page],
    page_errors: dict[Page, list[str]],
    app_tables: Tables,
) -> None:
    page = open_page(viewport=TALL)
    open_app(page, page_url(app_url, spec, LOAD_QUERY.get(spec.id, "")))

    title = page.locator("h1").first
    expect(title).to_be_visible()
    expect(title).not_to_be_empty()
    if spec.id in FIXED_TITLES:
        expect(title).to_have_text(FIXED_TITLES[spec.id])
    expect(page).to_have_title(re.compile(r"\S"))

    if page.locator('[data-testid="stPlotlyChart"]').count() or spec.id in CHART_MARKS:
        wait_for_charts(page)
    if spec.id in CHART_MARKS:
        marks = page.locator(f".js-plotly-plot {CHART_MARKS[spec.id]}")
        expect(marks.first).to_be_attached()
        assert marks.count() > 0
    if spec.id == "timeline":  # one marker per event shown
        shown = re.search(r"(\d+) of (\d+) events shown", page.locator('[data-testid="stMain"]').inner_text())
        assert shown, "the timeline does not say how many events it shows"
        assert page.locator(".js-plotly-plot .scatterlayer .point").count() == int(shown[1])
    assert_healthy(page, page_errors[page])
    screenshot(page, f"page-{spec.id}")

    if updating_readme_screenshots() and spec.id in README_STATES:
        page.set_viewport_size({"width": 1280, "height": 900})
        open_app(page, page_url(app_url, spec, README_STATES[spec.id]))
        if page.locator('[data-testid="stPlotlyChart"]').count():
            wait_for_charts(page)
        assert_healthy(page, page_errors[page])
        path = readme_screenshot(page, spec.id)
        assert path.stat().st_size < 400_000, f"{path} is too large for the README"


def test_a_link_with_unknown_values_still_opens_and_says_so(app_url: str, page: Page, page_errors) -> None:
    """Streamlit 1.67 marks alert boxes stAlertContent<Kind>: this notice proves the error-box check can match."""
    open_app(page, f"{app_url}/timeline?event=no-such-event&lanes=outlet")
    notice = page.locator('[data-testid="stAlertContentInfo"]')
    expect(notice).to_contain_text("not understood")
    expect(notice).to_contain_text("no-such-event")
    expect(page.get_by_role("radio", name="Outlet", exact=True)).to_be_checked()  # the part that was understood
    wait_for_charts(page)
    assert_healthy(page, page_errors[page])


# -- timeline: a marker opens its event ---------------------------------------------------------

# Every event marker with its screen centre and event; ``isolated`` when no other marker is within ``gap`` px.
_MARKERS_JS = """(gap) => {
  const points = Array.from(document.querySelectorAll('.js-plotly-plot .scatterlayer .point'));
  const info = points.map((el, k) => {
    const box = el.getBoundingClientRect();
    const trace = el.closest('g.trace').__data__[0].trace;
    const data = trace.customdata[el.__data__.i];
    return {k, x: box.x + box.width / 2, y: box.y + box.height / 2,
            event: data[0], title: data[1], reportedBy: data[3]};
  });
  return info.map(a => ({...a, isolated: info.every(b => b === a || Math.hypot(a.x - b.x, a.y - b.y) >= gap)}));
}"""


def test_clicking_a_timeline_marker_opens_its_event(app_url: str, page: Page, page_errors) -> None:
    open_app(page, f"{app_url}/timeline")
    wait_for_charts(page)
    expect(combobox(page, "Event")).to_have_value(re.compile("Choose an event"))
    assert page.locator('[data-testid="stMain"] h4').count() == 0
    assert page.locator(QUOTES).count() == 0

    markers = page.evaluate(_MARKERS_JS, 24)
    target = next(m for m in markers if m["isolated"] and m["reportedBy"] != "none")
    point = page.locator(".js-plotly-plot .scatterlayer .point").nth(target["k"])
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    # Plotly listens on the plot area under the marker, so click the spot on screen, not the element.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    expect(page).to_have_url(re.compile(rf"[?&]event={re.escape(target['event'])}(&|$)"))
    wait_for_app(page)
    title = html.unescape(target["title"])  # the figure escapes &, < and > for Plotly's hover text
    expect(page.locator('[data-testid="stMain"] h4')).to_have_text([title])
    expect(combobox(page, "Event")).to_have_value(re.compile(re.escape(title)))
    expect(page.locator(QUOTES).first).to_be_visible()
    assert assert_quote_links_are_safe(page) > 0
    assert_healthy(page, page_errors[page])
    screenshot(page, "timeline-after-marker-click")


# -- a copied link reopens the same view ----------------------------------------------------------


def test_copied_compare_link_reopens_the_same_event(
    app_url: str, open_page: Callable[..., Page], page_errors, app_tables: Tables
) -> None:
    events = app_tables.events
    # An event most outlets speak of, other than the one the selectbox starts on.
    told = events.iloc[1:].assign(n=events["outlets"].map(len)).sort_values("n", ascending=False, kind="stable")
    event = told.iloc[0]
    label = f"{event['date']} · {event['title']}"

    first = open_page()
    open_app(first, f"{app_url}/compare")
    first.get_by_role("radio", name="An event", exact=True).click()
    expect(combobox(first, "An event")).to_be_visible()
    wait_for_app(first)
    choose(first, "An event", label)
    expect(first).to_have_url(re.compile(rf"[?&]subject={re.escape(event['event'])}(&|$)"))
    expect(first).to_have_url(re.compile(r"[?&]by=event(&|$)"))
    wait_for_app(first)
    expect(first.locator('[data-testid="stMain"] h3').first).to_have_text(label)
    expect(first.locator(QUOTES).first).to_be_visible()
    shown = (h_texts(first, "h3"), quote_texts(first), combobox(first, "An event").input_value())
    link = first.url

    second = open_page()  # a new visitor: no session, only the link
    open_app(second, link)
    expect(second.get_by_role("radio", name="An event", exact=True)).to_be_checked()
    expect(combobox(second, "An event")).to_have_value(label)
    expect(second.locator(QUOTES).first).to_be_visible()
    assert (h_texts(second, "h3"), quote_texts(second), combobox(second, "An event").input_value()) == shown
    assert second.url == link
    assert assert_quote_links_are_safe(second) > 0
    for p in (first, second):
        assert_healthy(p, page_errors[p])


def test_copied_positions_link_reopens_the_same_evidence(
    app_url: str, open_page: Callable[..., Page], page_errors, app_tables: Tables
) -> None:
    positions = app_tables.positions
    cell = positions.assign(n=positions["evidence"].map(len)).sort_values("n", ascending=False, kind="stable").iloc[0]
    actor = app_tables.actors.set_index("actor").loc[cell["actor"], "name"]
    question = app_tables.issues.set_index("issue").loc[cell["issue"], "question"]
    heading = f"{actor} — {question}"

    first = open_page()
    open_app(first, f"{app_url}/positions")
    assert first.locator(QUOTES).count() == 0
    choose(first, "Actor", actor)
    expect(first).to_have_url(re.compile(rf"[?&]actor={re.escape(cell['actor'])}(&|$)"))
    wait_for_app(first)
    choose(first, "Question", question)
    expect(first).to_have_url(re.compile(rf"[?&]issue={re.escape(cell['issue'])}(&|$)"))
    wait_for_app(first)
    expect(first.get_by_text(heading, exact=True)).to_be_visible()
    expect(first.locator(QUOTES).first).to_be_visible()
    quotes = quote_texts(first)
    assert len(quotes) >= len(cell["evidence"])
    link = first.url

    second = open_page()
    open_app(second, link)
    expect(combobox(second, "Actor")).to_have_value(actor)
    expect(combobox(second, "Question")).to_have_value(question)
    expect(second.get_by_text(heading, exact=True)).to_be_visible()
    assert quote_texts(second) == quotes
    assert second.url == link
    assert assert_quote_links_are_safe(second) > 0
    for p in (first, second):
        assert_healthy(p, page_errors[p])


# -- links in the quotes ----------------------------------------------------------------------------


def assert_quote_links_are_safe(page: Page) -> int:
    """Every link in a quote block is an http(s) link opening in a new tab; none on the page is a script.

    Returns how many quote links there are.
    """
    links = page.locator(f"{QUOTES} a").all()
    for a in links:
        href, target, rel = a.get_attribute("href"), a.get_attribute("target"), a.get_attribute("rel") or ""
        assert href and re.match(r"https?://", href), f"{page.url}: quote link {href!r} is not http(s)"
        assert target == "_blank", f"{page.url}: quote link {href} opens in the same tab"
        assert "noopener" in rel.split(), f"{page.url}: quote link {href} lacks rel=noopener"
    for href in page.locator('[data-testid="stMain"] a[href]').evaluate_all("as => as.map(a => a.href)"):
        assert not re.match(r"\s*(javascript|data|vbscript):", href, re.IGNORECASE), f"{page.url}: {href}"
    return len(links)


def test_quote_links_are_web_links_opening_in_a_new_tab(app_url: str, page: Page, page_errors) -> None:
    """The comparison's default subject (the actor the texts name most) has quotes from every outlet.

    The timeline, positions and dark-theme tests check the links on their pages too.
    """
    open_app(page, f"{app_url}/compare")
    expect(page.locator(QUOTES).first).to_be_visible()
    assert assert_quote_links_are_safe(page) > 0, "no quote carried a link to its article"
    assert_healthy(page, page_errors[page])


# -- phone width and dark theme ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["timeline", "compare"])
def test_phone_width(path: str, app_url: str, open_page: Callable[..., Page], page_errors) -> None:
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    open_app(page, f"{app_url}/{path}{LOAD_QUERY.get(path, '')}")
    expect(page.locator("h1").first).to_be_in_viewport()
    wait_for_charts(page)
    assert_healthy(page, page_errors[page])
    screenshot(page, f"phone-{path}")


def _luminance(css_colour: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+(?:\.\d+)?", css_colour)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_dark_theme(app_url: str, open_page: Callable[..., Page], page_errors) -> None:
    page = open_page(color_scheme="dark")
    open_app(page, f"{app_url}/timeline?event=oslo-talks-2019")
    wait_for_charts(page)
    expect(page.locator(QUOTES).first).to_be_visible()
    background = page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).backgroundColor")
    quote_text = page.locator(QUOTES).first.evaluate("e => getComputedStyle(e).color")
    assert _luminance(background) < 0.25, f"the app did not follow the dark colour scheme: {background}"
    assert _luminance(quote_text) > 0.6, f"quote text {quote_text} is hard to read on {background}"
    assert_quote_links_are_safe(page)
    assert_healthy(page, page_errors[page])
    screenshot(page, "dark-timeline")
