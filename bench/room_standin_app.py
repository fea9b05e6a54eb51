"""A stand-in for the room page that follows /work/notes/room_contract.md: the room benchmark's own
check of its load generator (``bench_room_class.py --app bench/room_standin_app.py``).

The same URL, widget keys and projector text as the real page, on the real store, with nothing
else: the dashboard's cost is what the real page adds on top of it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.rooms import Activity, RoomError, RoomStore, new_session_id

OPTIONS = ["Outlet A", "Outlet B", "Outlet C", "Outlet D", "Outlet E"]
QUESTIONS = 10


@st.cache_resource
def store() -> RoomStore:
    return RoomStore.from_url()


def student(code: str) -> None:
    s = store()
    if "sid" not in st.session_state:
        st.session_state.sid = new_session_id()
        s.join(code, st.session_state.sid)
    state = s.state(code)
    st.session_state.version = state.version

    @st.fragment(run_every=3)
    def poll() -> None:
        if s.state(code).version != st.session_state.version:
            st.rerun()

    poll()
    if state.closed:
        st.error(f"Room {code} is closed.")
        return
    q = state.question
    if q is None:
        st.markdown("Look at the projector")
        return
    st.markdown(f"Question {state.activity.position} of {QUESTIONS}")
    choice = st.radio("Which outlet?", state.options, index=None, key=f"room.choice.{q}")
    if st.button("Send", key="room.send") and choice is not None:
        s.answer(code, st.session_state.sid, q, choice)
    mine = s.my_answer(code, st.session_state.sid, q)
    if mine is not None:
        st.text(f"Your answer: {mine}")


def teacher(code: str, key: str) -> None:
    s = store()
    state = s.check_teacher(code, key)
    if st.button("Next", key="room.next"):
        n = state.activity.position + 1 if state.activity.kind == "quiz" else 1
        s.set_activity(code, key, Activity("quiz", "1", n), answer_kind="choice", options=OPTIONS)
    if st.button("Reveal", key="room.reveal"):
        s.reveal(code, key)

    @st.fragment(run_every=2)
    def live() -> None:
        r = s.results(code, key)
        a = r.state.activity
        st.caption(f"Question {a.position} of {QUESTIONS}" if a.kind == "quiz" else "Lobby")
        st.markdown(f"{r.answered} answered · {r.participants} joined")

    live()


def page() -> None:
    params = st.query_params
    code = params.get("room", "")
    try:
        if params.get("key"):
            teacher(code, params["key"])
        else:
            student(code)
    except RoomError as error:
        st.error(str(error))


st.navigation([st.Page(page, title="Room", url_path="room", default=True)]).run()
