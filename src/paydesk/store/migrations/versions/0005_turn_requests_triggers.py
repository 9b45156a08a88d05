"""turn requests (a retried message is answered once), append-only audit, live-event notifications (PostgreSQL)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import paydesk.store.tables
from paydesk.store.tables import triggers

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turn_requests",
        sa.Column("conversation", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("turn", sa.JSON(), nullable=False),
        sa.Column("at", paydesk.store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation"], ["conversations.id"], name=op.f("fk_turn_requests_conversation_conversations")
        ),
        sa.PrimaryKeyConstraint("conversation", "key", name=op.f("pk_turn_requests")),
    )
    for statement in triggers(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for name, table in (
            ("audit_append_only", "audit"),
            ("messages_notify", "messages"),
            ("conversations_notify", "conversations"),
            ("cases_notify", "cases"),
        ):
            op.execute(f"DROP TRIGGER {name} ON {table}")
        op.execute("DROP FUNCTION paydesk_append_only()")
        op.execute("DROP FUNCTION paydesk_notify()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER audit_no_update")
        op.execute("DROP TRIGGER audit_no_delete")
    op.drop_table("turn_requests")
