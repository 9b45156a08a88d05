"""Dispute flow: which order, what went wrong; an open dispute is reported rather than opened twice."""

from __future__ import annotations

from typing import Any

from paydesk.dialogue.orders import resolve
from paydesk.dialogue.session import Session
from paydesk.dialogue.state import Option
from paydesk.domain.errors import PolicyRefusal

DISPUTE_REASONS = (
    "not_received",
    "faulty",
    "wrong_item",
    "not_as_described",
    "refund_not_received",
    "cancelled_but_charged",
)


class Dispute:
    name = "dispute"

    def run(self, s: Session) -> None:
        order = resolve(s, lambda o: o.status != "cancelled")
        if order is None:
            return
        slots = s.slots
        if not slots.get("reason"):
            reason = s.u.slots.reason if s.u.slots.reason in DISPUTE_REASONS else None
            if reason is None:
                reason = s.chosen_option(DISPUTE_REASONS)
            if reason is None and s.times_asked("reason") >= 2:
                reason = "not_as_described"  # asked twice: the customer's own words are in the conversation
            if reason is None:
                s.ask(
                    "reason",
                    "reason.ask.dispute",
                    [Option(value=r, label=s.text(f"reason.{r}")) for r in DISPUTE_REASONS],
                )
                return
            slots["reason"] = reason
        try:
            preview = s.preview("open_dispute", order=order.id, reason=slots["reason"])
        except PolicyRefusal as refusal:
            self.refused(s, refusal)
            return
        text = s.text(
            "dispute.summary",
            merchant=s.merchant(order),
            order=order.id,
            reason=s.text(f"reason.{slots['reason']}"),
            deadline=s.day(preview.merchant_deadline),
        )
        s.propose("open_dispute", {"order": order.id, "reason": slots["reason"]}, text)

    def after(self, s: Session, action: str, result: Any) -> None:
        order = s.order(result.order)
        s.say("dispute.done", merchant=s.merchant(order) if order else "", deadline=s.day(result.merchant_deadline))
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        order_id = s.slots.get("order", "")
        order = s.order(order_id)
        merchant = s.merchant(order) if order else ""
        if refusal.code == "dispute_exists":
            detail = s.read("get_order", order=order_id)
            open_ = next((d for d in detail.disputes if d.id == refusal.details.get("dispute")), None)
            deadline = s.day(open_.merchant_deadline) if open_ else "-"
            s.say("dispute.exists", order=order_id, merchant=merchant, deadline=deadline)
        elif refusal.code == "dispute_too_late":
            s.say("dispute.too_late", order=order_id, days=refusal.details.get("max_days", 180), merchant=merchant)
        else:
            s.say("dispute.cancelled", order=order_id)
        s.state.refused = True
        s.finish()
