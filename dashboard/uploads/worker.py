"""Read, check and build an uploaded file's frames in a child process under hard limits.

The child is forked from a forkserver that has already imported the data layer, so a
check starts in milliseconds rather than re-importing pandas and pydantic. It sets its
own limits first (``RLIMIT_AS``: its address space at start plus ``worker_mb``;
``RLIMIT_CPU``: SIGXCPU past ``worker_cpu_s``), and the parent kills it past the wall
time. At most ``workers`` children run at once, server-wide; a file that waits longer
than the wall time for its turn is refused. The server waits on a pipe, which holds no
lock, so every other session keeps running while a file is checked.

What comes back is the checked ``Dataset`` with its frames already built, pickled: for
the 4.5 MB benchmark file 12.5 MB, unpickled in 0.09–0.3 s. Sending the dataset alone
(4.8 MB) and building the frames in the server costs 0.28 s + 0.31 s of the server's
interpreter, so the frames travel too (bench/README.md, "Uploads").
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerProcess, set_spawning_popen

from dashboard.data.dataset import Dataset, check_dataset
from dashboard.data.located import Problem
from dashboard.data.yaml_reader import Budgets
from dashboard.uploads.limits import MIB, UploadLimits

_PRELOAD = ["dashboard.uploads.worker", "dashboard.data.frames", "dashboard.views.checks"]
_context: multiprocessing.context.BaseContext | None = None
_slots: tuple[int, threading.BoundedSemaphore] | None = None
_lock = threading.Lock()
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """A checked upload: the dataset, or the problems (a limit is a problem located at 1:1)."""

    dataset: Dataset | None
    problems: list[Problem]
    pickled_bytes: int = 0  # what crossed the process boundary; the budget sizes the dataset from it
    refused: bool = False  # stopped by a limit (memory, CPU, wall time, busy), not by the file's content


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


def _semaphore(n: int) -> threading.BoundedSemaphore:
    global _slots
    with _lock:
        if _slots is None or _slots[0] != n:
            _slots = (n, threading.BoundedSemaphore(n))
        return _slots[1]


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: Connection, data: bytes, name: str, budgets: Budgets, worker_mb: float, cpu_s: int) -> None:
    os.nice(10)  # the server's own threads (every other visitor's clicks) come first on a shared core
    room = _address_space() + int(worker_mb * MIB)
    resource.setrlimit(resource.RLIMIT_AS, (room, room))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 2))  # SIGXCPU, then SIGKILL at the hard limit
    try:
        from dashboard.views.checks import view_checks

        dataset, problems = check_dataset(data=data, name=name, budgets=budgets, checks=view_checks())
        if dataset is not None:
            dataset.tables  # built here, not in the server  # noqa: B018
        conn.send_bytes(pickle.dumps((dataset, problems), protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        conn.send_bytes(pickle.dumps("memory"))
    except BaseException:  # the server logs it; the visitor gets a plain message
        conn.send_bytes(pickle.dumps(("error", traceback.format_exc(limit=5))))
    finally:
        conn.close()


def _limit(name: str, message: str) -> Outcome:
    return Outcome(None, [Problem(name, 1, 1, message)], refused=True)


def check_upload(
    data: bytes,
    name: str,
    budgets: Budgets,
    limits: UploadLimits,
    on_stage: Callable[[str], None] = lambda _: None,
) -> Outcome:
    """Check ``data`` in a child process; never raises for what the file or the limits do."""
    deadline = time.monotonic() + limits.timeout_s
    slots = _semaphore(limits.workers)
    on_stage("waiting")
    if not slots.acquire(timeout=limits.timeout_s):
        return _limit(name, "the server is busy checking other uploads; try again in a minute")
    try:
        on_stage("checking")
        ctx = _ctx()
        parent, child = ctx.Pipe(duplex=False)
        proc = _Process(
            target=_child, args=(child, data, name, budgets, limits.worker_mb, limits.worker_cpu_s), daemon=True
        )
        proc.start()
        child.close()
        try:
            raw = parent.recv_bytes() if parent.poll(max(0.0, deadline - time.monotonic())) else None
        except EOFError:
            raw = None  # the child died before answering: its exit code says why
        finally:
            parent.close()
        if raw is None and proc.is_alive():
            proc.kill()
        proc.join(5)
        if raw is None:
            if proc.exitcode in (-signal.SIGXCPU, -signal.SIGKILL) and time.monotonic() < deadline:
                return _limit(name, f"checking needed more than {limits.worker_cpu_s} s of CPU; stopped")
            if proc.exitcode is None or proc.exitcode == -signal.SIGKILL:
                return _limit(name, f"checking took longer than {limits.timeout_s:g} s; stopped")
            return _limit(name, f"checking stopped unexpectedly (exit code {proc.exitcode})")
        on_stage("loading")
        result = pickle.loads(raw)  # made by our own child from our own classes
        if result == "memory":
            return _limit(name, f"checking needed more than {limits.worker_mb:g} MB of memory; stopped")
        if isinstance(result, tuple) and result and result[0] == "error":
            _log.error("upload checker failed on %r:\n%s", name, result[1])
            return _limit(name, "the file could not be checked (an error in the checker, logged on the server)")
        dataset, problems = result
        return Outcome(dataset, problems if dataset is None else [], len(raw))
    finally:
        slots.release()
