"""This session's dataset: the project's file, cached once for every session, or the visitor's own upload.

``st.cache_resource`` hands all sessions the same objects, so nothing may
mutate them; per-user state lives in widgets and the URL.
"""

from __future__ import annotations

import gc
from pathlib import Path

import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import check_dataset, data_path
from dashboard.data.located import Problem
from dashboard.data.yaml_reader import Budgets
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
    return loaded, []


UPLOAD_KEY = "uploaded_dataset"
# An uploaded story is read under tighter limits than the project's own file: a public
# URL must survive whatever is sent to it (docs: "Try your own story").
UPLOAD_BUDGETS = Budgets(max_bytes=5 * 1024 * 1024, max_depth=24, max_aliases=200, max_items=400_000, max_seconds=5.0)


def load_uploaded(data: bytes, name: str) -> tuple[Bundle | None, list[Problem]]:
    """Check an uploaded file; the result is for this session only and is never put in a shared cache."""
    dataset, problems = check_dataset(data=data, name=name, budgets=UPLOAD_BUDGETS, checks=view_checks())
    if dataset is None:
        return None, problems
    return Bundle.build(dataset), []


def load_or_stop() -> Bundle:
    """This session's dataset (its own upload, else the shared file), or a page listing what is wrong."""
    uploaded = st.session_state.get(UPLOAD_KEY)
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
