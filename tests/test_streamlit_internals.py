"""Streamlit's internals, used in one module only: this fails loudly when an upgrade moves one.

``dashboard/shell/streamlit_internals.py`` names what no public API offers; everything
else in ``dashboard/`` uses Streamlit's public API.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.shell import streamlit_internals

REPO = Path(__file__).resolve().parents[1]


def test_streamlit_is_a_version_known_to_work() -> None:
    version = ".".join(st.__version__.split(".")[:2])
    assert version in streamlit_internals.KNOWN_TO_WORK, (
        f"Streamlit {st.__version__} is not among the versions known to work ({streamlit_internals.KNOWN_TO_WORK}): "
        "run tests/test_streamlit_internals.py and tests/hostile, then add it to KNOWN_TO_WORK and the README"
    )


def test_the_internals_used_are_where_they_were() -> None:
    from streamlit.runtime import Runtime
    from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.scriptrunner import ScriptRunContext

    def params(func: object) -> list[str]:
        return list(inspect.signature(func).parameters)  # type: ignore[arg-type]

    assert {"session_id", "uploaded_file_mgr"} <= {f for f in ScriptRunContext.__dataclass_fields__}
    assert params(MemoryUploadedFileManager.remove_file) == ["self", "session_id", "file_id"]
    assert params(MediaFileManager.clear_session_refs)[:2] == ["self", "session_id"]
    assert params(MediaFileManager.remove_orphaned_files) == ["self"]
    assert params(DataframeSourceManager.clear_all_for_session) == ["self", "session_id"]
    assert isinstance(Runtime.media_file_mgr, property) and isinstance(Runtime.dataframe_source_mgr, property)


def test_no_internal_is_named_outside_the_one_module() -> None:
    internal = re.compile(r"streamlit\.runtime|streamlit\.navigation|from streamlit import runtime")
    named = [
        f"{p.relative_to(REPO)}:{i}"
        for p in sorted((REPO / "dashboard").rglob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if internal.search(line)
    ]
    assert named and all(n.startswith("dashboard/shell/streamlit_internals.py:") for n in named), named


def _script() -> None:
    import streamlit as st

    from dashboard.shell import streamlit_internals as internals

    st.session_state["session"] = internals.session_id()
    upload = st.file_uploader("A file", key="file")
    if upload is not None:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        count = lambda: len(ctx.uploaded_file_mgr.get_files(ctx.session_id, [upload.file_id]))  # noqa: E731
        before = count()
        internals.forget_uploaded_file(upload)
        st.session_state["stored"] = (before, count())
    st.dataframe({"a": [1, 2]})
    internals.drop_what_a_session_shows(st.session_state["session"])  # outside a server: does nothing, no error


def test_the_internals_do_what_they_say_in_a_run() -> None:
    at = AppTest.from_function(_script, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["session"]  # a session id in a run
    at.file_uploader[0].set_value(("a.yaml", b"x: 1", "application/x-yaml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["stored"] == (1, 0)
    assert streamlit_internals.session_id() == ""  # outside a run
