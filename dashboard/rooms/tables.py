"""The room store's tables (SQLAlchemy Core). Migrations in ``migrations/versions`` create them.

tests/rooms/test_migrations.py compares these definitions with what the migrations build, so a
change here without a migration fails there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# Names the constraints the same way on every database, so migrations can refer to them.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

CODE_LENGTH = 6
NICKNAME_MAX = 20
TEXT_MAX = 280  # a short written answer; the store refuses longer ones rather than cutting them
KEY_MAX = 120  # an activity key, "quiz:7:3"
MARKS_MAX = 2000  # a mark set as text: "[0, 4, 17]", the word positions of an excerpt of at most 120 words
ACTIVITY_CHECK = "activity IN ('lobby', 'quiz', 'step', 'spot')"
ANSWER_KIND_CHECK = "answer_kind IS NULL OR answer_kind IN ('choice', 'text', 'marks')"


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite keeps no time zone: store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the room store takes aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


rooms = Table(
    "rooms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(CODE_LENGTH), nullable=False, unique=True),
    Column("teacher_key_hash", String(64), nullable=False),  # sha256 hex of the key, never the key
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("closed_at", UtcDateTime, nullable=True),
    # What the class is doing: "lobby", "quiz" (ref = quiz seed), "spot" (ref = "Spot the framing" seed, or a
    # path id and its step) or "step" (ref = presenter path id).
    Column("activity", String(10), nullable=False, default="lobby"),
    Column("ref", String(80), nullable=False, default=""),
    Column("position", Integer, nullable=False, default=0),
    # "choice", "text", "marks" (words to mark: the options are the excerpt's words) or none (nothing to answer)
    Column("answer_kind", String(10), nullable=True),
    Column("options", JSON, nullable=False, default=list),
    Column("revealed", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False, default=0),  # +1 on every teacher action: cheap polling
    CheckConstraint(ACTIVITY_CHECK, name="activity"),
    CheckConstraint(ANSWER_KIND_CHECK, name="answer_kind"),
)

participants = Table(
    "room_participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("session_id", String(64), nullable=False),
    Column("nickname", String(NICKNAME_MAX), nullable=True),
    Column("joined_at", UtcDateTime, nullable=False),
    # Fixed-window rate limit kept in the row, so every app server sees the same count.
    Column("window_start", UtcDateTime, nullable=False),
    Column("window_writes", Integer, nullable=False, default=0),
    UniqueConstraint("room_id", "session_id"),
)

answers = Table(
    "room_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer, ForeignKey("room_participants.id", ondelete="CASCADE"), nullable=False),
    Column("question", String(KEY_MAX), nullable=False),
    Column("value", String(TEXT_MAX), nullable=False),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("answered_at", UtcDateTime, nullable=False),
    Column("changes", Integer, nullable=False, default=0),  # how many times the student replaced it
    # One answer per participant per question: the upsert's conflict target.
    UniqueConstraint("participant_id", "question"),
    Index("ix_room_answers_room_question", "room_id", "question"),
)

# A teacher's browser holds a random token instead of the teacher key (the key leaves the address bar
# once exchanged): only the token's hash is stored, with the room it controls.
teacher_sessions = Table(
    "room_teacher_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

# A question once revealed: its answers stay shown and no answer to it is taken again, whichever way
# the teacher moves. ``names_shown``: the projector shows the nicknames with its written answers.
questions = Table(
    "room_questions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("question", String(KEY_MAX), nullable=False),
    Column("revealed_at", UtcDateTime, nullable=False),
    Column("names_shown", Boolean, nullable=False, default=False),
    UniqueConstraint("room_id", "question"),
)

# A student's marks on one "Spot the framing" question: the positions of the words they marked, as a sorted
# JSON list. One set per participant per question, replaced when sent again; deleted with the room.
marks = Table(
    "room_marks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("participant_id", Integer, ForeignKey("room_participants.id", ondelete="CASCADE"), nullable=False),
    Column("question", String(KEY_MAX), nullable=False),
    Column("marks", String(MARKS_MAX), nullable=False),
    Column("marked_at", UtcDateTime, nullable=False),
    Column("changes", Integer, nullable=False, default=0),  # how many times the student sent it again
    UniqueConstraint("participant_id", "question"),
    Index("ix_room_marks_room_question", "room_id", "question"),
)

DRAFT_ID_MAX = 32  # a draft's public id (random, url-safe)

# A story being built ("Build a story"): the draft as JSON, kept under a secret edit key whose hash only
# is stored (like a room's teacher key). A draft expires 30 days after its last save.
drafts = Table(
    "story_drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(DRAFT_ID_MAX), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),  # sha256 hex of the edit key, never the key
    Column("body", Text, nullable=False),  # the draft's JSON, within the store's size budget
    Column("size", Integer, nullable=False),  # the body's length in UTF-8 bytes
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)
