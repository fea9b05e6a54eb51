"""“Spot the framing” on the room's two pages: a phone marks words; the projector shows where the class looked.

What is coded, who found it and what each list holds is worked out in ``spot`` (no Streamlit); this
module only draws it. Every word of an excerpt is escaped (``md``, ``md_html_text``): never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.markup.highlight import STYLE, highlight_html
from dashboard.markup.safe import html_attr, md, md_html_text
from dashboard.rooms import RoomError, RoomState, RoomStore
from dashboard.rooms.connection import room_store
from dashboard.views.room import spot
from dashboard.views.room.names import FLASH
from dashboard.views.room.plans import Item, spot_question

# The class's share per word as one hue of growing strength (Okabe–Ito blue): readable by every kind of
# colour vision, in light and dark themes alike (the text keeps the theme's colour: at most 45 % tint, the
# contrast stays above 7:1 on both). The share is also in each word's text for screen readers, and in a table.
SHADE = (0, 114, 178)
MAX_ALPHA = 0.45
_CSS = """<style>
.nt-spot {font-size: 1.3rem; line-height: 2.1;}
.nt-spot-w {border-radius: 4px; padding: 2px 3px; border-bottom: 3px solid transparent;}
.nt-spot-legend {font-size: .9rem;}
.nt-spot-key {display: inline-block; padding: 0 .5rem; border-radius: 4px;}
</style>"""


def _flash(message: str) -> None:
    st.session_state.setdefault(FLASH, []).append(message)


def _send(code: str, session: str, question: str, widget: str) -> None:
    chosen = st.session_state.get(widget) or []
    try:
        room_store().mark(code, session, question, [int(w) for w in chosen])
    except RoomError as err:
        _flash(str(err))


def student(bundle: Bundle, store: RoomStore, state: RoomState, item: Item, session: str) -> bool:
    """A phone's question: the excerpt's words to tap, Send; after Reveal, this student's own result."""
    try:
        mine = store.my_marks(state.code, session, item.activity.key)
    except RoomError as err:
        st.error(md(str(err)), icon=":material/error:")
        return False
    words = item.options
    if state.question is not None:
        widget = f"room.marks.{state.question}"
        if widget not in st.session_state and mine:
            st.session_state[widget] = list(mine)  # a phone that reconnects shows what it sent
        labels = [md(label) for label in spot.button_labels(words)]  # shown as text, never as markdown
        st.pills(
            "Tap the words that judge, label or keep a distance. Tap again to unmark.",
            list(range(len(words))),
            selection_mode="multi",
            format_func=lambda w: labels[w],
            key=widget,
        )
        st.button(
            "Send my marks" if mine is None else "Send again (replaces your marks)",
            key="room.send",
            type="primary",
            icon=":material/send:",
            on_click=_send,
            args=(state.code, session, state.question, widget),
            help="Sending no marks says: nothing here frames.",
        )
        if mine is not None:
            st.caption(md(f"Sent: {spot.phrase_of(words, mine) or 'no marks (nothing frames)'}"))
        return True
    # Revealed, or the teacher moved on: the excerpt as text, and what this student made of it.
    st.markdown(STYLE, unsafe_allow_html=True)
    st.markdown(f'<blockquote class="nt-quote">{md_html_text(item.text)}</blockquote>', unsafe_allow_html=True)
    if not state.revealed:
        st.info("This question is closed: look at the projector.", icon=":material/co_present:")
        return True
    question = spot_question(bundle, item)
    if question is None:
        return True
    _own(question, mine)
    return True


def _own(q: spot.SpotQuestion, mine: Sequence[int] | None) -> None:
    st.markdown("**Your result**")
    if mine is None:
        st.caption("You sent no marks for this excerpt.")
    result = spot.own_result(q, mine or ())
    kinds: dict[int, list[str]] = {}
    for c in q.codes:
        for w in c.words:
            kinds.setdefault(w, []).append(c.kind)
    if not q.codes:
        st.markdown("The codebook codes **nothing** in this excerpt.")
    lines = []
    if result.coded:
        found = "; ".join(f"{q.words[w]} ({', '.join(dict.fromkeys(kinds[w]))})" for w in result.coded)
        lines.append("- Your marks the codebook codes: " + md(found))
    if result.uncoded:
        lines.append("- Your marks it does not code: " + md(spot.phrase(q, result.uncoded)))
    if result.missed:
        missed = "; ".join(f"{c.text} ({c.kind})" for c in result.missed)
        lines.append("- What it codes that you did not mark: " + md(missed))
    if mine is not None and not mine and not q.codes:
        lines.append("- You marked nothing, and it codes nothing.")
    if lines:
        st.markdown("\n".join(lines))


# --- the projector ------------------------------------------------------------------------


def _shade(share: float) -> str:
    r, g, b = SHADE
    return f"rgba({r},{g},{b},{MAX_ALPHA * share:.3f})"


def shaded_html(q: spot.SpotQuestion, reading: spot.ClassReading) -> str:
    """The excerpt, each word tinted by the share of the class that marked it, the share in its text."""
    parts = []
    for w, word in enumerate(q.words):
        share = reading.share(w)
        label = f"{share:.0%} marked"
        parts.append(
            f'<span class="nt-spot-w" style="background:{_shade(share)}" title="{html_attr(label)}">'
            f'{md_html_text(word)}<span class="nt-visually-hidden"> ({md_html_text(label)})</span></span>'
        )
    return '<p class="nt-spot">' + " ".join(parts) + "</p>"


def word_table(q: spot.SpotQuestion, reading: spot.ClassReading) -> pd.DataFrame:
    kinds: dict[int, list[str]] = {}
    for c in q.codes:
        for w in c.words:
            kinds.setdefault(w, []).append(c.kind)
    return pd.DataFrame(
        {
            "Word": list(q.words),
            "Marked by": list(reading.counts),
            "Share": [f"{reading.share(w):.0%}" for w in range(len(q.words))],
            "Codebook": [", ".join(dict.fromkeys(kinds.get(w, []))) or "–" for w in range(len(q.words))],
        }
    )


def reveal(bundle: Bundle, q: spot.SpotQuestion, mark_sets: Sequence[Sequence[int]]) -> None:
    """After Reveal: where the class looked, the codebook's reading with its rules, and three lists."""
    reading = spot.class_reading(q, mark_sets)
    st.html(_CSS)
    st.markdown(STYLE, unsafe_allow_html=True)
    outlet = bundle.names["outlet"].get(q.outlet, q.outlet)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown("**Where the class looked**: the darker a word, the more students marked it")
        st.markdown(shaded_html(q, reading), unsafe_allow_html=True)
        st.markdown(
            '<p class="nt-spot-legend">'
            f'<span class="nt-spot-key" style="background:{_shade(0.25)}">a quarter</span> '
            f'<span class="nt-spot-key" style="background:{_shade(0.5)}">half</span> '
            f'<span class="nt-spot-key" style="background:{_shade(1.0)}">everyone</span> '
            f"· {reading.sent} sent marks</p>",
            unsafe_allow_html=True,
        )
        st.markdown("**The codebook's reading**")
        labels = [c.text for c in q.codes if c.kind == spot.LABEL]
        scares = [c.text for c in q.codes if c.kind == spot.SCARE]
        st.markdown(
            f'<blockquote class="nt-quote">{highlight_html(q.quote, bundle.dataset.lexicon, labels, scares)}'
            f'</blockquote><p class="nt-meta">{md_html_text(outlet)} · claim {md_html_text(q.claim)}</p>',
            unsafe_allow_html=True,
        )
        if q.codes:
            st.markdown("\n".join(f"- **{md(c.text)}**: {md(c.rule)}" for c in q.codes))
        else:
            st.markdown("The codebook codes nothing in this excerpt: no loaded term, label or scare quote.")
    with right:
        _list("Found by most, and coded", [f"{c.code.text} ({c.code.kind}): {c.share:.0%}" for c in reading.found])
        _list("Coded, but missed by most", [f"{c.code.text} ({c.code.kind}): {c.share:.0%}" for c in reading.missed])
        _list(
            "Marked by many, not coded",
            [f"{q.words[w]}: {share:.0%}" for w, share in reading.uncoded],
            "The codebook may be wrong here, or the word may be plain: which rule would code it?",
        )
    with st.expander("As a table", icon=":material/table:"):
        st.dataframe(word_table(q, reading), hide_index=True)


def _list(title: str, lines: Sequence[str], note: str = "") -> None:
    st.markdown(f"**{title}**")
    if lines:
        st.markdown("\n".join("- " + md(line) for line in lines))
    else:
        st.caption("None.")
    if note and lines:
        st.caption(note)
