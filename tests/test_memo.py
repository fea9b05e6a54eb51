"""The memo every session shares: a value is built once, and kept out of the garbage collector's walks."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Callable

import pytest

from dashboard.data import memo as memo_module
from dashboard.data.bundle import Bundle
from dashboard.data.dataset import data_path, load_dataset
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


# -- one build per key: a class arriving together ---------------------------------------------------


def _together(n: int, ask: Callable[[int], object], timeout: float = 10.0) -> list[object]:
    """``ask(i)`` in ``n`` threads started at one moment; what each got (a value or the exception raised)."""
    start = threading.Barrier(n)
    got: list[object] = [None] * n

    def one(i: int) -> None:
        start.wait()
        try:
            got[i] = ask(i)
        except Exception as error:
            got[i] = error

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting: deadlock"
    return got


def test_concurrent_askers_build_once_and_all_get_the_same_object() -> None:
    memo = Memo(freeze=False)
    calls = []

    def build() -> dict:
        calls.append(1)
        time.sleep(0.2)  # long enough for every other thread to ask while it is under way
        return {"figure": [1, 2, 3]}

    got = _together(20, lambda i: memo.get("view", build))
    assert len(calls) == 1
    assert all(g is got[0] for g in got)
    assert memo.builds == 1


def test_only_the_builder_settles_once_per_built_value(monkeypatch: pytest.MonkeyPatch) -> None:
    settled = []
    monkeypatch.setattr(memo_module, "settle", lambda: settled.append(1))
    memo = Memo()
    _together(10, lambda i: memo.get("view", lambda: time.sleep(0.2) or [i]))
    memo.get("view", lambda: [0])  # a hit
    assert settled == [1]


def test_an_exception_reaches_every_waiter_and_is_not_kept() -> None:
    memo = Memo(freeze=False)
    calls = []

    def failing() -> object:
        calls.append(1)
        time.sleep(0.2)
        raise ValueError("bad settings")

    got = _together(8, lambda i: memo.get("view", failing))
    assert len(calls) == 1, "the waiters were handed the one build's exception, not building again"
    assert all(isinstance(g, ValueError) and str(g) == "bad settings" for g in got)
    assert "view" not in memo
    assert memo.get("view", lambda: "built again") == "built again"


def test_different_keys_build_in_parallel() -> None:
    memo = Memo(freeze=False)
    both_started = threading.Barrier(2, timeout=5)

    def build(i: int) -> int:
        both_started.wait()  # raises BrokenBarrierError if the other key's build waited for this one
        return i

    assert _together(2, lambda i: memo.get(("key", i), lambda: build(i))) == [0, 1]


def test_a_build_may_ask_for_another_key() -> None:
    memo = Memo(freeze=False)

    def outer() -> list[int]:
        return [*memo.get("inner", lambda: [1, 2]), 3]

    got = _together(6, lambda i: memo.get("outer", outer))
    assert all(g == [1, 2, 3] for g in got)
    assert memo.builds == 2
    assert memo.get("inner", list) == [1, 2]


def test_builds_waiting_on_each_other_do_not_deadlock() -> None:
    """Thread A builds a, which asks for b; thread B builds b, which asks for a. The second to ask sees that
    waiting would wait for itself and builds its own copy (here a build asks for the other key only once)."""
    memo = Memo(freeze=False)
    both_building = threading.Barrier(2, timeout=5)
    first = {"a": True, "b": True}

    def build(mine: str, theirs: str) -> str:
        if not first[mine]:
            return mine
        first[mine] = False
        both_building.wait()
        return mine + memo.get(theirs, lambda: build(theirs, mine))

    got = _together(2, lambda i: memo.get("ab"[i], lambda: build("ab"[i], "ba"[i])))
    # whichever thread asked second built its own copy of the other's key, and both went on
    assert sorted(map(str, got)) in (["aba", "ba"], ["ab", "bab"]), got


def test_a_build_asking_for_its_own_key_builds_it_rather_than_waiting_for_itself() -> None:
    memo = Memo(freeze=False)
    depth = []

    def build() -> str:
        depth.append(1)
        return "inner" if len(depth) > 1 else "outer:" + memo.get("k", build)

    assert memo.get("k", build) == "outer:inner"


def test_the_views_builds_ask_the_memo_for_sub_keys() -> None:
    """The views' own builds are re-entrant (a compare build asks for its outlets' part): many sessions
    asking for one view at once build it once, sub-keys included."""
    from dashboard.views import BY_ID

    dataset = load_dataset(data_path())
    for view_id in ("timeline", "compare"):
        bundle = Bundle.build(dataset)
        bundle.memo.freeze = False
        view = BY_ID[view_id]
        settings = view.defaults(bundle)
        before = bundle.memo.builds
        got = _together(6, lambda i, v=view, b=bundle, s=settings: v.build(b, s))
        assert all(g is got[0] for g in got)
        assert bundle.memo.builds - before >= 2, f"{view_id}: the build asked the memo for no sub-key"
        again = bundle.memo.builds
        view.build(bundle, settings)
        assert bundle.memo.builds == again
