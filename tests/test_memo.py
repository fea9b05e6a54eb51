"""The memo every session shares: a value is built once, and kept out of the garbage collector's walks."""

from __future__ import annotations

import gc
import weakref

import pytest

from dashboard.data import memo as memo_module
from dashboard.data.memo import Memo


def _walked(value: object) -> bool:
    """Whether a full collection would walk ``value`` (frozen objects are not in ``gc.get_objects``)."""
    return any(o is value for o in gc.get_objects())


def test_a_value_is_built_once_and_then_shared() -> None:
    memo = Memo()
    built = []
    first = memo.get("k", lambda: built.append(1) or {"rows": [1, 2]})
    assert memo.get("k", lambda: built.append(2) or {}) is first
    assert built == [1]


def test_a_new_value_is_left_out_of_the_collectors_walks() -> None:
    value = Memo().get("figure", lambda: {"data": [[1, 2], [3]]})
    assert not _walked(value), "frozen with what else lives as long as the server"


def test_without_freezing_the_value_stays_in_the_walks() -> None:
    value = Memo(freeze=False).get("figure", lambda: {"data": [[1, 2], [3]]})
    assert _walked(value)


def test_the_oldest_entry_goes_past_the_bound() -> None:
    memo = Memo(max_entries=2, freeze=False)
    for k in "abc":
        memo.get(k, lambda k=k: [k])
    assert len(memo) == 2
    rebuilt = []
    memo.get("a", lambda: rebuilt.append("a") or ["a"])
    assert rebuilt == ["a"]


class _Node:
    """An object in a reference cycle: only the collector, not reference counting, frees it."""

    def __init__(self) -> None:
        self.me = self


def test_a_memo_hit_freezes_what_a_run_made_so_the_next_collection_skips_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memo = Memo()
    memo.get("k", lambda: [1])
    monkeypatch.setattr(memo_module, "_young", [0.0])  # the last freeze was long ago
    made_by_a_run = {"widgets": [[i] for i in range(10)]}
    assert _walked(made_by_a_run)
    memo.get("k", lambda: [2])
    assert not _walked(made_by_a_run)


def test_what_died_frozen_is_freed_by_a_sweep() -> None:
    node = _Node()
    gone = weakref.ref(node)
    gc.freeze()
    del node
    gc.collect()
    assert gone() is not None, "frozen: the collector does not look at it"
    memo_module.sweep_once()
    assert gone() is None
