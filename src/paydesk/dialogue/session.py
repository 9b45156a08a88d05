"""One turn's working set: the customer, the state, the reply being composed, and the ways to act."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from paydesk.actions.base import ActionContext, MoneyOut, execute
from paydesk.actions.registry import get
from paydesk.dialogue.context import DialogueContext
from paydesk.dialogue.state import ConversationState, FlowState, Offer, OfferKind, Option, PendingWrite
from paydesk.dialogue.turn import ActionDone
from paydesk.domain.clock import today
from paydesk.domain.entities import Customer, Order
from paydesk.domain.money import Money
from paydesk.replies.texts import Texts
from paydesk.store.ledger import Known
from paydesk.understanding.result import Awaiting, Understanding
from paydesk.understanding.slots import fold

STEM = 6  # letters an answer's word shares with an option's label to name it


class Session:
    """Flows read the ledger through actions, compose replies with `say`, ask with `ask`, propose writes with
    `propose` and yes/no questions with `offer`. Nothing here writes the ledger except `execute` (via actions)."""

    def __init__(
        self,
        ctx: DialogueContext,
        conversation_id: str,
        customer: Customer,
        state: ConversationState,
        understanding: Understanding,
        message: str,
        orders: list[Order],
        merchants: dict[str, str],
    ) -> None:
        self.ctx = ctx
        self.conversation_id = conversation_id
        self.customer = customer
        self.state = state
        self.u = understanding
        self.message = message
        self.orders = orders
        self.merchants = merchants
        self.texts = Texts(state.language, customer.locale)
        self.lines: list[str] = []
        self.options: list[Option] = []
        self.awaiting: Awaiting | None = None
        self.actions: list[ActionDone] = []
        self.handoff = False
        self.ended = False
        self.sources: list[str] = []
        self._known: Known | None = Known(customer, orders)  # READs reuse the turn's first read until a write

    # ---- replies -------------------------------------------------------------------------------------------------
    def say(self, msgid: str, **values: object) -> None:
        self.lines.append(self.texts.say(msgid, **values))

    def text(self, msgid: str, **values: object) -> str:
        return self.texts.say(msgid, **values)

    def line(self, text: str) -> None:
        self.lines.append(text)

    def money(self, value: MoneyOut | Money) -> str:
        money = value if isinstance(value, Money) else Money.parse(value.amount, value.currency)
        return self.texts.fmt.money(money)

    def day(self, value: date | datetime) -> str:
        if isinstance(value, datetime):
            return self.texts.fmt.moment(value, self.today)
        return self.texts.fmt.day(value, self.today)

    def join(self, items: list[str]) -> str:
        return self.texts.fmt.join(items)

    @property
    def today(self) -> date:
        return today(self.ctx.clock)

    def merchant(self, order: Order) -> str:
        return self.merchants.get(order.merchant, order.merchant)

    def order(self, order_id: str) -> Order | None:
        return next((o for o in self.orders if o.id == order_id), None)

    # ---- flow state ------------------------------------------------------------------------------------------------
    def begin(self, flow: str, slots: dict[str, Any] | None = None) -> None:
        self.state.flow = FlowState(name=flow, slots=dict(slots or {}))
        self.state.asked = {}

    @property
    def slots(self) -> dict[str, Any]:
        assert self.state.flow is not None
        return self.state.flow.slots

    def ask(self, slot: Awaiting, msgid: str, options: list[Option] | None = None, **values: object) -> None:
        self.state.asked[slot] = self.state.asked.get(slot, 0) + 1
        self.say(msgid, **values)
        self.awaiting = slot
        self.options = options or []

    def times_asked(self, slot: str) -> int:
        return self.state.asked.get(slot, 0)

    def chosen_option(self, values: Iterable[str]) -> str | None:
        """Which of the options just offered (among `values`) the answer names: its value, its label, or a word
        sharing its first six letters with one label only ("Ne ovat vialliset" for "se on viallinen")."""
        wanted = set(values)
        offered = [o for o in self.state.options if o.value in wanted] if self.state.awaiting else []
        answer = fold(self.message.strip())
        for o in offered:
            if answer in (fold(o.value), fold(o.label)):
                return o.value
        stems = {w[:STEM] for w in re.findall(r"\w+", answer) if len(w) >= STEM}
        named = [
            o.value for o in offered if stems & {w[:STEM] for w in re.findall(r"\w+", fold(o.label)) if len(w) >= STEM}
        ]
        return named[0] if len(named) == 1 else None

    def stuck(self) -> None:
        """The customer did not answer the flow's question twice: nothing is guessed for them; a person is offered."""
        self.state.flow = None
        self.state.asked = {}
        self.state.queue = []
        self.offer("human", self.text("offer_human"), reason="not_understood")

    def finish(self) -> None:
        """The flow is over; offer what else the customer mentioned, or ask if there is anything else."""
        self.state.flow = None
        self.state.asked = {}
        while self.state.queue:
            intent = self.state.queue.pop(0)
            if intent not in self.state.intents[-1:]:
                self.offer("next", self.text("next_request", what=self.text(f"intent.{intent}")), flow=intent)
                return
        if not self.handoff and not self.ended:
            self.say("anything_else")

    # ---- acting ----------------------------------------------------------------------------------------------------
    def action_context(self, confirming_message: str | None = None, known: Known | None = None) -> ActionContext:
        return ActionContext(
            store=self.ctx.store,
            policy=self.ctx.policy,
            clock=self.ctx.clock,
            actor="assistant",
            conversation=self.conversation_id,
            confirming_message=confirming_message,
            known=known,
        )

    def read(self, action: str, **args: Any) -> Any:
        """Run a READ action as the customer (the only way flows learn facts about money), on the customer and orders
        the turn read at its start while it has written nothing."""
        return execute(get(action), self.action_context(known=self._known), self.customer.id, args)

    def preview(self, action: str, **args: Any) -> Any:
        """What a WRITE would do, computed by the action itself and rolled back (raises its refusals)."""
        return execute(get(action), self.action_context(), self.customer.id, args, confirm=False)

    def propose(self, action: str, args: dict[str, Any], summary: str) -> None:
        """Ask for the explicit yes to a summary of a write."""
        assert self.state.flow is not None
        self.state.pending = PendingWrite(
            flow=self.state.flow.name,
            action=action,
            args=args,
            summary=summary,
            key=f"{self.conversation_id}:{secrets.token_hex(6)}",
        )
        self.line(summary)
        self.awaiting = "confirm"

    def execute(self, pending: PendingWrite) -> Any:
        self._known = None
        result = execute(
            get(pending.action),
            self.action_context(self.message),
            self.customer.id,
            pending.args,
            confirm=True,
            idempotency_key=pending.key,
        )
        payload = result.model_dump(mode="json") if isinstance(result, BaseModel) else {}
        self.actions.append(ActionDone(action=pending.action, outcome=str(payload.get("outcome")), result=payload))
        self.state.done.append(
            {"action": pending.action, "outcome": payload.get("outcome"), "order": pending.args.get("order")}
        )
        return result

    def read_write_case(self, reason: str, summary: str, order: str | None) -> Any:
        """create_case is a WRITE that needs no separate yes (the customer asked for a person, or policy requires)."""
        args: dict[str, Any] = {"reason": reason, "summary": summary}
        if order:
            args["order"] = order
        self._known = None
        return execute(
            get("create_case"),
            self.action_context(self.message),
            self.customer.id,
            args,
            idempotency_key=f"{self.conversation_id}:case:{len(self.state.done)}",
        )

    def offer(
        self,
        kind: OfferKind,
        question: str,
        *,
        reason: str | None = None,
        flow: str | None = None,
        slots: dict[str, Any] | None = None,
    ) -> None:
        self.state.offer = Offer(kind=kind, question=question, reason=reason, flow=flow, slots=slots or {})
        self.line(question)
        self.awaiting = "confirm"
