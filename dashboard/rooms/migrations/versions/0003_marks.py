"""Marks: each student's marked words on a "Spot the framing" question; the activity and answer kind it needs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_OLD = (
    "activity IN ('lobby', 'quiz', 'step')",
    "answer_kind IS NULL OR answer_kind IN ('choice', 'text')",
)
_NEW = (
    "activity IN ('lobby', 'quiz', 'step', 'spot')",
    "answer_kind IS NULL OR answer_kind IN ('choice', 'text', 'marks')",
)


# The names 0001 gave them (its name went through the naming convention once more).
ACTIVITY, ANSWER_KIND = "ck_rooms_ck_rooms_activity", "ck_rooms_ck_rooms_answer_kind"


def _checks(activity: str, answer_kind: str) -> None:
    # SQLite cannot alter a CHECK: batch mode copies the table (migrate.py turns foreign keys off meanwhile,
    # so the copy does not delete the room's participants and answers); PostgreSQL alters it in place.
    with op.batch_alter_table("rooms", recreate="auto") as batch:
        batch.drop_constraint(op.f(ACTIVITY), type_="check")
        batch.drop_constraint(op.f(ANSWER_KIND), type_="check")
        batch.create_check_constraint(op.f(ACTIVITY), sa.text(activity))
        batch.create_check_constraint(op.f(ANSWER_KIND), sa.text(answer_kind))


def upgrade() -> None:
    _checks(*_NEW)
    op.create_table(
        "room_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(120), nullable=False),
        sa.Column("marks", sa.String(2000), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name="fk_room_marks_room_id_rooms", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["room_participants.id"],
            name="fk_room_marks_participant_id_room_participants",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_room_marks"),
        sa.UniqueConstraint("participant_id", "question", name="uq_room_marks_participant_id_question"),
    )
    op.create_index("ix_room_marks_room_question", "room_marks", ["room_id", "question"])


def downgrade() -> None:
    op.drop_index("ix_room_marks_room_question", table_name="room_marks")
    op.drop_table("room_marks")
    # A room left on the activity or answer kind this revision added goes back to the lobby.
    op.execute(
        "UPDATE rooms SET activity = 'lobby', ref = '', position = 0, answer_kind = NULL, options = '[]' "
        "WHERE activity = 'spot' OR answer_kind = 'marks'"
    )
    _checks(*_OLD)
