"""The dialogue manager: one customer message in, the assistant's turn out, the state saved.

Order of precedence each turn: a conversation already with a person; asking for a person (any language, any
moment); "start over"; the answer to a pending yes/no question (a write's summary, or an offer); a customer
rejecting an explanation again; the active flow's question (unless the message is clearly about something else);
otherwise the message's intent starts a flow. Nothing here writes the ledger except through actions."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from paydesk.dialogue import handoff
from paydesk.dialogue.context import DialogueContext
from paydesk.dialogue.flows import Flow, registry
from paydesk.dialogue.session import Session
from paydesk.dialogue.state import ConversationState
from paydesk.dialogue.turn import Turn
from paydesk.domain.entities import CaseReason, Order
from paydesk.domain.errors import IdempotencyConflict, NotFound, PolicyRefusal
from paydesk.store.conversations import ConversationRow, Conversations, Role
from paydesk.store.ledger import Ledger
from paydesk.understanding.acts import opens_with_yes
from paydesk.understanding.languages import normalise
from paydesk.understanding.result import Context, Understanding
from paydesk.understanding.slots import OrderRef

TASKS = frozenset(
    {
        "refund_status",
        "request_refund",
        "return_item",
        "cancel_order",
        "payment_problem",
        "unrecognized_charge",
        "dispute",
        "invoice_error",
        "payment_schedule",
        "extend_due_date",
        "pay_now",
        "change_payment_method",
    }
)
UNDERSTOOD = 0.35  # below this confidence a message is not understood
SWITCH = 0.8  # a clear enough new request leaves the current question
SECOND_REQUEST = 0.35  # "...and cancel the other one": offered after the first is done
# What a customer who rejects "there is no duplicate or failed payment" says next.
MONEY_TROUBLE = frozenset({"payment_problem", "unrecognized_charge", "dispute", "request_refund", "invoice_error"})
# Requests that are part of another, not a second one: a cancellation or a return is a way to a refund.
NOT_SECOND = frozenset({"request_refund", "refund_status"})
# While asking for a slot, these intents are answers to the question, not a new request.
RELATED: dict[str, frozenset[str]] = {
    "payment_method": frozenset({"change_payment_method", "pay_now", "payment_problem"}),
    "reason": frozenset({"return_item", "dispute", "request_refund", "cancel_order", "refund_status"}),
    "amount": frozenset({"pay_now", "unrecognized_charge", "payment_schedule"}),
    "date": frozenset({"extend_due_date", "payment_schedule"}),
}
FRUSTRATED = 0.85
MAX_MESSAGE = 4000
# The caller's checks on a message before it is handled: the ledger (the turn's first read), the conversation (None
# when there is none) and whether the message retries an answered one. It refuses by raising.
Admission = Callable[[Ledger, ConversationRow | None, bool], None]


class DialogueManager:
    def __init__(self, ctx: DialogueContext) -> None:
        self.ctx = ctx
        self.flows: dict[str, Flow] = registry()

    # ---- conversations ---------------------------------------------------------------------------------------------
    def start(self, customer_id: str, channel: str = "app") -> str:
        """Open a conversation for a signed-in customer; returns its id."""
        return self.open(customer_id, channel).id

    def open(self, customer_id: str, channel: str = "app") -> ConversationRow:
        """Open a conversation for a signed-in customer; returns it as stored."""
        now = self.ctx.clock.now()
        with self.ctx.store.write() as ledger:
            customer = ledger.customer(customer_id)
            if customer is None:
                raise NotFound("customer", customer_id)
            language = normalise(customer.locale) or "en"
            row = ConversationRow(
                id=f"conv_{secrets.token_hex(8)}",
                customer=customer_id,
                channel=channel,
                language=language,
                status="active",
                state=ConversationState(language=language).model_dump(mode="json"),
                engine=self.ctx.understanding.name,
                created=now,
                updated=now,
            )
            Conversations(ledger.conn).create(row)
        return row

    def handle(self, conversation_id: str, text: str, key: str | None = None, admit: Admission | None = None) -> Turn:
        """Answer one customer message. A conversation's messages are answered one after the other, whichever worker
        or host receives them. With a request `key` (the client's, kept with the turn) a retried message is answered
        once: the same key again returns the first turn; with another text it is an IdempotencyConflict. `admit`,
        the caller's own checks (whose conversation, how many messages), runs in the turn's first read, under the
        conversation's lock, and refuses by raising."""
        request = None if key is None else (key, hashlib.sha256(text.encode("utf-8")).hexdigest())
        with self.ctx.store.locks.hold(conversation_id):
            return self._handle(conversation_id, text, request, admit)

    def _handle(
        self, conversation_id: str, text: str, request: tuple[str, str] | None, admit: Admission | None
    ) -> Turn:
        received = self.ctx.clock.now()
        text = "".join(ch for ch in text[:MAX_MESSAGE] if ch in "\n\t" or (ch >= " " and ch != "\x7f"))
        with self.ctx.store.read() as ledger:
            conversations = Conversations(ledger.conn)
            row = conversations.get(conversation_id)
            answered = conversations.answered(conversation_id, request[0]) if request else None
            if admit is not None:
                admit(ledger, row, answered is not None)
            if request is not None and answered is not None:
                if answered[0] != request[1]:
                    raise IdempotencyConflict(f"request key {request[0]!r} was already used for another message")
                return Turn.model_validate(answered[1])
            if row is None:
                raise NotFound("conversation", conversation_id)
            customer = ledger.customer(row.customer)
            assert customer is not None
            orders = ledger.orders_of(customer.id)
            merchants = {m.id: m.name for m in ledger.merchants_of(customer.id)}
            history = conversations.history(conversation_id)
            case = ledger.case(row.state["handoff_case"]) if row.state.get("handoff_case") else None
        state = ConversationState.model_validate(row.state)
        u = self._understand(conversation_id, text, state, orders, merchants)
        s = Session(self.ctx, conversation_id, customer, state, u, text, orders, merchants)
        if row.status == "handed_off" and state.handoff_case:
            s.handoff = True
            if case is None or case.status != "assigned":
                s.say("handoff.waiting")  # once an agent has the case, the assistant stays quiet
        else:
            self._respond(s, [*history, ("customer", text)])
        turn = self._turn(s)
        self._save(row, s, text, turn, received, request)
        return turn

    def _understand(
        self, conversation_id: str, text: str, state: ConversationState, orders: list[Order], merchants: dict[str, str]
    ) -> Understanding:
        refs = tuple(
            OrderRef(
                o.id,
                merchants.get(o.merchant, o.merchant),
                tuple(i.name for i in o.items),
                o.created.isoformat(),
                f"{o.total.amount} {o.total.currency}",
            )
            for o in orders
        )
        flow = state.flow.name if state.flow else (state.pending.flow if state.pending else None)
        prefer = "future" if flow in ("extend_due_date", "pay_now") else "past" if flow else None
        context = Context(
            awaiting=state.awaiting, intent=flow, orders=refs, date_preference=prefer, conversation=conversation_id
        )
        u = self.ctx.understanding.understand(text, state.language, context)
        if u.language != state.language and u.language_confidence >= 0.8 and len(text.split()) >= 3:
            state.language = u.language  # the customer switched language: so do we
        return u

    # ---- the turn --------------------------------------------------------------------------------------------------
    def _respond(self, s: Session, history: list[tuple[str, str]]) -> None:
        state, u = s.state, s.u
        state.turns += 1
        if u.intent in TASKS and u.confidence >= UNDERSTOOD:
            state.intents.append(u.intent)
        if self._wants_person(s):
            return handoff.hand_over(s, self._reason(u), history)
        if u.act == "restart":
            self._reset(state)
            return s.say("restart")
        answered = False
        if state.awaiting == "confirm" and state.pending is not None:
            answered = self._answer_pending(s)
        elif state.awaiting == "confirm" and state.offer is not None:
            answered = self._answer_offer(s, history)
        if answered:
            return None
        state.pending, state.offer = None, None
        insisting = u.intent in MONEY_TROUBLE or (u.act == "deny" and len(s.message.split()) > 2)
        if state.explained == "payment" and insisting:
            s.say("payment.insist")
            return handoff.hand_over(s, "complaint", history)
        state.explained = None
        if u.frustration >= FRUSTRATED and (state.refused or state.flow is not None):
            state.refused = False
            return s.offer("human", s.text("frustrated_offer"), reason="complaint")
        if state.flow is not None and state.awaiting is not None and not self._switches(s):
            state.not_understood = 0
            return self._run(s, state.flow.name)
        self._route(s, history)
        return None

    def _wants_person(self, s: Session) -> bool:
        u = s.u
        return u.intent == "talk_to_human" and u.confidence >= UNDERSTOOD and u.act is None

    def _reason(self, u: Understanding) -> CaseReason:
        return u.handoff_reason or "customer_request"

    def _switches(self, s: Session) -> bool:
        """A clear new request while a question is open: the question is dropped."""
        u, flow = s.u, s.state.flow
        if flow is None or u.intent not in TASKS or u.intent == flow.name or u.confidence < SWITCH:
            return False
        if u.intent in RELATED.get(s.state.awaiting or "", frozenset()) or len(s.message.split()) < 4:
            return False  # an answer to the question, not a new request
        return not (u.slots.order or u.slots.amount or u.slots.date or u.act)

    def _route(self, s: Session, history: list[tuple[str, str]]) -> None:
        state, u = s.state, s.u
        state.flow = None
        if u.act == "affirm" and u.intent not in TASKS:  # "yes" to "anything else?"
            return s.say("keep_going")
        if u.act == "deny" and u.intent not in TASKS:  # "no, that's all"
            s.say("goodbye")
            s.ended = True
            return None
        understood = u.confidence >= UNDERSTOOD and not u.short
        if u.intent in TASKS and understood:
            state.not_understood = 0
            second = next((a for a in u.alternatives if a.intent in TASKS - NOT_SECOND and a.intent != u.intent), None)
            if second is not None and second.confidence >= SECOND_REQUEST and second.intent not in state.queue:
                state.queue.append(second.intent)
            s.begin(u.intent)
            self._run(s, u.intent)
            return
        if u.intent == "greeting" and understood:
            state.not_understood = 0
            s.say("greeting.again" if state.greeted else "greeting", name=s.customer.name.split()[0])
            state.greeted = True
            return
        if u.intent == "goodbye" and understood:
            s.say("goodbye")
            s.ended = True
            return
        if u.intent == "faq" and understood:
            state.not_understood = 0
            return self._faq(s)
        state.not_understood += 1
        if state.not_understood >= 2:
            state.not_understood = 0
            s.offer("human", s.text("offer_human"), reason="not_understood")
            return
        s.say("scope" if u.intent == "out_of_scope" and understood else "not_understood")

    def _faq(self, s: Session) -> None:
        answer = self.ctx.knowledge.answer(s.message, s.state.language)
        if answer is None:
            s.offer("human", s.text("faq.none"), reason="customer_request")
            return
        s.line(answer.article.body)
        s.say("faq.source", title=answer.article.title)
        s.sources.append(answer.article.id)
        s.say("anything_else")

    def _run(self, s: Session, name: str) -> None:
        flow = self.flows[name]
        try:
            flow.run(s)
        except PolicyRefusal as refusal:
            flow.refused(s, refusal)
        except NotFound:
            s.say("order.unknown")
            s.state.flow = None

    # ---- yes/no answers --------------------------------------------------------------------------------------------
    def _answer_pending(self, s: Session) -> bool:
        """True when the message answered the pending write (or was taken as unclear)."""
        state, u = s.state, s.u
        pending = state.pending
        assert pending is not None
        flow = self.flows[pending.flow]
        other = self._other_order(s, pending.args.get("order"))
        if other is not None and state.flow is not None:  # "no, the other order": same request, other order
            state.pending = None
            kept = {k: v for k, v in state.flow.slots.items() if k == "reason"}  # items etc. were of the old order
            state.flow.slots = {**kept, "order": other}
            self._run(s, state.flow.name)
            return True
        if u.act == "affirm":
            state.pending = None
            state.unclear_confirmations = 0
            try:
                result = s.execute(pending)
            except PolicyRefusal as refusal:  # the ledger changed since the summary
                flow.refused(s, refusal)
                return True
            if state.flow is None:
                s.begin(pending.flow, {"order": pending.args.get("order")})
            flow.after(s, pending.action, result)
            return True
        if u.act == "deny":
            state.pending, state.flow = None, None
            state.unclear_confirmations = 0
            s.say("nothing_changed")
            s.finish()
            return True
        spoof = opens_with_yes(s.message, state.language)  # "yes, and also refund me 5000": no new request
        # Asking for the refund a return or a cancellation leads to is insisting, not a new request.
        insisting = u.intent in NOT_SECOND and pending.flow in ("return_item", "cancel_order", "request_refund")
        if u.intent in TASKS and u.confidence >= SWITCH and u.intent != pending.flow and not spoof and not insisting:
            state.pending, state.flow = None, None
            s.say("nothing_changed")
            return False
        state.unclear_confirmations += 1
        if state.unclear_confirmations >= 2:
            state.pending, state.flow = None, None
            state.unclear_confirmations = 0
            s.say("confirm.dropped")
            s.finish()
            return True
        s.say("confirm.again", summary=pending.summary)
        s.awaiting = "confirm"
        return True

    def _other_order(self, s: Session, current: Any) -> str | None:
        """ "No, the other order": another of the customer's orders named, or the only other candidate."""
        if current is None:
            return None
        named = s.u.slots.order
        if named and named != current and s.order(named) is not None:
            return named
        if s.u.slots.order_candidates:
            others = [o for o in s.u.slots.order_candidates if o != current]
            if len(others) == 1:
                return others[0]
        return None

    def _answer_offer(self, s: Session, history: list[tuple[str, str]]) -> bool:
        state, u = s.state, s.u
        offer = state.offer
        assert offer is not None
        # "Yes, but refund me 5000" to "shall I get you a person?" is a yes to the person (which writes nothing).
        to_person = offer.kind in ("human", "fraud", "insist") and opens_with_yes(s.message, state.language)
        if u.act not in ("affirm", "deny") and not to_person:
            return False
        state.offer = None
        yes = u.act == "affirm" or to_person
        if offer.kind in ("human", "fraud", "insist"):
            if yes:
                handoff.hand_over(s, offer.reason or "customer_request", history)  # type: ignore[arg-type]
            else:
                s.say("keep_going" if offer.kind == "human" else "anything_else")
            return True
        if offer.kind == "recognise":
            if yes:
                s.say("charge.recognised")
                s.finish()
            else:
                handoff.hand_over(s, "fraud", history)
            return True
        if yes and offer.flow:
            s.begin(offer.flow, offer.slots)
            self._run(s, offer.flow)
        else:
            state.queue = []
            s.say("anything_else")
        return True

    def _reset(self, state: ConversationState) -> None:
        state.flow, state.pending, state.offer, state.awaiting = None, None, None, None
        state.queue, state.not_understood, state.unclear_confirmations = [], 0, 0

    # ---- output and persistence ------------------------------------------------------------------------------------
    def _turn(self, s: Session) -> Turn:
        if not s.lines and not s.handoff:
            s.say("anything_else")
        intent = s.state.flow.name if s.state.flow else s.u.intent
        text = "\n\n".join(s.lines)
        if self.ctx.phrasing is not None and text:
            names = tuple(sorted(set(s.merchants.values())))
            text = self.ctx.phrasing.phrase(text, s.state.language, names, s.conversation_id)
        return Turn(
            conversation_id=s.conversation_id,
            text=text,
            language=s.state.language,
            intent=intent,
            awaiting=s.awaiting,
            options=s.options,
            actions=s.actions,
            handoff=s.handoff,
            ended=s.ended,
            sources=s.sources,
            meta={
                "confidence": round(s.u.confidence, 3),
                "understood_intent": s.u.intent,
                "frustration": s.u.frustration,
                "engine": s.u.engine,
                "fallback": s.u.fallback,
            },
        )

    def _save(
        self,
        row: ConversationRow,
        s: Session,
        text: str,
        turn: Turn,
        received: datetime,
        request: tuple[str, str] | None,
    ) -> None:
        state = s.state
        state.awaiting = s.awaiting
        state.options = s.options
        if s.awaiting != "confirm":
            state.pending, state.offer = None, None
        now = self.ctx.clock.now()
        row.language = state.language
        row.state = state.model_dump(mode="json")
        row.updated = now
        if s.handoff:
            row.status = "handed_off"
        if s.ended:
            row.status, row.ended = "ended", now
        with self.ctx.store.write() as ledger:
            conversations = Conversations(ledger.conn)
            order = (
                state.flow.slots.get("order")
                if state.flow
                else (state.done[-1].get("order") if s.actions and state.done else None)
            )
            said: list[tuple[Role, str, datetime, dict[str, Any]]] = [
                ("customer", text, received, {"intent": s.u.intent, "order": order})
            ]
            if turn.text:
                said.append(
                    ("assistant", turn.text, now, turn.model_dump(mode="json", exclude={"text", "conversation_id"}))
                )
            conversations.add_messages(row.id, said)
            conversations.save(row)
            if request is not None:
                conversations.remember(row.id, request[0], request[1], turn.model_dump(mode="json"), now)
