"""Reading conversation histories from the store into Facts (one query per table over a period)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from paydesk.analytics.records import CaseFacts, Facts, Line
from paydesk.store import tables as t
from paydesk.store.database import Store


def load(store: Store, since: datetime | None = None, until: datetime | None = None) -> list[Facts]:
    """Every conversation started in [since, until)."""
    c = t.conversations
    where: list[Any] = []
    if since is not None:
        where.append(c.c.created >= since)
    if until is not None:
        where.append(c.c.created < until)
    with store.read() as ledger:
        conn = ledger.conn
        rows = conn.execute(
            select(c, t.customers.c.market).join(t.customers, t.customers.c.id == c.c.customer).where(*where)
        ).all()
        lines: dict[str, list[Line]] = {}
        orders: dict[str, list[str]] = {}
        intents: dict[str, list[str]] = {}  # as understood, message by message
        m = t.messages
        query = select(m.c.conversation, m.c.role, m.c.at, m.c.meta).join(c, c.c.id == m.c.conversation).where(*where)
        for conversation, role, at, meta in conn.execute(query.order_by(m.c.conversation, m.c.seq)):
            lines.setdefault(conversation, []).append(
                Line(role, at, meta.get("awaiting") if role == "assistant" else None)
            )
            if role == "customer":
                for key, found in (("order", orders), ("intent", intents)):
                    value = meta.get(key)
                    if value and value not in found.setdefault(conversation, []):
                        found[conversation].append(value)
        cases = _cases(conn, where)
        csat = dict(
            conn.execute(
                select(t.csat.c.conversation, t.csat.c.score).join(c, c.c.id == t.csat.c.conversation).where(*where)
            ).all()
        )
        actions: dict[str, list[str]] = {}
        a = t.audit
        query = select(a.c.conversation, a.c.action, a.c.result).join(c, c.c.id == a.c.conversation).where(*where)
        for row in conn.execute(query.order_by(a.c.at)):
            if row.result.get("outcome") in ("done", "pending_approval"):
                actions.setdefault(row.conversation, []).append(row.action)
    facts = []
    for r in rows:
        state = r.state or {}
        facts.append(
            Facts(
                id=r.id,
                customer=r.customer,
                market=r.market,
                language=r.language,
                engine=r.engine,
                started=r.created,
                status=r.status,
                ended=r.ended,
                lines=tuple(lines.get(r.id, ())),
                intents=tuple(dict.fromkeys([*state.get("intents", []), *intents.get(r.id, [])])),
                orders=tuple(orders.get(r.id, ())),
                case=cases.get(r.id),
                csat=csat.get(r.id),
                actions=tuple(actions.get(r.id, ())),
            )
        )
    return facts


def _cases(conn: Any, where: list[Any]) -> dict[str, CaseFacts]:
    """The latest case of each conversation, with when it was claimed and closed."""
    c, k, e = t.conversations, t.cases, t.case_events
    events: dict[str, dict[str, datetime]] = {}
    query = select(e.c.case, e.c.event, e.c.at).join(k, k.c.id == e.c.case).join(c, c.c.id == k.c.conversation)
    for case_id, event, at in conn.execute(query.where(*where).order_by(e.c.at)):
        seen = events.setdefault(case_id, {})
        if event == "claimed":
            seen.setdefault("claimed", at)
        elif event in ("resolved", "handed_back"):
            seen["closed"] = at
    found: dict[str, CaseFacts] = {}
    query = select(k.c.id, k.c.conversation, k.c.reason, k.c.status, k.c.created).join(c, c.c.id == k.c.conversation)
    for case_id, conversation, reason, status, created in conn.execute(query.where(*where).order_by(k.c.created)):
        times = events.get(case_id, {})
        found[conversation] = CaseFacts(reason, status, created, times.get("claimed"), times.get("closed"))
    return found
