"""The room's two pages: the teacher's projector and a student's phone, at one address (``/room?room=CODE``).

The teacher's link (``&key=…``) is exchanged once for a teacher session: a random token the store
keeps hashed, held in session state and in a cookie; the key leaves the address bar at once. Who is
the teacher is decided by the store on every action, never by the address: that same address opened
in another browser is a student's page. A control link for a second device is made on demand.

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
from dashboard.rooms import (
    NotTeacher,
    RoomError,
    RoomNotFound,
    RoomState,
    RoomStore,
    StoreUnavailable,
    new_session_id,
)
from dashboard.rooms.connection import room_store
from dashboard.rooms.inputs import room_code, session_id
from dashboard.shell import public_address
from dashboard.shell.classroom import page_url, qr_code
from dashboard.shell.loading import story_params, viewing_upload
from dashboard.shell.page import Page
from dashboard.shell.targets import page_of
from dashboard.views.quiz.build import questions, reveal
from dashboard.views.room import spot_page
from dashboard.views.room.figure import distribution_alt, distribution_figure, distribution_table
from dashboard.views.room.names import FLASH, QUIZ, SPOT, TEACHER
from dashboard.views.room.plans import Item, item_for, plan_items, plan_title, poll_paths, spot_question
from dashboard.views.steps import step_link_params

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
# This browser's teacher session, "CODE.token", kept a day (a room's life) so a reload keeps the controls.
TEACHER_COOKIE = "nt_room_teacher"
CONTROL = "room.control"  # a control link just made, shown once
JOINED = "room.joined"  # the code this session has joined
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
        token = _teacher_token(page, store, code, key)
        state = store.check_teacher(code, token) if token else store.state(code)
    except RoomError as err:
        if key:
            page.set("key", "")  # a key that opened nothing is not kept in the address either
        page.publish()
        st.title("The teacher's link" if key else "Join a room")
        st.error(md(str(err)), icon=":material/error:")
        # An action that met the same error (a room deleted from another device) is not said twice.
        st.session_state[FLASH] = [m for m in st.session_state.get(FLASH, []) if m != str(err)]
        if isinstance(err, StoreUnavailable):
            _live(code, None, "Trying again every few seconds…")  # the page comes back with the database
        elif not key or isinstance(err, RoomNotFound):
            _code_entry(page)
        return
    if state.expired:
        page.publish()
        st.title("Join a room")
        then = "open a new room on the Overview page" if token else "ask for the new code"
        st.error(f"Room {state.code} has ended: a room lasts a day; {then}.", icon=":material/timer_off:")
        _code_entry(page)
        return
    if token:
        _teacher(page, store, state, token)
    else:
        page.publish()
        _student(page, store, state)


def _teacher_token(page: Page, store: RoomStore, code: str, key: str) -> str | None:
    """This browser's teacher session for the room, if it has one; a key in the link is exchanged for one.

    The key is taken off the link before the page is drawn, so the address bar never keeps it.
    """
    code = room_code(code)
    held: dict[str, str] = st.session_state.setdefault(TEACHER, {})
    if key:
        page.set("key", "")  # taken off the address whatever it opens
        if code not in held:  # a browser that holds a session already keeps it (Back to a control link)
            held[code] = store.teacher_session(code, key)  # NotTeacher for a wrong key: the page says so
    elif code not in held:
        kept_code, _, kept = str(st.context.cookies.get(TEACHER_COOKIE) or "").partition(".")
        if kept_code != code or not kept:
            return None
        held[code] = kept
    try:
        store.check_teacher(code, held[code])
    except NotTeacher:  # a session of a deleted room, or a cookie not of ours: this browser is a student's
        del held[code]
        if key:
            raise
        return None
    value = f"{code}.{held[code]}"
    if st.context.cookies.get(TEACHER_COOKIE) != value and st.session_state.get(TEACHER_COOKIE) != value:
        # kept a day in the browser, so a reload of the projector keeps its controls (set once a session)
        st.html(_SET_COOKIE.format(name=TEACHER_COOKIE, value=value), unsafe_allow_javascript=True)
        st.session_state[TEACHER_COOKIE] = value
    return held[code]


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
    if item.activity.kind in ("quiz", "spot"):
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
                _live(state.code, None, "Trying again every few seconds…")
            return
        st.session_state[JOINED] = state.code
    item = item_for(page.bundle, state.activity)
    drawn = True
    if item is None:
        st.info("Waiting for the teacher to start. Keep this page open: the question comes by itself.")
    else:
        drawn = _question(page.bundle, store, state, item, session)
    # A page drawn short by a database error is drawn again once the database answers (shape None).
    _live(state.code, _shape(state) if drawn else None)
    with st.expander("Nickname (optional)", icon=":material/badge:"):
        st.text_input(
            "Nickname",
            key="room.nickname",
            max_chars=20,
            on_change=_rename,
            args=(state.code, session),
            help="Shown with your written answers on the projector. Leave it empty to stay anonymous.",
        )


def _question(bundle: Any, store: RoomStore, state: RoomState, item: Item, session: str) -> bool:
    """The question and this student's answer; False if the database could not say what they sent."""
    st.markdown(f"**{item.title}**")
    st.caption(item.kind)
    if item.answer_kind == "marks":  # the excerpt is the row of words to mark
        return spot_page.student(bundle, store, state, item, session)
    _excerpt(item, "1.1rem")
    try:
        mine = store.my_answer(state.code, session, item.activity.key)
    except RoomError as err:
        st.error(md(str(err)), icon=":material/error:")
        return False
    if state.question is None:  # revealed (for good: no answer box again) or nothing to answer
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
def _live(code: str, shape: tuple[Any, ...] | None, caption: str = "Reconnecting to the room…") -> None:
    """Redraw the page when the room changes what is on screen; otherwise draw nothing.

    ``shape`` None: a page drawn short because the database did not answer; it is drawn again as
    soon as the database answers. ``caption`` is what shows while it does not.
    """
    try:
        now = room_store().state(code)
    except StoreUnavailable:
        st.caption(caption)  # the next check tries again; the page stays as it is
        return
    except RoomError:  # deleted or gone: the whole page says so
        st.rerun()
    if _shape(now) != shape:
        st.rerun()


# --- the teacher's projector ----------------------------------------------------------------


def _join_url(page: Page, code: str) -> str:
    """The student link on the public address (a relative one where there is none: no browser)."""
    return page_url(page.view, "room", {"room": code}) or "/room?" + urlencode({"room": code, **story_params()})


def _move(page: Page, code: str, token: str, by: int) -> None:
    plan, seed = str(page.value("plan")), int(page.value("seed"))
    try:
        store = room_store()
        state = store.check_teacher(code, token)
        items = plan_items(page.bundle, plan, seed)
        at = next((i for i, it in enumerate(items) if it.activity == state.activity), None)
        target = 0 if at is None else at + by
        if 0 <= target < len(items):
            it = items[target]
            store.set_activity(code, token, it.activity, answer_kind=it.answer_kind, options=it.options)
    except RoomError as err:
        _say(err)


def _teacher_action(action: str, code: str, token: str, *args: Any) -> None:
    try:
        getattr(room_store(), action)(code, token, *args)
    except RoomError as err:
        _say(err)


def _control_link(page: Page, code: str, token: str) -> None:
    try:
        key = room_store().control_key(code, token)
    except RoomError as err:
        _say(err)
        return
    params = {"room": code, "key": key}
    st.session_state[CONTROL] = page_url(page.view, "room", params) or f"/room?room={code}&key={key}"


def _delete(page: Page, code: str, token: str) -> None:
    if not st.session_state.get("room.delete_sure"):
        st.session_state.setdefault(FLASH, []).append("Tick “Yes, delete it” first: deleting cannot be undone.")
        return
    try:
        room_store().delete_room(code, token)
    except RoomError as err:
        _say(err)
        return
    page.set("room", "")
    page.set("key", "")
    st.session_state["room.delete_sure"] = False  # the next room asks again
    st.session_state.get(TEACHER, {}).pop(code, None)
    st.session_state[FLASH] = []
    st.toast(f"Room {code} and everything sent to it are deleted.", icon=":material/delete:")


def _back_link(page: Page) -> None:
    """A link back to the presenter step the room was opened from."""
    path_id, _, number = str(page.value("back")).partition("/")
    path = page.bundle.dataset.by_id("paths").get(path_id)
    if path is None or not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= len(path.steps):
        return
    i = int(number) - 1
    st.page_link(
        page_of(path.steps[i].page),
        label=md(f"Back to step {i + 1}: {path.steps[i].title}"),
        icon=":material/arrow_back:",
        query_params=step_link_params(path, i, page.bundle),
    )


def _address_warning(url: str) -> None:
    """Say so when the join link is this machine's own address, and what to do."""
    if not url.startswith("http") or not public_address.is_loopback(url):
        return
    lan = public_address.lan_address()
    there = ""
    if lan:
        there = f"Open the app at {public_address.with_host(url, lan)} instead: phones on this network use that. "
    st.warning(
        md(
            "Phones cannot open this link: it is this computer's own address. " + there + "If phones cannot reach "
            f"the computer, start the app with --server.address 0.0.0.0, or set {public_address.ENV} to the "
            "address phones use (docs/deploy.md)."
        ),
        icon=":material/wifi_off:",
    )


UPLOAD_JOIN = (
    "You are viewing an uploaded story: phones that join by this link or its QR code see it too; a phone that "
    "types the code at /room sees the built-in story."
)


def _teacher(page: Page, store: RoomStore, state: RoomState, token: str) -> None:
    b = page.bundle
    code = state.code
    item = item_for(b, state.activity)
    words, side = st.columns([5, 2], gap="medium")
    with side:
        url = _join_url(page, code)
        st.html(f'<h1 class="nt-room-code"><span class="nt-visually-hidden">Room code </span>{code}</h1>')
        if state.closed:  # no join code: the record of the class instead, where the QR code was
            st.caption("This room is closed: no one can join it.")
            _summary(b, store, code, token)
        else:
            if url.startswith("http"):
                st.image(qr_code(b, url), width=260, caption="Scan to join", alt=f"QR code of the join link {url}")
            st.caption("Or open this link, or type the code at /room:")
            st.code(url, language=None, wrap_lines=True)
            if viewing_upload():  # the story travels in the link only: a typed code cannot carry it
                st.caption(UPLOAD_JOIN)
            if state.activity.kind != "lobby":
                _address_warning(url)
    with words:
        _flash()
        _back_link(page)
        if state.activity.kind == "lobby" and not state.closed:  # said first, where the class looks before Start
            _address_warning(url)
        if state.closed:
            st.warning(f"Room {code} is closed: no more answers. Its results stay here until it expires.")
        # What the class plays is chosen once, before Start: folded away, so the projector shows the question.
        plan, seed = str(page.value("plan")), int(page.value("seed"))
        label = plan_title(b, plan) + (f", quiz {seed}" if plan == QUIZ else f", set {seed}" if plan == SPOT else "")
        with st.popover(md(f"Playing: {label}"), icon=":material/playlist_play:", disabled=state.closed):
            st.selectbox(
                "What the class does",
                [QUIZ, SPOT, *(p.id for p in poll_paths(b.dataset))],
                key=page.key("plan"),
                format_func=lambda p: plan_title(b, p),  # a select box shows its options as plain text
                help="Start or Next moves the class to the first question of what you choose here.",
            )
            if page.value("plan") in (QUIZ, SPOT):
                number = "Quiz number" if page.value("plan") == QUIZ else "Set number (each draws other excerpts)"
                st.number_input(number, min_value=0, max_value=10**9, step=1, key=page.key("seed"))
        settings = page.publish()  # the teacher key is gone from it: the address bar is the student link
        items = plan_items(b, settings.plan, settings.seed)
        at = next((i for i, it in enumerate(items) if it.activity == state.activity), None)
        open_ = not state.closed
        with st.container(horizontal=True):
            st.button(
                "Previous",
                key="room.prev",
                icon=":material/arrow_back:",
                on_click=_move,
                args=(page, code, token, -1),
                disabled=not open_ or not at,
            )
            st.button(
                "Next" if at is not None else "Start",
                key="room.next",
                type="primary",
                icon=":material/arrow_forward:",
                on_click=_move,
                args=(page, code, token, 1),
                disabled=not open_ or not items or (at is not None and at + 1 >= len(items)),
            )
            st.button(
                "Reveal",
                key="room.reveal",
                icon=":material/visibility:",
                on_click=_teacher_action,
                args=("reveal", code, token),
                disabled=not open_ or state.question is None,
                help="Show the class's results, and stop taking answers to this question, for good.",
            )
            _control_popover(page, code, token)
            with st.popover("End", icon=":material/stop_circle:"):
                st.button(
                    "Close the room",
                    key="room.close",
                    on_click=_teacher_action,
                    args=("close", code, token),
                    disabled=state.closed,
                    help="No more joins or answers; the results stay until the room expires.",
                )
                st.divider()
                st.checkbox("Yes, delete it: the room and every answer, now", key="room.delete_sure")
                st.button(
                    "Delete the room and its answers",
                    key="room.delete",
                    icon=":material/delete:",
                    on_click=_delete,
                    args=(page, code, token),
                    disabled=not st.session_state.get("room.delete_sure"),
                )
        if item is None:
            if state.activity.kind == "lobby":
                st.markdown("#### Students join now. Press **Start** when the class is ready.")
            else:
                st.warning("What the room has on screen is not in this dataset any more; press Next.")
        else:
            st.markdown(f"#### {md(item.title)}")
            st.caption(md(item.kind + (" · revealed" if state.revealed else "")))
            if not (item.answer_kind == "marks" and state.revealed):  # then the class's shading shows it
                _excerpt(item, "1.35rem")
            if item.answer_kind == "choice" and not state.revealed:
                st.caption(md("Options: " + " · ".join(state.options)))
            elif item.answer_kind == "text" and not state.revealed:
                st.caption("Students write a short answer. After Reveal you choose which ones the projector shows.")
            elif item.answer_kind == "marks" and not state.revealed:
                st.caption(
                    "Students mark the words that judge, label or keep a distance, and send them. "
                    "Reveal shows where the class looked, then the codebook's reading."
                )
        # A closed room takes no more answers: its results are drawn once, not polled.
        (_closed_results if state.closed else _teacher_live)(b, code, token, _shape(state), item)


def _control_popover(page: Page, code: str, token: str) -> None:
    """The control link for a second device, made only when asked for: the projector never shows one."""
    with st.popover("Control link", icon=":material/phonelink_lock:"):
        st.markdown("Run the room from your phone or a second computer: open this link there. Keep it off the screen.")
        made = st.session_state.pop(CONTROL, None)  # shown once: the next run of the page drops it
        if made:
            st.code(made, language=None, wrap_lines=True)
            st.caption("A new control link stops the one before it working; this screen keeps its controls.")
        else:
            st.button("Make a control link", key="room.control", on_click=_control_link, args=(page, code, token))


def _summary(bundle: Any, store: RoomStore, code: str, token: str) -> None:
    """A closed room's record: each question played, how many answered, whether it was revealed."""
    try:
        played = store.played(code, token)
    except RoomError as err:
        st.error(md(str(err)), icon=":material/error:")
        return
    st.markdown("**The questions played**")
    if not played:
        st.caption("No question was played in this room.")
        return
    lines = []
    for p in played:
        item = item_for(bundle, p.activity)
        what = f"{item.title} ({item.kind.lower()})" if item else p.question
        lines.append(f"- {md(what)}: {p.answered} answered" + (", revealed" if p.revealed else ", not revealed"))
    st.markdown("\n".join(lines))


def _results(bundle: Any, code: str, token: str, shape: tuple[Any, ...], item: Item | None) -> None:
    """The live count and, once revealed, the answers; the whole page is drawn again if the room changed."""
    _flash()
    try:
        results = room_store().results(code, token)
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
    if state.answer_kind == "marks":
        st.markdown(f"### {results.answered} marked · {results.participants} joined")
        question = spot_question(bundle, item) if item is not None else None
        if state.revealed and question is not None and results.mark_sets is not None:
            spot_page.reveal(bundle, question, results.mark_sets)
        return
    st.markdown(f"### {results.answered} answered · {results.participants} joined")
    if item is None:
        return
    if state.revealed and results.distribution is not None:
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
    if results.texts is not None and state.revealed:
        _written(code, token, results.texts, results.names_shown)


_teacher_live = st.fragment(run_every=TEACHER_EVERY)(_results)
_closed_results = st.fragment(_results)  # still a fragment: Show and Hide redraw only the answers


def _cues(bundle: Any, item: Item) -> None:
    st.success(md(f"It was {item.answer}."), icon=":material/check_circle:")
    qs = questions(bundle, int(item.activity.ref))
    shown = reveal(bundle, qs[item.activity.position - 1])
    st.markdown("**The cues that could have told you**")
    for cue in shown.cues:
        st.markdown("- " + md(cue))


def _written(code: str, token: str, texts: Any, names_shown: bool) -> None:
    """The written answers the teacher has shown, on the projector; all of them in a folded panel,
    the teacher's own, to choose which to show (and whether with their nicknames)."""
    shown = [a for a in texts if not a.hidden]
    if shown:
        for answer in shown:
            st.text(f"{answer.nickname}: {answer.text}" if names_shown and answer.nickname else answer.text)
    else:
        st.info(f"{len(texts)} written answers. None is shown yet: choose them under “Written answers”.")
    with st.expander("Written answers: choose what the class sees", icon=":material/lock:"):
        st.caption("Only you see this list while it is open. Keep it folded while it is projected.")
        with st.container(horizontal=True):
            for label, shown_ in (("Show all", True), ("Show none", False)):
                st.button(
                    label,
                    key=f"room.show_all.{shown_}",
                    on_click=_teacher_action,
                    args=("show_texts", code, token, shown_),
                )
            st.button(
                "Hide nicknames" if names_shown else "Show nicknames",
                key="room.names",
                on_click=_teacher_action,
                args=("show_names", code, token, not names_shown),
            )
        if not texts:
            st.caption("No written answers yet.")
        for answer in texts:
            with st.container(horizontal=True, vertical_alignment="center"):
                st.text(f"{answer.nickname}: {answer.text}" if answer.nickname else answer.text)
                st.button(
                    "Show" if answer.hidden else "Hide",
                    key=f"room.{'show' if answer.hidden else 'hide'}.{answer.answer_id}",
                    icon=":material/visibility:" if answer.hidden else ":material/visibility_off:",
                    on_click=_teacher_action,
                    args=("hide", code, token, answer.answer_id, not answer.hidden),
                )
