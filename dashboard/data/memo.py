"""A small, bounded, thread-safe memo for work that depends only on the dataset and a view's settings.

Every session shares the loaded dataset, so a figure or table built for one
set of settings serves every visitor who asks for the same view. What is kept
is never mutated by the pages.

A new value is also taken out of the garbage collector's walks (``settle``): Streamlit
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
from collections.abc import Callable, Hashable
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


class Memo:
    def __init__(self, max_entries: int = 512, freeze: bool = True) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.freeze = freeze  # settle after each new value (see the module's docstring)

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept under ``key``, built (outside the lock) the first time it is asked for."""
        if self.freeze:
            freeze_young()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = build()  # two sessions may build the same value at once; both results are equal
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        if self.freeze:
            settle()
        return value

    def __len__(self) -> int:
        return len(self._entries)
