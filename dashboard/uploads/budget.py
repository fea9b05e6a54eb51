"""The server-wide budget for uploaded datasets, and the per-session rate limit.

The registry holds every uploaded dataset strongly; a session holds only an
``UploadHandle``. Past ``max_held`` datasets or ``held_mb`` of memory, the least
recently used are dropped and their sessions told on their next run. Each upload has
an unguessable token, the ``story`` in its tab's links: a reload, or a link shared from
the tab, takes another handle on the same dataset (no second copy). An upload is
released when the last handle on it dies: Streamlit 1.67 has no public session-end
hook, but a session's state is garbage once its tab has gone (closed, or past the
2-minute reconnect window of its session storage, which is what carries a reload
over), and a ``weakref.finalize`` on the handle it kept runs then. ``idle_s`` bounds
what a missed release could hold.

Room is made before a checked upload is unpickled (``make_room``), so the server never
holds the budget plus the newcomer.
"""

from __future__ import annotations

import ctypes
import gc
import secrets
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, MutableSequence
from dataclasses import dataclass, field

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
    """What a session keeps: a ticket for its dataset in the registry, never the dataset itself.

    ``token`` is the story's unguessable name (``?story=TOKEN``): a reload of the tab, or a link
    shared from it, takes another handle on the same dataset. The dataset is released when the
    last handle on it is let go (``release``) or dies with its session.
    """

    def __init__(self, token: str, source: str) -> None:
        self.token = token
        self.source = source
        self._finalizer: weakref.finalize | None = None

    def release(self) -> None:
        """Let go of the dataset now (idempotent; otherwise done when this handle is garbage)."""
        if self._finalizer is not None:
            self._finalizer()


def new_token() -> str:
    """A story's name in links: 128 random bits, so that only whoever was given a link can open it."""
    return secrets.token_urlsafe(16)


@dataclass
class _Entry:
    bundle: Bundle
    size: int
    used: float
    sessions: set[str] = field(default_factory=set)  # the sessions showing it (Streamlit's ids), for ``on_evict``
    holders: int = 0  # live handles on it


@dataclass(frozen=True)
class Admitted:
    handle: UploadHandle | None  # None: this one alone is over the memory budget
    evicted: int  # how many others were unloaded to make room


class Registry:
    def __init__(self) -> None:
        # Reentrant: a handle's finalizer (release) can run inside any allocation, even one made
        # while this thread holds the lock.
        self._lock = threading.RLock()
        self._held: OrderedDict[str, _Entry] = OrderedDict()  # least recently used first
        self._gone: set[str] = set()  # evicted, not yet told to their session
        self.stats = {"accepted": 0, "evicted": 0, "released": 0, "refused": 0, "joined": 0}
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
                self._evicted(token, entry)
                evicted += 1
            return evicted

    def admit(self, bundle: Bundle, size: int, limits: UploadLimits, session: str = "") -> Admitted:
        with self._lock:
            evicted = self.make_room(size, limits)
            if evicted is None:
                self.stats["refused"] += 1
                return Admitted(None, 0)
            token = new_token()
            self._held[token] = _Entry(bundle, size, time.monotonic())
            self.stats["accepted"] += 1
            return Admitted(self._handle(token, session), evicted)

    def join(self, token: str, limits: UploadLimits, session: str = "") -> UploadHandle | None:
        """Another handle on the story named ``token`` (a reload, or a shared link); None if it is not held."""
        with self._lock:
            self._expire(limits)
            if token not in self._held:
                return None
            self._held.move_to_end(token)
            self._held[token].used = time.monotonic()
            self.stats["joined"] += 1
            return self._handle(token, session)

    def _handle(self, token: str, session: str) -> UploadHandle:
        entry = self._held[token]
        entry.holders += 1
        if session:
            entry.sessions.add(session)
        handle = UploadHandle(token, entry.bundle.dataset.source)
        handle._finalizer = weakref.finalize(handle, self._let_go, token)  # its session is gone: so is its hold
        return handle

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

    def _let_go(self, token: str) -> None:
        with self._lock:
            entry = self._held.get(token)
            if entry is not None:
                entry.holders -= 1
                if entry.holders <= 0:
                    del self._held[token]
                    self.stats["released"] += 1
                    _trim_later()
            else:
                self._gone.discard(token)

    def total(self) -> int:
        return sum(e.size for e in self._held.values())

    def count(self) -> int:
        return len(self._held)

    def refused(self) -> None:
        with self._lock:
            self.stats["refused"] += 1

    def _evicted(self, token: str, entry: _Entry) -> None:
        self._gone.add(token)
        self.stats["evicted"] += 1
        for session in entry.sessions:
            self.on_evict(session)

    def _expire(self, limits: UploadLimits) -> None:
        now = time.monotonic()
        for token in [t for t, e in self._held.items() if now - e.used > limits.idle_s]:
            self._evicted(token, self._held.pop(token))


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
