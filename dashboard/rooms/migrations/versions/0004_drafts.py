"""Story drafts ("Build a story"): the draft's JSON under a hashed edit key, expiring 30 days after a save.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_story_drafts"),
        sa.UniqueConstraint("public_id", name="uq_story_drafts_public_id"),
    )
    op.create_index("ix_story_drafts_expires_at", "story_drafts", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_story_drafts_expires_at", table_name="story_drafts")
    op.drop_table("story_drafts")
