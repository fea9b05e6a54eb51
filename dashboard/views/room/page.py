"""The room's two pages: the teacher's projector (the link with the key) and a student's phone.

Only the live parts refresh on their own, as fragments: the teacher's results every
``TEACHER_EVERY`` seconds, and on a phone a check of what is on screen every ``STUDENT_EVERY``
seconds, which reruns the whole page only when the teacher has moved on, revealed or closed.
Everything a student wrote is shown with ``st.text`` or escaped (``md``): never as markup.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import streamlit as st

from dashboard.markup.highlight import STYLE
from dashboard.markup.safe import md, md_html_text
from dashboard.rooms import RoomError, RoomNotFound, RoomState, RoomStore, StoreUnavailable, new_session_id
from dashboard.rooms.connection import room_store
from dashboard.rooms.inputs import room_code, session_id
from dashboard.shell.classroom import page_url, qr_code
from dashboard.shell.loading import story_params, viewing_upload
from dashboard.shell.page import Page
from dashboard.views.quiz.build import questions, reveal
from dashboard.views.room import QUIZ
from dashboard.views.room.figure import distribution_alt, distribution_figure, distribution_table
from dashboard.views.room.plans import Item, item_for, plan_items, plan_title, poll_paths

# A class of 40 phones at one check every 3 s is 13 light reads a second: the projector still sees
# a new question on every phone within 3 s, well inside the 5 s a class allows. The projector's
# count, one read every 2 s, looks live to a room watching it.
TEACHER_EVERY = 2.0
STUDENT_EVERY = 3.0

SESSION = "room.session"  # this browser session's anonymous id (the only id a student has)
# The same id kept in the browser for a day, so a phone that reconnects (a new tab, the app server
# restarted) is the same student: not a second one, and its answer still its own. Only a random id.
COOKIE = "nt_room_session"
_SET_COOKIE = """<script>document.cookie = "{name}={value}; path=/; max-age=86400; SameSite=Lax";</script>"""
JOINED = "room.joined"  # the code this session has joined
FLASH = "room.flash"  # a message from a button's callback, shown on the next run
CODE_INPUT = "room.code_input"

# The projector reads from the back of a classroom: the code big, no sidebar; phones get no sidebar either
# (a student has nothing else to do here).
_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
{display: none !important;}
[data-testid="stMainBlockContainer"] {padding-top: 4rem;}  /* under the 60 px top bar */
.nt-room-code {font-size: 4.2rem; font-weight: 700; letter-spacing: .35rem; line-height: 1.1;
  font-family: ui-monospace, "DejaVu Sans Mono", monospace;}
h1.nt-room-code {padding: 0;}
h1.nt-room-title {font-size: 1.3rem; font-weight: 400; padding: 0;}
.nt-room-small-code {font-size: 1.5rem; font-weight: 700; letter-spacing: .2rem; font-family: ui-monospace, monospace;}
.nt-visually-hidden {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);}
</style>"""


def render(page: Page) -> None:
    st.html(_CSS)
    code, key = str(page.value("room")).strip(), str(page.value("key")).strip()
    if not code:
        page.publish()
        st.title("Join a room")
        _code_entry(page)
        return
    try:
        store = room_store()
        state = store.check_teacher(code, key) if key else store.state(code)
    except RoomError as err:
        page.publish()
        st.title("The teacher's link" if key else "Join a room")
        st.error(md(str(err)), icon=":material/error:")
        if isinstance(err, StoreUnavailable):
            _retry(code)  # the page comes back by itself when the database does
        elif not key or isinstance(err, RoomNotFound):
            _code_entry(page)
        return
    if state.expired:
        page.publish()
        st.title("Join a room")
        then = "open a new room on the Overview page" if key else "ask for the new code"
        st.error(f"Room {state.code} has ended: a room lasts a day; {then}.", icon=":material/timer_off:")
        _code_entry(page)
        return
    if key:
        _teacher(page, store, state, key)
    else:
        page.publish()
        _student(page, store, state)


# --- shared ---------------------------------------------------------------------------------


# A store's message may quote what was typed (a code from a link): it is shown escaped, as text.
def _flash() -> None:
    for message in st.session_state.pop(FLASH, []):
        st.error(md(message), icon=":material/error:")


def _say(err: RoomError) -> None:
    st.session_state.setdefault(FLASH, []).append(str(err))


def _shape(state: RoomState) -> tuple[Any, ...]:
    """What the page around the live part shows: when it changes, the whole page is drawn again."""
    return (state.activity, state.answer_kind, state.options, state.revealed, state.closed)


def _go(page: Page) -> None:
    typed = str(st.session_state.get(CODE_INPUT, ""))
    try:
        page.set("room", room_code(typed))
        page.set("key", "")
    except RoomError as err:
        _say(err)


def _code_entry(page: Page) -> None:
    _flash()
    with st.form("room.join-form", border=False, enter_to_submit=True):
        st.text_input("Room code", key=CODE_INPUT, max_chars=12, placeholder="the 6 characters on the projector")
        st.form_submit_button("Join", key="room.go", type="primary", on_click=_go, args=(page,))


def _excerpt(item: Item, size: str) -> None:
    if item.activity.kind == "quiz":
        st.markdown(STYLE, unsafe_allow_html=True)
        st.markdown(
            f'<blockquote class="nt-quote" style="font-size:{size}">{md_html_text(item.text)}</blockquote>',
            unsafe_allow_html=True,
        )
    else:
        st.markdown(f'<p style="font-size:{size}">{md_html_text(item.text)}</p>', unsafe_allow_html=True)


# --- a student's phone ----------------------------------------------------------------------


def _rename(code: str, session: str) -> None:
    try:
        room_store().join(code, session, st.session_state.get("room.nickname", ""))  # "" clears it
    except RoomError as err:
        _say(err)


def _send(code: str, session: str, question: str, widget: str) -> None:
    value = st.session_state.get(widget)
    if value is None or (isinstance(value, str) and not value.strip()):
        st.session_state.setdefault(FLASH, []).append("Choose an answer first, then send it.")
        return
    try:
        room_store().answer(code, session, question, str(value))
    except RoomError as err:
        _say(err)


def _session() -> str:
    """This student's anonymous id: the browser's cookie if it has a valid one, else a new one it keeps."""
    if SESSION not in st.session_state:
        kept = st.context.cookies.get(COOKIE)
        try:
            st.session_state[SESSION] = session_id(kept) if kept else new_session_id()
        except RoomError:  # a cookie that is not one of ours
            st.session_state[SESSION] = new_session_id()
        if st.session_state[SESSION] != kept:  # the cookies are read when a session starts: set once
            st.html(_SET_COOKIE.format(name=COOKIE, value=st.session_state[SESSION]), unsafe_allow_javascript=True)
    return st.session_state[SESSION]


def _student(page: Page, store: RoomStore, state: RoomState) -> None:
    session = _session()
    st.html(f'<h1 class="nt-room-title">Room <span class="nt-room-small-code">{state.code}</span></h1>')
    _flash()
    if state.closed:
        st.info(
            f"Room {state.code} is closed: the teacher has ended it. Nothing more can be sent.", icon=":material/lock:"
        )
        return
    if st.session_state.get(JOINED) != state.code:
        try:
            store.join(state.code, session)
        except RoomError as err:
            st.error(md(str(err)), icon=":material/error:")
            if isinstance(err, StoreUnavailable):
                _retry(state.code)
            return
        st.session_state[JOINED] = state.code
    item = item_for(page.bundle, state.activity)
    drawn = True
    if item is None:
        st.info("Waiting for the teacher to start. Keep this page open: the question comes by itself.")
    else:
        drawn = _question(store, state, item, session)
    # A page drawn short by a database error is drawn again once the database answers (shape None).
    _student_live(state.code, _shape(state) if drawn else None)
    with st.expander("Nickname (optional)", icon=":material/badge:"):
        st.text_input(
            "Nickname",
            key="room.nickname",
            max_chars=20,
            on_change=_rename,
            args=(state.code, session),
            help="Shown with your written answers on the projector. Leave it empty to stay anonymous.",
        )


def _question(store: RoomStore, state: RoomState, item: Item, session: str) -> bool:
    """The question and this student's answer; False if the database could not say what they sent."""
    st.markdown(f"**{item.title}**")
    _excerpt(item, "1.1rem")
    try:
        mine = store.my_answer(state.code, session, item.activity.key)
    except RoomError as err:
        st.error(md(str(err)), icon=":material/error:")
        return False
    if state.question is None:
        st.info(
            "The answers are on the projector now." if state.revealed else "Nothing to answer: look at the projector.",
            icon=":material/co_present:",
        )
    else:
        question = state.question
        if state.answer_kind == "choice":
            widget = f"room.choice.{question}"
            options = list(state.options)
            st.radio(
                "Which outlet published this?" if item.activity.kind == "quiz" else "Your answer",
                options,
                index=options.index(mine) if mine in options else None,
                key=widget,
                format_func=md,  # radio labels are markdown: an option is shown as text
            )
        else:
            widget = f"room.text.{question}"
            st.text_area("Your answer", key=widget, max_chars=280, height=110)
        st.button(
            "Send" if mine is None else "Send again (replaces your answer)",
            key="room.send",
            type="primary",
            icon=":material/send:",
            on_click=_send,
            args=(state.code, session, question, widget),
        )
    if mine is not None:
        st.markdown("Your answer: " + md(mine))
    if state.revealed and item.answer is not None:
        right = mine == item.answer
        st.markdown(md(f"It was {item.answer}.") + (" You got it." if right else ""))
    return True


@st.fragment(run_every=STUDENT_EVERY)
def _student_live(code: str, shape: tuple[Any, ...]) -> None:
    """Redraw the page when the teacher changes what is on screen; otherwise draw nothing."""
    try:
        now = room_store().state(code)
    except StoreUnavailable:
        st.caption("Reconnecting to the room…")  # the next check tries again; the page stays as it is
        return
    except RoomError:  # deleted or gone: the whole page says so
        st.rerun()
    if _shape(now) != shape:
        st.rerun()


@st.fragment(run_every=STUDENT_EVERY)
def _retry(code: str) -> None:
    """On a page that could not reach the database: try again every few seconds, then draw the page."""
    try:
        room_store().state(code)
    except StoreUnavailable:
        st.caption("Trying again every few seconds…")
        return
    except RoomError:  # the database answers, and the room is gone: the whole page says so
        pass
    st.rerun()


# --- the teacher's projector ----------------------------------------------------------------


def _join_url(page: Page, code: str) -> str:
    """The student link on the host this page came from (a relative one where there is no browser)."""
    return page_url(page.view, "room", {"room": code}) or "/room?" + urlencode({"room": code, **story_params()})


def _move(page: Page, code: str, key: str, by: int) -> None:
    plan, seed = str(page.value("plan")), int(page.value("seed"))
    try:
        store = room_store()
        state = store.check_teacher(code, key)
        items = plan_items(page.bundle, plan, seed)
        at = next((i for i, it in enumerate(items) if it.activity == state.activity), None)
        target = 0 if at is None else at + by
        if 0 <= target < len(items):
            it = items[target]
            store.set_activity(code, key, it.activity, answer_kind=it.answer_kind, options=it.options)
    except RoomError as err:
        _say(err)


def _teacher_action(action: str, code: str, key: str, *args: Any) -> None:
    try:
        getattr(room_store(), action)(code, key, *args)
    except RoomError as err:
        _say(err)


def _delete(page: Page, code: str, key: str) -> None:
    try:
        room_store().delete_room(code, key)
    except RoomError as err:
        _say(err)
        return
    page.set("room", "")
    page.set("key", "")
    st.session_state[FLASH] = []
    st.toast(f"Room {code} and everything sent to it are deleted.", icon=":material/delete:")


UPLOAD_JOIN = (
    "You are viewing an uploaded story: phones that join by this link or its QR code see it too; a phone that "
    "types the code at /room sees the built-in story."
)


def _teacher(page: Page, store: RoomStore, state: RoomState, key: str) -> None:
    b = page.bundle
    code = state.code
    item = item_for(b, state.activity)
    words, side = st.columns([5, 2], gap="medium")
    with side:
        url = _join_url(page, code)
        st.html(f'<h1 class="nt-room-code"><span class="nt-visually-hidden">Room code </span>{code}</h1>')
        if url.startswith("http"):
            st.image(qr_code(b, url), width=260, caption="Scan to join", alt=f"QR code of the join link {url}")
        st.caption("Or open this link, or type the code at /room:")
        st.code(url, language=None, wrap_lines=True)
        if viewing_upload():  # the story travels in the link only: a typed code cannot carry it
            st.caption(UPLOAD_JOIN)
    with words:
        _flash()
        if state.closed:
            st.warning(f"Room {code} is closed: no more answers. Its results stay here until it expires.")
        # What the class plays is chosen once, before Start: folded away, so the projector shows the question.
        plan, seed = str(page.value("plan")), int(page.value("seed"))
        label = plan_title(b, plan) + (f", quiz {seed}" if plan == QUIZ else "")
        with st.popover(md(f"Playing: {label}"), icon=":material/playlist_play:", disabled=state.closed):
            st.selectbox(
                "What the class does",
                [QUIZ, *(p.id for p in poll_paths(b.dataset))],
                key=page.key("plan"),
                format_func=lambda p: plan_title(b, p),  # a select box shows its options as plain text
                help="Start or Next moves the class to the first question of what you choose here.",
            )
            if page.value("plan") == QUIZ:
                st.number_input("Quiz number", min_value=0, max_value=10**9, step=1, key=page.key("seed"))
        settings = page.publish()
        items = plan_items(b, settings.plan, settings.seed)
        at = next((i for i, it in enumerate(items) if it.activity == state.activity), None)
        open_ = not state.closed
        with st.container(horizontal=True):
            st.button(
                "Previous",
                key="room.prev",
                icon=":material/arrow_back:",
                on_click=_move,
                args=(page, code, key, -1),
                disabled=not open_ or not at,
            )
            st.button(
                "Next" if at is not None else "Start",
                key="room.next",
                type="primary",
                icon=":material/arrow_forward:",
                on_click=_move,
                args=(page, code, key, 1),
                disabled=not open_ or not items or (at is not None and at + 1 >= len(items)),
            )
            st.button(
                "Reveal",
                key="room.reveal",
                icon=":material/visibility:",
                on_click=_teacher_action,
                args=("reveal", code, key),
                disabled=not open_ or state.question is None,
                help="Show the class's answers, and stop taking answers to this question.",
            )
            with st.popover("End", icon=":material/stop_circle:"):
                st.button(
                    "Close the room",
                    key="room.close",
                    on_click=_teacher_action,
                    args=("close", code, key),
                    disabled=state.closed,
                    help="No more joins or answers; the results stay until the room expires.",
                )
                st.button(
                    "Delete the room and its answers now",
                    key="room.delete",
                    on_click=_delete,
                    args=(page, code, key),
                )
        if item is None:
            if state.activity.kind == "lobby":
                st.markdown("#### Students join now. Press **Start** when the class is ready.")
            else:
                st.warning("What the room has on screen is not in this dataset any more; press Next.")
        else:
            st.markdown(f"#### {md(item.title)}")
            _excerpt(item, "1.35rem")
            if item.answer_kind == "choice" and not state.revealed:
                st.caption(md("Options: " + " · ".join(state.options)))
            elif item.answer_kind == "text":
                st.caption("Students write a short answer; Reveal lists them here.")
        # A closed room takes no more answers: its results are drawn once, not polled.
        (_closed_results if state.closed else _teacher_live)(b, code, key, _shape(state), item)


def _results(bundle: Any, code: str, key: str, shape: tuple[Any, ...], item: Item | None) -> None:
    """The live count and, once revealed, the answers; the whole page is drawn again if the room changed."""
    _flash()
    try:
        results = room_store().results(code, key)
    except StoreUnavailable as err:
        st.error(md(str(err)), icon=":material/error:")
        return
    except RoomError:  # deleted or expired meanwhile: the whole page says so
        st.rerun()
    state = results.state
    if _shape(state) != shape:
        st.rerun()
    if state.activity.kind == "lobby":
        st.markdown(f"### {results.participants} joined")
        return
    st.markdown(f"### {results.answered} answered · {results.participants} joined")
    if not state.revealed or item is None:
        return
    if results.distribution is not None:
        # On a 720 px projector the chart and the quiz's cues sit side by side, under the count.
        chart, cues = st.columns([3, 2]) if item.activity.kind == "quiz" else (st.container(), None)
        with chart:
            st.plotly_chart(
                distribution_figure(results.distribution, height=30 + 46 * len(results.distribution)),
                config={"displayModeBar": False},
                key="room.chart",
                alt=distribution_alt(results.distribution),
            )
            with st.expander("As a table", icon=":material/table:"):
                st.dataframe(distribution_table(results.distribution), hide_index=True)
        if cues is not None:
            with cues:
                _cues(bundle, item)
    if results.texts is not None:
        _written(code, key, results.texts)


_teacher_live = st.fragment(run_every=TEACHER_EVERY)(_results)
_closed_results = st.fragment(_results)  # still a fragment: Hide and Show redraw only the answers


def _cues(bundle: Any, item: Item) -> None:
    st.success(md(f"It was {item.answer}."), icon=":material/check_circle:")
    qs = questions(bundle, int(item.activity.ref))
    shown = reveal(bundle, qs[item.activity.position - 1])
    st.markdown("**The cues that could have told you**")
    for cue in shown.cues:
        st.markdown("- " + md(cue))


def _written(code: str, key: str, texts: Any) -> None:
    if not texts:
        st.info("No written answers yet.")
    for answer in texts:
        with st.container(horizontal=True, vertical_alignment="center"):
            if answer.hidden:
                st.caption("A hidden answer.")
                st.button(
                    "Show again",
                    key=f"room.show.{answer.answer_id}",
                    on_click=_teacher_action,
                    args=("hide", code, key, answer.answer_id, False),
                )
            else:
                st.text(f"{answer.nickname}: {answer.text}" if answer.nickname else answer.text)
                st.button(
                    "Hide",
                    key=f"room.hide.{answer.answer_id}",
                    icon=":material/visibility_off:",
                    on_click=_teacher_action,
                    args=("hide", code, key, answer.answer_id, True),
                )
