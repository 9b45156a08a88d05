"""Handing the conversation to humans: a case with a structured summary, and what the customer is told."""

from __future__ import annotations

import json

from paydesk.dialogue.session import Session
from paydesk.dialogue.turn import ActionDone
from paydesk.domain.entities import CaseReason

MESSAGE = {
    "customer_request": "handoff.customer_request",
    "not_understood": "handoff.not_understood",
    "fraud": "handoff.fraud",
    "hardship": "handoff.hardship",
    "complaint": "handoff.complaint",
    "approval": "handoff.other",
    "other": "handoff.other",
}


def summary(s: Session, reason: CaseReason, history: list[tuple[str, str]]) -> str:
    """A structured summary for the agent: who, language, why, which orders, what the assistant did, what is open."""
    flow = s.state.flow
    orders = {
        oid for oid in [flow.slots.get("order") if flow else None, *(d.get("order") for d in s.state.done)] if oid
    }
    data = {
        "customer": {"id": s.customer.id, "name": s.customer.name, "verified": "signed in-app token"},
        "language": s.state.language,
        "reason": reason,
        "intents": s.state.intents[-5:],
        "orders": [
            {
                "id": o.id,
                "merchant": s.merchant(o),
                "created": o.created.isoformat(),
                "status": o.status,
                "total": f"{o.total.amount} {o.total.currency}",
            }
            for oid in sorted(orders)
            if (o := s.order(oid)) is not None
        ],
        "done_by_assistant": s.state.done,
        "pending": s.state.pending.summary if s.state.pending else None,
        "last_messages": [{"from": who, "text": text[:500]} for who, text in history[-8:]],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def hand_over(s: Session, reason: CaseReason, history: list[tuple[str, str]]) -> None:
    """Open the case (no separate confirmation: the customer asked, or the policy requires a person) and say so."""
    flow = s.state.flow
    order = flow.slots.get("order") if flow else None
    result = s.read_write_case(reason, summary(s, reason, history), order)
    s.state.handoff_case = result.case_id
    s.state.flow = None
    s.state.pending = None
    s.state.offer = None
    s.state.queue = []
    s.actions.append(ActionDone(action="create_case", outcome="done", result=result.model_dump(mode="json")))
    s.say(MESSAGE.get(reason, "handoff.other"))
    s.handoff = True
