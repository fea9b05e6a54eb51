"""Uploaded datasets under limits a public URL can live with (issue 12; docs/deploy.md, "Uploads").

``limits``: what a deployment sets (environment variables). ``worker``: the file is read,
checked and turned into frames in a child process with hard memory, CPU and wall-time
limits, so neither a hostile file nor a large one can take the server's memory or hold
its interpreter. ``budget``: the server-wide cap on uploaded datasets held at once and
their memory, least recently used first out, and the per-session rate limit.
No streamlit here: the shell (``dashboard/shell/loading.py``) shows what these decide.
"""
