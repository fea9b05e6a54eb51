"""This session's dataset: the project's file, cached once for every session, or the visitor's own upload.

``st.cache_resource`` hands all sessions the same objects, so nothing may
mutate them; per-user state lives in widgets and the URL.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit import runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
from streamlit.runtime.uploaded_file_manager import UploadedFile

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import check_dataset, data_path
from dashboard.data.located import Problem
from dashboard.data.yaml_reader import Budgets
from dashboard.uploads import limits as upload_limits
from dashboard.uploads.budget import REGISTRY, UploadHandle, held_bytes, rate_limited, settle, trim_if_due
from dashboard.uploads.spool import Spooled, spool
from dashboard.uploads.worker import Outcome, check_upload
from dashboard.views import warm
from dashboard.views.checks import view_checks


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def _load(path: str, version: tuple[int, int]) -> tuple[Bundle | None, list[Problem]]:
    # ``version`` (mtime, size) is only part of the key: an edited file is read afresh.
    dataset, problems = check_dataset(path, checks=view_checks())
    if dataset is None:
        return None, problems  # a Problems list: it knows whether checking stopped at its budget
    loaded = Bundle.build(dataset)
    # Streamlit runs a full garbage collection after every script run, walking every object in the
    # process. The dataset, its frames and the libraries loaded by now live as long as the server:
    # frozen, they are left out of those walks, which were most of a rerun's cost (bench/README.md).
    gc.collect()
    gc.freeze()
    warm.start(loaded)  # what a class opens first, built in the background (docs/deploy.md)
    return loaded, []


UPLOAD_KEY = "uploaded_dataset"  # this session's UploadHandle (a Bundle, where a test puts one there)
UNLOADED_KEY = "upload_unloaded"  # set when the budget dropped this session's upload: told once
HISTORY_KEY = "upload_history"  # when this session started its recent uploads (the rate limit)
PENDING_KEY = "upload_pending"  # a file taken from the uploader, checked at the start of the next run
PROBLEMS_KEY = "upload_problems"  # what was wrong with this session's last upload
# An uploaded story is read under tighter limits than the project's own file: a public
# URL must survive whatever is sent to it (docs: "Try your own story"). NT_UPLOAD_MAX_MB can lower max_bytes.
UPLOAD_BUDGETS = Budgets(max_bytes=5 * 1024 * 1024, max_depth=24, max_aliases=200, max_items=400_000, max_seconds=5.0)
UNLOADED = "Your file was unloaded to make room for other visitors' uploads; upload it again (Methods & data)."
_STAGES = {
    "waiting": "Your file is waiting to be checked: {place} in line…",
    "checking": "Reading and checking your file…",
    "loading": "Preparing the views…",
}


def stage_label(stage: str, place: int = 0) -> str:
    """What the visitor reads while the file is in the worker's hands (place 1 = next in line)."""
    return _STAGES[stage].format(place="next" if place == 1 else f"number {place}")


def check_uploaded(
    data: bytes | Path,
    name: str,
    on_stage: Callable[[str, int], None] = lambda stage, place: None,
    before_load: Callable[[int], str | None] = lambda size: None,
) -> Outcome:
    """Check an upload in the worker process, under this deployment's limits."""
    limits = upload_limits.current()
    budgets = dataclasses.replace(UPLOAD_BUDGETS, max_bytes=min(UPLOAD_BUDGETS.max_bytes, limits.max_bytes))
    return check_upload(data, name, budgets, limits, on_stage, before_load)


def load_uploaded(data: bytes, name: str) -> tuple[Bundle | None, list[Problem]]:
    """Check an uploaded file; the result is for this session only and is never put in a shared cache."""
    outcome = check_uploaded(data, name)
    return (Bundle.build(outcome.dataset), []) if outcome.dataset is not None else (None, outcome.problems)


def take_upload(data: bytes | Path, name: str, counted: bool = False) -> list[Problem]:
    """Check a visitor's file with progress shown, and hold it for this session under the server's budget.

    ``counted``: the file's start is already in the rate limit (it was interrupted and is taken up again).
    """
    limits = upload_limits.current()
    history = st.session_state.setdefault(HISTORY_KEY, [])
    wait = 0.0 if counted else rate_limited(history, limits)
    if wait:
        REGISTRY.refused()
        return [
            Problem(
                name,
                1,
                1,
                f"this tab has started {limits.per_session} uploads in the last {limits.window_s / 60:g} minutes; "
                f"try again in {max(1, round(wait / 60))} minute(s)",
            )
        ]

    def make_room(pickled: int) -> str | None:
        # Before the dataset is unpickled here: the server never holds the whole budget and the newcomer.
        size = held_bytes(pickled)
        if size > limits.held_mb * upload_limits.MIB:
            return f"the checked dataset needs more than this server's {limits.held_mb:g} MB"
        _release_own()  # this tab's previous upload gives way to its new one
        REGISTRY.make_room(size, limits)
        return None

    with st.status("Checking your file…", expanded=False) as status:
        progress = lambda stage, place: status.update(label=stage_label(stage, place))  # noqa: E731
        outcome = check_uploaded(data, name, progress, make_room)
        if outcome.dataset is None:
            if outcome.refused:
                REGISTRY.refused()
            status.update(label="Your file was not loaded.", state="error")
            return outcome.problems
        ctx = get_script_run_ctx()
        session = ctx.session_id if ctx is not None else ""
        bundle = Bundle.build(outcome.dataset)
        admitted = REGISTRY.admit(bundle, held_bytes(outcome.pickled_bytes), limits, session)
        if admitted.handle is None:  # the limits changed while it was checked
            status.update(label="Your file was not loaded.", state="error")
            return [Problem(name, 1, 1, f"the checked dataset needs more than this server's {limits.held_mb:g} MB")]
        st.session_state[UPLOAD_KEY] = admitted.handle
        warm.start(bundle)  # its views, built for its visitor in the background
        settle()  # what it replaced or evicted given back to the system
        status.update(label="Your file is loaded.", state="complete")
    return []


def queue_upload(upload: UploadedFile) -> None:
    """Hand a file from ``st.file_uploader`` to the next run, which checks it before it holds any dataset.

    The caller reruns at once. Checked in this run, the file would wait for the checker (up to the
    wall time) while this run's frames and the page's kept elements still held the tab's current
    dataset, outside the budget once evicted: one 44 MB dataset per waiting visitor. Streamlit keeps
    every uploaded file's bytes for its session until the tab closes (plus its 2-minute reconnect
    window); they are dropped here (``st.chat_input`` drops its files the same way), and the caller
    gives the uploader a new key so it does not offer the file again. While it waits, the file is on
    disk (``spool``), not in the server's memory.
    """
    st.session_state[PENDING_KEY] = (spool(upload.getvalue(), upload.name), upload.name)
    ctx = get_script_run_ctx()
    if ctx is not None and isinstance(ctx.uploaded_file_mgr, MemoryUploadedFileManager):
        ctx.uploaded_file_mgr.remove_file(session_id=ctx.session_id, file_id=upload.file_id)
    upload.close()


def _take_pending() -> None:
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is None:
        return
    ctx = get_script_run_ctx()
    if ctx is not None:
        _drop_what_its_tab_shows(ctx.session_id)  # the last run's buttons held this tab's current tables
    file, name, *counted = pending
    spooled = isinstance(file, Spooled)
    try:
        st.session_state[PROBLEMS_KEY] = take_upload(file.path if spooled else file, name, bool(counted))
    except RerunException:  # the visitor clicked while the file waited: the next run takes it up again,
        st.session_state[PENDING_KEY] = (file, name, True)  # as the same start of the rate limit
        raise
    if spooled:
        file.discard()


def _drop_what_its_tab_shows(session_id: str) -> None:
    """Let an evicted upload go from the tab that showed it, not only from the registry.

    Until a session's next run Streamlit keeps what its page drew: each download button's
    deferred callable (the methods page's hold the dataset's tables) and each ``st.dataframe``'s
    frame (to serve rows as it scrolls). A tab left idle after its upload was evicted would keep
    ~13 MB of a 4.5 MB upload outside the budget. Its buttons and tables stop answering; its next
    run says the file was unloaded and shows the built-in story.
    """
    if session_id and runtime.exists():
        rt = runtime.get_instance()
        rt.media_file_mgr.clear_session_refs(session_id)
        rt.media_file_mgr.remove_orphaned_files()
        rt.dataframe_source_mgr.clear_all_for_session(session_id)


REGISTRY.on_evict = _drop_what_its_tab_shows


def _release_own() -> None:
    handle = st.session_state.pop(UPLOAD_KEY, None)
    if isinstance(handle, UploadHandle):
        REGISTRY.release(handle.token)


def session_upload() -> Bundle | None:
    """This session's own dataset, if it has one the server still holds."""
    held = st.session_state.get(UPLOAD_KEY)
    if held is None or isinstance(held, Bundle):
        return held
    bundle = REGISTRY.get(held, upload_limits.current())
    if bundle is None:
        st.session_state.pop(UPLOAD_KEY, None)
        st.session_state[UNLOADED_KEY] = True
        st.rerun()  # the app's header asked before this run knew: run again without the upload
    return bundle


def load_or_stop() -> Bundle:
    """This session's dataset (its own upload, else the shared file), or a page listing what is wrong."""
    trim_if_due()  # an upload released in an earlier run is freed by now: its memory goes back
    _take_pending()  # first, while this run holds no dataset
    uploaded = session_upload()
    if uploaded is not None:
        return uploaded
    if st.session_state.pop(UNLOADED_KEY, False):
        st.warning(UNLOADED, icon=":material/hourglass_empty:")
    path = data_path()
    try:
        stat = Path(path).stat()
        version = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (0, 0)
    loaded, problems = _load(str(path), version)
    if loaded is None:
        show_problems(problems)
        st.stop()
    return loaded


def show_problems(problems: list[Problem]) -> None:
    tail = problems.tail() if hasattr(problems, "tail") else ""  # "… and at least N more" past the budget
    count = f"{len(problems)}{'+' if tail else ''}"
    st.error(f"The dataset has {count} problem(s) and cannot be shown. Fix them and reload.", icon="⚠️")
    st.code("\n".join([*(str(p) for p in problems), *([tail] if tail else [])]) or "unknown problem", language=None)
