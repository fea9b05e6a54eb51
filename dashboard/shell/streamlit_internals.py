"""The few things the app needs from Streamlit that no public API offers, in one place.

Known to work with Streamlit 1.67 (``KNOWN_TO_WORK``). A minor release may move any of
these; ``tests/test_streamlit_internals.py`` fails loudly when one has moved, and each
function says what the app loses without it. Everything else uses the public API
(``st.file_uploader``, ``st.rerun``, ``st.context``, ``st.session_state``, ``st.runtime.exists``).

- ``session_id``: the id Streamlit gives this tab's session. Uploads note which sessions
  show them, so that an evicted upload can be let go by those tabs (below).
- ``forget_uploaded_file``: Streamlit keeps an uploaded file's bytes for its session until
  the tab closes; the upload is spooled to disk and checked, so its bytes are dropped at
  once (``st.chat_input`` drops its own files the same way).
- ``drop_what_a_session_shows``: until a session's next run, Streamlit keeps what its page
  drew (download buttons' deferred callables, ``st.dataframe`` frames). A tab idle after
  its upload was evicted would keep that outside the upload budget.
"""

from __future__ import annotations

import streamlit as st
from streamlit import runtime as _runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

KNOWN_TO_WORK = ("1.67",)  # the Streamlit versions tested with these internals (README, "How it is built")

__all__ = ["KNOWN_TO_WORK", "UploadedFile", "drop_what_a_session_shows", "forget_uploaded_file", "session_id"]


def session_id() -> str:
    """This run's session id ("" outside a Streamlit run, as in a bare script)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def forget_uploaded_file(upload: UploadedFile) -> None:
    """Drop an uploaded file's bytes from Streamlit's store for this session (the in-memory store only)."""
    ctx = get_script_run_ctx()
    if ctx is not None and isinstance(ctx.uploaded_file_mgr, MemoryUploadedFileManager):
        ctx.uploaded_file_mgr.remove_file(session_id=ctx.session_id, file_id=upload.file_id)


def drop_what_a_session_shows(session: str) -> None:
    """Let go of the media (download buttons' callables) and dataframe sources a session's page still holds."""
    if session and st.runtime.exists():
        rt = _runtime.get_instance()
        rt.media_file_mgr.clear_session_refs(session)
        rt.media_file_mgr.remove_orphaned_files()
        rt.dataframe_source_mgr.clear_all_for_session(session)
