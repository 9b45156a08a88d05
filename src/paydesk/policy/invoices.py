"""Invoice review: what the ledger implies for a period, and where an issued invoice differs from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from paydesk.domain.entities import CorrectionReason, Invoice, InvoiceCorrection, InvoiceLineKind, Order, Refund
from paydesk.domain.invoicing import Key, expected_lines
from paydesk.domain.money import Money


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One way the invoice is wrong. `correction` is positive: what the total falls by once corrected.

    handled_by: the id of a correction already recorded for it (applied, pending approval or rejected), else None.
    """

    reason: CorrectionReason
    kind: InvoiceLineKind
    order: str
    line_amount: Money | None
    ledger_amount: Money | None
    correction: Money
    handled_by: str | None = None


def discrepancies(
    invoice: Invoice, orders: Sequence[Order], refunds: Sequence[Refund], corrections: Sequence[InvoiceCorrection]
) -> list[Discrepancy]:
    """Every line that overstates what the customer owes, each matched to an existing correction where one exists.

    Lines that understate it are not discrepancies to correct in the customer's disfavour from a chat.
    """
    expected = expected_lines(invoice.period, [o for o in orders if o.customer == invoice.customer], refunds)
    actual: dict[Key, list[Money]] = defaultdict(list)
    for line in invoice.lines:
        actual[(line.kind, line.order)].append(line.amount)
    found: list[Discrepancy] = []
    for key in sorted(set(expected) | set(actual)):
        kind, order = key
        remaining = list(expected.get(key, []))
        matched: list[Money] = []
        unmatched: list[Money] = []
        for amount in actual.get(key, []):
            if amount in remaining:
                remaining.remove(amount)
                matched.append(amount)
            else:
                unmatched.append(amount)
        for amount in unmatched:
            if amount in matched:
                if amount.is_positive():
                    found.append(Discrepancy("duplicate_line", kind, order, amount, None, amount))
                continue
            ledger = remaining.pop(0) if remaining else Money.zero(amount.currency)
            if amount > ledger:
                found.append(Discrepancy("wrong_amount", kind, order, amount, ledger, amount - ledger))
        if kind == "refund":
            found += [Discrepancy("missing_refund", kind, order, None, amount, -amount) for amount in remaining]
    return _attach(found, corrections)


def _attach(found: list[Discrepancy], corrections: Sequence[InvoiceCorrection]) -> list[Discrepancy]:
    pool = list(corrections)
    result = []
    for d in found:
        match = next((c for c in pool if c.reason == d.reason and c.amount == d.correction), None)
        if match is not None:
            pool.remove(match)
            d = Discrepancy(d.reason, d.kind, d.order, d.line_amount, d.ledger_amount, d.correction, match.id)
        result.append(d)
    return result
