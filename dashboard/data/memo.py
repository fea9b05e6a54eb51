"""A small, bounded, thread-safe memo for work that depends only on the dataset and a view's settings.

Every session shares the loaded dataset, so a figure or table built for one
set of settings serves every visitor who asks for the same view. What is kept
is never mutated by the pages. A class arrives together: forty sessions asking for a view
nobody has built yet wait for one build of it, not forty builds in parallel under one GIL.

A new value is also taken out of the garbage collector's walks (``settle``, once per built
value, by the thread that built it): Streamlit
collects after every script run of every session, and under a class's load those full
collections are most of what the server does (bench/README.md, "Class load"). A built
value, and the modules its build imported, live as long as the server. Each memo hit also
freezes whatever is alive then (``freeze_young``, at most every 0.2 s), so the collection after
a run walks only what that run made; a thread frees what died frozen every 10 s (``sweep_once``).
"""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


REFREEZE_S = 60.0  # at most this often a settle unfreezes first, so what was frozen and has died is freed
_unfrozen = [time.monotonic()]  # when the last settle unfroze (one process, one collector)


def settle() -> None:
    """Collect, then freeze what survives, so that later collections skip it.

    Freezing takes in whatever else is alive at that moment too (other sessions' state); what of
    it later dies in a reference cycle is freed once a settle unfreezes, at most every
    ``REFREEZE_S`` seconds (that collection walks everything once, the dataset included).
    """
    if time.monotonic() - _unfrozen[0] >= REFREEZE_S:
        gc.unfreeze()
        _unfrozen[0] = time.monotonic()
    gc.collect()
    gc.freeze()


YOUNG_FREEZE_S = 0.2  # at most this often a memo hit freezes what is alive (gc.freeze moves lists: O(1))
SWEEP_S = 10.0  # how often a thread unfreezes and collects: what was frozen and has died since is freed
SWEEP_FOR_S = 180.0  # ... for this long after the last freeze (closed sessions are kept two minutes)
_young = [0.0]  # when a hit last froze
_sweeper: list[threading.Thread] = []
_sweeper_lock = threading.Lock()


def freeze_young() -> None:
    """Freeze what is alive now, so that the collection after each run walks only what was made since.

    Streamlit collects fully after every script run (``runner.postScriptGC``); once the memo's values
    are frozen, what it walks is the sessions' own state (widgets, queues, script runners, and the
    closed sessions kept two minutes for reconnection): 40 of them make every run of every session dear.
    What is frozen and later dies in a reference cycle is freed by a sweep every ``SWEEP_S`` seconds,
    in a thread of its own, so memory returns also while nobody runs a page (an idle server stops
    sweeping ``SWEEP_FOR_S`` after its last freeze).
    """
    now = time.monotonic()
    if now - _young[0] < YOUNG_FREEZE_S:
        return
    _young[0] = now
    gc.freeze()
    with _sweeper_lock:
        if not _sweeper:
            _sweeper.append(threading.Thread(target=_sweep, name="memo-gc-sweep", daemon=True))
            _sweeper[0].start()


def sweep_once() -> None:
    """Free what was frozen and has died since: one full collection (about 90 ms at the curated data)."""
    gc.unfreeze()
    _unfrozen[0] = time.monotonic()
    gc.collect()
    gc.freeze()


def _sweep() -> None:
    while True:
        time.sleep(SWEEP_S)
        if time.monotonic() - _young[0] <= SWEEP_FOR_S + SWEEP_S:  # else nothing frozen since the last sweeps
            sweep_once()


class _Flight:
    """One build under way: who builds it, and the outcome every waiter is handed."""

    __slots__ = ("builder", "done", "error", "value")

    def __init__(self, builder: int) -> None:
        self.builder = builder  # the building thread's ident
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class Memo:
    """Values by key, each built once however many sessions ask for it at the same moment.

    While a value is being built, every other thread asking for its key waits for that one build
    (single-flight) and is handed its value, or its exception (an exception is not kept: the next
    ask builds again). A build may ask the memo for other keys. A thread that would wait for a
    build which is itself, directly or through other builds, waiting for this thread builds its
    own copy instead of deadlocking.
    """

    def __init__(self, max_entries: int = 512, freeze: bool = True) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._waiting: dict[int, Hashable] = {}  # thread ident -> the key it waits for
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.freeze = freeze  # settle after each new value (see the module's docstring)
        self.builds = 0  # how many builds ran (what warming and the tests count)
        self.last_asked = 0.0  # when a session (not background work) last asked for a value, monotonic

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept under ``key``, built (outside the lock) by the first thread that asks for it."""
        if not _background.active:
            self.last_asked = time.monotonic()
        if self.freeze:
            freeze_young()
        me = threading.get_ident()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            flight = self._flights.get(key)
            if flight is None:
                flight = self._flights[key] = _Flight(me)
                mine = True
            elif self._would_deadlock(flight.builder, me):
                mine, flight = True, _Flight(me)  # built here, beside the other (both results are equal)
            else:
                mine = False
                self._waiting[me] = key
        if not mine:
            try:
                flight.done.wait()
            finally:
                with self._lock:
                    self._waiting.pop(me, None)
            if flight.error is not None:
                raise flight.error
            return flight.value
        return self._build(key, flight, build)

    def _would_deadlock(self, builder: int, me: int) -> bool:
        """Whether ``builder`` waits, through a chain of builds, for a build of thread ``me`` (lock held)."""
        seen = set()
        while builder not in seen:
            if builder == me:
                return True
            seen.add(builder)
            key = self._waiting.get(builder)
            flight = self._flights.get(key) if key is not None else None
            if flight is None:
                return False
            builder = flight.builder
        return False

    def _build(self, key: Hashable, flight: _Flight, build: Callable[[], T]) -> T:
        try:
            value = build()
        except BaseException as error:
            flight.error = error
            with self._lock:
                if self._flights.get(key) is flight:
                    del self._flights[key]
            flight.done.set()
            raise
        with self._lock:
            self.builds += 1
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            if self._flights.get(key) is flight:
                del self._flights[key]
        flight.value = value
        flight.done.set()  # the waiters go on; the collection below is the builder's alone
        if self.freeze and not _background.active:
            settle()
        return value

    def kept(self) -> list[Hashable]:
        """The keys kept now, oldest use first."""
        with self._lock:
            return list(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)


class _Background(threading.local):
    active = False


_background = _Background()


@contextmanager
def background() -> Iterator[None]:
    """Build values in this thread as background work (warming): one collect-and-freeze at the end, not one
    per value, and ``last_asked`` keeps recording only what sessions ask for."""
    if _background.active:
        yield
        return
    _background.active = True
    try:
        yield
    finally:
        _background.active = False
        settle()
