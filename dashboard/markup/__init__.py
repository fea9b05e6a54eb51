"""Escaped HTML and markdown: excerpts with their marks, and printable handouts. No Streamlit here."""
