"""This session's dataset: the project's file, cached once for every session, or an uploaded story.

``st.cache_resource`` hands all sessions the same objects, so nothing may
mutate them; per-user state lives in widgets and the URL.

An uploaded story is named in the tab's address (``?story=TOKEN``, an unguessable token):
a reload of the tab shows it again, and so does every link shared from the tab (student
links, QR codes, a room's join link) for as long as the server holds it. When the server
has let it go (evicted, expired, restarted), the page says so and offers to upload again.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import check_dataset, data_path
from dashboard.data.located import Problem
from dashboard.data.yaml_reader import Budgets
from dashboard.shell.streamlit_internals import (
    UploadedFile,
    drop_what_a_session_shows,
    forget_uploaded_file,
    session_id,
)
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
HISTORY_KEY = "upload_history"  # when this session started its recent uploads (the rate limit)
PENDING_KEY = "upload_pending"  # a file taken from the uploader, checked at the start of the next run
PROBLEMS_KEY = "upload_problems"  # what was wrong with this session's last upload
GONE_KEY = "upload_gone"  # what to tell a visitor whose story the server no longer holds (shown once)
STORY = "story"  # the query parameter naming an uploaded story
# An uploaded story is read under tighter limits than the project's own file: a public
# URL must survive whatever is sent to it (docs: "Try your own story"). NT_UPLOAD_MAX_MB can lower max_bytes.
UPLOAD_BUDGETS = Budgets(max_bytes=5 * 1024 * 1024, max_depth=24, max_aliases=200, max_items=400_000, max_seconds=5.0)
UNLOADED = "Your file was unloaded to make room for other visitors' uploads; upload it again (Methods & data)."
STORY_GONE = (
    "The uploaded story this link names is no longer on this server (it was unloaded to make room for other "
    "uploads, or the server restarted). You are seeing the built-in story; upload the file again to see it."
)
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
        bundle = Bundle.build(outcome.dataset)
        admitted = REGISTRY.admit(bundle, held_bytes(outcome.pickled_bytes), limits, session_id())
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
    forget_uploaded_file(upload)
    upload.close()


def queue_story(data: bytes, name: str) -> None:
    """Hand a story made on this server (a draft's YAML) to the next run, checked and held as an upload is:
    the same checker, limits, rate and budget, and the tab's address names it (``?story=TOKEN``)."""
    st.session_state[PENDING_KEY] = (spool(data, name), name)


def _take_pending() -> None:
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is None:
        return
    drop_what_a_session_shows(session_id())  # the last run's buttons held this tab's current tables
    file, name, *counted = pending
    spooled = isinstance(file, Spooled)
    try:
        st.session_state[PROBLEMS_KEY] = take_upload(file.path if spooled else file, name, bool(counted))
    except Exception:  # a fault of ours: shown, and not taken up again on every run
        raise
    except BaseException:  # Streamlit stopped the run (the visitor clicked while the file waited): the next
        st.session_state[PENDING_KEY] = (file, name, True)  # run takes it up again, as the same start of the rate
        raise  # limit (Streamlit's rerun and stop are BaseExceptions, so that scripts' ``except Exception`` pass them)
    if spooled:
        file.discard()


# Let an evicted upload go from the tabs that showed it, not only from the registry. Until a session's
# next run Streamlit keeps what its page drew: each download button's deferred callable (the methods
# page's hold the dataset's tables) and each ``st.dataframe``'s frame (to serve rows as it scrolls). A
# tab left idle after its upload was evicted would keep ~13 MB of a 4.5 MB upload outside the budget.
# Its buttons and tables stop answering; its next run says the file was unloaded.
REGISTRY.on_evict = drop_what_a_session_shows


def _release_own() -> None:
    handle = st.session_state.pop(UPLOAD_KEY, None)
    if isinstance(handle, UploadHandle):
        handle.release()  # the dataset goes once no other tab (a shared link) shows it


def leave_upload() -> None:
    """Back to the built-in story: this tab lets go of its upload, and its address stops naming it."""
    _release_own()
    st.query_params.pop(STORY, None)


def story_params() -> dict[str, str]:
    """The query parameter that names this tab's uploaded story, for links that must carry it ({} if none)."""
    handle = st.session_state.get(UPLOAD_KEY)
    return {STORY: handle.token} if isinstance(handle, UploadHandle) else {}


def viewing_upload() -> bool:
    return st.session_state.get(UPLOAD_KEY) is not None


def gone_notice() -> str | None:
    """What to tell a visitor whose uploaded story the server let go, once (None: nothing to tell)."""
    return st.session_state.pop(GONE_KEY, None)


def _join_story() -> Bundle | None:
    """The story the link names (a reload, or a link shared from a tab showing an upload), if the server holds it."""
    token = st.query_params.get(STORY)
    if not token:
        return None
    limits = upload_limits.current()
    handle = REGISTRY.join(token, limits, session_id()) if limits.enabled else None
    bundle = REGISTRY.get(handle, limits) if handle is not None else None
    if bundle is None:
        st.query_params.pop(STORY, None)
        st.session_state[GONE_KEY] = STORY_GONE
        return None
    st.session_state[UPLOAD_KEY] = handle
    return bundle


def session_upload() -> Bundle | None:
    """This session's own dataset, if it has one the server still holds."""
    held = st.session_state.get(UPLOAD_KEY)
    if held is None or isinstance(held, Bundle):
        return held
    bundle = REGISTRY.get(held, upload_limits.current())
    if bundle is None:
        st.session_state.pop(UPLOAD_KEY, None)
        st.session_state[GONE_KEY] = UNLOADED  # said by the page, once
        st.query_params.pop(STORY, None)  # the link no longer names it
    return bundle


def load_or_stop() -> Bundle:
    """This session's dataset (its own upload, else the shared file), or a page listing what is wrong."""
    trim_if_due()  # an upload released in an earlier run is freed by now: its memory goes back
    _take_pending()  # first, while this run holds no dataset
    uploaded = session_upload()
    if uploaded is None:
        uploaded = _join_story()
    if uploaded is not None:
        return uploaded
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
