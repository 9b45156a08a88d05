"""SQLAlchemy Core tables. Money is stored as integer minor units beside the order's currency: exact everywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    event,
)
from sqlalchemy.engine import Connection


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime that always comes back in UTC (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")  # developer error, never customer input
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = String(64)

customers = Table(
    "customers",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("locale", String(35), nullable=False),
    Column("market", String(2), nullable=False),
)

payment_methods = Table(
    "payment_methods",
    metadata,
    Column("customer", Id, ForeignKey("customers.id"), primary_key=True),
    Column("id", Id, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("label", String(100), nullable=False),
)

merchants = Table(
    "merchants",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("return_window_days", Integer, nullable=False),
    Column("support_email", String(320)),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("merchant", Id, ForeignKey("merchants.id"), nullable=False),
    Column("created", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("delivered", Date),
    Column("currency", String(3), nullable=False),
)

order_items = Table(
    "order_items",
    metadata,
    Column("order_id", Id, ForeignKey("orders.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("price_minor", BigInteger, nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("order_id", Id, ForeignKey("orders.id"), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("paused_until", Date),
    Column("payment_method", Id, nullable=False),
)

installments = Table(
    "installments",
    metadata,
    Column("order_id", Id, ForeignKey("orders.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("due", Date, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("extended", Boolean, nullable=False),
    Column("original_due", Date),
    Column("fee_minor", BigInteger),
)

charges = Table(
    "charges",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("installment", Integer),
    Column("amount_minor", BigInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("payment_method", Id),
    Column("decline_reason", String(40)),
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("amount_minor", BigInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("created", Date, nullable=False),
    Column("expected_by", Date),
    Column("completed", Date),
)

returns = Table(
    "returns",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("items", JSON, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created", Date, nullable=False),
)

disputes = Table(
    "disputes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("reason", String(40), nullable=False),
    Column("status", String(30), nullable=False),
    Column("created", Date, nullable=False),
    Column("merchant_deadline", Date, nullable=False),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("period", String(7), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    Column("invoice", Id, ForeignKey("invoices.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
)

invoice_corrections = Table(
    "invoice_corrections",
    metadata,
    Column("id", Id, primary_key=True),
    Column("invoice", Id, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("amount_minor", BigInteger, nullable=False),
    Column("reason", String(30), nullable=False),
    Column("status", String(20), nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Id, primary_key=True),
    Column("conversation", Id, index=True),
    Column("customer", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("reason", String(30), nullable=False),
    Column("status", String(20), nullable=False),
    Column("summary", Text, nullable=False),
    Column("assignee", String(100)),
    Column("created", UTCDateTime, nullable=False),
    Column("order_id", Id),
    Column("pending", String(100)),
    Index("ix_cases_status_created", "status", "created"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Id, primary_key=True),
    Column("action", String(64), nullable=False),
    Column("args_hash", String(64), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("customer", Id, index=True),
    Column("conversation", Id),
    Column("confirming_message", Text),
    Column("policy_version", String(100), nullable=False),
    Column("engine_version", String(100), nullable=False),
    Column("result", JSON, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

idempotency = Table(
    "idempotency",
    metadata,
    Column("customer", Id, primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("action", String(64), nullable=False),
    Column("args_hash", String(64), nullable=False),
    Column("result", JSON, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("customer", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("channel", String(20), nullable=False),
    Column("language", String(8), nullable=False),
    Column("status", String(20), nullable=False),
    Column("state", JSON, nullable=False),
    Column("engine", String(20), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    Column("updated", UTCDateTime, nullable=False),
    Column("ended", UTCDateTime),
)

messages = Table(
    "messages",
    metadata,
    Column("conversation", Id, ForeignKey("conversations.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("role", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("meta", JSON, nullable=False),
)

agents = Table(
    "agents",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created", UTCDateTime, nullable=False),
)

agent_sessions = Table(
    "agent_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), ForeignKey("agents.username"), nullable=False, index=True),
    Column("created", UTCDateTime, nullable=False),
    Column("expires", UTCDateTime, nullable=False),
)

csat = Table(
    "csat",
    metadata,
    Column("conversation", Id, ForeignKey("conversations.id"), primary_key=True),
    Column("customer", Id, ForeignKey("customers.id"), nullable=False, index=True),
    Column("score", Integer, nullable=False),
    Column("comment", Text, nullable=False),
    Column("served_by", String(20), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

case_events = Table(
    "case_events",
    metadata,
    Column("case", Id, ForeignKey("cases.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("event", String(20), nullable=False),
    Column("agent", String(64)),
    Column("at", UTCDateTime, nullable=False),
)

turn_requests = Table(
    "turn_requests",
    metadata,
    Column("conversation", Id, ForeignKey("conversations.id"), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("turn", JSON, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

# The database itself refuses to change or delete an audit row (the application only ever inserts them). Only
# `seed --reset`, which empties a demo database, lifts this inside its own transaction.
APPEND_ONLY: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END",
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION paydesk_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit rows are append-only'; END $$",
        "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
        "FOR EACH ROW EXECUTE FUNCTION paydesk_append_only()",
    ),
}
APPEND_ONLY_OFF: dict[str, tuple[str, ...]] = {
    "sqlite": ("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"),
    "postgresql": ("DROP TRIGGER audit_append_only ON audit",),
}
# PostgreSQL tells every worker of each new message, conversation change and case change (LISTEN paydesk): the
# chat's and the console's live events wake on these instead of polling.
NOTIFY_CHANNEL = "paydesk"
NOTIFY: tuple[str, ...] = (
    "CREATE OR REPLACE FUNCTION paydesk_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_TABLE_NAME = 'messages' THEN PERFORM pg_notify('paydesk', 'conversation:' || NEW.conversation); "
    "ELSIF TG_TABLE_NAME = 'conversations' THEN PERFORM pg_notify('paydesk', 'conversation:' || NEW.id); "
    "ELSE PERFORM pg_notify('paydesk', 'queue'); END IF; RETURN NULL; END $$",
    "CREATE TRIGGER messages_notify AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION paydesk_notify()",
    "CREATE TRIGGER conversations_notify AFTER UPDATE ON conversations FOR EACH ROW EXECUTE FUNCTION paydesk_notify()",
    "CREATE TRIGGER cases_notify AFTER INSERT OR UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION paydesk_notify()",
)


def triggers(dialect: str) -> tuple[str, ...]:
    """The statements that create this schema's triggers on the dialect (migration 0005 and create_all)."""
    return APPEND_ONLY.get(dialect, ()) + (NOTIFY if dialect == "postgresql" else ())


@event.listens_for(metadata, "after_create")
def _create_triggers(_target: MetaData, connection: Connection, **_kw: Any) -> None:
    for statement in triggers(connection.dialect.name):
        connection.exec_driver_sql(statement)
