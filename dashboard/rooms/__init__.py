"""Live class rooms: a teacher opens one, students join by code, answers go to a shared database.

No Streamlit in this package except ``connection.py`` (st.connection and caching for the app).
"""

from __future__ import annotations

from dashboard.rooms.engine import ENV_DATA_DIR, ENV_URL, make_engine, resolve_url
from dashboard.rooms.errors import (
    AnswersClosed,
    DraftExpired,
    DraftNotFound,
    DraftTooLarge,
    InvalidInput,
    NotDraftKey,
    NotJoined,
    NotTeacher,
    RateLimited,
    RoomClosed,
    RoomError,
    RoomExpired,
    RoomFull,
    RoomNotFound,
    StoreUnavailable,
)
from dashboard.rooms.inputs import CODE_ALPHABET, new_session_id
from dashboard.rooms.store import (
    Activity,
    Limits,
    MarkReceipt,
    NewRoom,
    Participant,
    Played,
    Receipt,
    Results,
    RoomState,
    RoomStore,
    TextAnswer,
)

__all__ = [
    "CODE_ALPHABET",
    "ENV_DATA_DIR",
    "ENV_URL",
    "Activity",
    "AnswersClosed",
    "DraftExpired",
    "DraftNotFound",
    "DraftTooLarge",
    "InvalidInput",
    "Limits",
    "MarkReceipt",
    "NewRoom",
    "NotDraftKey",
    "NotJoined",
    "NotTeacher",
    "Participant",
    "Played",
    "RateLimited",
    "Receipt",
    "Results",
    "RoomClosed",
    "RoomError",
    "RoomExpired",
    "RoomFull",
    "RoomNotFound",
    "RoomState",
    "RoomStore",
    "StoreUnavailable",
    "TextAnswer",
    "make_engine",
    "new_session_id",
    "resolve_url",
]
