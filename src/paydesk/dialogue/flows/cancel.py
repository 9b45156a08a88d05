"""Cancel flow: a pending order is cancelled at once with a refund of what was paid; a shipped one is refused and a
delivered one offered a return instead."""

from __future__ import annotations

from typing import Any

from paydesk.dialogue.orders import resolve
from paydesk.dialogue.session import Session
from paydesk.domain.errors import PolicyRefusal


class CancelOrder:
    name = "cancel_order"

    def run(self, s: Session) -> None:
        order = resolve(s, lambda o: o.status == "pending")
        if order is None:
            return
        try:
            preview = s.preview("cancel_order", order=order.id)
        except PolicyRefusal as refusal:
            self.refused(s, refusal)
            return
        paid = s.money(preview.paid)
        part = s.text("cancel.paid", paid=paid) if preview.refund else s.text("cancel.nothing_paid")
        text = s.text(
            "cancel.summary", order=order.id, merchant=s.merchant(order), total=s.money(order.total), paid_part=part
        )
        s.propose("cancel_order", {"order": order.id}, text)

    def after(self, s: Session, action: str, result: Any) -> None:
        s.say("cancel.done", order=result.order)
        refund = result.refund
        if refund is not None and result.outcome == "pending_approval":
            s.say("cancel.refund_approval", amount=s.money(refund.amount))
        elif refund is not None:
            s.say("cancel.refund_expected", amount=s.money(refund.amount), expected=s.day(refund.expected_by))
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        order_id = s.slots.get("order", "")
        order = s.order(order_id)
        merchant = s.merchant(order) if order else ""
        s.state.refused = True
        status = refusal.details.get("status")
        if refusal.code == "already_shipped" and status == "delivered":
            s.state.flow = None
            s.offer(
                "switch",
                s.text("cancel.delivered", order=order_id, merchant=merchant),
                flow="return_item",
                slots={"order": order_id},
            )
            return
        if refusal.code == "already_shipped":
            s.say("cancel.shipped", order=order_id, merchant=merchant)
        else:
            s.say(
                "cancel.closed",
                order=order_id,
                status=s.text(f"status.{status}") if status in ("cancelled", "returned") else status,
            )
        s.finish()
