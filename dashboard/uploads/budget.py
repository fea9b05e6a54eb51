"""The server-wide budget for uploaded datasets, and the per-session rate limit.

The registry holds every uploaded dataset strongly; a session holds only an
``UploadHandle``. Past ``max_held`` datasets or ``held_mb`` of memory, the least
recently used are dropped and their sessions told on their next run. A session's
upload is released when its handle dies: Streamlit 1.67 has no public session-end
hook, but a session's state is garbage once its tab has gone (closed, or past the
2-minute reconnect window of its session storage), and a ``weakref.finalize`` on
the handle it kept runs then. ``idle_s`` bounds what a missed release could hold.

Room is made before a checked upload is unpickled (``make_room``), so the server never
holds the budget plus the newcomer.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, MutableSequence
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
    session: str = ""  # the session that uploaded it (Streamlit's session id), for ``on_evict``


@dataclass(frozen=True)
class Admitted:
    handle: UploadHandle | None  # None: this one alone is over the memory budget
    evicted: int  # how many others were unloaded to make room


class Registry:
    def __init__(self) -> None:
        # Reentrant: a handle's finalizer (release) can run inside any allocation, even one made
        # while this thread holds the lock.
        self._lock = threading.RLock()
        self._held: OrderedDict[int, _Entry] = OrderedDict()  # least recently used first
        self._gone: set[int] = set()  # evicted, not yet told to their session
        self._tokens = itertools.count(1)
        self.stats = {"accepted": 0, "evicted": 0, "released": 0, "refused": 0}
        # Told the session id of each upload evicted or expired: what that session still shows of it
        # (Streamlit keeps a page's displayed frames until the session's next run) can be dropped.
        self.on_evict: Callable[[str], None] = lambda session: None

    def make_room(self, size: int, limits: UploadLimits) -> int | None:
        """Unload the least recently used until an upload of ``size`` fits; None if it never can."""
        cap = int(limits.held_mb * MIB)
        with self._lock:
            if size > cap:
                return None
            self._expire(limits)
            evicted = 0
            while self._held and (len(self._held) >= limits.max_held or self.total() + size > cap):
                token, entry = self._held.popitem(last=False)
                self._gone.add(token)
                self.on_evict(entry.session)
                evicted += 1
            self.stats["evicted"] += evicted
            return evicted

    def admit(self, bundle: Bundle, size: int, limits: UploadLimits, session: str = "") -> Admitted:
        with self._lock:
            evicted = self.make_room(size, limits)
            if evicted is None:
                self.stats["refused"] += 1
                return Admitted(None, 0)
            token = next(self._tokens)
            self._held[token] = _Entry(bundle, size, time.monotonic(), session)
            self.stats["accepted"] += 1
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
                _trim_later()
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
            self.on_evict(self._held.pop(token).session)
            self._gone.add(token)
            self.stats["evicted"] += 1


_FULL_EVERY_S = 300.0
_last_full = -_FULL_EVERY_S


def settle(now: float | None = None) -> None:
    """After an upload is admitted: give freed memory back, and now and then collect what is frozen.

    The worker froze the upload as it unpickled it (``worker._load_frozen``). Objects that were
    frozen while alive and have since become garbage in reference cycles (closed sessions' state)
    are only freed by unfreezing and collecting, which walks every object in the server
    (0.15-0.3 s of its interpreter): done at most every 5 minutes, not on every upload.
    """
    global _last_full
    now = time.monotonic() if now is None else now
    if now - _last_full >= _FULL_EVERY_S:
        _last_full = now
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    trim()


_trim_due = False


def trim() -> None:
    """Give the memory glibc holds free back to the system (it keeps freed chunks for reuse otherwise)."""
    global _trim_due
    _trim_due = False
    if _libc is not None:
        _libc.malloc_trim(0)


def trim_if_due() -> None:
    """At the start of a script run: ``trim`` once after an upload was released or replaced.

    A replaced upload is freed only when the run that replaced it ends (its frames held it),
    after that run's ``settle``; the next run gives its memory back.
    """
    if _trim_due:
        trim()


def _trim_later() -> None:
    global _trim_due
    _trim_due = True


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
