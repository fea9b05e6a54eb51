"""Read, check and build an uploaded file's frames in a child process under hard limits.

The child is forked from a forkserver that has already imported the data layer, so a
check starts in milliseconds rather than re-importing pandas and pydantic. It sets its
own limits first (``RLIMIT_AS``: its address space at start plus ``worker_mb``;
``RLIMIT_CPU``: SIGXCPU past ``worker_cpu_s``), lowers its priority to the least
(nice 19, one core), and the parent kills it past the wall time. At most ``workers``
children run at once, server-wide; the others wait their turn in order, told their
place, and a file that waits longer than the wall time is refused. The server waits on
a pipe, which holds no lock, so every other session keeps running while a file is checked.

What comes back is the checked ``Dataset`` with its frames already built, pickled straight
into the pipe (no second copy in the child): a small header first, so the server knows what
follows and can make room in its budget before unpickling, then the payload, then the
child's peak memory and CPU. For the 4.5 MB benchmark file the payload is 12.5 MB and takes
the server about 0.06 s of CPU to unpickle; sending the dataset alone (4.8 MB) would cost it
0.05 s plus 0.3 s to build the frames, and the frames as Arrow IPC are no cheaper to read than
their pickle, so the pickled frames travel (bench/README.md, "Uploads").
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import multiprocessing
import os
import pickle
import resource
import select
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerProcess, set_spawning_popen
from pathlib import Path

from dashboard.data.dataset import Dataset, check_dataset
from dashboard.data.located import Problem
from dashboard.data.yaml_reader import Budgets
from dashboard.uploads.limits import MIB, UploadLimits, address_space

# Only what checking needs (pandas, pyarrow, pydantic, the views' setting checks: no streamlit, no plotly).
_PRELOAD = ["dashboard.uploads.worker", "dashboard.data.frames", "dashboard.views.checks"]
_context: multiprocessing.context.BaseContext | None = None
_lock = threading.Lock()
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """A checked upload: the dataset, or the problems (a limit is a problem located at 1:1)."""

    dataset: Dataset | None
    problems: list[Problem]
    pickled_bytes: int = 0  # what crossed the process boundary; the budget sizes the dataset from it
    refused: bool = False  # stopped by a limit (memory, CPU, wall time, busy), not by the file's content
    child_peak_bytes: int = 0  # the checker's peak resident memory (its ru_maxrss)
    child_cpu_s: float = 0.0  # the checker's CPU time
    load_s: float = 0.0  # the server's CPU time to unpickle the payload


def _ctx() -> multiprocessing.context.BaseContext:
    global _context
    with _lock:
        if _context is None:
            # forkserver: a clean, single-threaded parent to fork from (the server has many threads),
            # and the data layer imported once rather than for every file.
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


class _Popen(popen_forkserver.Popen):
    """The forkserver's launch, less the main module: under Streamlit ``__main__`` is the page script
    being run, and a child must not run the app again (CPython 3.11's ``_launch`` otherwise as is)."""

    def _launch(self, process_obj: multiprocessing.process.BaseProcess) -> None:
        prep = {k: v for k, v in spawn.get_preparation_data(process_obj._name).items() if "main" not in k}
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: multiprocessing.process.BaseProcess) -> _Popen:
        return _Popen(process_obj)


class _Turns:
    """Checkers server-wide: at most ``n`` running, the rest waiting in arrival order, told their place."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: deque[object] = deque()
        self.running = 0

    def acquire(self, n: int, timeout: float, report: Callable[[int], None]) -> bool:
        """Wait for a turn; ``report(place)`` (1 = next) whenever the place changes. False past ``timeout``."""
        me, told, deadline = object(), 0, time.monotonic() + timeout
        with self._cond:
            self._waiting.append(me)
            try:
                while True:
                    place = self._waiting.index(me) + 1
                    if place == 1 and self.running < n:
                        self._waiting.popleft()
                        self.running += 1
                        return True
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self._waiting.remove(me)
                        return False
                    if place != told:  # told outside the lock: the callback draws on the visitor's page
                        told = place
                        self._cond.release()
                        try:
                            report(place)
                        finally:
                            self._cond.acquire()
                        continue
                    self._cond.wait(left)
            except BaseException:  # the visitor's run was stopped while waiting
                if me in self._waiting:
                    self._waiting.remove(me)
                raise
            finally:
                self._cond.notify_all()  # the places behind this one have changed

    def release(self) -> None:
        with self._cond:
            self.running -= 1
            self._cond.notify_all()

    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)


TURNS = _Turns()


def _child(conn: Connection, data: bytes | Path, name: str, budgets: Budgets, worker_mb: float, cpu_s: int) -> None:
    # The server's own threads (every other visitor's clicks) come first: the least priority, and
    # one core at most (pyarrow's thread pool would otherwise spread over every core).
    os.nice(19)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    room = address_space() + int(worker_mb * MIB)
    resource.setrlimit(resource.RLIMIT_AS, (room, room))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 2))  # SIGXCPU, then SIGKILL at the hard limit
    with open(conn.fileno(), "wb", buffering=1 << 20, closefd=False) as out:
        try:
            from dashboard.data.frames import tables_of
            from dashboard.views.checks import view_checks

            if isinstance(data, Path):  # a spooled file, read here under the limits (never by the server)
                data = data.read_bytes()
            dataset, problems = check_dataset(data=data, name=name, budgets=budgets, checks=view_checks())
            if dataset is not None:
                tables_of(dataset)  # built here, not in the server: they travel with the dataset
            gc.collect()  # the reader's garbage gone before the pickler takes its own memory
            pickle.dump("dataset" if dataset is not None else "problems", out)
            pickle.dump((dataset, problems), out, protocol=pickle.HIGHEST_PROTOCOL)  # streamed: no 12.5 MB copy
        except MemoryError:
            pickle.dump("memory", out)
        except BaseException:  # the server logs it; the visitor gets a plain message
            pickle.dump("error", out)
            pickle.dump(traceback.format_exc(limit=5), out)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        pickle.dump((usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime), out)
    conn.close()


def _read_all(conn: Connection, deadline: float) -> io.BytesIO | None:
    """Everything the child writes until it closes the pipe, rewound (not copied); None past the deadline."""
    buf, fd = io.BytesIO(), conn.fileno()
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            buf.seek(0)
            return buf
        buf.write(chunk)


def _limit(name: str, message: str) -> Outcome:
    return Outcome(None, [Problem(name, 1, 1, message)], refused=True)


def check_upload(
    data: bytes | Path,
    name: str,
    budgets: Budgets,
    limits: UploadLimits,
    on_stage: Callable[[str, int], None] = lambda stage, place: None,
    before_load: Callable[[int], str | None] = lambda size: None,
) -> Outcome:
    """Check ``data`` (the bytes, or a file the child reads) in a child process; never raises for what
    the file or the limits do.

    ``on_stage(stage, place)``: "waiting" (with the file's place in the queue), "checking", "loading".
    ``before_load(pickled_bytes)``: called before a checked dataset is unpickled in the server, to
    make room for it; a message it returns refuses the dataset instead.
    """
    deadline = time.monotonic() + limits.timeout_s
    if not TURNS.acquire(limits.workers, limits.timeout_s, lambda place: on_stage("waiting", place)):
        return _limit(name, "the server is busy checking other uploads; try again in a minute")
    try:
        on_stage("checking", 0)
        raw, exitcode = _run_child(_child, (data, name, budgets, limits.worker_mb, limits.worker_cpu_s), deadline)
        answered = raw is not None and raw.getbuffer().nbytes > 0
        outcome = _unpack(raw, name, limits, on_stage, before_load) if answered else None
        if outcome is not None:
            return outcome
        # No complete answer: the exit code says why.
        if raw is not None and exitcode in (-signal.SIGXCPU, -signal.SIGKILL) and time.monotonic() < deadline:
            return _limit(name, f"checking needed more than {limits.worker_cpu_s} s of CPU; stopped")
        if raw is None or exitcode is None or exitcode == -signal.SIGKILL:
            return _limit(name, f"checking took longer than {limits.timeout_s:g} s; stopped")
        return _limit(name, f"checking stopped unexpectedly (exit code {exitcode})")
    finally:
        TURNS.release()


def _load_frozen(stream: io.BytesIO) -> tuple[Dataset | None, list[Problem]]:
    """Unpickle with the collector off, then freeze what came: no collection ever walks a held upload.

    Unpickling the 4.5 MB file's ~300,000 objects with the collector on set off full collections
    that walked the whole server: 0.27 s of its interpreter instead of 0.06 s. Frozen, the objects
    stay out of the full collection Streamlit runs after every script run (~18 ms per held upload
    otherwise); reference counting still frees them when the upload is released. What was garbage
    before is collected first so that nothing dead is frozen with them.
    """
    gc.collect()  # the frozen generation is not walked: this is the unfrozen rest, a few ms
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(stream)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _unpack(
    stream: io.BytesIO,
    name: str,
    limits: UploadLimits,
    on_stage: Callable[[str, int], None],
    before_load: Callable[[int], str | None],
) -> Outcome | None:
    """The child's answer; None if it is incomplete (the child died while writing)."""
    try:  # made by our own child from our own classes
        kind = pickle.load(stream)
        if kind == "memory":
            return _limit(name, f"checking needed more than {limits.worker_mb:g} MB of memory; stopped")
        if kind == "error":
            _log.error("upload checker failed on %r:\n%s", name, pickle.load(stream))
            return _limit(name, "the file could not be checked (an error in the checker, logged on the server)")
        size = stream.getbuffer().nbytes - stream.tell()  # the payload (and the child's few-byte footer)
        if kind == "dataset":
            refusal = before_load(size)
            if refusal:
                return _limit(name, refusal)
            on_stage("loading", 0)
        cpu = time.thread_time()
        dataset, problems = _load_frozen(stream)
        load_s = time.thread_time() - cpu
        peak, child_cpu = pickle.load(stream)
    except (EOFError, pickle.UnpicklingError, ValueError):
        return None
    return Outcome(dataset, problems if dataset is None else [], size, False, peak, child_cpu, load_s)


@dataclass(frozen=True)
class Called:
    """What a function run in the checker gave back: its value, or why there is none (a sentence)."""

    value: object | None
    message: str = ""  # the function's own ValueError, or the limit that stopped it
    refused: bool = False  # stopped by a limit (memory, CPU, wall time, busy), not by the input


def _call_child(conn: Connection, target: str, name: str, data: bytes | Path, worker_mb: float, cpu_s: int) -> None:
    os.nice(19)  # as _child: the server's threads first, one core, the limits set before the input is read
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    room = address_space() + int(worker_mb * MIB)
    resource.setrlimit(resource.RLIMIT_AS, (room, room))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 2))
    with open(conn.fileno(), "wb", closefd=False) as out:
        try:
            import importlib

            module, _, function = target.partition(":")
            if isinstance(data, Path):
                data = data.read_bytes()
            value = getattr(importlib.import_module(module), function)(name, data)
            pickle.dump(("value", value), out, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            pickle.dump(("memory", None), out)
        except ValueError as error:  # the input's fault, said by the function in a sentence
            pickle.dump(("invalid", str(error)), out)
        except BaseException:
            pickle.dump(("error", traceback.format_exc(limit=5)), out)
    conn.close()


def _run_child(target: Callable[..., None], args: tuple, deadline: float) -> tuple[io.BytesIO | None, int | None]:
    """Run ``target(pipe_end, *args)`` in a checker child: what it wrote by ``deadline`` (None: it was killed
    then) and its exit code."""
    parent, child = _ctx().Pipe(duplex=False)
    proc = _Process(target=target, args=(child, *args), daemon=True)
    proc.start()
    child.close()
    try:
        raw = _read_all(parent, deadline)
    finally:
        parent.close()
    if raw is None and proc.is_alive():
        proc.kill()
    proc.join(5)
    return raw, proc.exitcode


def call_in_checker(
    target: str,
    name: str,
    data: bytes | Path,
    limits: UploadLimits,
    on_stage: Callable[[str, int], None] = lambda stage, place: None,
) -> Called:
    """Run ``target`` ("module:function", called with ``(name, data)``) in a checker child under the upload
    limits and the same turns as uploads; its value must pickle. Never raises for what the input does."""
    if (len(data) if isinstance(data, bytes) else data.stat().st_size) > limits.max_bytes:
        return Called(None, f"the file is over this server's {limits.max_mb:g} MB limit for uploads", True)
    deadline = time.monotonic() + limits.timeout_s
    if not TURNS.acquire(limits.workers, limits.timeout_s, lambda place: on_stage("waiting", place)):
        return Called(None, "the server is busy reading other uploads; try again in a minute", True)
    try:
        on_stage("checking", 0)
        raw, exitcode = _run_child(_call_child, (target, name, data, limits.worker_mb, limits.worker_cpu_s), deadline)
        try:
            kind, value = pickle.load(raw) if raw is not None else (None, None)
        except (EOFError, pickle.UnpicklingError, ValueError):
            kind, value = None, None
        if kind == "value":
            return Called(value)
        if kind == "invalid":
            return Called(None, str(value))
        if kind == "memory":
            return Called(None, f"reading it needed more than {limits.worker_mb:g} MB of memory; stopped", True)
        if kind == "error":
            _log.error("reading %r in the checker failed:\n%s", name, value)
            return Called(None, "the file could not be read (an error in the reader, logged on the server)")
        if raw is not None and exitcode in (-signal.SIGXCPU, -signal.SIGKILL) and time.monotonic() < deadline:
            return Called(None, f"reading it needed more than {limits.worker_cpu_s} s of CPU; stopped", True)
        if raw is None or exitcode is None or exitcode == -signal.SIGKILL:
            return Called(None, f"reading it took longer than {limits.timeout_s:g} s; stopped", True)
        return Called(None, f"reading it stopped unexpectedly (exit code {exitcode})", True)
    finally:
        TURNS.release()
