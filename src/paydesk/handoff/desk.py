"""Working a case: the queue, the atomic claim, the case with its ledger context, replies to the customer, the
supervisor's approval, resolving and handing back to the assistant. Money moves only through actions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from paydesk.actions.approvals import APPROVE, REJECT
from paydesk.actions.base import ActionContext, execute
from paydesk.domain.clock import Clock
from paydesk.domain.entities import Case, CaseStatus, Order, Refund
from paydesk.domain.errors import NotFound, PaydeskError
from paydesk.handoff.agents import Agent
from paydesk.policy.model import Policy
from paydesk.replies.texts import Texts
from paydesk.store.conversations import Conversations
from paydesk.store.database import Store
from paydesk.store.ledger import Ledger
from paydesk.store.queue import Queue
from paydesk.understanding.languages import normalise

QueueFilter = Literal["queued", "assigned", "all"]
STATUSES: dict[QueueFilter, tuple[CaseStatus, ...]] = {
    "queued": ("queued",),
    "assigned": ("assigned",),
    "all": ("queued", "assigned", "resolved", "handed_back"),
}
MAX_REPLY = 4000


class Forbidden(PaydeskError):
    """The agent may not do this (another agent's case, or a supervisor's decision)."""

    code = "forbidden"


class Conflict(PaydeskError):
    """The case is not in a state for this (already claimed, already closed)."""

    code = "conflict"


@dataclass(frozen=True)
class Desk:
    store: Store
    policy: Policy
    clock: Clock

    # ---- the queue -------------------------------------------------------------------------------------------------
    def queue(
        self, status: QueueFilter = "queued", language: str | None = None, reason: str | None = None
    ) -> list[dict[str, Any]]:
        now = self.clock.now()
        with self.store.read() as ledger:
            items = Queue(ledger.conn).items(STATUSES[status], reason)
        languages = [normalise(i.language) or i.language for i in items]
        return [
            {
                "case_id": i.case.id,
                "conversation_id": i.case.conversation,
                "customer": {"id": i.case.customer, "name": i.customer_name},
                "language": lang,
                "reason": i.case.reason,
                "status": i.case.status,
                "assignee": i.case.assignee,
                "created": i.case.created.isoformat(),
                "waiting_seconds": max(0, int((now - i.case.created).total_seconds())),
                "pending": i.case.pending,
            }
            for i, lang in zip(items, languages, strict=True)
            if not language or lang == language
        ]

    def claim(self, case_id: str, agent: Agent) -> dict[str, Any]:
        """Assign the case to the agent, atomically; Conflict when someone else was first."""
        with self.store.write() as ledger:
            queue = Queue(ledger.conn)
            claimed = queue.claim(case_id, agent.username)
            case = self._case(ledger, case_id)  # read after the claim: as it is now, not before a rival's
            if claimed:
                queue.add_event(case_id, "claimed", agent.username, self.clock.now())
            elif case.status == "assigned" and case.assignee != agent.username:
                raise Conflict(f"case {case_id} is already claimed by {case.assignee}")
            elif case.status != "assigned":
                raise Conflict(f"case {case_id} is {case.status}")
            else:
                return self.detail(case_id)  # the agent's own already
        self._joined(case, agent)
        return self.detail(case_id)

    def claim_next(self, agent: Agent, language: str | None = None) -> dict[str, Any] | None:
        """Take the oldest queued case (in the language, if given), skipping ones another agent is taking at this
        moment; None when the queue is empty."""
        with self.store.write() as ledger:
            queue = Queue(ledger.conn)
            case_id = queue.take_next(agent.username, language)
            if case_id is None:
                return None
            queue.add_event(case_id, "claimed", agent.username, self.clock.now())
            case = self._case(ledger, case_id)
        self._joined(case, agent)
        return self.detail(case_id)

    def _joined(self, case: Case, agent: Agent) -> None:
        """Tell the customer (under the conversation's lock: its messages are numbered one after the other)."""
        if case.conversation:
            with self.store.locks.hold(case.conversation), self.store.write() as ledger:
                self._tell(ledger, case, "agent.joined", agent=agent.name)

    # ---- one case --------------------------------------------------------------------------------------------------
    def detail(self, case_id: str) -> dict[str, Any]:
        with self.store.read() as ledger:
            case = self._case(ledger, case_id)
            customer = ledger.customer(case.customer)
            assert customer is not None
            orders = ledger.orders_of(customer.id)
            ids = [o.id for o in orders]
            charges, refunds = ledger.charges(ids), ledger.refunds(ids)
            merchants = {m.id: m.name for m in ledger.merchants_of(customer.id)}
            conversations = Conversations(ledger.conn)
            conversation = conversations.get(case.conversation) if case.conversation else None
            transcript = conversations.messages(case.conversation) if case.conversation else []
            pending = self._pending(ledger, case)
        try:
            summary: Any = json.loads(case.summary)
        except ValueError:
            summary = {"text": case.summary}
        return {
            "case": self._case_out(case, conversation.language if conversation else None),
            "summary": summary,
            "transcript": [
                {"seq": m.seq, "role": m.role, "text": m.text, "at": m.at.isoformat(), "author": m.meta.get("author")}
                for m in transcript
            ],
            "customer": {
                "id": customer.id,
                "name": customer.name,
                "email": customer.email,
                "locale": customer.locale,
                "market": customer.market,
            },
            "orders": [_order_out(o, merchants, charges, refunds) for o in orders],
            "pending": pending,
        }

    def reply(self, case_id: str, agent: Agent, text: str) -> dict[str, Any]:
        """The agent's message to the customer, in the conversation."""
        text = text.strip()[:MAX_REPLY]
        if not text:
            raise Conflict("the reply is empty")
        with self.store.read() as ledger:
            case = self._mine(ledger, case_id, agent)
        if not case.conversation:
            raise Conflict(f"case {case_id} has no conversation to reply in")
        with self.store.locks.hold(case.conversation), self.store.write() as ledger:
            now = self.clock.now()
            seq = Conversations(ledger.conn).add_message(
                case.conversation, "agent", text, now, {"author": agent.name, "case": case.id}
            )
        return {"seq": seq, "role": "agent", "text": text, "at": now.isoformat(), "author": agent.name}

    def decide(self, case_id: str, agent: Agent, approve: bool, note: str = "") -> dict[str, Any]:
        """A supervisor approves or rejects the refund or correction the case holds (through the actions)."""
        if agent.role != "supervisor":
            raise Forbidden("only a supervisor may approve or reject")
        with self.store.read() as ledger:
            case = self._case(ledger, case_id)
        ctx = ActionContext(
            store=self.store,
            policy=self.policy,
            clock=self.clock,
            actor=f"agent:{agent.username}",
            conversation=case.conversation,
        )
        action = APPROVE if approve else REJECT
        result = execute(
            action,
            ctx,
            case.customer,
            {"case": case_id, "note": note},
            confirm=True,
            idempotency_key=f"{case_id}:{action.name}",
        )
        if not result.replayed:  # the action resolved the case
            with self.store.write() as ledger:
                Queue(ledger.conn).add_event(case_id, "resolved", agent.username, self.clock.now())
        return self.detail(case_id)

    def resolve(self, case_id: str, agent: Agent) -> dict[str, Any]:
        """Close the case and the conversation; the customer is told (and asked for a rating)."""
        return self._close(case_id, agent, "resolved")

    def hand_back(self, case_id: str, agent: Agent) -> dict[str, Any]:
        """Give the conversation back to the assistant."""
        return self._close(case_id, agent, "handed_back")

    def _close(self, case_id: str, agent: Agent, status: CaseStatus) -> dict[str, Any]:
        with self.store.read() as ledger:
            case = self._mine(ledger, case_id, agent)
        with self.store.locks.hold(case.conversation or case_id), self.store.write() as ledger:
            case = self._mine(ledger, case_id, agent)
            Queue(ledger.conn).set_status(case_id, status)
            Queue(ledger.conn).add_event(case_id, status, agent.username, self.clock.now())
            if case.conversation:
                conversations = Conversations(ledger.conn)
                row = conversations.get(case.conversation, for_update=True)
                if row is not None:
                    now = self.clock.now()
                    if status == "resolved":
                        row.status, row.ended = "ended", now
                        self._tell(ledger, case, "agent.resolved", agent=agent.name)
                    else:
                        row.status = "active"
                        row.state = {**row.state, "handoff_case": None, "awaiting": None, "options": []}
                        self._tell(ledger, case, "agent.back")
                    row.updated = now
                    conversations.save(row)
        return self.detail(case_id)

    # ---- helpers ---------------------------------------------------------------------------------------------------
    def _case(self, ledger: Ledger, case_id: str) -> Case:
        case = ledger.case(case_id)
        if case is None:
            raise NotFound("case", case_id)
        return case

    def _mine(self, ledger: Ledger, case_id: str, agent: Agent) -> Case:
        case = self._case(ledger, case_id)
        if case.status != "assigned":
            raise Conflict(f"case {case_id} is {case.status}; claim it first")
        if case.assignee != agent.username and agent.role != "supervisor":
            raise Forbidden(f"case {case_id} is assigned to {case.assignee}")
        return case

    def _tell(self, ledger: Ledger, case: Case, msgid: str, **values: object) -> None:
        """A system line in the conversation, in the customer's language."""
        assert case.conversation is not None
        conversations = Conversations(ledger.conn)
        row = conversations.get(case.conversation)
        language = row.language if row else "en"
        conversations.add_message(
            case.conversation, "system", Texts(language).say(msgid, **values), self.clock.now(), {"case": case.id}
        )

    def _pending(self, ledger: Ledger, case: Case) -> dict[str, Any] | None:
        if not case.pending:
            return None
        kind, _, row_id = case.pending.partition(":")
        row = ledger.refund(row_id) if kind == "refund" else ledger.correction(row_id)
        if row is None:
            return None
        what = f"refund of order {row.order}" if isinstance(row, Refund) else f"correction of invoice {row.invoice}"
        return {
            "kind": kind,
            "id": row.id,
            "amount": str(row.amount.amount),
            "currency": row.amount.currency,
            "status": row.status,
            "description": f"{what}: {row.reason}",
        }

    @staticmethod
    def _case_out(case: Case, language: str | None) -> dict[str, Any]:
        return {
            "case_id": case.id,
            "conversation_id": case.conversation,
            "status": case.status,
            "reason": case.reason,
            "assignee": case.assignee,
            "created": case.created.isoformat(),
            "language": language,
            "pending": case.pending,
            "order": case.order,
        }


def _order_out(order: Order, merchants: dict[str, str], charges: list[Any], refunds: list[Any]) -> dict[str, Any]:
    plan = order.plan
    return {
        "id": order.id,
        "merchant": merchants.get(order.merchant, order.merchant),
        "created": order.created.isoformat(),
        "status": order.status,
        "total": str(order.total.amount),
        "currency": order.currency,
        "plan": {
            "kind": plan.kind,
            "status": plan.status,
            "paused_until": plan.paused_until.isoformat() if plan.paused_until else None,
            "installments": [
                {"seq": i.seq, "due": i.due.isoformat(), "amount": str(i.amount_due.amount), "status": i.status}
                for i in plan.installments
            ],
        },
        "charges": [
            {
                "id": c.id,
                "at": c.at.isoformat(),
                "amount": str(c.amount.amount),
                "status": c.status,
                "kind": c.decline_reason or ("installment" if c.installment else "charge"),
            }
            for c in charges
            if c.order == order.id
        ],
        "refunds": [
            {"id": r.id, "amount": str(r.amount.amount), "status": r.status, "created": r.created.isoformat()}
            for r in refunds
            if r.order == order.id
        ],
    }
