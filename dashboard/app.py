"""Negotiating Table: the entry point. ``streamlit run dashboard/app.py``.

Its pages are made from the one list of views (``dashboard/views/__init__.py``).
"""

import sys
from pathlib import Path

# ``streamlit run dashboard/app.py`` (the README, Community Cloud, the Dockerfile) puts only dashboard/
# on sys.path, and the app is the package ``dashboard``: the project folder must be importable. Every
# page is a callable in that package, so this is the one place that needs it.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from dashboard.shell.nav import pages  # noqa: E402

st.set_page_config(page_title="Negotiating Table", page_icon="🗂️", layout="wide")
page = st.navigation(list(pages().values()))
page.run()
