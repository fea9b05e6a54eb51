"""The limits on uploads, read from the environment so any host can set them (docs/deploy.md).

Streamlit's config.toml takes only Streamlit's own options, and Community Cloud exposes
root-level secrets as environment variables, so one mechanism serves Docker, systemd
and the free tier alike. Values are read on every use: a test or an operator changes
them without a restart of the module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MIB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    enabled: bool = True  # NT_UPLOADS=off turns "Try your own story" off
    max_mb: float = 5.0  # NT_UPLOAD_MAX_MB: largest file (Streamlit's server.maxUploadSize caps it too)
    max_held: int = 6  # NT_UPLOAD_MAX_HELD: uploaded datasets held at once, server-wide
    held_mb: float = 60.0  # NT_UPLOAD_HELD_MB: their total memory, measured (budget.held_bytes; 5 MB file: 44)
    worker_mb: float = 200.0  # NT_UPLOAD_WORKER_MB: address space the checker may add (the 5 MB file needs ~150)
    worker_cpu_s: int = 20  # NT_UPLOAD_WORKER_CPU_S: CPU seconds per file
    timeout_s: float = 40.0  # NT_UPLOAD_TIMEOUT_S: wall time per file, including the wait for a checker
    workers: int = 1  # NT_UPLOAD_WORKERS: files checked at once, server-wide
    per_session: int = 3  # NT_UPLOAD_RATE: uploads one session may start ...
    window_s: float = 300.0  # NT_UPLOAD_RATE_WINDOW_S: ... within this many seconds
    idle_s: float = 3600.0  # NT_UPLOAD_IDLE_S: an upload unused this long is released

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * MIB)


def address_space() -> int:
    """This process's address space now (VmSize), in bytes; 0 where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


ENV = {
    "enabled": "NT_UPLOADS",
    "max_mb": "NT_UPLOAD_MAX_MB",
    "max_held": "NT_UPLOAD_MAX_HELD",
    "held_mb": "NT_UPLOAD_HELD_MB",
    "worker_mb": "NT_UPLOAD_WORKER_MB",
    "worker_cpu_s": "NT_UPLOAD_WORKER_CPU_S",
    "timeout_s": "NT_UPLOAD_TIMEOUT_S",
    "workers": "NT_UPLOAD_WORKERS",
    "per_session": "NT_UPLOAD_RATE",
    "window_s": "NT_UPLOAD_RATE_WINDOW_S",
    "idle_s": "NT_UPLOAD_IDLE_S",
}
_OFF = {"0", "off", "false", "no"}


def current() -> UploadLimits:
    """The limits now in force; a value that does not parse (or is not positive) keeps its default."""
    defaults = UploadLimits()
    values: dict[str, object] = {}
    for f in fields(UploadLimits):
        raw = os.environ.get(ENV[f.name], "").strip()
        if not raw:
            continue
        if f.name == "enabled":
            values[f.name] = raw.lower() not in _OFF
            continue
        kind = type(getattr(defaults, f.name))
        try:
            value = kind(float(raw)) if kind is int else float(raw)
        except ValueError:
            continue
        if value > 0:
            values[f.name] = value
    return UploadLimits(**values)
