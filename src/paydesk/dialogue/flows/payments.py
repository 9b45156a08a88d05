"""Payment problems (a duplicate charge is refunded, a failed one explained with a way to pay) and charges the
customer does not recognise (shown; still unrecognised: the fraud team, never a dispute)."""

from __future__ import annotations

from typing import Any

from paydesk.dialogue import methods
from paydesk.dialogue.session import Session
from paydesk.dialogue.state import Option
from paydesk.domain.errors import PolicyRefusal


class PaymentProblem:
    name = "payment_problem"

    def run(self, s: Session) -> None:
        slots = s.slots
        if slots.get("stage") == "method":
            return self._pay_with(s)
        if propose_duplicate_refund(s):
            return None
        named = s.u.slots.order if s.u.slots.order and s.order(s.u.slots.order) else None
        failed = s.read("explain_failed_payment", **({"order": named} if named else {}))
        if failed.charge is None or failed.plan_status in ("cancelled", "completed"):
            if _invoice_has_errors(s):  # "a payment is on it twice" was about the invoice
                from paydesk.dialogue.flows.invoices import InvoiceError

                s.begin("invoice_error")
                return InvoiceError().run(s)
            s.say("payment.none")
            s.state.refused = True
            s.state.explained = "payment"  # rejected again: a person looks into it (complaint)
            s.finish()
            return None
        charge = failed.charge
        reason = charge.decline_reason or "unknown"
        s.say(
            "failed.explain",
            amount=s.money(charge.amount),
            merchant=charge.merchant_name,
            date=s.day(charge.at),
            reason=s.text(f"decline.{reason}"),
        )
        if not failed.payment_methods:
            s.say("failed.no_other")
            s.finish()
            return None
        slots.update(stage="method", order=charge.order)
        s.ask("payment_method", "failed.offer", [Option(value=m.id, label=m.label) for m in failed.payment_methods])
        return None

    def _pay_with(self, s: Session) -> None:
        order = s.order(s.slots.get("order", ""))
        offered = [m for m in s.customer.payment_methods if order is None or m.id != order.plan.payment_method]
        chosen = methods.chosen(s.message, offered)
        if chosen is None and s.times_asked("payment_method") < 2:
            s.ask("payment_method", "failed.offer", [Option(value=m.id, label=m.label) for m in offered])
            return
        if chosen is None:
            s.say("nothing_changed")
            s.finish()
            return
        from paydesk.dialogue.flows.plans import PayNow

        s.begin("pay_now", {"order": s.slots.get("order"), "scope": "next", "method": chosen.id})
        PayNow().run(s)

    def after(self, s: Session, action: str, result: Any) -> None:
        if result.outcome == "pending_approval":
            s.say("duplicate.approval", amount=s.money(result.amount))
        else:
            s.say("duplicate.done", amount=s.money(result.amount), expected=s.day(result.refund.expected_by))
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        s.say("payment.none")
        s.finish()


def propose_duplicate_refund(s: Session) -> bool:
    """When the ledger holds a duplicate charge, summarise its refund for the customer's yes."""
    named = s.u.slots.order if s.u.slots.order and s.order(s.u.slots.order) else None
    try:
        preview = s.preview("refund_duplicate_charge", **({"order": named} if named else {}))
    except PolicyRefusal:
        return False
    order = s.order(preview.order)
    detail = s.read("get_order", order=preview.order)
    first = next((c.at for c in detail.charges if c.id == preview.original_charge), preview.charged_at)
    text = s.text(
        "duplicate.summary",
        amount=s.money(preview.amount),
        order=preview.order,
        merchant=s.merchant(order) if order else "",
        first=s.day(first),
        second=s.day(preview.charged_at),
    )
    s.begin("payment_problem", {"order": preview.order})
    s.propose("refund_duplicate_charge", {"order": preview.order, "charge": preview.charge}, text)
    return True


def _invoice_has_errors(s: Session) -> bool:
    from paydesk.domain.errors import NotFound

    try:
        review = s.read("review_invoice")
    except NotFound:
        return False
    return any(d.handled_by is None for d in review.discrepancies)


class UnrecognizedCharge:
    name = "unrecognized_charge"

    def run(self, s: Session) -> None:
        if not s.slots.get("checked") and propose_duplicate_refund(s):  # a charge taken twice is a likely surprise
            return
        s.slots["checked"] = True
        amount = s.u.slots.amount
        args: dict[str, Any] = {}
        if amount is not None and amount.value > 0:
            args["amount"] = str(amount.value)
        if s.u.slots.date is not None:
            args["on"] = s.u.slots.date.isoformat()
        if not args and s.times_asked("amount") == 0:
            s.ask("amount", "charge.ask")
            return
        result = s.read("explain_charge", **args) if args else None
        matches = result.matches if result is not None else []
        if not matches:
            s.state.flow = None
            s.offer("fraud", s.text("charge.none"), reason="fraud")
            return
        m = matches[0]
        s.state.flow = None
        s.offer(
            "recognise",
            s.text(
                "charge.found",
                amount=s.money(m.amount),
                date=s.day(m.at.date()),
                merchant=m.merchant_name,
                items=s.join(m.items),
                order=m.order,
            ),
            reason="fraud",
            slots={"order": m.order},
        )

    def after(self, s: Session, action: str, result: Any) -> None:
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        s.finish()
