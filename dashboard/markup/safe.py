"""Show untrusted text from the data as text: nothing in it may become markup, a link or a directive."""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping
# all of them also defuses Streamlit's own :colour[...] and :material/...: directives.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&\"'=^@%/])")


def md(text: object) -> str:
    """Escape ``text`` for ``st.markdown`` and friends so it renders literally, on one paragraph."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


# HTML we build is shown with st.markdown, which reads markdown inside HTML too: "[x](data:...)"
# would become a live link and ":red[x]" a colour. As character references these characters
# look the same to the reader and mean nothing to the markdown parser.
_MD_IN_HTML = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~:$<>\"'=^@%/"})


def html_text(text: object) -> str:
    """Escape ``text`` for HTML (element content and quoted attributes) in a page of our own."""
    return html.escape(str(text), quote=True)


def html_attr(text: object) -> str:
    """Escape ``text`` for a double-quoted HTML attribute value."""
    return html.escape(str(text), quote=True)


def md_html_text(text: object) -> str:
    """Escape ``text`` for HTML that st.markdown shows: no tag, and no markdown syntax either."""
    return str(text).replace("&", "&amp;").translate(_MD_IN_HTML)


def http_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) address, else None (so it is never made a live link)."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    if re.match(r"^https?://[^\s<>\"'`]+$", v, re.IGNORECASE):
        return v
    return None


def md_link(text: object, url: object) -> str:
    """A markdown link with escaped text, only if ``url`` is http(s); otherwise the escaped text alone."""
    target = http_url(url)
    if target is None:
        return md(text)
    return f"[{md(text)}]({target.replace('(', '%28').replace(')', '%29')})"
