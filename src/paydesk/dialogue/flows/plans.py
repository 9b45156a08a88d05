"""Payment plans: the schedule, moving a due date, paying now, changing the payment method."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from paydesk.dialogue import methods
from paydesk.dialogue.orders import resolve
from paydesk.dialogue.session import Session
from paydesk.dialogue.state import Option
from paydesk.domain.entities import Order
from paydesk.domain.errors import PolicyRefusal


def open_plan(order: Order) -> bool:
    return order.plan.status in ("active", "paused") and bool(order.plan.unpaid())


class PaymentSchedule:
    name = "payment_schedule"

    def run(self, s: Session) -> None:
        named = s.u.slots.order if s.u.slots.order and s.order(s.u.slots.order) else None
        result = s.read("payment_schedule", order=named) if named else s.read("payment_schedule")
        plans = [p for p in result.plans if p.next_due is not None]
        if not plans:
            s.say("schedule.none")
        for plan in sorted(plans, key=lambda p: p.next_due.due)[:3]:
            if plan.status == "paused":
                if plan.paused_until:
                    s.say(
                        "schedule.paused", merchant=plan.merchant_name, order=plan.order, until=s.day(plan.paused_until)
                    )
                else:
                    s.say("schedule.paused_open", merchant=plan.merchant_name, order=plan.order)
            left = sum(1 for i in plan.installments if i.status in ("scheduled", "failed", "overdue"))
            nxt = plan.next_due
            amount = s.money(nxt.amount) if nxt.fee is None else s.money(_plus(nxt.amount, nxt.fee))
            s.say(
                "schedule.next",
                amount=amount,
                due=s.day(nxt.due),
                merchant=plan.merchant_name,
                order=plan.order,
                left=s.texts.count("schedule.left", left),
                remaining=s.money(plan.remaining),
            )
        s.finish()

    def after(self, s: Session, action: str, result: Any) -> None:
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        s.finish()


def _plus(a: Any, b: Any) -> Any:
    from paydesk.actions.base import MoneyOut

    return MoneyOut(amount=str(Decimal(a.amount) + Decimal(b.amount)), currency=a.currency)


class ExtendDueDate:
    name = "extend_due_date"

    def run(self, s: Session) -> None:
        order = resolve(s, open_plan)
        if order is None:
            return
        slots = s.slots
        wanted = s.u.slots.date or (date.fromisoformat(slots["date"]) if slots.get("date") else None)
        try:
            latest = s.preview("extend_due_date", order=order.id)  # the default: the latest date allowed
        except PolicyRefusal as refusal:
            self.refused(s, refusal)
            return
        if wanted is None:
            if s.times_asked("date") >= 2:
                return s.stuck()  # never a date the customer did not choose
            else:
                s.ask("date", "extend.ask", latest=s.day(latest.latest_allowed))
                return
        slots["date"] = wanted.isoformat()
        try:
            preview = s.preview("extend_due_date", order=order.id, new_due=wanted.isoformat())
        except PolicyRefusal as refusal:
            if refusal.code in ("extension_too_long", "extension_not_later"):
                slots.pop("date", None)
                key = "extend.too_long" if refusal.code == "extension_too_long" else "extend.not_later"
                s.say(key, latest=s.day(latest.latest_allowed), due=s.day(latest.original_due))
                s.ask("date", "extend.ask", latest=s.day(latest.latest_allowed))
                return
            self.refused(s, refusal)
            return
        fee = Decimal(preview.fee.amount)
        fee_part = s.text("extend.fee", fee=s.money(preview.fee)) if fee > 0 else s.text("extend.no_fee")
        text = s.text(
            "extend.summary",
            amount=s.money(preview.amount),
            order=order.id,
            merchant=s.merchant(order),
            old=s.day(preview.original_due),
            new=s.day(preview.new_due),
            fee_part=fee_part,
        )
        s.propose("extend_due_date", {"order": order.id, "new_due": preview.new_due.isoformat()}, text)

    def after(self, s: Session, action: str, result: Any) -> None:
        s.say("extend.done", amount=s.money(result.amount), new=s.day(result.new_due))
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        order_id = s.slots.get("order", "")
        keys = {"already_extended": "extend.already", "installment_overdue": "extend.overdue"}
        s.say(keys.get(refusal.code, "extend.closed"), order=order_id)
        s.state.refused = True
        s.finish()


class PayNow:
    name = "pay_now"

    def run(self, s: Session) -> None:
        order = resolve(s, open_plan)
        if order is None:
            return
        slots = s.slots
        if not open_plan(order):
            s.say("paynow.nothing", order=order.id)
            s.finish()
            return
        owed = order.plan.unpaid()
        nxt, rest = owed[0].amount_due, _sum([i.amount_due for i in owed])
        if "scope" not in slots:
            scope = self._scope(s, nxt, rest) if len(owed) > 1 else "next"
            if scope is None:
                if s.times_asked("amount") >= 2:
                    return s.stuck()  # never a payment the customer did not choose
                else:
                    s.ask(
                        "amount",
                        "paynow.ask",
                        [
                            Option(value="next", label=s.text("paynow.next", amount=s.money(nxt))),
                            Option(value="all", label=s.text("paynow.all", amount=s.money(rest))),
                        ],
                    )
                    return
            slots["scope"] = scope
        method = slots.get("method") or order.plan.payment_method
        try:
            preview = s.preview("pay_now", order=order.id, scope=slots["scope"], payment_method=method)
        except PolicyRefusal as refusal:
            self.refused(s, refusal)
            return
        label = next((m.label for m in s.customer.payment_methods if m.id == method), method)
        text = s.text(
            "paynow.summary", amount=s.money(preview.total), method=label, order=order.id, merchant=s.merchant(order)
        )
        s.propose("pay_now", {"order": order.id, "scope": slots["scope"], "payment_method": method}, text)

    def _scope(self, s: Session, nxt: Any, rest: Any) -> str | None:
        text = s.message.strip()
        if text in ("next", "all"):
            return text
        amount = s.u.slots.amount
        if amount is not None:
            if amount.value == rest.amount:
                return "all"
            if amount.value == nxt.amount:
                return "next"
        if s.state.awaiting != "amount":
            return None
        from paydesk.understanding.slots import fold

        words = set(fold(text).split())
        all_words = set(fold(s.text("paynow.all", amount="")).split())
        next_words = set(fold(s.text("paynow.next", amount="")).split())
        if words & all_words - next_words:
            return "all"
        if words & next_words - all_words:
            return "next"
        return None

    def after(self, s: Session, action: str, result: Any) -> None:
        label = next((m.label for m in s.customer.payment_methods if m.id == result.payment_method), "")
        key = "paynow.done_all" if result.plan_status == "completed" else "paynow.done"
        s.say(key, amount=s.money(result.total), method=label)
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        s.say("paynow.nothing", order=s.slots.get("order", ""))
        s.finish()


def _sum(amounts: list[Any]) -> Any:
    total = amounts[0]
    for a in amounts[1:]:
        total = total + a
    return total


class ChangePaymentMethod:
    name = "change_payment_method"

    def run(self, s: Session) -> None:
        order = resolve(s, lambda o: o.plan.status in ("active", "paused"))
        if order is None:
            return
        others = [m for m in s.customer.payment_methods if m.id != order.plan.payment_method]
        if not others:
            s.say("method.none")
            s.finish()
            return
        slots = s.slots
        chosen = slots.get("method") or self._chosen(s, others)
        if chosen is None:
            if len(others) == 1:
                chosen = others[0].id
            elif s.times_asked("payment_method") >= 2:
                s.say("nothing_changed")
                s.finish()
                return
            else:
                s.ask(
                    "payment_method", "method.ask", [Option(value=m.id, label=m.label) for m in others], order=order.id
                )
                return
        slots["method"] = chosen
        label = next(m.label for m in s.customer.payment_methods if m.id == chosen)
        try:
            s.preview("change_payment_method", order=order.id, payment_method=chosen)
        except PolicyRefusal as refusal:
            self.refused(s, refusal)
            return
        text = s.text("method.summary", order=order.id, merchant=s.merchant(order), method=label)
        s.propose("change_payment_method", {"order": order.id, "payment_method": chosen}, text)

    def _chosen(self, s: Session, others: list[Any]) -> str | None:
        found = methods.chosen(s.message, others) if len(others) > 1 else None
        return found.id if found else None

    def after(self, s: Session, action: str, result: Any) -> None:
        s.say("method.done", order=result.order, method=result.new_label)
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        order_id = s.slots.get("order", "")
        if refusal.code == "same_payment_method":
            order = s.order(order_id)
            label = next(
                (m.label for m in s.customer.payment_methods if order and m.id == order.plan.payment_method), ""
            )
            s.say("method.same", order=order_id, method=label)
        else:
            s.say("method.none")
        s.finish()
