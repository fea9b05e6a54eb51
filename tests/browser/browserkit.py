"""Helpers for driving the served dashboard in Chromium: waiting for Streamlit, error checks, screenshots.

Imported by this folder's conftest.py and tests (the folder is on ``sys.path``
under pytest's default import mode). ``serve`` starts the app; nothing here starts a browser.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"  # gitignored: every run's pictures, for a human to look at
README_SCREENSHOTS = REPO / "docs" / "screenshots"  # committed: rewritten only with UPDATE_SCREENSHOTS=1

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
MISSING_BROWSER = "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"

DESKTOP = {"width": 1280, "height": 900}
TALL = {"width": 1280, "height": 2400}  # Streamlit scrolls inside its own container: a tall window shows more
PHONE = {"width": 390, "height": 844}

TIMEOUT_MS = 30_000  # a cold server's first run loads and checks the dataset; later runs take a second or two
EXPECT_TIMEOUT_MS = 15_000  # upper bound for one rerun to show its result; waits end as soon as it does
QUIET_MS = 300  # how long Streamlit must stay idle before a page counts as drawn

# Error boxes as Streamlit 1.67 draws them: an uncaught exception, and st.error.
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'

# Streamlit's frontend first asks for its endpoints relative to the page's own path
# (/timeline/_stcore/health), gets a 404, then finds them at the root. Nothing to do with the app.
_BENIGN_404 = re.compile(r"/[^/]+/_stcore/(health|host-config)$")

# True once Streamlit has been idle (connected, script not running, no stale elements, no
# running indicator, a title and the house style drawn) for ``quietMs`` without a break.
_SETTLED_JS = """(quietMs) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const busy = !app
    || app.getAttribute('data-test-script-state') !== 'notRunning'
    || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
    || document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"]') !== null
    || document.querySelector('h1') === null
    // st.html draws through a component loaded on first use: the house style (shell/page.py) comes late
    || ![...document.querySelectorAll('style')].some(s => s.textContent.includes('stSliderThumbValue'));
  const now = performance.now();
  if (busy) { window.__ntSettledSince = undefined; return false; }
  if (window.__ntSettledSince === undefined) { window.__ntSettledSince = now; }
  return now - window.__ntSettledSince >= quietMs;
}"""


def wait_for_app(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the page's script and has stayed idle for a moment.

    After a click, first wait for what the click should change (the URL, a heading):
    the rerun may not have started yet when this is called.
    """
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout)
    page.evaluate("() => { window.__ntSettledSince = undefined; }")
    try:
        page.wait_for_function(_SETTLED_JS, arg=QUIET_MS, polling=100, timeout=timeout)
    except PlaywrightTimeoutError:
        assert_no_error_box(page)  # a page that stopped on an error has no title: say what the error was
        app = page.locator('[data-testid="stApp"]')
        state = {a: app.get_attribute(a) for a in ("data-test-script-state", "data-test-connection-state")}
        raise AssertionError(
            f"{page.url} did not settle within {timeout / 1000:.0f} s: {state}, "
            f"{page.locator('h1').count()} title(s), {page.locator('[data-stale=true]').count()} stale element(s)"
        ) from None
    expect(page.locator("h1").first).to_be_visible(timeout=timeout)


def open_app(page: Page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)


def wait_for_charts(page: Page, min_charts: int = 1, timeout: float = EXPECT_TIMEOUT_MS) -> None:
    """Wait until at least ``min_charts`` Plotly charts are drawn, and every chart on the page has its SVG."""
    page.wait_for_function(
        """(n) => {
          const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
          return charts.length >= n
            && Array.from(charts).every(c => c.querySelector('.js-plotly-plot .main-svg') !== null);
        }""",
        arg=min_charts,
        polling=100,
        timeout=timeout,
    )


def is_benign(message: str) -> bool:
    return bool(_BENIGN_404.search(message))


def attach_error_log(page: Page) -> list[str]:
    """Start recording the page's uncaught errors and console errors; returns the (growing) list."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))

    def on_console(msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            errors.append(f"console.error: {msg.text} @ {where}")

    page.on("console", on_console)
    return errors


def app_errors(errors: list[str]) -> list[str]:
    """The recorded errors that may be the app's (all of them are printed, for the log)."""
    for e in errors:
        print(("ignored " if is_benign(e) else "") + e)
    return [e for e in errors if not is_benign(e)]


def assert_no_error_box(page: Page) -> None:
    boxes = page.locator(ERROR_BOXES)
    if boxes.count():
        raise AssertionError(f"{page.url} shows an error: {boxes.all_inner_texts()}")


def screenshot(page: Page, name: str) -> Path:
    """Save what the window shows to test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


def updating_readme_screenshots() -> bool:
    return os.environ.get("UPDATE_SCREENSHOTS") == "1"


def readme_screenshot(page: Page, name: str) -> Path:
    """Save the window as docs/screenshots/NAME.png (the pictures the README shows)."""
    README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = README_SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


def combobox(page: Page, label: str):
    """A Streamlit selectbox (a react-aria combobox in 1.67) by its label."""
    return page.get_by_role("combobox", name=label, exact=True)


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` (its visible text) in the selectbox labelled ``label``."""
    box = combobox(page, label)
    box.click()
    box.fill(option)  # typing filters the list, so the option is drawn even in a long, virtualised list
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)


SERVER_START_TIMEOUT = 60.0


class ServerDidNotStart(Exception):
    """The app did not answer /_stcore/health in time; the message holds its log."""


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def serve(log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run dashboard/app.py`` on a free loopback port, with the project's config.

    Yields the base URL once the app answers its health check; stops the whole
    process group on exit. Its output goes to ``log_path``.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard/app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # The code under test is what was on disk at the start: no reloads if a file changes mid-run.
        "--server.fileWatcherType",
        "none",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                reason = f"exited with {proc.returncode}" if proc.poll() is not None else "timed out"
                raise ServerDidNotStart(
                    f"streamlit did not become healthy at {url} ({reason}). Its log:\n"
                    + log_path.read_text(encoding="utf-8", errors="replace")
                )
            time.sleep(0.25)
        yield url
    finally:
        _stop(proc)


@contextmanager
def serve_for_tests(name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``serve`` for a fixture: a server that does not start fails the test with its log; after the run the log
    (test-artifacts/NAME-streamlit-PID.log) is kept and printed only if the app logged a traceback."""
    log = ARTIFACTS / f"{name}-streamlit-{os.getpid()}.log"  # one per worker: runs may overlap
    try:
        with serve(log, env=env) as url:
            yield url
    except ServerDidNotStart as err:
        pytest.fail(str(err), pytrace=False)
    text = log.read_text(encoding="utf-8", errors="replace")
    if "Traceback" in text:
        print(f"The app logged errors; its log is kept at {log}:\n{text}")
    else:
        log.unlink(missing_ok=True)


class TabPool:
    """Browser tabs kept for the whole session, one per context, lent to one test at a time.

    Chromium spends most of a page load compiling Streamlit's and Plotly's JavaScript (about 3.5 s of CPU
    in a new context); a tab that has loaded the app before loads it again for about a third of that.
    Nothing else carries over: a tab is lent with its context's cookies cleared (every cookie the app
    sets: the quiz score, a teacher's session) and given back through its origin's storage cleared and
    about:blank, which ends its Streamlit session. One context per tab, so two tabs of one test never
    share cookies. What a tab can change for itself (its size, colour scheme, reduced motion) is set on
    each loan; what only a new context can set (a phone's touch, say) keeps tabs apart.
    """

    _PER_TAB = ("viewport", "color_scheme", "reduced_motion")

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._idle: dict[str, list[Page]] = {}
        self._kind: dict[Page, str] = {}
        self.errors: dict[Page, list[str]] = {}
        self.made = self.lent = 0

    def lend(self, **options) -> Page:
        """A tab in a context with ``options`` (``browser.new_context`` options)."""
        per_tab = {"viewport": DESKTOP, "color_scheme": "light", "reduced_motion": "no-preference"}
        per_tab |= {k: options.pop(k) for k in self._PER_TAB if k in options}
        kind = json.dumps(options, sort_keys=True)
        self.lent += 1
        if self._idle.get(kind):
            page = self._idle[kind].pop()
            page.context.clear_cookies()
            self.errors[page].clear()
        else:
            self.made += 1
            context = self._browser.new_context(**options, **per_tab)
            context.set_default_timeout(10_000)
            page = context.new_page()
            self.errors[page] = attach_error_log(page)
            self._kind[page] = kind
        if page.viewport_size != per_tab["viewport"]:
            page.set_viewport_size(per_tab["viewport"])
        page.emulate_media(color_scheme=per_tab["color_scheme"], reduced_motion=per_tab["reduced_motion"])
        return page

    def give_back(self, page: Page) -> None:
        """Take the tab back once its test is done: its other tabs closed, its storage cleared, on about:blank."""
        context = page.context
        try:
            for other in context.pages:
                if other is not page:
                    other.close()
            if page.url.startswith("http"):
                page.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
            page.goto("about:blank")
            page.set_default_timeout(10_000)
        except Exception:  # a tab left in a state it cannot leave (a crash, a closed page): not lent again
            self.errors.pop(page, None)
            context.close()
            return
        self._idle.setdefault(self._kind[page], []).append(page)
