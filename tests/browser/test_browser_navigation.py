"""Moving between pages in one session, as a visitor does: the menu, browser back and forward, presenter steps.

Each page keeps its settings under page-scoped keys and in its link, so a page
reached from the menu shows exactly what it shows when opened fresh, and going
back returns to the settings the previous page's link held.
"""

from __future__ import annotations

import difflib
import itertools
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from browserkit import TabPool, wait_for_app
from playwright.sync_api import Page, expect

from dashboard.views import VIEWS
from dashboard.views.base import View

pytestmark = pytest.mark.browser


def _url(app_url: str, view: View, query: str = "") -> str:
    return f"{app_url}/{'' if view.default else view.id}{query}"


def _where(page: Page) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(page.url)
    return parts.path.strip("/"), parse_qs(parts.query, keep_blank_values=True)


# The text of the main area and the sidebar's own widgets, charts and tables named rather than read
# (Plotly and the data grid draw after the script has finished, the grid only the rows in view).
_TEXT_JS = """() => {
  const text = (sel) => {
    const el = document.querySelector(sel);
    if (!el) return "";
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[data-testid="stPlotlyChart"]').forEach(c => c.replaceWith("[chart]"));
    copy.querySelectorAll('[data-testid="stDataFrame"]').forEach(c => c.replaceWith("[table]"));
    return copy.textContent;
  };
  const values = Array.from(document.querySelectorAll('input, textarea'))
    .map(i => (i.getAttribute('aria-label') || i.type) + '='
      + (['radio', 'checkbox'].includes(i.type) ? i.value + ':' + i.checked : i.value));
  return {main: text('[data-testid="stMain"]'),
          sidebar: text('section[data-testid="stSidebar"] [data-testid="stSidebarUserContent"]'),
          inputs: values};
}"""


def _shown(page: Page) -> dict[str, object]:
    """What the visitor sees: the address, the text on the page and every input's value, once it is still."""
    page.wait_for_load_state("networkidle")  # a chart's code is fetched the first time a chart is drawn
    before = None
    for _ in range(20):  # elements can still arrive just after the script settles: read until two reads agree
        now = {"where": _where(page), **page.evaluate(_TEXT_JS)}
        if now == before:
            return now
        before = now
        page.wait_for_timeout(250)
    return before


def _click_menu(page: Page, view: View) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=view.title, exact=True).click()
    expect(page.locator("h1").first).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/{'' if view.default else re.escape(view.id)}(\?|$)"))
    wait_for_app(page)


@pytest.fixture(scope="module")
def fresh(tab_pool: TabPool, app_url: str) -> dict[str, dict[str, object]]:
    """Each page as it shows when opened fresh from its bare link."""
    return {view.id: _read_fresh(tab_pool, app_url, view) for view in VIEWS}


def _read_fresh(tab_pool: TabPool, app_url: str, view: View) -> dict[str, object]:
    page = tab_pool.lend()
    try:
        page.goto(_url(app_url, view), wait_until="domcontentloaded")
        wait_for_app(page)
        page.mouse.wheel(0, 100_000)  # parts drawn on first sight (code blocks, the uploader) are drawn now
        page.mouse.wheel(0, -100_000)
        return _shown(page)
    finally:
        tab_pool.give_back(page)


def _trails(views: list[View], length: int) -> list[list[View]]:
    """Every ordered pair of views once, as walks of ``length`` moves: an Euler circuit of the complete
    directed graph (Hierholzer), cut into pieces. Each piece opens one page and then moves by the menu,
    so 30 moves cost 36 page loads, not 60."""
    left = {v.id: [w for w in views if w is not v] for v in views}
    stack, circuit = [views[0]], []
    while stack:
        if left[stack[-1].id]:
            stack.append(left[stack[-1].id].pop(0))
        else:
            circuit.append(stack.pop())
    circuit.reverse()
    return [circuit[i : i + length + 1] for i in range(0, len(circuit) - 1, length)]


TRAILS = _trails(list(VIEWS), 5)


def test_the_trails_make_every_move_between_two_pages_once() -> None:
    moves = [(a.id, b.id) for trail in TRAILS for a, b in itertools.pairwise(trail)]
    assert sorted(moves) == sorted((a.id, b.id) for a, b in itertools.permutations(VIEWS, 2))


# The trails share one worker (pytest-xdist --dist loadgroup), so the fresh readings are taken once.
@pytest.mark.xdist_group("browser-navigation-trails")
@pytest.mark.parametrize("trail", TRAILS, ids=lambda t: "-".join(v.id for v in t))
def test_a_page_reached_from_the_menu_shows_what_it_shows_fresh(
    trail: list[View], app_url: str, page: Page, tab_pool: TabPool, fresh: dict[str, dict[str, object]]
) -> None:
    page.goto(_url(app_url, trail[0]), wait_until="domcontentloaded")
    wait_for_app(page)
    for a, b in itertools.pairwise(trail):
        _click_menu(page, b)
        assert _reads_as_fresh(page, b, app_url, tab_pool, fresh) == [], f"{a.id} → {b.id}"


def _reads_as_fresh(
    page: Page, b: View, app_url: str, tab_pool: TabPool, fresh: dict[str, dict[str, object]]
) -> list[str]:
    """How the page, just reached from the menu, differs from the same page opened fresh (nothing, we hope)."""
    # Plotly draws after the script ends, and a data grid's component loads on a page's first use of
    # one: on a loaded machine either can take a few seconds after the page has settled.
    for mark, testid in (("[chart]", "stPlotlyChart"), ("[table]", "stDataFrame")):
        if n := str(fresh[b.id]["main"]).count(mark):
            page.wait_for_function(
                '([id, n]) => document.querySelectorAll(`[data-testid="${id}"]`).length >= n', arg=[testid, n]
            )
    # Code blocks and the file uploader are drawn by parts of the frontend loaded on first use, which on a
    # loaded machine can come well after the page has settled: give the page time to read as the fresh one,
    # scrolling it through so nothing waits to be seen. The fresh reading was taken once, maybe on a busier
    # machine: after 10 s it is read again. A stale element left from the page before stays for good, so it
    # still fails here. (Equality first: a diff of a page's whole text takes seconds.)
    start = time.monotonic()
    reread = False
    while (got := _shown(page)) != fresh[b.id] and time.monotonic() < start + 30:
        if not reread and time.monotonic() > start + 10:
            fresh[b.id], reread = _read_fresh(tab_pool, app_url, b), True
        page.mouse.wheel(0, 100_000)
        page.wait_for_timeout(500)
        page.mouse.wheel(0, -100_000)
    return _differences(got, fresh[b.id])


def _differences(got: dict[str, object], want: dict[str, object]) -> list[str]:
    """Where two snapshots differ, with some context, so a failure says what changed."""
    out = []
    for key in want:
        a, b = str(got.get(key)), str(want[key])
        if a == b:  # the diff is for a failure's message: on a page's whole text it takes seconds to find none
            continue
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        out += [
            f"{key}: {a[i1 - 60 : i2 + 60]!r} != {b[j1 - 60 : j2 + 60]!r}"
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
            if op != "equal"
        ]
    return out


def test_back_and_forward_keep_each_pages_settings(app_url: str, page: Page) -> None:
    by_id = {v.id: v for v in VIEWS}
    page.goto(_url(app_url, by_id["positions"], "?asof=2020-01&actor=opposition&issue=step_down_first"))
    wait_for_app(page)
    before = _shown(page)
    assert before["where"][1] == {"asof": ["2020-01"], "actor": ["opposition"], "issue": ["step_down_first"]}
    _click_menu(page, by_id["compare"])
    compare_fresh = _shown(page)
    # Change a setting on the second page, so going forward must restore it too.
    page.get_by_role("radiogroup").get_by_text("The outlet's own narration").wait_for()
    page.get_by_text("Narration and quoted speakers").click()
    expect(page).to_have_url(re.compile(r"/compare\?.*voices=all"))
    wait_for_app(page)
    compare_after = _shown(page)

    # Each change of settings is a step in the browser's history, as is each page.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/compare$"))
    wait_for_app(page)
    assert _shown(page) == compare_fresh
    page.go_back()
    expect(page).to_have_url(re.compile(r"/positions\?.*asof=2020-01"))
    wait_for_app(page)
    assert _shown(page) == before
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("01/2020")

    page.go_forward()
    expect(page).to_have_url(re.compile(r"/compare$"))
    wait_for_app(page)
    assert _shown(page) == compare_fresh
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/compare\?.*voices=all"))
    wait_for_app(page)
    assert _shown(page) == compare_after


def test_a_presenter_step_opens_with_its_settings_after_moving_around(app_url: str, page: Page) -> None:
    by_id = {v.id: v for v in VIEWS}
    page.goto(_url(app_url, by_id["compare"], "?outlets=wlrn"))
    wait_for_app(page)
    page.goto(f"{app_url}/timeline?lanes=outlet&path=class-45&step=2")
    wait_for_app(page)
    assert page.locator(".nt-step").count() == 1
    assert "Step 2 of" in page.locator('[data-testid="stMain"]').inner_text()
    expect(
        page.locator('[data-testid="stButtonGroup"]').first.locator('[aria-checked="true"], [aria-pressed="true"]')
    ).to_have_text("Outlet")
