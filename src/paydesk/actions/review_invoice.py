"""review_invoice (READ): an invoice's lines checked against the ledger."""

from __future__ import annotations

from pydantic import BaseModel, Field

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut
from paydesk.domain.entities import Customer, Invoice
from paydesk.domain.errors import NotFound
from paydesk.domain.money import Money
from paydesk.policy.invoices import Discrepancy, discrepancies
from paydesk.store.ledger import Ledger


class ReviewInvoiceArgs(Args):
    invoice: str | None = None
    period: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")


class LineOut(BaseModel):
    kind: str
    order: str
    merchant_name: str
    amount: MoneyOut


class DiscrepancyOut(BaseModel):
    reason: str
    kind: str
    order: str
    line_amount: MoneyOut | None
    ledger_amount: MoneyOut | None
    correction: MoneyOut
    handled_by: str | None

    @classmethod
    def of(cls, d: Discrepancy) -> DiscrepancyOut:
        return cls(
            reason=d.reason,
            kind=d.kind,
            order=d.order,
            line_amount=MoneyOut.of(d.line_amount) if d.line_amount else None,
            ledger_amount=MoneyOut.of(d.ledger_amount) if d.ledger_amount else None,
            correction=MoneyOut.of(d.correction),
            handled_by=d.handled_by,
        )


class ReviewInvoiceResult(ActionResult):
    invoice: str
    period: str
    total: MoneyOut
    corrected_total: MoneyOut
    lines: list[LineOut]
    discrepancies: list[DiscrepancyOut]


def find_invoice(ledger: Ledger, customer: Customer, invoice_id: str | None, period: str | None) -> Invoice:
    """The customer's invoice by id, by period, or their latest one. NotFound if none is theirs."""
    invoices = ledger.invoices_of(customer.id)
    if invoice_id is not None:
        invoices = [i for i in invoices if i.id == invoice_id.strip()]
    if period is not None:
        invoices = [i for i in invoices if i.period == period]
    if not invoices:
        raise NotFound("invoice", invoice_id or period or "(latest)")
    return max(invoices, key=lambda i: (i.period, i.id))


def check(ledger: Ledger, invoice: Invoice) -> list[Discrepancy]:
    orders = ledger.orders_of(invoice.customer)
    refunds = ledger.refunds([o.id for o in orders])
    return discrepancies(invoice, orders, refunds, ledger.corrections([invoice.id]))


def corrected_total(ledger: Ledger, invoice: Invoice) -> Money:
    result = invoice.total
    for c in ledger.corrections([invoice.id]):
        if c.status == "applied":
            result = result - c.amount
    return result


def run(call: Call[ReviewInvoiceArgs]) -> ReviewInvoiceResult:
    """READ. Compare one invoice (Args: invoice id, or period YYYY-MM, default the latest) with what the ledger
    implies for its period: duplicate lines, completed refunds missing, lines that differ from the ledger. Each
    discrepancy says how much the total should fall and whether a correction already handles it."""
    ledger = call.ledger
    invoice = find_invoice(ledger, call.customer, call.args.invoice, call.args.period)
    names: dict[str, str] = {}
    lines = []
    for line in invoice.lines:
        if line.order not in names:
            order = ledger.order(line.order)
            merchant = ledger.merchant(order.merchant) if order else None
            names[line.order] = merchant.name if merchant else line.order
        lines.append(
            LineOut(kind=line.kind, order=line.order, merchant_name=names[line.order], amount=MoneyOut.of(line.amount))
        )
    return ReviewInvoiceResult(
        invoice=invoice.id,
        period=invoice.period,
        total=MoneyOut.of(invoice.total),
        corrected_total=MoneyOut.of(corrected_total(ledger, invoice)),
        lines=lines,
        discrepancies=[DiscrepancyOut.of(d) for d in check(ledger, invoice)],
    )


ACTION = Action("review_invoice", "READ", ReviewInvoiceArgs, ReviewInvoiceResult, run)
