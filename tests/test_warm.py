"""Warming: what a class opens first is built before it arrives, once per dataset, in the background."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import Dataset, data_path, load_dataset
from dashboard.views import BY_ID, VIEWS, warm


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(data_path())


def _fresh(dataset: Dataset) -> Bundle:
    bundle = Bundle.build(dataset)
    bundle.memo.freeze = False  # the tests look at what is built, not at the collector
    return bundle


def test_warm_builds_every_default_view_and_every_presenter_step(dataset: Dataset) -> None:
    bundle = _fresh(dataset)
    built = warm.warm(bundle)
    for view in VIEWS:
        if view.builds:
            assert (view.id, view.defaults(bundle)) in built, view.id
    assert dataset.paths, "the curated data has presenter paths"
    for path in dataset.paths:
        for i, step in enumerate(path.steps):
            settings, _ = BY_ID[step.page].from_link(bundle, step.settings)
            if BY_ID[step.page].builds:
                assert (step.page, settings) in built, f"{path.id} step {i + 1}"
            assert ("step-view-link", path.id, i) in built


def test_after_warming_a_class_builds_nothing(dataset: Dataset) -> None:
    bundle = _fresh(dataset)
    warm.warm(bundle)
    builds = bundle.memo.builds
    for view in VIEWS:
        view.build(bundle, view.defaults(bundle))
    for path in dataset.paths:
        for i, step in enumerate(path.steps):
            BY_ID[step.page].build(bundle, warm.step_settings(bundle, path.id, i))
    assert bundle.memo.builds == builds
    assert warm.warm(bundle) == [], "a second warm finds everything built"


def test_a_failing_build_is_skipped_and_the_rest_still_warms(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = _fresh(dataset)
    real = warm._view_default

    def broken(b: Bundle, view):
        if view.id == "timeline":
            raise RuntimeError("no timeline")
        return real(b, view)

    monkeypatch.setattr(warm, "_view_default", broken)
    built = warm.warm(bundle)
    compare = BY_ID["compare"]
    assert (compare.id, compare.defaults(bundle)) in built


def test_the_hook_warms_each_dataset_once_in_a_background_thread(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(warm.ENV, "1")
    bundle = _fresh(dataset)
    asked_from = threading.get_ident()
    threads = []
    real = warm._warm

    def spy(ref, pause: float) -> list:
        threads.append(threading.get_ident())
        return real(ref, pause)

    monkeypatch.setattr(warm, "_warm", spy)
    assert warm.start(bundle, pause=0.0)
    assert not warm.start(bundle), "once per dataset"
    assert warm.idle(timeout=60)
    assert threads and asked_from not in threads
    timeline = BY_ID["timeline"]
    assert (timeline.id, timeline.defaults(bundle)) in bundle.memo


def test_warming_is_off_when_the_deployment_says_so(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warm.ENV, "0")
    bundle = _fresh(dataset)
    assert not warm.start(bundle)
    assert len(bundle.memo) == 0


def test_warming_waits_while_sessions_ask_for_values(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """A class that has arrived builds what it opens itself; warming goes on once the sessions are quiet."""
    bundle = _fresh(dataset)
    built_at: list[float] = []
    monkeypatch.setattr(warm, "plan", lambda b: [("one value", lambda: built_at.append(time.monotonic()))])
    busy_until = time.monotonic() + 1.0
    asked: list[float] = []

    def session() -> None:
        while time.monotonic() < busy_until:
            bundle.memo.get("page", lambda: "drawn")
            asked.append(time.monotonic())
            time.sleep(0.05)

    sessions = threading.Thread(target=session)
    sessions.start()
    time.sleep(0.1)
    warm.warm(bundle, pause=0.01)
    sessions.join()
    # Measured from the session's own ask just before the build, not from when it meant to stop: a loaded
    # machine may hold the session's thread back between two asks for longer than the quiet warming waits
    # for, and then building in that gap is right.
    assert built_at and asked
    before = [a for a in asked if a <= built_at[0]]
    assert before, "warming built before any session asked"
    quiet = built_at[0] - before[-1]
    assert quiet >= warm.QUIET_S - 0.06, f"warming built {quiet:.2f} s after a session asked"


def test_a_dataset_let_go_while_warming_waits_is_freed(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upload its visitor replaced, or the budget evicted, is not kept alive by warming waiting for quiet."""
    monkeypatch.setenv(warm.ENV, "1")
    monkeypatch.setattr(warm, "QUIET_S", 0.5)
    bundle = _fresh(dataset)
    bundle.memo.last_asked = time.monotonic() + 3600  # sessions keep asking: warming waits
    gone = weakref.ref(bundle)
    assert warm.start(bundle, pause=0.01)
    time.sleep(0.3)
    del bundle
    gc.collect()
    assert gone() is None
    assert warm.idle(timeout=10), "the warming stopped once the dataset was gone"


def test_warming_waits_while_an_upload_is_checked(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.uploads.worker import TURNS

    bundle = _fresh(dataset)
    built_at: list[float] = []
    monkeypatch.setattr(warm, "plan", lambda b: [("one value", lambda: built_at.append(time.monotonic()))])
    monkeypatch.setattr(TURNS, "running", 1)  # a checker child is running
    done_at = time.monotonic() + 0.8

    def checker_finishes() -> None:
        time.sleep(0.8)
        TURNS.running = 0

    threading.Thread(target=checker_finishes).start()
    warm.warm(bundle, pause=0.01)
    assert built_at and built_at[0] >= done_at - 0.05
