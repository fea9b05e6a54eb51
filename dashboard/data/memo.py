"""A small, bounded, thread-safe memo for work that depends only on the dataset and a view's settings.

Every session shares the loaded dataset, so a figure or table built for one
set of settings serves every visitor who asks for the same view. What is kept
is never mutated by the pages.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept under ``key``, built (outside the lock) the first time it is asked for."""
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
        return value

    def __len__(self) -> int:
        return len(self._entries)
