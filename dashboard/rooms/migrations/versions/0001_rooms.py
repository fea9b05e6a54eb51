"""Rooms, their participants and their answers.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("teacher_key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("activity", sa.String(10), nullable=False),
        sa.Column("ref", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("answer_kind", sa.String(10), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("activity IN ('lobby', 'quiz', 'step')", name="ck_rooms_activity"),
        sa.CheckConstraint("answer_kind IS NULL OR answer_kind IN ('choice', 'text')", name="ck_rooms_answer_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_rooms"),
        sa.UniqueConstraint("code", name="uq_rooms_code"),
    )
    op.create_index("ix_rooms_expires_at", "rooms", ["expires_at"])
    op.create_table(
        "room_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("nickname", sa.String(20), nullable=True),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("window_writes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name="fk_room_participants_room_id_rooms", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_room_participants"),
        sa.UniqueConstraint("room_id", "session_id", name="uq_room_participants_room_id_session_id"),
    )
    op.create_table(
        "room_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(120), nullable=False),
        sa.Column("value", sa.String(280), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name="fk_room_answers_room_id_rooms", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["room_participants.id"],
            name="fk_room_answers_participant_id_room_participants",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_room_answers"),
        sa.UniqueConstraint("participant_id", "question", name="uq_room_answers_participant_id_question"),
    )
    op.create_index("ix_room_answers_room_question", "room_answers", ["room_id", "question"])


def downgrade() -> None:
    op.drop_table("room_answers")
    op.drop_table("room_participants")
    op.drop_index("ix_rooms_expires_at", table_name="rooms")
    op.drop_table("rooms")
