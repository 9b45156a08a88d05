"""Conversations and their messages: the dialogue's state after every turn, so that any process can continue it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, and_, bindparam, func, insert, select, update

from paydesk.domain.redaction import redact
from paydesk.store import tables as t

Role = Literal["customer", "assistant", "agent", "system"]
ConversationStatus = Literal["active", "handed_off", "ended"]


@dataclass(slots=True)
class ConversationRow:
    id: str
    customer: str
    channel: str
    language: str
    status: ConversationStatus
    state: dict[str, Any]
    engine: str
    created: datetime
    updated: datetime
    ended: datetime | None = None


@dataclass(slots=True)
class MessageRow:
    conversation: str
    seq: int
    role: Role
    text: str
    at: datetime
    meta: dict[str, Any] = field(default_factory=dict)


# The statements of every turn, built once: building one costs more than running it on SQLite.
_GET = select(t.conversations).where(t.conversations.c.id == bindparam("conversation"))
_GET_FOR_UPDATE = _GET.with_for_update()
_SAVE = update(t.conversations).where(t.conversations.c.id == bindparam("conversation"))
_LAST_SEQ = select(func.max(t.messages.c.seq)).where(t.messages.c.conversation == bindparam("conversation"))
_MESSAGES = (
    select(t.messages)
    .where(and_(t.messages.c.conversation == bindparam("conversation"), t.messages.c.seq > bindparam("after")))
    .order_by(t.messages.c.seq)
)
_HISTORY = (
    select(t.messages.c.role, t.messages.c.text)
    .where(t.messages.c.conversation == bindparam("conversation"))
    .order_by(t.messages.c.seq)
)
_SINCE = (
    select(t.messages.c.at)
    .join(t.conversations, t.conversations.c.id == t.messages.c.conversation)
    .where(
        t.conversations.c.customer == bindparam("customer"),
        t.messages.c.role == "customer",
        t.messages.c.at > bindparam("since"),
    )
    .order_by(t.messages.c.at.desc())
    .limit(bindparam("limit"))
)
_ADD_MESSAGE = insert(t.messages)
_REMEMBER = insert(t.turn_requests)
_ANSWERED = select(t.turn_requests.c.digest, t.turn_requests.c.turn).where(
    t.turn_requests.c.conversation == bindparam("conversation"), t.turn_requests.c.key == bindparam("key")
)


class Conversations:
    """Over the caller's connection (one transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._for_update = conn.dialect.name != "sqlite"

    def create(self, row: ConversationRow) -> None:
        self.conn.execute(
            insert(t.conversations),
            {
                "id": row.id,
                "customer": row.customer,
                "channel": row.channel,
                "language": row.language,
                "status": row.status,
                "state": row.state,
                "engine": row.engine,
                "created": row.created,
                "updated": row.updated,
                "ended": row.ended,
            },
        )

    def get(self, conversation_id: str, *, for_update: bool = False) -> ConversationRow | None:
        query = _GET_FOR_UPDATE if for_update and self._for_update else _GET
        r = self.conn.execute(query, {"conversation": conversation_id}).first()
        if r is None:
            return None
        return ConversationRow(
            id=r.id,
            customer=r.customer,
            channel=r.channel,
            language=r.language,
            status=r.status,
            state=dict(r.state),
            engine=r.engine,
            created=r.created,
            updated=r.updated,
            ended=r.ended,
        )

    def save(self, row: ConversationRow) -> None:
        self.conn.execute(
            _SAVE,
            {
                "conversation": row.id,
                "language": row.language,
                "status": row.status,
                "state": row.state,
                "updated": row.updated,
                "ended": row.ended,
            },
        )

    def add_message(
        self, conversation_id: str, role: Role, text: str, at: datetime, meta: dict[str, Any] | None = None
    ) -> int:
        """Append a message; payment details and passwords in the text are redacted before it is stored."""
        return self.add_messages(conversation_id, [(role, text, at, meta or {})])[-1]

    def add_messages(
        self, conversation_id: str, messages: list[tuple[Role, str, datetime, dict[str, Any]]]
    ) -> list[int]:
        """Append messages (role, text, at, meta) in order, in one statement; their sequence numbers."""
        first = int(self.conn.scalar(_LAST_SEQ, {"conversation": conversation_id}) or 0) + 1
        rows = [
            {"conversation": conversation_id, "seq": seq, "role": role, "text": redact(text), "at": at, "meta": meta}
            for seq, (role, text, at, meta) in enumerate(messages, first)
        ]
        self.conn.execute(_ADD_MESSAGE, rows)
        return list(range(first, first + len(rows)))

    def messages(self, conversation_id: str, after: int = 0) -> list[MessageRow]:
        rows = self.conn.execute(_MESSAGES, {"conversation": conversation_id, "after": after})
        return [MessageRow(r.conversation, r.seq, r.role, r.text, r.at, dict(r.meta)) for r in rows]

    def history(self, conversation_id: str) -> list[tuple[str, str]]:
        """(role, text) of every message in order: what a turn reads of the conversation so far (not the assistant
        turns' metadata, which grows with every turn)."""
        return [(r.role, r.text) for r in self.conn.execute(_HISTORY, {"conversation": conversation_id})]

    def customer_messages_since(self, customer_id: str, since: datetime, limit: int) -> list[datetime]:
        """When the customer's latest messages (at most `limit`, newest first) were received, after `since`."""
        return list(self.conn.scalars(_SINCE, {"customer": customer_id, "since": since, "limit": limit}))

    def answered(self, conversation_id: str, key: str) -> tuple[str, dict[str, Any]] | None:
        """The digest of the message sent with this request key, and the turn that answered it; None if none was."""
        row = self.conn.execute(_ANSWERED, {"conversation": conversation_id, "key": key}).first()
        return None if row is None else (row.digest, dict(row.turn))

    def remember(self, conversation_id: str, key: str, digest: str, turn: dict[str, Any], at: datetime) -> None:
        """Keep the turn that answered a request key (with the turn's own messages, in their transaction)."""
        turn = {**turn, "text": redact(str(turn.get("text", "")))}
        self.conn.execute(
            _REMEMBER, {"conversation": conversation_id, "key": key, "digest": digest, "turn": turn, "at": at}
        )

    def of_customer(self, customer_id: str) -> list[ConversationRow]:
        query = select(t.conversations.c.id).where(t.conversations.c.customer == customer_id)
        return [row for cid in self.conn.scalars(query) if (row := self.get(cid)) is not None]

    def count(self) -> int:
        return int(self.conn.scalar(select(func.count()).select_from(t.conversations)) or 0)
