"""Negotiating Table: the entry point. ``streamlit run dashboard/app.py``."""

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts only dashboard/ on sys.path; the package lives one level up.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from dashboard.ui import UPLOAD_KEY  # noqa: E402
from dashboard.views import PAGES  # noqa: E402

st.set_page_config(page_title="Negotiating Table", page_icon="🗂️", layout="wide")
page = st.navigation(
    [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default) for p in PAGES]
)
if st.session_state.get(UPLOAD_KEY) is not None:
    st.sidebar.info("You are viewing your own uploaded dataset (Methods & data).", icon=":material/upload:")
page.run()
