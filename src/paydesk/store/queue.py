"""The human queue over the cases table: listing with filters, the atomic claim, status changes; and CSAT."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, func, insert, select, update

from paydesk.domain.entities import Case, CaseStatus
from paydesk.store import tables as t
from paydesk.store.ledger import Ledger, case_of

ServedBy = Literal["assistant", "agent"]


@dataclass(frozen=True, slots=True)
class QueueItem:
    case: Case
    customer_name: str
    language: str


class Queue:
    """Over the caller's connection (one transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def items(self, statuses: tuple[CaseStatus, ...], reason: str | None = None) -> list[QueueItem]:
        """Cases in these statuses, oldest first, with the customer's name and the conversation's language (the
        customer's locale for a case without a conversation)."""
        language = func.coalesce(t.conversations.c.language, t.customers.c.locale).label("queue_language")
        query = (
            select(t.cases, t.customers.c.name.label("customer_name"), language)
            .join(t.customers, t.customers.c.id == t.cases.c.customer)
            .outerjoin(t.conversations, t.conversations.c.id == t.cases.c.conversation)
            .where(t.cases.c.status.in_(statuses))
            .order_by(t.cases.c.created, t.cases.c.id)
        )
        if reason:
            query = query.where(t.cases.c.reason == reason)
        return [QueueItem(case_of(r), r.customer_name, r.queue_language) for r in self.conn.execute(query)]

    def claim(self, case_id: str, username: str) -> bool:
        """Assign a queued case to the agent; false when another agent (or nobody can: it is closed) got it first.
        One conditional UPDATE, so two agents never both succeed."""
        result = self.conn.execute(
            update(t.cases)
            .where(t.cases.c.id == case_id, t.cases.c.status == "queued")
            .values(status="assigned", assignee=username)
        )
        return result.rowcount == 1

    def take_next(self, username: str, language: str | None = None) -> str | None:
        """Assign the oldest queued case to the agent and return its id, or None. On PostgreSQL the candidate row is
        locked with FOR UPDATE SKIP LOCKED, so that agents taking cases at once each get a different one without
        waiting; on SQLite the write transaction already runs alone."""
        query = select(t.cases.c.id).where(t.cases.c.status == "queued").order_by(t.cases.c.created, t.cases.c.id)
        if language:
            query = query.outerjoin(t.conversations, t.conversations.c.id == t.cases.c.conversation).where(
                t.conversations.c.language == language
            )
        case_id = self.conn.scalar(query.limit(1).with_for_update(skip_locked=True, of=t.cases))
        if case_id is None:
            return None
        claimed = self.claim(case_id, username)
        assert claimed, "a row locked FOR UPDATE cannot have been claimed by someone else"
        return str(case_id)

    def set_status(self, case_id: str, status: CaseStatus) -> None:
        self.conn.execute(update(t.cases).where(t.cases.c.id == case_id).values(status=status))

    def add_event(self, case_id: str, event: str, agent: str | None, at: datetime) -> None:
        """`claimed`, `resolved`, `handed_back` or `approved`/`rejected`, in order (handling times come from these)."""
        last = self.conn.scalar(select(func.max(t.case_events.c.seq)).where(t.case_events.c.case == case_id))
        self.conn.execute(
            insert(t.case_events).values(case=case_id, seq=int(last or 0) + 1, event=event, agent=agent, at=at)
        )

    def open_case_of(self, conversation_id: str) -> Case | None:
        case_id = self.conn.scalar(
            select(t.cases.c.id)
            .where(t.cases.c.conversation == conversation_id, t.cases.c.status.in_(("queued", "assigned")))
            .order_by(t.cases.c.created.desc())
        )
        return None if case_id is None else Ledger(self.conn).case(case_id)

    def record_csat(
        self, conversation_id: str, customer: str, score: int, comment: str, served_by: ServedBy, at: datetime
    ) -> bool:
        """The customer's rating of a conversation, once; false when already rated."""
        taken = self.conn.scalar(select(t.csat.c.conversation).where(t.csat.c.conversation == conversation_id))
        if taken is not None:
            return False
        self.conn.execute(
            insert(t.csat).values(
                conversation=conversation_id,
                customer=customer,
                score=score,
                comment=comment,
                served_by=served_by,
                at=at,
            )
        )
        return True
