"""A customer's conversation data for the GDPR: all of it exported, or erased. The ledger (orders, payments,
refunds) and the audit trail are financial records with their own retention and are neither exported here nor
erased; case summaries, which quote the conversation, are blanked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update

from paydesk.store import tables as t
from paydesk.store.conversations import Conversations


def export(conn: Connection, customer_id: str) -> dict[str, Any]:
    conversations = Conversations(conn)
    ratings = dict(
        conn.execute(select(t.csat.c.conversation, t.csat.c.score).where(t.csat.c.customer == customer_id)).all()
    )
    rows = sorted(conversations.of_customer(customer_id), key=lambda r: r.created)
    cases = conn.execute(select(t.cases).where(t.cases.c.customer == customer_id).order_by(t.cases.c.created)).all()
    return {
        "customer": customer_id,
        "conversations": [
            {
                "id": r.id,
                "created": r.created.isoformat(),
                "status": r.status,
                "language": r.language,
                "csat": ratings.get(r.id),
                "messages": [
                    {"seq": m.seq, "role": m.role, "text": m.text, "at": m.at.isoformat()}
                    for m in conversations.messages(r.id)
                ],
            }
            for r in rows
        ],
        "cases": [
            {"id": c.id, "reason": c.reason, "status": c.status, "created": c.created.isoformat(), "summary": c.summary}
            for c in cases
        ],
    }


def erase(conn: Connection, customer_id: str) -> dict[str, int]:
    """Delete the customer's conversations, messages (and the replies kept for retried requests) and ratings, and
    blank their case summaries; the counts."""
    ids = list(conn.scalars(select(t.conversations.c.id).where(t.conversations.c.customer == customer_id)))
    messages = conn.execute(delete(t.messages).where(t.messages.c.conversation.in_(ids))).rowcount if ids else 0
    if ids:
        conn.execute(delete(t.turn_requests).where(t.turn_requests.c.conversation.in_(ids)))
    ratings = conn.execute(delete(t.csat).where(t.csat.c.customer == customer_id)).rowcount
    cases = conn.execute(update(t.cases).where(t.cases.c.customer == customer_id).values(summary="{}")).rowcount
    conversations = conn.execute(delete(t.conversations).where(t.conversations.c.customer == customer_id)).rowcount
    return {"conversations": conversations, "messages": messages, "ratings": ratings, "case_summaries": cases}
