"""The "Open a room" button, for any page a teacher starts from (the Overview, the presenter bar)."""

from __future__ import annotations

import streamlit as st

from dashboard.data.bundle import Bundle
from dashboard.markup.safe import md
from dashboard.rooms import RoomError
from dashboard.rooms.connection import room_store
from dashboard.shell.targets import page_of
from dashboard.views.room.names import TEACHER
from dashboard.views.room.plans import Item, plan_items, poll_paths

HELP = (
    "A live room for this class: students join on their phones by a code or a QR code, no account or name "
    "needed, and their answers appear on the projector. It lasts a day."
)


def room_params(bundle: Bundle, path_id: str | None = None) -> dict[str, str]:
    """The teacher link's plan for a room opened from a presenter path: the path, if a room can play it."""
    if path_id and path_id in {p.id for p in poll_paths(bundle.dataset)}:
        return {"plan": path_id}
    return {}


def start_item(bundle: Bundle, plan: str, step: int) -> Item | None:
    """Where a room opened at a path's ``step`` (0-based) starts: its first question at or after the step."""
    return next((it for it in plan_items(bundle, plan, 1) if it.step is not None and it.step >= step), None)


def room_button(
    bundle: Bundle,
    path_id: str | None = None,
    step: int | None = None,
    *,
    key: str = "room.open",
    label: str = "Open a room",
) -> None:
    """A button that opens a room, then a link to its page (``/room?room=CODE``) for this browser.

    The teacher key never reaches an address bar: it is exchanged here, on the server, for a teacher
    session this browser keeps. The room's page is reached by a page link, not ``st.switch_page``:
    switching pages writes the new page's query string onto the old page's address first, which
    leaves a history entry the browser's Back lands on (the step's page with the room's settings).

    From a presenter path (``path_id``, and ``step`` its 0-based index): the room plays that path's
    polls and quiz, and one rule says where it starts: on the first question at this step or after it
    (the step's own poll or quiz, else the next one along the path); in the lobby only when no question
    is left. The room page links back to the step. A store that cannot be reached is a message under
    the button, never a traceback.
    """
    opened = f"{key}.opened"  # the room this button opened, for this session
    if st.button(label, key=key, icon=":material/groups:", help=HELP):
        params = room_params(bundle, path_id)
        try:
            store = room_store()
            room = store.open_room()
            if params and step is not None:
                first = start_item(bundle, params["plan"], step)
                if first is not None:
                    kind, options = first.answer_kind, first.options
                    store.set_activity(room.code, room.teacher_key, first.activity, answer_kind=kind, options=options)
            token = store.teacher_session(room.code, room.teacher_key)
        except RoomError as err:
            st.error(md(str(err)), icon=":material/error:")  # escaped: it may quote input
            return
        st.session_state.setdefault(TEACHER, {})[room.code] = token
        back = {"back": f"{path_id}/{step + 1}"} if path_id and step is not None else {}
        st.session_state[opened] = {"room": room.code, **params, **back}
    link = st.session_state.get(opened)
    if link and link["room"] in st.session_state.get(TEACHER, {}):
        st.page_link(
            page_of("room"),
            label=f"Go to room {link['room']}",
            icon=":material/arrow_forward:",
            query_params=link,
        )


def step_room_button(bundle: Bundle, path_id: str, index: int) -> None:
    """What the room adds to a presenter step's Student link box (``View.step_tool``)."""
    room_button(bundle, path_id, index, key="presenter.open_room", label="Open a room for this class")
    st.caption("A live room shows the class's answers to this path's questions: its quiz, polls and excerpts to mark.")
