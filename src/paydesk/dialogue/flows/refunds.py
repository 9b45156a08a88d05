"""Refund status (what is on its way, and a dispute offer for a return long without a refund) and the refund request
that works out what it really is: a cancellation, a return, a duplicate charge or a dispute."""

from __future__ import annotations

from typing import Any

from paydesk.dialogue.orders import resolve
from paydesk.dialogue.session import Session
from paydesk.dialogue.state import Option
from paydesk.domain.errors import PolicyRefusal


class RefundStatus:
    name = "refund_status"

    def run(self, s: Session) -> None:
        named = s.u.slots.order if s.u.slots.order and s.order(s.u.slots.order) else None
        result = s.read("list_refunds", order=named) if named else s.read("list_refunds")
        lines = []
        for r in result.refunds:
            if r.status == "completed":
                lines.append(s.text("refunds.line_done", amount=s.money(r.amount), merchant=r.merchant_name))
            else:
                expected = s.day(r.expected_by) if r.expected_by else "-"
                lines.append(
                    s.text(
                        "refunds.line",
                        amount=s.money(r.amount),
                        merchant=r.merchant_name,
                        status=s.text(f"refund.{r.status}"),
                        expected=expected,
                    )
                )
        if lines:
            s.line(" ".join(lines[-4:]))
        if result.dispute_offers:
            offer = result.dispute_offers[0]
            s.begin("dispute", {"order": offer.order, "reason": "refund_not_received"})
            try:
                s.preview("open_dispute", order=offer.order, reason="refund_not_received")  # allowed at all?
            except PolicyRefusal:
                s.state.flow = None
            else:
                text = s.text("refunds.dispute_offer", merchant=offer.merchant_name, registered=s.day(offer.registered))
                s.propose("open_dispute", {"order": offer.order, "reason": "refund_not_received"}, text)
                return
        if not lines:
            s.say("refunds.none")
        s.finish()

    def after(self, s: Session, action: str, result: Any) -> None:
        from paydesk.dialogue.flows.disputes import Dispute

        Dispute().after(s, action, result)

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        s.finish()


# How a refund request is meant, by the reason given.
ROUTES: dict[str, str] = {
    "wrong_size": "return_item",
    "changed_mind": "return_item",
    "faulty": "return_item",
    "wrong_item": "return_item",
    "not_as_described": "return_item",
    "not_received": "dispute",
    "refund_not_received": "dispute",
    "cancelled_but_charged": "dispute",
    "charged_twice": "payment_problem",
    "cancel": "cancel_order",
}


class RequestRefund:
    name = "request_refund"

    def run(self, s: Session) -> None:
        order = resolve(s, lambda o: o.status in ("pending", "shipped", "delivered"))
        if order is None:
            return
        if order.status == "pending":
            return self._route(s, "cancel_order", order.id, None)
        reason = s.u.slots.reason or self._picked(s)
        if reason is None:
            if s.times_asked("reason") >= 2:
                return s.stuck()
            options = [
                Option(value=r, label=s.text(f"reason.{r}"))
                for r in ("changed_mind", "faulty", "not_received", "charged_twice", "wrong_item")
            ]
            s.ask("reason", "reason.ask.refund", options)
            return None
        target = ROUTES.get(reason, "dispute")
        if target == "return_item" and (order.status != "delivered" or not self._in_window(s, order.id)):
            target = "dispute" if reason != "changed_mind" else "return_item"
        self._route(s, target, order.id, reason)
        return None

    def _picked(self, s: Session) -> str | None:
        return s.chosen_option(ROUTES)

    def _in_window(self, s: Session, order_id: str) -> bool:
        try:
            s.preview("report_return", order=order_id)
        except PolicyRefusal:
            return False
        return True

    def _route(self, s: Session, flow: str, order_id: str, reason: str | None) -> None:
        from paydesk.dialogue.flows import registry
        from paydesk.dialogue.flows.disputes import DISPUTE_REASONS
        from paydesk.dialogue.flows.returns import RETURN_REASONS

        valid = {"return_item": RETURN_REASONS, "dispute": DISPUTE_REASONS}.get(flow, ())
        slots: dict[str, Any] = {"order": order_id}
        if reason in valid:
            slots["reason"] = reason
        s.begin(flow, slots)
        registry()[flow].run(s)

    def after(self, s: Session, action: str, result: Any) -> None:
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        s.finish()
