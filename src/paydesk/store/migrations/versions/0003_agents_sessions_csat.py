"""agents, agent sessions and CSAT

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paydesk.store.tables

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("created", paydesk.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_agents")),
    )
    op.create_table(
        "agent_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("created", paydesk.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires", paydesk.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["username"], ["agents.username"], name=op.f("fk_agent_sessions_username_agents")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_agent_sessions")),
    )
    with op.batch_alter_table("agent_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_sessions_username"), ["username"], unique=False)
    op.create_table(
        "csat",
        sa.Column("conversation", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("served_by", sa.String(length=20), nullable=False),
        sa.Column("at", paydesk.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation"], ["conversations.id"], name=op.f("fk_csat_conversation_conversations")
        ),
        sa.ForeignKeyConstraint(["customer"], ["customers.id"], name=op.f("fk_csat_customer_customers")),
        sa.PrimaryKeyConstraint("conversation", name=op.f("pk_csat")),
    )
    with op.batch_alter_table("csat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_csat_customer"), ["customer"], unique=False)


def downgrade() -> None:
    op.drop_table("csat")
    with op.batch_alter_table("agent_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_sessions_username"))
    op.drop_table("agent_sessions")
    op.drop_table("agents")
