"""Return flow: which order, which items, why; then the summary (items, pause until) and the write."""

from __future__ import annotations

from typing import Any

from paydesk.dialogue.orders import resolve
from paydesk.dialogue.session import Session
from paydesk.dialogue.state import Option
from paydesk.domain.entities import Order
from paydesk.domain.errors import PolicyRefusal

RETURN_REASONS = ("wrong_size", "changed_mind", "faulty", "wrong_item", "not_as_described")


def returnable(order: Order) -> bool:
    return order.status == "delivered"


def item_names(order: Order, skus: list[str]) -> list[str]:
    return [i.name for i in order.items if i.sku in skus]


class ReturnItem:
    name = "return_item"

    def run(self, s: Session) -> None:
        order = resolve(s, returnable)
        if order is None:
            return
        slots = s.slots
        if "items" not in slots:
            slots["items"] = self._items(s, order)
            if slots["items"] is None:
                return
        if not slots.get("reason"):
            reason = s.u.slots.reason if s.u.slots.reason in RETURN_REASONS else None
            if reason is None and s.state.awaiting == "reason" and s.message.strip():
                reason = "other"  # the customer's own words are kept as the reason
            if reason is None:
                s.ask(
                    "reason",
                    "reason.ask.return",
                    [Option(value=r, label=s.text(f"reason.{r}")) for r in RETURN_REASONS],
                )
                return
            slots["reason"] = reason if reason != "other" else s.message.strip()[:200]
        try:
            preview = s.preview("report_return", order=order.id, items=slots["items"], reason=slots["reason"])
        except PolicyRefusal as refusal:
            self.refused(s, refusal)
            return
        items = s.join(item_names(order, preview.items))
        values: dict[str, Any] = {"items": items, "merchant": s.merchant(order), "order": order.id}
        if preview.plan_status == "paused" and preview.paused_until:
            text = s.text("return.summary", until=s.day(preview.paused_until), **values)
        else:
            text = s.text("return.summary_paid", **values)
        s.propose("report_return", {"order": order.id, "items": slots["items"], "reason": slots["reason"]}, text)

    def _items(self, s: Session, order: Order) -> list[str] | None:
        if len(order.items) == 1:
            return [order.items[0].sku]
        if s.state.awaiting == "items":
            chosen = self._chosen(s, order)
            if chosen:
                return chosen
        if s.times_asked("items") >= 2:
            return [i.sku for i in order.items]
        mentioned = self._chosen(s, order, strict=True)
        if mentioned:
            return mentioned
        options = [Option(value="all", label=s.text("items.all"))] + [
            Option(value=i.sku, label=i.name) for i in order.items
        ]
        s.ask("items", "items.ask", options)
        return None

    def _chosen(self, s: Session, order: Order, strict: bool = False) -> list[str]:
        from paydesk.understanding.slots import fold

        text = fold(s.message)
        if not strict and (text.strip() == "all" or s.message.strip() == s.text("items.all")):
            return [i.sku for i in order.items]
        picked = [
            i.sku
            for i in order.items
            if i.sku.casefold() in text or any(len(w) >= 4 and w in text for w in fold(i.name).split())
        ]
        if not strict and not picked and s.state.awaiting == "items":
            return [i.sku for i in order.items]  # "all of them", "everything": unclear means all, shown in the summary
        return picked

    def after(self, s: Session, action: str, result: Any) -> None:
        order = s.order(result.order)
        merchant = s.merchant(order) if order else ""
        if result.plan_status == "paused" and result.paused_until:
            s.say("return.done", merchant=merchant, until=s.day(result.paused_until))
        else:
            s.say("return.done_paid", merchant=merchant)
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        d = refusal.details
        order_id = s.slots.get("order", "")
        order = s.order(order_id)
        merchant = s.merchant(order) if order else d.get("merchant", "")
        if refusal.code == "return_window_closed":
            contact = s.text("return.contact", email=d["support_email"]) if d.get("support_email") else ""
            from datetime import date

            s.say(
                "return.window_closed",
                order=order_id,
                merchant=merchant,
                last_day=s.day(date.fromisoformat(d["last_day"])),
                contact=contact,
            )
        elif refusal.code == "not_delivered":
            s.say("return.not_delivered", order=order_id, merchant=merchant)
        else:
            s.say("return.already", order=order_id)
        s.state.refused = True
        s.finish()
