"""An uploaded file's bytes kept on disk while it waits for the checker, not in the server's memory.

A visitor's file waits in line for the one checker (about 3 s a file); six visitors uploading the
largest allowed file at once held ~22 MB of waiting bytes in the server (each also pickled once
more into the forkserver's arguments). Spooled, the server holds a path: the checker child reads
the file itself, under its own memory limit. The file is removed when the check is done, or when
its session is dropped without taking it (a tab closed while its file waited).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import weakref
from pathlib import Path

PREFIX = "nt-upload-"


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


class Spooled:
    """The bytes of one uploaded file in a private temporary file (mode 0600)."""

    def __init__(self, data: bytes, name: str, folder: str | None = None) -> None:
        fd, path = tempfile.mkstemp(prefix=PREFIX, suffix=".upload", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except BaseException:
            _remove(path)
            raise
        self.path, self.name, self.size = Path(path), name, len(data)
        self._finalizer = weakref.finalize(self, _remove, path)

    def discard(self) -> None:
        """Remove the file now (it is removed anyway once this object is garbage)."""
        self._finalizer()

    @property
    def exists(self) -> bool:
        return self._finalizer.alive and self.path.exists()


def spool(data: bytes, name: str, folder: str | None = None) -> Spooled | bytes:
    """The file on disk; its bytes as they are if the temporary folder cannot be written (read-only hosts)."""
    try:
        return Spooled(data, name, folder)
    except OSError:
        return data
