"""correct_invoice (WRITE): apply a correction for each discrepancy the review finds."""

from __future__ import annotations

from pydantic import BaseModel

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut, new_id
from paydesk.actions.common import approval_case
from paydesk.actions.review_invoice import check, corrected_total, find_invoice
from paydesk.domain.entities import CorrectionStatus, InvoiceCorrection
from paydesk.policy.rules import judge_payout
from paydesk.policy.verdict import Deny, NeedsApproval, enforce


class CorrectInvoiceArgs(Args):
    invoice: str | None = None
    period: str | None = None


class CorrectionOut(BaseModel):
    id: str
    reason: str
    order: str
    amount: MoneyOut
    status: str


class CorrectInvoiceResult(ActionResult):
    invoice: str
    period: str
    corrections: list[CorrectionOut]
    corrected_total: MoneyOut
    case_ids: list[str]


def run(call: Call[CorrectInvoiceArgs]) -> CorrectInvoiceResult:
    """WRITE. For every discrepancy of the invoice not yet handled (see review_invoice), record a correction
    `applied` (its amount is what the total falls by); a correction above the approval limit is `pending_approval`
    with an `approval` case. Args: invoice id or period (default the latest). Refusals: no_discrepancy.
    """
    ledger, ctx = call.ledger, call.ctx
    invoice = find_invoice(ledger, call.customer, call.args.invoice, call.args.period)
    todo = [d for d in check(ledger, invoice) if d.handled_by is None]
    if not todo:
        enforce(Deny("no_discrepancy", {"invoice": invoice.id}))
    made: list[CorrectionOut] = []
    cases: list[str] = []
    for d in todo:
        verdict = judge_payout(d.correction, call.customer.market, ctx.policy)
        status: CorrectionStatus = "pending_approval" if isinstance(verdict, NeedsApproval) else "applied"
        corr = InvoiceCorrection(
            id=new_id("ic"), invoice=invoice.id, amount=d.correction, reason=d.reason, status=status
        )
        ledger.add_corrections([corr])
        if isinstance(verdict, NeedsApproval):
            cases.append(
                approval_case(
                    ledger,
                    ctx,
                    call.customer,
                    order=d.order,
                    pending=f"invoice_correction:{corr.id}",
                    text=f"Correction of {d.correction} ({d.reason}) on invoice {invoice.id} exceeds the limit of "
                    f"{verdict.limit}.",
                ).id
            )
        made.append(
            CorrectionOut(id=corr.id, reason=d.reason, order=d.order, amount=MoneyOut.of(d.correction), status=status)
        )
    return CorrectInvoiceResult(
        outcome="pending_approval" if cases else "done",
        invoice=invoice.id,
        period=invoice.period,
        corrections=made,
        corrected_total=MoneyOut.of(corrected_total(ledger, invoice)),
        case_ids=cases,
    )


ACTION = Action("correct_invoice", "WRITE", CorrectInvoiceArgs, CorrectInvoiceResult, run)
