"""Teacher sessions (the key exchanged for a token) and each question's reveal, kept per question.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "room_teacher_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name="fk_room_teacher_sessions_room_id_rooms", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_room_teacher_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_room_teacher_sessions_token_hash"),
    )
    op.create_table(
        "room_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(120), nullable=False),
        sa.Column("revealed_at", sa.DateTime(), nullable=False),
        sa.Column("names_shown", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name="fk_room_questions_room_id_rooms", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_room_questions"),
        sa.UniqueConstraint("room_id", "question", name="uq_room_questions_room_id_question"),
    )
    # A room made before this revision that was showing its answers keeps them shown, now for good.
    op.execute(
        "INSERT INTO room_questions (room_id, question, revealed_at, names_shown) "
        "SELECT id, activity || ':' || ref || ':' || CAST(position AS VARCHAR(12)), created_at, "
        + ("TRUE" if op.get_bind().dialect.name == "postgresql" else "1")
        + " FROM rooms WHERE revealed AND activity <> 'lobby'"
    )


def downgrade() -> None:
    op.drop_table("room_questions")
    op.drop_table("room_teacher_sessions")
