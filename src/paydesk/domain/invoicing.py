"""What the ledger implies for an invoice period (DESIGN.md, "Ledger model", invoice)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from paydesk.domain.entities import InvoiceLineKind, Order, Refund
from paydesk.domain.money import Money

Key = tuple[InvoiceLineKind, str]


def _in_period(day: date | None, period: str) -> bool:
    return day is not None and day.isoformat()[:7] == period


def expected_lines(period: str, orders: Sequence[Order], refunds: Sequence[Refund]) -> dict[Key, list[Money]]:
    """DESIGN.md: purchase lines for pay_in_30/pay_now orders created in the period, installment lines for
    pay_in_4/financing installments due in it, refund lines (negative) for refunds completed in it, fee lines for
    extension fees due in it."""
    expected: dict[Key, list[Money]] = defaultdict(list)
    for order in orders:
        if order.plan.kind in ("pay_in_30", "pay_now"):
            if _in_period(order.created, period):
                expected[("purchase", order.id)].append(order.total)
            continue
        for inst in order.plan.installments:
            if inst.status != "cancelled" and _in_period(inst.due, period):
                expected[("installment", order.id)].append(inst.amount)
                if inst.fee is not None and inst.fee.is_positive():
                    expected[("fee", order.id)].append(inst.fee)
    for refund in refunds:
        if refund.status == "completed" and _in_period(refund.completed, period):
            expected[("refund", refund.order)].append(-refund.amount)
    return expected
