"""Build, before a class arrives, what it opens first: every view's default, every presenter step, the quiz.

A class does not trickle in: forty phones open the same page within seconds, often on a server that has just
started. Whatever no session has asked for yet is built by the first to ask while the others wait for it
(``Memo``), so the first class of the day would wait for every build in turn. ``warm`` builds those values
in the order a class meets them; ``start`` runs it once per dataset in a background thread that builds only
while no session is asking the memo for anything, and pauses after each build, so the health check and
the first page are served first (a page asking for a value the thread is building waits for that build,
it does not build it again).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from dashboard.data.bundle import Bundle
from dashboard.data.memo import background
from dashboard.views import BY_ID, VIEWS
from dashboard.views.base import Settings, View

log = logging.getLogger(__name__)  # the server's log: what an operator reads after a deploy
if not log.handlers:  # Python's own logging (Streamlit's logger is not public API): a line on stderr, as Streamlit's
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)

PAUSE_S = 0.02  # between two builds: the thread gives the interpreter back to the sessions being served
QUIET_S = 0.3  # ... and builds only once no session has asked for a value for this long


def _view_default(bundle: Bundle, view: View) -> None:
    settings = view.defaults(bundle)
    view.build(bundle, settings)


def step_settings(bundle: Bundle, path_id: str, index: int) -> Settings:
    """A presenter step's settings as its link gives them, kept under the key the presenter bar reads."""
    path = bundle.dataset.by_id("paths")[path_id]
    step = path.steps[index]
    view = BY_ID[step.page]
    return bundle.memo.get(("step-settings", path_id, index), lambda: view.from_link(bundle, step.settings)[0])


def _step(bundle: Bundle, path_id: str, index: int) -> None:
    from dashboard.views.steps import step_link_params

    path = bundle.dataset.by_id("paths")[path_id]
    view = BY_ID[path.steps[index].page]
    view.build(bundle, step_settings(bundle, path_id, index))
    step_link_params(path, index, bundle)  # the student link, the Previous and Next links
    if index + 1 < len(path.steps):
        step_link_params(path, index + 1, bundle)


def _quiz(bundle: Bundle) -> None:
    from dashboard.views.quiz import VIEW as QUIZ
    from dashboard.views.quiz.build import reveal

    for q in QUIZ.build(bundle, QUIZ.defaults(bundle)).questions:
        reveal(bundle, q)  # what a student sees on checking an answer


def plan(bundle: Bundle) -> list[tuple[str, Callable[[], Any]]]:
    """What to build, in the order a class meets it: the home page, every view's default, the quiz's
    default questions and their reveals, then every step of every presenter path."""
    todo: list[tuple[str, Callable[[], Any]]] = []
    for view in sorted(VIEWS, key=lambda v: not v.default):
        todo.append((f"{view.id} (default)", lambda v=view: _view_default(bundle, v)))
    todo.append(("quiz questions", lambda: _quiz(bundle)))
    for path in bundle.dataset.paths:
        for i, step in enumerate(path.steps):
            if step.page in BY_ID:
                todo.append((f"{path.id} step {i + 1} ({step.page})", lambda p=path.id, i=i: _step(bundle, p, i)))
    return todo


def _quiet(ref: Callable[[], Bundle | None]) -> bool:
    """Wait until no session has asked the memo for anything for ``QUIET_S`` (a class that has arrived
    builds what it opens itself, once, the others waiting) and no upload is being checked; False if the
    dataset was let go meanwhile."""
    while True:
        bundle = ref()
        if bundle is None:
            return False
        idle = time.monotonic() - bundle.memo.last_asked
        del bundle  # an upload evicted while this waits is freed, not kept by the wait
        if idle >= QUIET_S and not _checking():
            return True
        time.sleep(min(QUIET_S, max(QUIET_S - idle, 0.05)))


def _checking() -> bool:
    """Whether a visitor's upload is being checked or waits for the checker: the checker runs at the least
    priority (nice 19), so warming beside it would make the visitor wait, even past the wall time."""
    from dashboard.uploads.worker import TURNS

    return TURNS.running > 0 or TURNS.waiting() > 0


def warm(bundle: Bundle, pause: float = 0.0) -> list[Hashable]:
    """Build what a class opens first; the memo keys this built, in order (those already built are not).

    ``pause``: before each build wait until the sessions have been quiet for ``QUIET_S``, after it sleep
    as long as it took (at least ``pause``), so that sessions served meanwhile come first.
    One collection-and-freeze at the end instead of one per value. A build that fails is logged and
    skipped: the page that asks for it later shows the failure where it belongs.
    """
    return _warm(lambda: bundle, pause)


def _warm(ref: Callable[[], Bundle | None], pause: float) -> list[Hashable]:
    """``warm`` holding the dataset only while it builds (``ref``: a weak reference), between builds not:
    an upload its visitor replaced, or the budget evicted, stops the warming and is freed."""
    bundle = ref()
    if bundle is None:
        return []
    before, count = set(bundle.memo.kept()), len(plan(bundle))
    del bundle
    with background():
        for i in range(count):
            if pause and not _quiet(ref):
                return []
            bundle = ref()
            if bundle is None:
                return []
            what, build = plan(bundle)[i]
            began = time.perf_counter()
            try:
                build()
            except Exception:
                log.exception("warming %s failed", what)
            del bundle, build
            if pause:  # as long as the build took, at least ``pause``: sessions get half the interpreter or more
                time.sleep(max(pause, time.perf_counter() - began))
    bundle = ref()
    return [k for k in bundle.memo.kept() if k not in before] if bundle is not None else []


ENV = "NT_WARM"  # "off" or "0": no warming (the tests' default: each test's dataset would start a warm of its own)
_seen: weakref.WeakSet[Bundle] = weakref.WeakSet()  # each dataset is warmed once per process
_queue: queue.SimpleQueue[tuple[weakref.ref[Bundle], float]] = queue.SimpleQueue()
_worker: list[threading.Thread] = []
_lock = threading.Lock()
_pending = [0]  # datasets queued or being warmed


def enabled() -> bool:
    """Warming is on unless ``NT_WARM`` says off (``0``, ``off``, ``false``, ``no``), as ``NT_UPLOADS`` does."""
    return os.environ.get(ENV, "on").strip().lower() not in {"0", "off", "false", "no"}


def start(bundle: Bundle, pause: float = PAUSE_S) -> bool:
    """Warm ``bundle`` in the background, once per dataset and process; whether this call queued it.

    One thread warms one dataset at a time (the project's file first, then uploads as they come), so
    five visitors checking their own stories at once do not start five warms beside a class. An upload
    evicted before its turn is skipped (the queue holds it weakly).
    """
    if not enabled():
        return False
    with _lock:
        if bundle in _seen:
            return False
        _seen.add(bundle)
        _queue.put((weakref.ref(bundle), pause))
        _pending[0] += 1
        if not _worker:
            _worker.append(threading.Thread(target=_work, name="warm-views", daemon=True))
            _worker[0].start()
    return True


def idle(timeout: float = 60.0) -> bool:
    """Wait until the queue is empty and the worker is between warms (for tests and the benchmark)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pending[0]:
            return True
        time.sleep(0.05)
    return False


def _work() -> None:
    while True:
        ref, pause = _queue.get()
        try:  # (a build that fails is logged and skipped; nothing else should raise)
            began = time.perf_counter()
            keys = _warm(ref, pause)
            log.info("warmed %d values in %.1f s", len(keys), time.perf_counter() - began)
        finally:
            with _lock:
                _pending[0] -= 1
