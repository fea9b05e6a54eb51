"""Fixtures for the browser tests: the app served on a free local port, Debian's Chromium, fresh pages.

Without /usr/bin/chromium the tests are skipped with the reason, unless
REQUIRE_BROWSER=1 (as in CI), when that is a failure. The server runs from the
repository root with the project's .streamlit/config.toml, and is stopped with
its whole process group at the end of the session; its log is kept in
test-artifacts/ and shown if it fails to start.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browserkit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXPECT_TIMEOUT_MS,
    MISSING_BROWSER,
    TabPool,
    serve_for_tests,
    wait_for_app,
)
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from dashboard.data.dataset import data_path, load_dataset
from dashboard.data.frames import Tables, build_tables

__all__ = ["wait_for_app"]  # the helper lives in browserkit.py, shared with the tests

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test here ``browser`` (``-m "not browser"`` leaves them out), and under pytest-xdist
    (``--dist loadgroup``) keep the tests that share a server on one worker.

    A test of the project's app (``app_url``) goes to whichever worker is free: each worker starts that
    server and one browser once, when it first needs them. A module serving an app of its own (a
    poisoned dataset, a room store) goes whole to one worker, so its server starts once too.
    """
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if "app_url" not in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(f"browser-{item.path.stem}"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, or a skip (a failure with REQUIRE_BROWSER=1) if it is not installed."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_BROWSER)
        pytest.skip(MISSING_BROWSER)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def app_url(chromium_path: str) -> Iterator[str]:
    """``streamlit run dashboard/app.py`` on a free loopback port; yields its base URL."""
    with serve_for_tests("browser-tests") as url:
        yield url


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright, chromium_path: str) -> Iterator[Browser]:
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    browser = playwright_instance.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def tab_pool(browser: Browser) -> Iterator[TabPool]:
    pool = TabPool(browser)
    yield pool
    print(f"browser tabs: {pool.made} made for {pool.lent} loans")


@pytest.fixture
def open_page(tab_pool: TabPool) -> Iterator[Callable[..., Page]]:
    """A factory of pages, each in a context of its own (cookies, viewport, colour scheme), none shared
    within a test.

    ``open_page(viewport=..., color_scheme=...)`` takes ``browser.new_context`` options. Every page
    records its uncaught errors and console errors: ``page_errors[page]``. The tabs come from the
    session's ``TabPool``: a test starts with no cookie and no stored data, as a new visitor would.
    """
    lent: list[Page] = []

    def make(**options) -> Page:
        page = tab_pool.lend(**options)
        lent.append(page)
        _ERRORS[page] = tab_pool.errors[page]
        return page

    yield make
    for page in lent:
        _ERRORS.pop(page, None)
        tab_pool.give_back(page)


_ERRORS: dict[Page, list[str]] = {}


@pytest.fixture
def page_errors() -> dict[Page, list[str]]:
    """Uncaught and console errors recorded on each page made by ``open_page``."""
    return _ERRORS


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A fresh 1280×900 page."""
    return open_page()


@pytest.fixture(scope="session")
def app_tables() -> Tables:
    """The frames of the dataset the server shows (same file: DASHBOARD_DATA or the default)."""
    return build_tables(load_dataset(data_path()))
