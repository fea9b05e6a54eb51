"""What can go wrong in a room, as exceptions whose message a page can show as it is.

Every exception the store raises on purpose is a ``RoomError``; its ``str()`` is a sentence for a
teacher or a student, never a database message. ``StoreUnavailable`` is the one type for "the
database cannot do this now" (refused connection, full disk, read-only file, too busy), whichever
database is behind the store.
"""

from __future__ import annotations

from typing import Literal

Reason = Literal["unreachable", "full", "readonly", "busy", "schema"]


class RoomError(Exception):
    """Base of the store's own errors; the message is for people."""


class StoreUnavailable(RoomError):
    """The database cannot be used right now. Nothing committed before is lost."""

    def __init__(self, message: str, reason: Reason) -> None:
        super().__init__(message)
        self.reason: Reason = reason


class RoomNotFound(RoomError):
    """No room has this code (mistyped, or expired and purged)."""


class RoomExpired(RoomError):
    """The room's time is up; it is kept read-only until it is purged."""


class RoomClosed(RoomError):
    """The teacher has closed the room: nothing more can be sent to it."""


class NotTeacher(RoomError):
    """A teacher-only action without the room's teacher key."""


class NotJoined(RoomError):
    """A student session sends an answer to a room it has not joined."""


class RoomFull(RoomError):
    """The room, or the whole store, has reached its size limit."""


class RateLimited(RoomError):
    """A session sends more than the store accepts in its time window."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AnswersClosed(RoomError):
    """The answer is for a question that is not open now (moved on, revealed, or none asked)."""


class InvalidInput(RoomError, ValueError):
    """Text or a choice the store does not accept (too long, control characters, not an option)."""


class DraftNotFound(RoomError):
    """No draft has this id (mistyped, deleted, or expired and purged)."""


class DraftExpired(RoomError):
    """The draft was not saved for 30 days; it is kept, unreadable, until it is purged."""


class NotDraftKey(RoomError):
    """The edit link's key does not belong to this draft."""


class DraftTooLarge(RoomError, ValueError):
    """A draft over the store's size budget, or a store that holds as many drafts as it may."""
