"""Invoice errors: the invoice is checked against the ledger; what is wrong is corrected with a yes, what is right
is explained."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from paydesk.actions.base import MoneyOut
from paydesk.dialogue.session import Session
from paydesk.domain.errors import NotFound, PolicyRefusal


class InvoiceError:
    name = "invoice_error"

    def run(self, s: Session) -> None:
        period = s.u.slots.date.isoformat()[:7] if s.u.slots.date is not None else None
        try:
            review = s.read("review_invoice", **({"period": period} if period else {}))
        except NotFound:
            try:
                review = s.read("review_invoice")
            except NotFound:
                s.say("invoice.none")
                s.finish()
                return
        month = self._period(s, review.period)
        todo = [d for d in review.discrepancies if d.handled_by is None]
        if not todo:
            s.say(
                "invoice.ok",
                period=month,
                lines=s.texts.count("invoice.lines", len(review.lines)),
                total=s.money(review.corrected_total),
            )
            s.finish()
            return
        names = {line.order: line.merchant_name for line in review.lines}
        problems = [self._problem(s, d, names.get(d.order, d.order)) for d in todo]
        falls = sum((Decimal(d.correction.amount) for d in todo), Decimal(0))
        currency = review.total.currency
        new_total = Decimal(review.corrected_total.amount) - falls
        text = s.text(
            "invoice.found",
            period=month,
            problems=s.join(problems),
            amount=s.money(MoneyOut(amount=str(falls), currency=currency)),
            total=s.money(MoneyOut(amount=str(new_total), currency=currency)),
        )
        s.begin(self.name, {"invoice": review.invoice})
        s.propose("correct_invoice", {"invoice": review.invoice}, text)

    def _period(self, s: Session, period: str) -> str:
        from datetime import date

        from babel.dates import format_skeleton

        return format_skeleton("yMMMM", date.fromisoformat(period + "-01"), locale=s.texts.fmt.locale)

    def _problem(self, s: Session, d: Any, merchant: str) -> str:
        if d.reason == "duplicate_line":
            return s.text("invoice.duplicate_line", merchant=merchant, amount=s.money(d.line_amount))
        if d.reason == "missing_refund":
            return s.text("invoice.missing_refund", merchant=merchant, amount=s.money(d.correction))
        return s.text(
            "invoice.wrong_amount", merchant=merchant, line=s.money(d.line_amount), ledger=s.money(d.ledger_amount)
        )

    def after(self, s: Session, action: str, result: Any) -> None:
        month = self._period(s, result.period)
        if result.outcome == "pending_approval":
            held = [c for c in result.corrections if c.status == "pending_approval"]
            s.say("invoice.approval", amount=s.money(held[0].amount))
        else:
            s.say("invoice.done", period=month, total=s.money(result.corrected_total))
        s.finish()

    def refused(self, s: Session, refusal: PolicyRefusal) -> None:
        s.finish()
