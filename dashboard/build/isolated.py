"""Reading an uploaded article in a child process under the upload limits, as an uploaded story is checked.

An HTML page or a Word file is parsed by libraries (lxml, trafilatura, python-docx) that a hostile
file can drive to great memory or time; so a server reads it in a child with hard limits: its
address space once the readers are imported plus ``worker_mb`` (``RLIMIT_AS``), ``worker_cpu_s``
of CPU (``RLIMIT_CPU``), the least priority, and the wall time ``timeout_s``, past which the parent
kills it. At most ``workers`` articles are read at once, server-wide. What comes back is the
``SourceText`` or the ``BuildInputError``'s message; a limit reached is a ``BuildInputError`` too.

The child is a fresh interpreter (``python -m dashboard.build.isolated``, the file on its stdin, the
result as JSON on its stdout), never a fork of a server with many threads.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

from dashboard.build.extract import BuildInputError, SourceText, read_article
from dashboard.uploads.limits import MIB, UploadLimits, address_space
from dashboard.uploads.limits import current as current_limits

REPO = Path(__file__).resolve().parents[2]
_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _slot(workers: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        return _slots.setdefault(workers, threading.BoundedSemaphore(workers))


def read_article_limited(filename: str, data: bytes, limits: UploadLimits | None = None) -> SourceText:
    """``read_article`` in a child process under the upload limits; a limit reached is a ``BuildInputError``."""
    limits = limits or current_limits()
    name = os.path.basename(filename) or "article"
    if len(data) > limits.max_bytes:  # refused before a process is started for it
        raise BuildInputError(f"{name}: the file is {len(data):,} bytes; the limit is {limits.max_bytes:,}")
    deadline = time.monotonic() + limits.timeout_s  # the wall time covers the wait for a slot too
    slot = _slot(limits.workers)
    if not slot.acquire(timeout=limits.timeout_s):
        raise BuildInputError(f"{name}: the server is busy reading other files; try again in a minute")
    try:
        header = json.dumps({"filename": name, "worker_mb": limits.worker_mb, "cpu_s": limits.worker_cpu_s})
        try:
            run = subprocess.run(
                [sys.executable, "-m", "dashboard.build.isolated"],
                input=header.encode() + b"\n" + data,
                capture_output=True,
                timeout=max(deadline - time.monotonic(), 0.001),
                cwd=REPO,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise BuildInputError(
                f"{name}: reading the file took longer than {limits.timeout_s:g} s; it is refused"
            ) from None
    finally:
        slot.release()
    try:
        status, payload = json.loads(run.stdout.decode("utf-8"))
    except ValueError:  # killed: past its CPU time, or out of memory before it could say so
        raise BuildInputError(
            f"{name}: reading the file went past the limits ({limits.worker_cpu_s} s of CPU, "
            f"{limits.worker_mb:g} MB); it is refused"
        ) from None
    if status == "ok":
        return SourceText.model_validate(payload)
    if status == "bad":
        raise BuildInputError(payload)
    if status == "memory":
        raise BuildInputError(f"{name}: reading the file needs more than {limits.worker_mb:g} MB; it is refused")
    raise BuildInputError(f"{name}: the file could not be read ({payload})")


def _child() -> None:
    """The child's side: read the header line and the file from stdin, answer one JSON line on stdout."""
    os.nice(19)
    # What a read needs is imported before the limits are set, so they bound the file's cost alone.
    import docx  # noqa: F401
    import lxml.html  # noqa: F401
    import trafilatura  # noqa: F401

    raw = sys.stdin.buffer.read()
    head, _, data = raw.partition(b"\n")
    header = json.loads(head)
    room = address_space() + int(float(header["worker_mb"]) * MIB)
    resource.setrlimit(resource.RLIMIT_AS, (room, room))
    # RLIMIT_CPU counts the process's whole life: the imports' seconds are added, so the file gets its own.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(header["cpu_s"]) + math.ceil(usage.ru_utime + usage.ru_stime)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))  # SIGXCPU, then SIGKILL at the hard limit
    try:
        answer = ["ok", read_article(header["filename"], data).model_dump(mode="json")]
    except BuildInputError as err:
        answer = ["bad", str(err)]
    except MemoryError:
        answer = ["memory", ""]
    except BaseException as err:  # a parser's own failure: said plainly, never as a traceback
        answer = ["error", type(err).__name__]
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    _child()
