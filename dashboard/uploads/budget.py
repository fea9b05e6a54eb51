"""The server-wide budget for uploaded datasets, and the per-session rate limit.

The registry holds every uploaded dataset strongly; a session holds only an
``UploadHandle``. Past ``max_held`` datasets or ``held_mb`` of memory, the least
recently used are dropped and their sessions told on their next run. A session's
upload is released when its handle dies: Streamlit 1.67 has no public session-end
hook, but a session's state is garbage once its tab has gone (closed, or past the
2-minute reconnect window of its session storage), and a ``weakref.finalize`` on
the handle it kept runs then. ``idle_s`` bounds what a missed release could hold.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import MutableSequence
from dataclasses import dataclass

from dashboard.data.bundle import Bundle
from dashboard.uploads.limits import MIB, UploadLimits

# Memory a held upload takes, per byte of its pickle: its resident size after unpickling (RSS before
# and after, gc collected) over the pickle's length, 3.4-3.6 from 0.3 to 4.5 MB files
# (bench/bench_upload.py --calibrate). The pickle length is exact and costs nothing to read.
HELD_PER_PICKLED_BYTE = 3.5


def held_bytes(pickled_bytes: int) -> int:
    """The measured estimate of what an uploaded dataset holds in the server."""
    return int(pickled_bytes * HELD_PER_PICKLED_BYTE)


class UploadHandle:
    """What a session keeps: a ticket for its dataset in the registry, never the dataset itself."""

    def __init__(self, token: int, source: str) -> None:
        self.token = token
        self.source = source


@dataclass
class _Entry:
    bundle: Bundle
    size: int
    used: float


@dataclass(frozen=True)
class Admitted:
    handle: UploadHandle | None  # None: this one alone is over the memory budget
    evicted: int  # how many others were unloaded to make room


class Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: OrderedDict[int, _Entry] = OrderedDict()  # least recently used first
        self._gone: set[int] = set()  # evicted, not yet told to their session
        self._tokens = itertools.count(1)
        self.stats = {"accepted": 0, "evicted": 0, "released": 0, "refused": 0}

    def admit(self, bundle: Bundle, size: int, limits: UploadLimits) -> Admitted:
        cap = int(limits.held_mb * MIB)
        if size > cap:
            with self._lock:
                self.stats["refused"] += 1
            return Admitted(None, 0)
        with self._lock:
            self._expire(limits)
            evicted = 0
            while self._held and (len(self._held) >= limits.max_held or self.total() + size > cap):
                token, _ = self._held.popitem(last=False)
                self._gone.add(token)
                evicted += 1
            token = next(self._tokens)
            self._held[token] = _Entry(bundle, size, time.monotonic())
            self.stats["accepted"] += 1
            self.stats["evicted"] += evicted
        handle = UploadHandle(token, bundle.dataset.source)
        weakref.finalize(handle, self.release, token)  # the session is gone: so is its upload
        return Admitted(handle, evicted)

    def get(self, handle: UploadHandle, limits: UploadLimits) -> Bundle | None:
        """The session's dataset, or None if it was unloaded (then ``was_evicted`` says so once)."""
        with self._lock:
            self._expire(limits)
            entry = self._held.get(handle.token)
            if entry is None:
                return None
            entry.used = time.monotonic()
            self._held.move_to_end(handle.token)
            return entry.bundle

    def was_evicted(self, handle: UploadHandle) -> bool:
        with self._lock:
            if handle.token in self._gone:
                self._gone.discard(handle.token)
                return True
            return False

    def release(self, token: int) -> None:
        with self._lock:
            if self._held.pop(token, None) is not None:
                self.stats["released"] += 1
            self._gone.discard(token)

    def total(self) -> int:
        return sum(e.size for e in self._held.values())

    def count(self) -> int:
        return len(self._held)

    def refused(self) -> None:
        with self._lock:
            self.stats["refused"] += 1

    def _expire(self, limits: UploadLimits) -> None:
        now = time.monotonic()
        for token in [t for t, e in self._held.items() if now - e.used > limits.idle_s]:
            del self._held[token]
            self._gone.add(token)
            self.stats["evicted"] += 1


def settle() -> None:
    """After an upload comes or goes: collect once, then freeze what is left, and give freed memory back.

    Streamlit runs a full garbage collection after every script run of every session; an
    uploaded dataset's ~80,000 objects left in those walks cost each of a class's reruns
    ~18 ms per held upload (bench/README.md, "Uploads"). Frozen, they are skipped, as the
    built-in dataset is (shell/loading.py). Unfreezing first lets the collection free what
    has died since the last freeze (a released upload, a closed session's state).
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    if _libc is not None:
        _libc.malloc_trim(0)  # glibc keeps freed arenas otherwise: a released upload would stay in RSS


try:
    _libc: ctypes.CDLL | None = ctypes.CDLL("libc.so.6")
    _libc.malloc_trim  # noqa: B018 - glibc only
except (OSError, AttributeError):
    _libc = None

REGISTRY = Registry()  # one per server process: the budget is the process's memory


def rate_limited(history: MutableSequence[float], limits: UploadLimits, now: float | None = None) -> float:
    """Seconds until this session may start another upload (0: now, and the start is recorded)."""
    now = time.monotonic() if now is None else now
    while history and now - history[0] >= limits.window_s:
        del history[0]
    if len(history) >= limits.per_session:
        return limits.window_s - (now - history[0])
    history.append(now)
    return 0.0
