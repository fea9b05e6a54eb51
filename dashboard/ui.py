"""Streamlit glue shared by the pages: the cached dataset and how problems are shown.

The dataset and its frames are cached once per file version for every session
(``st.cache_resource`` hands all sessions the same objects, so nothing here
may mutate them); per-user state lives in widgets and the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.dataset import Dataset, check_dataset, data_path
from dashboard.frames import Tables, build_tables
from dashboard.yaml_reader import Problem


@dataclass(frozen=True)
class Loaded:
    dataset: Dataset
    tables: Tables


@st.cache_resource(show_spinner="Loading the dataset…", max_entries=4)
def _load(path: str, version: tuple[int, int]) -> tuple[Loaded | None, tuple[Problem, ...]]:
    # ``version`` (mtime, size) is only part of the key: an edited file is read afresh.
    dataset, problems = check_dataset(path)
    if dataset is None:
        return None, tuple(problems)
    return Loaded(dataset, build_tables(dataset)), ()


def load_or_stop() -> Loaded:
    """The current dataset, or a page listing what is wrong with it (then stop)."""
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


def show_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    st.error(f"The dataset has {len(problems)} problem(s) and cannot be shown. Fix them and reload.", icon="⚠️")
    st.code("\n".join(str(p) for p in problems) or "unknown problem", language=None)
