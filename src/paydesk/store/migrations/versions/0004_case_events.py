"""case events: when a case was claimed and closed, by whom (for handling times)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paydesk.store.tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_events",
        sa.Column("case", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("agent", sa.String(length=64), nullable=True),
        sa.Column("at", paydesk.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case"], ["cases.id"], name=op.f("fk_case_events_case_cases")),
        sa.PrimaryKeyConstraint("case", "seq", name=op.f("pk_case_events")),
    )


def downgrade() -> None:
    op.drop_table("case_events")
