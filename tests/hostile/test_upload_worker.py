"""Uploads under the server's limits: a worker process with hard limits, a server-wide budget, a rate limit.

The worker is real (a forkserver child with rlimits), the registry is the server's own, and
pages run in AppTest. Limits are set as a deployment sets them: environment variables.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.data import frames
from dashboard.data.bundle import Bundle
from dashboard.markup.safe import md
from dashboard.shell import loading
from dashboard.shell.loading import PENDING_KEY, UNLOADED, UPLOAD_KEY, check_uploaded, load_uploaded
from dashboard.uploads import limits as upload_limits
from dashboard.uploads import worker
from dashboard.uploads.budget import REGISTRY, Registry, held_bytes, rate_limited
from dashboard.uploads.limits import MIB, UploadLimits
from dashboard.uploads.spool import PREFIX, Spooled, spool

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
SMALL = (REPO / "tests" / "classroom" / "classroom.yaml").read_bytes()  # the app's own story here (conftest)
BUILT_IN_TITLE = "Classroom test story"


def retitled(title: str) -> bytes:
    text = SMALL.decode("utf-8").replace(f"  title: {BUILT_IN_TITLE}\n", f'  title: "{title}"\n', 1)
    assert title in text
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def large() -> bytes:
    """A valid file of about 4.5 MB (the largest the default limits allow): over 2 s of CPU to check."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    return generate(events=1_500, claims=8_000).encode("utf-8")


def bundle_of(data: bytes, name: str = "mine.yaml") -> Bundle:
    loaded, problems = load_uploaded(data, name)
    assert problems == [] and loaded is not None
    return loaded


def only_message(outcome: object) -> str:
    assert outcome.dataset is None and outcome.refused
    [problem] = outcome.problems
    assert str(problem).startswith("big.yaml:1:1: ")
    return problem.message


def the_server_lives() -> None:
    """After a stopped check, the next file is checked as usual."""
    outcome = check_uploaded(SMALL, "next.yaml")
    assert outcome.problems == [] and outcome.dataset is not None


# -- the worker's limits ---------------------------------------------------------------------------------
def test_the_worker_checks_a_valid_file_and_reports_what_crossed_the_boundary(
    large: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = check_uploaded(large, "big.yaml")
    assert outcome.problems == [] and not outcome.refused
    assert outcome.dataset is not None and len(outcome.dataset.claims) == 8_000
    monkeypatch.setattr(frames, "build_tables", lambda ds: pytest.fail("the server built the frames"))
    assert len(frames.tables_of(outcome.dataset).claims) == 8_000  # the frames came back built
    assert outcome.pickled_bytes > len(large)


def test_a_file_needing_more_memory_than_allowed_is_stopped(large: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_WORKER_MB", "20")
    # The reader's and the checker's wall-time and CPU budgets out of the way (a busy machine, or one measuring
    # coverage, reads slowly: near 20 s of CPU under coverage): memory must stop it.
    monkeypatch.setenv("NT_UPLOAD_TIMEOUT_S", "600")
    monkeypatch.setenv("NT_UPLOAD_WORKER_CPU_S", "600")
    monkeypatch.setattr(loading, "UPLOAD_BUDGETS", dataclasses.replace(loading.UPLOAD_BUDGETS, max_seconds=600))
    assert only_message(check_uploaded(large, "big.yaml")) == "checking needed more than 20 MB of memory; stopped"
    the_server_lives()


def test_a_file_needing_more_cpu_than_allowed_is_stopped(large: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_WORKER_CPU_S", "1")
    # The reader's own wall-time budget out of the way: the CPU limit is what must stop it.
    monkeypatch.setattr(loading, "UPLOAD_BUDGETS", dataclasses.replace(loading.UPLOAD_BUDGETS, max_seconds=600))
    assert only_message(check_uploaded(large, "big.yaml")) == "checking needed more than 1 s of CPU; stopped"
    the_server_lives()


def test_a_file_taking_longer_than_the_wall_time_is_stopped(large: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_TIMEOUT_S", "0.3")
    assert only_message(check_uploaded(large, "big.yaml")) == "checking took longer than 0.3 s; stopped"
    monkeypatch.delenv("NT_UPLOAD_TIMEOUT_S")
    the_server_lives()


def test_a_smaller_size_limit_is_applied_by_the_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_MAX_MB", "0.001")
    outcome = check_uploaded(SMALL, "big.yaml")
    assert [p.message for p in outcome.problems] == [f"file is {len(SMALL):,} bytes; the limit is 1,048"]


def test_limits_come_from_the_environment_and_bad_values_keep_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_MAX_HELD", "2")
    monkeypatch.setenv("NT_UPLOAD_HELD_MB", "lots")
    monkeypatch.setenv("NT_UPLOAD_RATE", "-1")
    limits = upload_limits.current()
    assert limits.max_held == 2
    assert limits.held_mb == UploadLimits().held_mb and limits.per_session == UploadLimits().per_session
    for off in ["off", "0", "false", "No"]:
        monkeypatch.setenv("NT_UPLOADS", off)
        assert not upload_limits.current().enabled
    monkeypatch.setenv("NT_UPLOADS", "on")
    assert upload_limits.current().enabled


# -- the server-wide budget -----------------------------------------------------------------------------
def test_the_least_recently_used_upload_is_evicted_past_the_count() -> None:
    registry, limits = Registry(), UploadLimits(max_held=2)
    b = bundle_of(SMALL)
    first, second = (registry.admit(b, 1_000, limits).handle for _ in range(2))
    assert registry.get(first, limits) is b  # first is now the more recently used
    third = registry.admit(b, 1_000, limits)
    assert third.evicted == 1 and registry.count() == 2
    assert registry.get(second, limits) is None and registry.was_evicted(second)
    assert not registry.was_evicted(second)  # told once
    assert registry.get(first, limits) is b and registry.get(third.handle, limits) is b
    assert registry.stats["accepted"] == 3 and registry.stats["evicted"] == 1


def test_uploads_are_evicted_to_stay_within_the_memory_budget() -> None:
    registry, limits = Registry(), UploadLimits(max_held=10, held_mb=10)
    b = bundle_of(SMALL)
    handles = [registry.admit(b, 4 * MIB, limits).handle for _ in range(3)]
    assert registry.total() == 8 * MIB and registry.was_evicted(handles[0])
    assert registry.admit(b, 11 * MIB, limits).handle is None  # never fits: refused, nothing evicted
    assert registry.count() == 2 and registry.stats["refused"] == 1


def test_the_held_size_is_a_calibrated_multiple_of_the_pickle() -> None:
    assert held_bytes(1_000_000) == 3_500_000


def test_an_upload_is_released_when_its_session_is_gone() -> None:
    registry, limits = Registry(), UploadLimits()
    state = {UPLOAD_KEY: registry.admit(bundle_of(SMALL), 1_000, limits).handle}
    cycle = [state]
    state["self"] = cycle  # session state is not freed by reference counting alone
    del state, cycle
    assert registry.count() == 1
    gc.collect()  # Streamlit collects after every script run
    assert registry.count() == 0 and registry.stats["released"] == 1


def run(page: str | None = None, handle: object = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if handle is not None:
        at.session_state[UPLOAD_KEY] = handle
    if page:
        at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_evicted_visitor_is_told_and_sees_the_built_in_story(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_MAX_HELD", "1")
    limits = upload_limits.current()
    mine = REGISTRY.admit(bundle_of(retitled("My story EV-1")), 1_000, limits).handle
    a = run(handle=mine)
    assert [t.value for t in a.title] == [md("My story EV-1")]
    other = REGISTRY.admit(bundle_of(retitled("Their story EV-2")), 1_000, limits).handle  # evicts mine
    a.run()
    assert [w.value for w in a.warning] == [UNLOADED]
    assert [t.value for t in a.title] == [md(BUILT_IN_TITLE)]
    assert not any("uploaded" in i.value for i in a.sidebar.info)
    a.run()
    assert not a.warning  # said once
    b = run(handle=other)
    assert [t.value for t in b.title] == [md("Their story EV-2")]


# -- the rate limit and the upload path as a visitor's session runs it ----------------------------------
def test_the_rate_limit_counts_starts_within_the_window() -> None:
    limits, history = UploadLimits(per_session=2, window_s=60), []
    assert rate_limited(history, limits, now=0) == 0
    assert rate_limited(history, limits, now=10) == 0
    assert rate_limited(history, limits, now=20) == 40  # the first start leaves the window at 60
    assert rate_limited(history, limits, now=60) == 0
    assert history == [10, 60]


def upload_script(path: str, times: int) -> None:
    """A session that uploads the same file ``times`` times, as the methods page does."""
    from pathlib import Path

    import streamlit as st

    from dashboard.shell.loading import take_upload

    data = Path(path).read_bytes()
    st.session_state["answers"] = [[str(p) for p in take_upload(data, "mine.yaml")] for _ in range(times)]


def test_a_session_past_its_upload_rate_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_RATE", "2")
    monkeypatch.setenv("NT_UPLOAD_RATE_WINDOW_S", "600")
    path = tmp_path / "mine.yaml"
    path.write_bytes(SMALL)
    at = AppTest.from_function(upload_script, args=(str(path), 3), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["answers"][:2] == [[], []]
    assert at.session_state["answers"][2] == [
        "mine.yaml:1:1: this tab has started 2 uploads in the last 10 minutes; try again in 10 minute(s)"
    ]
    assert [s.label for s in at.main.children.values()] == ["Your file is loaded."] * 2  # st.status, then the result
    assert isinstance(at.session_state[UPLOAD_KEY].token, str)  # a ticket, not the dataset


def retaken_script(path: str) -> None:
    """A session whose one upload of the window was interrupted by a click and is taken up again."""
    from pathlib import Path

    import streamlit as st

    from dashboard.shell import loading

    st.session_state[loading.HISTORY_KEY] = []
    assert loading.take_upload(Path(path).read_bytes(), "first.yaml") == []  # the window's one start
    st.session_state[loading.PENDING_KEY] = (Path(path).read_bytes(), "again.yaml", True)  # as re-queued
    loading._take_pending()
    st.session_state["answer"] = [str(p) for p in st.session_state[loading.PROBLEMS_KEY]]
    st.session_state["starts"] = len(st.session_state[loading.HISTORY_KEY])


def test_a_file_taken_up_again_after_a_click_counts_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_RATE", "1")
    path = tmp_path / "mine.yaml"
    path.write_bytes(SMALL)
    at = AppTest.from_function(retaken_script, args=(str(path),), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["answer"] == [] and at.session_state["starts"] == 1


def test_with_uploads_off_the_methods_page_offers_none(monkeypatch: pytest.MonkeyPatch) -> None:
    on = run("methods")
    assert on.get("file_uploader")
    monkeypatch.setenv("NT_UPLOADS", "off")
    off = run("methods")
    assert not off.get("file_uploader")
    assert any(i.value == "Uploads are turned off on this server." for i in off.info)


# -- what an upload leaves in the server, and the queue ----------------------------------------------------
def test_the_checker_reports_its_peak_memory_and_cpu() -> None:
    outcome = check_uploaded(SMALL, "mine.yaml")
    assert outcome.dataset is not None
    assert 20 * MIB < outcome.child_peak_bytes < 2_000 * MIB and outcome.child_cpu_s > 0


def test_room_is_made_before_the_dataset_is_unpickled_and_a_refusal_keeps_it_out() -> None:
    sizes: list[int] = []

    def before_load(size: int) -> str | None:
        sizes.append(size)
        return "no room here"

    outcome = check_uploaded(SMALL, "big.yaml", before_load=before_load)
    assert only_message(outcome) == "no room here" and outcome.dataset is None
    assert len(sizes) == 1 and sizes[0] > len(SMALL)  # called once, with the payload's size
    assert check_uploaded(SMALL, "big.yaml", before_load=sizes.append).pickled_bytes == sizes[1]
    assert not check_uploaded(b"events: [", "bad.yaml", before_load=sizes.append).refused
    assert len(sizes) == 2  # a file with problems brings no dataset to make room for


def test_make_room_unloads_the_least_recently_used_and_never_what_cannot_fit() -> None:
    registry, limits = Registry(), UploadLimits(max_held=10, held_mb=10)
    b = bundle_of(SMALL)
    old, new = (registry.admit(b, 4 * MIB, limits).handle for _ in range(2))
    assert registry.make_room(11 * MIB, limits) is None and registry.count() == 2  # nothing evicted for it
    assert registry.make_room(4 * MIB, limits) == 1 and registry.was_evicted(old)
    assert registry.get(new, limits) is b and registry.total() == 4 * MIB


def uploader_script() -> None:
    """A file uploader whose file is queued as the methods page queues it, with Streamlit's store looked at."""
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    from dashboard.shell.loading import PENDING_KEY, queue_upload

    upload = st.file_uploader("Your dataset (.yaml)", key="file")
    if upload is not None:
        ctx = get_script_run_ctx()
        stored = lambda: len(ctx.uploaded_file_mgr.get_files(ctx.session_id, [upload.file_id]))  # noqa: E731
        st.session_state["stored before"] = stored()
        queue_upload(upload)
        st.session_state["stored after"] = stored()
        st.session_state["queued"] = st.session_state[PENDING_KEY][1]


def test_an_uploaded_files_bytes_leave_streamlits_store_once_taken() -> None:
    at = AppTest.from_function(uploader_script, default_timeout=60)
    at.run()
    at.file_uploader[0].set_value(("mine.yaml", retitled("My story ST-1"), "application/x-yaml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["queued"] == "mine.yaml"
    assert at.session_state["stored before"] == 1 and at.session_state["stored after"] == 0


def spooled_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{PREFIX}*"))


def test_a_queued_file_waits_on_disk_and_is_removed_once_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    at = AppTest.from_function(uploader_script, default_timeout=60)
    at.run()
    at.file_uploader[0].set_value(("mine.yaml", retitled("My story SP-1"), "application/x-yaml"))
    at.run()
    file, name = at.session_state[PENDING_KEY]
    assert isinstance(file, Spooled) and name == "mine.yaml"
    assert spooled_files(tmp_path) == [file.path] and file.path.read_bytes() == retitled("My story SP-1")
    assert file.path.stat().st_mode & 0o077 == 0  # private to the server's user
    # The checker reads the spooled file itself, with the same outcome as from the bytes.
    outcome = check_uploaded(file.path, name)
    assert outcome.problems == [] and outcome.dataset.meta.title == "My story SP-1"
    del file
    at.session_state[PENDING_KEY] = None  # the session lets go (a tab closed while its file waited)
    gc.collect()
    assert spooled_files(tmp_path) == []


def test_the_methods_page_removes_the_spooled_file_once_it_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    at = run("methods")
    at.file_uploader[0].set_value(("mine.yaml", retitled("My story SP-2"), "application/x-yaml"))
    at.run()
    assert any(s.value == md("Showing your file: mine.yaml") for s in at.success)
    assert spooled_files(tmp_path) == []


def test_a_file_is_kept_in_memory_where_the_temporary_folder_cannot_be_written(tmp_path: Path) -> None:
    assert spool(b"events: []", "mine.yaml", folder=str(tmp_path / "missing")) == b"events: []"


def test_the_methods_page_takes_a_file_then_offers_an_empty_uploader() -> None:
    at = run("methods")
    [uploader] = at.file_uploader
    uploader.set_value(("mine.yaml", retitled("My story MP-1"), "application/x-yaml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value == md("Showing your file: mine.yaml") for s in at.success)
    shown = REGISTRY.get(at.session_state[UPLOAD_KEY], upload_limits.current())
    assert shown is not None and shown.dataset.meta.title == "My story MP-1"
    [fresh] = at.file_uploader
    assert fresh.key != uploader.key and fresh.value is None  # the taken file is not offered (or held) again
    fresh.set_value(("bad.yaml", b"events: [", "application/x-yaml"))
    at.run()
    assert any(e.value.startswith("The dataset has 1 problem") for e in at.error)
    assert [c.value for c in at.code][-1].startswith("bad.yaml:")
    assert any(s.value == md("Showing your file: mine.yaml") for s in at.success)  # a refused file keeps the one shown


def test_files_wait_in_line_and_are_told_their_place() -> None:
    turns, told = worker._Turns(), {"a": [], "b": []}
    assert turns.acquire(1, 5, lambda place: None)  # a check is running
    waiting = {
        name: threading.Thread(target=lambda n=name: told[n].append(turns.acquire(1, 5, told[n].append)))
        for name in ("a", "b")
    }
    waiting["a"].start()
    while turns.waiting() < 1:
        time.sleep(0.01)
    waiting["b"].start()
    while told["b"] != [2]:
        time.sleep(0.01)
    assert told["a"] == [1]
    turns.release()  # a's turn; b moves up
    waiting["a"].join(5)
    assert told["a"] == [1, True]
    while told["b"] != [2, 1]:
        time.sleep(0.01)
    turns.release()
    waiting["b"].join(5)
    assert told["b"] == [2, 1, True] and turns.waiting() == 0
    assert not turns.acquire(0, 0.1, lambda place: None) and turns.waiting() == 0  # past its wait: refused, out of line
    assert loading.stage_label("waiting", 1) == "Your file is waiting to be checked: next in line…"
    assert loading.stage_label("waiting", 3) == "Your file is waiting to be checked: number 3 in line…"


def test_an_evicted_upload_is_let_go_by_the_tab_that_showed_it() -> None:
    registry, limits, told = Registry(), UploadLimits(max_held=1), []
    registry.on_evict = told.append
    b = bundle_of(SMALL)
    kept = [registry.admit(b, 1_000, limits, session=tab).handle for tab in ("tab-1", "tab-2")]
    assert registry.was_evicted(kept[0]) and told == ["tab-1"]  # what its tab still shows goes too (loading.py)


def test_a_replaced_upload_is_freed_when_the_run_that_replaced_it_ends() -> None:
    at = run("methods")
    at.file_uploader[0].set_value(("first.yaml", retitled("My story RF-1"), "application/x-yaml"))
    at.run()
    first = weakref.ref(REGISTRY.get(at.session_state[UPLOAD_KEY], upload_limits.current()))
    at.file_uploader[0].set_value(("second.yaml", retitled("My story RF-2"), "application/x-yaml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    gc.collect()
    assert first() is None  # not kept by the session, nor frozen out of reach of the collector
    assert REGISTRY.get(at.session_state[UPLOAD_KEY], upload_limits.current()).dataset.meta.title == "My story RF-2"


# -- what the checker says when it cannot answer ------------------------------------------------------------
def test_a_spooled_file_gone_before_its_check_gets_a_plain_message_and_a_logged_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outcome = check_uploaded(tmp_path / "gone.yaml", "big.yaml")
    assert only_message(outcome) == "the file could not be checked (an error in the checker, logged on the server)"
    assert "FileNotFoundError" in caplog.text and "big.yaml" in caplog.text


def test_with_every_checker_busy_a_file_is_refused_once_its_wait_is_over() -> None:
    busy = dataclasses.replace(upload_limits.current(), workers=0, timeout_s=0.05)
    budgets = loading.UPLOAD_BUDGETS
    outcome = worker.check_upload(SMALL, "big.yaml", budgets, busy)
    assert only_message(outcome) == "the server is busy checking other uploads; try again in a minute"
    called = worker.call_in_checker("dashboard.build.extract:read_article", "a.txt", b"words", busy)
    assert called == worker.Called(None, "the server is busy reading other uploads; try again in a minute", True)
    assert worker.TURNS.waiting() == 0 and worker.TURNS.running == 0


def test_a_visitor_stopped_while_waiting_leaves_the_line() -> None:
    turns = worker._Turns()
    assert turns.acquire(1, 1, lambda place: None)  # the one checker is taken

    def stopped(place: int) -> None:
        raise KeyboardInterrupt  # as a rerun stops a visitor's script while it waits

    with pytest.raises(KeyboardInterrupt):
        turns.acquire(1, 5, stopped)
    assert turns.waiting() == 0
    turns.release()
    assert turns.acquire(1, 1, lambda place: None)  # the next file is not stuck behind the one that left


# -- an article read in the checker -------------------------------------------------------------------------
ARTICLE = b"Council votes to sell the old harbour\nBy A. Reporter\nMarch 2, 2024\n\nThe council voted on Friday.\n"


def test_an_article_is_read_in_the_checker_and_its_own_refusal_comes_back_as_its_sentence() -> None:
    limits = upload_limits.current()
    called = worker.call_in_checker("dashboard.build.extract:read_article", "gazette.txt", ARTICLE, limits)
    assert called.message == "" and not called.refused
    assert called.value.headline == "Council votes to sell the old harbour" and called.value.date == "2024-03-02"
    refused = worker.call_in_checker("dashboard.build.extract:read_article", "scan.pdf", b"%PDF-1.4", limits)
    assert refused == worker.Called(None, "scan.pdf: a .pdf cannot be read; use .txt, .html or .docx")


def test_an_article_over_the_upload_limit_is_refused_before_any_checker_starts(tmp_path: Path) -> None:
    limits = dataclasses.replace(upload_limits.current(), max_mb=0.00001)
    big = tmp_path / "big.txt"
    big.write_bytes(ARTICLE)
    for data in (ARTICLE, big):
        called = worker.call_in_checker("dashboard.build.extract:read_article", "big.txt", data, limits)
        assert (
            called.refused
            and called.message == f"the file is over this server's {limits.max_mb:g} MB limit for uploads"
        )


def test_a_reader_that_fails_gets_a_plain_message_and_the_reason_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    limits = upload_limits.current()
    called = worker.call_in_checker("dashboard.build.extract:no_such_reader", "gazette.txt", ARTICLE, limits)
    assert called == worker.Called(None, "the file could not be read (an error in the reader, logged on the server)")
    assert "AttributeError" in caplog.text and "gazette.txt" in caplog.text
