"""Excerpts as safe HTML with the framing codes marked: labels, loaded terms and scare quotes.

Every character of the quote is escaped; the only markup is the spans added
here, so a quote can never inject an element or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dashboard.data.text import Lexicon, find_scare_quote, fold, fold_keep_length
from dashboard.markup.safe import html_attr, http_url
from dashboard.markup.safe import md_html_text as html_text  # shown via st.markdown, and in handouts

LABEL, LOADED, SCARE = "label", "loaded", "scare"
CSS_CLASS = {LABEL: "nt-label", LOADED: "nt-loaded", SCARE: "nt-scare"}
# Light and dark themes both: tinted backgrounds and underlines, no fixed text colour. Excerpts are shown
# at full strength (Streamlit fades blockquotes to 60 %, 4.95:1 on white; a projector needs more):
# 18.9:1 light, 15.2:1 dark, and 15.1:1 / 8.8:1 on a loaded term's tint.
STYLE = """<style>
blockquote.nt-quote{line-height:1.55;margin:0 0 .35rem 0;opacity:1}
.nt-label{text-decoration:underline 2px;text-underline-offset:3px;text-decoration-color:#0072B2}
.nt-loaded{background:rgba(230,159,0,.28);border-radius:3px;padding:0 1px}
.nt-scare{outline:2px dashed #CC79A7;outline-offset:1px;border-radius:3px}
.nt-meta{font-size:.85em;opacity:.8}
</style>"""


def _find_phrase(text: str, phrase: str) -> Iterable[tuple[int, int]]:
    words = fold(phrase).split(" ")
    if not words or words == [""]:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return ((m.start(), m.end()) for m in re.finditer(pattern, fold_keep_length(text), re.IGNORECASE))


def spans(
    quote: str, lexicon: Lexicon, labels: Iterable[str], scare_quotes: Iterable[str]
) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, title) for every marked stretch of ``quote``; they may overlap."""
    out: list[tuple[int, int, str, str]] = []
    for label in labels:
        out.extend((s, e, LABEL, "label") for s, e in _find_phrase(quote, label))
    for m in lexicon.matches(quote):
        out.append((m.start, m.end, LOADED, f"loaded term: {m.term} ({lexicon.category[m.term]})"))
    for term in scare_quotes:
        found = find_scare_quote(quote, term)
        if found:
            out.append((found[0], found[1], SCARE, "scare quotes"))
    return out


def highlight_html(quote: str, lexicon: Lexicon, labels: Iterable[str] = (), scare_quotes: Iterable[str] = ()) -> str:
    """The quote as escaped HTML, each run of characters wrapped in the classes that apply to it."""
    marks = spans(quote, lexicon, labels, scare_quotes)
    if not marks:
        return html_text(quote)
    flags: list[frozenset[str]] = [frozenset()] * len(quote)
    titles: list[frozenset[str]] = [frozenset()] * len(quote)
    for start, end, kind, title in marks:
        for i in range(start, min(end, len(quote))):
            flags[i] = flags[i] | {kind}
            titles[i] = titles[i] | {title}
    parts: list[str] = []
    i = 0
    while i < len(quote):
        j = i
        while j < len(quote) and flags[j] == flags[i] and titles[j] == titles[i]:
            j += 1
        chunk = html_text(quote[i:j])
        if flags[i]:
            classes = " ".join(CSS_CLASS[k] for k in sorted(flags[i]))
            title = html_attr("; ".join(sorted(titles[i])))
            parts.append(f'<span class="{classes}" title="{title}">{chunk}</span>')
        else:
            parts.append(chunk)
        i = j
    return "".join(parts)


VOICE_BADGE = {"narration": "outlet's narration", "quoted": "quoted", "unnamed source": "unnamed source"}


def excerpt_html(claim: dict, lexicon: Lexicon, show_outlet: bool = False) -> str:
    """One claim as a quote block: the highlighted quote, then who says it, how, and where (linked)."""
    quote = highlight_html(claim["quote"], lexicon, claim.get("label_texts", ()), claim.get("scare_quotes", ()))
    if claim["voice"] == "narration":
        who = "Narration"
    else:
        who = f"{html_text(claim['speaker_name'])} ({html_text(claim['kind'])})"
    where = html_text(claim["outlet_name"]) + ", " if show_outlet else ""
    where += html_text(claim["article_date"])
    url = http_url(claim.get("url"))
    if url:
        where = f'<a href="{html_attr(url)}" target="_blank" rel="noopener noreferrer nofollow">{where}</a>'
    return (
        f'<blockquote class="nt-quote">{quote}<br><span class="nt-meta">{who} · {where} · '
        f"claim {html_attr(claim['claim'])}</span></blockquote>"  # ids are [A-Za-z0-9_.-]: no markup possible
    )
