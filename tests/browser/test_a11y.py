"""Accessibility in a real Chromium: axe-core's WCAG 2.1 A/AA and best-practice rules on every page, light and dark,
and a chart selection made with the keyboard alone.

axe-core comes from ``npm ci --prefix tests/browser`` (.ci/run does it). Without it these tests are
skipped with the reason, unless REQUIRE_BROWSER=1 (as in CI), when that is a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest
from axekit import AXE_JS, MISSING_AXE, blocking, describe, run_axe, show_scheme, theme_readers
from browserkit import app_errors, assert_no_error_box, combobox, open_app, screenshot, wait_for_app, wait_for_charts
from playwright.sync_api import Page, expect

from dashboard.data.frames import Tables
from dashboard.views import VIEWS

pytestmark = pytest.mark.browser

# One deep link per view with settings: a chosen event, a chosen cell, a section with its chart,
# a shared quiz, and presenter steps (presentation mode draws the page differently).
DEEP_LINKS = {
    "overview": ["?path=class-45&step=1"],
    "timeline": [
        "?event=oslo-talks-2019",
        "?lanes=outlet&path=class-45&step=2",
        "?event=oslo-talks-2019&ask=why-talks-fail",  # a student link: its question above the view
    ],
    "positions": [
        "?actor=opposition&issue=step_down_first",
        "?actor=opposition&issue=step_down_first&asof=2019-05&path=class-45&step=4",
    ],
    "compare": [
        "?by=issue&subject=negotiate&section=voices",
        "?path=class-45&step=5",  # the names listed under the strip
        "?subject=opposition&outlets=breitbart,wlrn,washington_post&ask=scare-quotes",
    ],
    "quiz": ["?seed=2024", "?seed=2024&path=class-45&step=9"],  # the step shows its QR code on the page
}
LINKS = [f"/{'' if v.default else v.id}{query}" for v in VIEWS for query in ["", *DEEP_LINKS.get(v.id, [])]]
# Links whose excerpts are also held to 7:1, as a class reads them from the back of the room.
READ_FROM_THE_BACK = ("/timeline?event=oslo-talks-2019", "/quiz?seed=2024")


@pytest.fixture(scope="session")
def axe_available() -> None:
    if not AXE_JS.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_AXE)
        pytest.skip(MISSING_AXE)


def _luminance(css_colour: str) -> float:
    r, g, b = (float(v) for v in re.findall(r"\d+(?:\.\d+)?", css_colour)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def _slug(link: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", link.lower()).strip("-") or "overview"


def test_every_view_is_checked() -> None:
    """A view added to the menu is checked too; a deep link names a real view."""
    ids = {v.id for v in VIEWS}
    assert set(DEEP_LINKS) <= ids
    assert len(LINKS) == len(VIEWS) + sum(map(len, DEEP_LINKS.values()))
    assert set(READ_FROM_THE_BACK) <= set(LINKS)
    assert {link for link, _ in CASES} == set(LINKS)
    assert all({"light", "dark"} <= {s for ln, ss in CASES if ln == link for s in ss.split("+")} for link in LINKS)


def _schemes(link: str) -> list[str]:
    """The loads a link is checked in: one per colour scheme where its view draws something from the theme on
    the server; otherwise one load, switched from light to dark (Streamlit follows the scheme as it changes)."""
    view = link.split("?")[0].strip("/") or next(v.id for v in VIEWS if v.default)
    readers = theme_readers()
    if f"views/{view}" in readers or any(not r.startswith("views/") for r in readers):
        return ["light", "dark"]
    return ["light+dark"]


CASES = [(link, schemes) for link in LINKS for schemes in _schemes(link)]


@pytest.mark.parametrize(("link", "schemes"), CASES, ids=[f"{_slug(link)}-{s}" for link, s in CASES])
def test_no_accessibility_violations(
    link: str,
    schemes: str,
    axe_available: None,
    app_url: str,
    open_page: Callable[..., Page],
    page_errors: dict[Page, list[str]],
) -> None:
    first, *others = schemes.split("+")
    page = open_page(color_scheme=first)
    open_app(page, app_url + link)
    # wait_for_app can settle while a part of the page is still a placeholder (stSkeleton), and a chart's
    # code arrives after the script has run: check the page as a reader sees it once it has all landed.
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0)
    page.wait_for_load_state("networkidle")
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    if charts:
        wait_for_charts(page, charts)
    assert_no_error_box(page)
    for scheme in [first, *others]:
        if scheme != first:
            show_scheme(page, scheme)
        background = page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).backgroundColor")
        # The check is only worth something if the page really is in the theme asked for.
        dark = _luminance(background) < 0.25
        assert dark == (scheme == "dark"), f"{link} is not in the {scheme} theme: {background}"

        violations = run_axe(page)
        screenshot(page, f"a11y-{_slug(link)}-{scheme}")
        for v in violations:  # the minor ones too, for whoever reads the log
            print(f"{link} [{scheme}] {v['id']} ({v['impact']}): {len(v['nodes'])} node(s)")
        failing = blocking(violations)
        # st.plotly_chart(alt=...) names the chart's figure role; axe does not look inside a chart's SVG.
        charts = page.locator('[data-testid="stPlotlyChart"]').count()
        unnamed = page.locator('[data-testid="stPlotlyChart"]').evaluate_all(
            "charts => charts.filter(c => !(c.getAttribute('aria-label') || '').trim()).length"
        )
        problems = [describe(failing)] if failing else []
        if unnamed:
            problems.append(f"{unnamed} of {charts} chart(s) without a text description (st.plotly_chart alt=)")
        assert not problems, f"on {link} in the {scheme} theme:\n" + "\n".join(problems)
        if link in READ_FROM_THE_BACK:
            assert_excerpts_readable_on_a_projector(page, f"{link} ({scheme})")
    assert app_errors(page_errors[page]) == [], f"browser errors on {page.url}"


# The excerpt's text colour, the opacity it is drawn at (every ancestor's counts) and the page background.
_QUOTE_COLOURS_JS = """q => {
  let opacity = 1;
  for (let e = q; e; e = e.parentElement) { opacity *= parseFloat(getComputedStyle(e).opacity); }
  const app = document.querySelector('[data-testid="stApp"]');
  return [getComputedStyle(q).color, opacity, getComputedStyle(app).backgroundColor];
}"""


def _rgb(css_colour: str) -> tuple[float, ...]:
    return tuple(float(v) for v in re.findall(r"\d+(?:\.\d+)?", css_colour)[:3])


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def lum(rgb: tuple[float, ...]) -> float:
        lin = [(c / 255 / 12.92) if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def assert_excerpts_readable_on_a_projector(page: Page, where: str) -> None:
    """Excerpts are what a class reads from the back of the room: 7:1 (WCAG AAA), not just AA's 4.5:1."""
    quote = page.locator("blockquote.nt-quote").first
    expect(quote).to_be_visible()
    colour, opacity, background = quote.evaluate(_QUOTE_COLOURS_JS)
    text, back = _rgb(colour), _rgb(background)
    seen = tuple(opacity * t + (1 - opacity) * b for t, b in zip(text, back, strict=True))
    ratio = _contrast(seen, back)
    assert ratio >= 7, f"excerpts on {where}: {colour} at opacity {opacity} on {background} is {ratio:.2f}:1"


def test_a_timeline_event_is_chosen_with_the_keyboard_alone(
    app_url: str, page: Page, page_errors: dict[Page, list[str]], app_tables: Tables
) -> None:
    """Tab to the event picker, type part of a title, arrow to it, Enter: the event's details and quotes appear."""
    events = app_tables.events
    told = events[events["outlets"].map(len) > 0]
    event = told.iloc[len(told) // 2]  # not the first: the list must really be searched
    open_app(page, f"{app_url}/timeline")
    wait_for_charts(page)
    box = combobox(page, "Event")
    expect(box).to_have_value(re.compile("Choose an event"))

    for _ in range(80):  # every control before the picker is passed through, in the page's own order
        page.keyboard.press("Tab")
        if box.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError("the Event picker cannot be reached with Tab")
    page.keyboard.type(event["title"][:24])
    option = page.get_by_role("option", name=re.compile(re.escape(event["title"])))
    expect(option.first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"[?&]event={re.escape(event['event'])}(&|$)"))
    wait_for_app(page)
    expect(page.locator('[data-testid="stMain"] h4')).to_have_text([event["title"]])
    expect(page.locator("blockquote.nt-quote").first).to_be_visible()
    assert app_errors(page_errors[page]) == [], f"browser errors on {page.url}"
    screenshot(page, "keyboard-timeline-event")
