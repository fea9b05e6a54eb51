"""axe-core in the served page: run the WCAG 2.1 A/AA and best-practice rules and describe what fails.

axe-core is the npm package pinned in this folder's package.json (``npm ci --prefix tests/browser``;
.ci/run does it). Playwright injects its ``axe.min.js`` into the page under test; nothing is fetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browserkit import screenshot
from playwright.sync_api import Page, expect

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
MISSING_AXE = f"axe-core is not installed at {AXE_JS} (npm ci --prefix tests/browser)"

TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
BLOCKING = ("moderate", "serious", "critical")  # axe's "minor" findings are reported, not failed

_RUN_JS = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' | '),
                              summary: n.failureSummary || ''})),
  }));
}"""


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Every violation axe finds on the page as it is now: id, impact, help and the offending nodes."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN_JS, list(TAGS))


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]], max_nodes: int = 8) -> str:
    """One paragraph per violation: rule, impact, what it asks, and each offending node's selector."""
    out = []
    for v in violations:
        lines = [f"{v['id']} ({v['impact']}): {v['help']}, {len(v['nodes'])} node(s)"]
        for node in v["nodes"][:max_nodes]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}  -- {summary[:240]}")
        if len(v["nodes"]) > max_nodes:
            lines.append(f"    ... and {len(v['nodes']) - max_nodes} more")
        out.append("\n".join(lines))
    return "\n".join(out)


# Whether the app is drawn dark: its background's luminance, as the a11y tests judge a theme.
_DRAWN_DARK_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const [r, g, b] = getComputedStyle(app).backgroundColor.match(/[\\d.]+/g).slice(0, 3).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.25;
}"""


SCHEMES = ("light", "dark")


def show_scheme(page: Page, scheme: str) -> None:
    """Switch the loaded page to the ``light`` or ``dark`` colour scheme and wait until it is drawn in it.

    Streamlit follows ``prefers-color-scheme`` as it changes, so one loaded page can be checked in both.
    That equals loading the page in that scheme only where the server draws nothing from the theme it
    reads (``st.context.theme``): a test that switches says so of its pages, and checks it.
    """
    page.emulate_media(color_scheme=scheme)
    page.wait_for_function(f"() => ({_DRAWN_DARK_JS})() === {str(scheme == 'dark').lower()}")
    # Colours change through CSS transitions (a button's background): axe must see where they end.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_function(
        "() => document.getAnimations().filter(a => a instanceof CSSTransition && a.playState === 'running')"
        ".length === 0"
    )


def theme_readers() -> set[str]:
    """The parts of the app that draw something from the theme on the server (``st.context.theme``): a view's
    package as ``views/NAME``, any other module by its path under dashboard/. A page whose parts are not
    among them can be checked in both colour schemes on one load (``show_scheme``)."""
    root = Path(__file__).resolve().parents[2] / "dashboard"
    readers = set()
    for path in root.rglob("*.py"):
        if "context.theme" in path.read_text(encoding="utf-8"):
            parts = path.relative_to(root).parts
            readers.add("/".join(parts[:2]) if parts[0] == "views" and len(parts) > 2 else "/".join(parts))
    return readers


def violations_in_each_scheme(page: Page, shot: str = "") -> dict[str, list[dict[str, Any]]]:
    """axe's violations on the loaded page in light and in dark (``show_scheme``), by scheme; the page is left in
    light. With ``shot``, each scheme's picture goes to test-artifacts/screenshots/SHOT-SCHEME.png. Only for a
    page whose parts are not among ``theme_readers()``."""
    found = {}
    for scheme in SCHEMES:
        show_scheme(page, scheme)
        found[scheme] = run_axe(page)
        if shot:
            screenshot(page, f"{shot}-{scheme}")
    show_scheme(page, "light")
    return found


def assert_accessible_in_each_scheme(tab: Page, what: str, shot: str = "") -> None:
    """No blocking axe violation on what the tab shows now, in light and in dark, and every chart described
    (``st.plotly_chart(alt=...)``). For a page whose parts are not among ``theme_readers()``."""
    expect(tab.locator('[data-testid="stSkeleton"]')).to_have_count(0)
    for scheme, violations in violations_in_each_scheme(tab, shot).items():
        failing = blocking(violations)
        assert not failing, f"{what} in the {scheme} theme:\n{describe(failing)}"
    charts = tab.locator('[data-testid="stPlotlyChart"]')
    assert all((c.get_attribute("aria-label") or "").strip() for c in charts.all()), f"{what}: a chart without alt"
