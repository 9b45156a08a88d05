"""One flow per case type. A flow's `run` is called when it starts and on every message while it is active; it reads
its slots, fills what it can from the message, asks for the rest, and proposes the write with a summary. `after`
phrases the outcome of the confirmed write; `refused` phrases a policy refusal."""

from __future__ import annotations

from typing import Any, Protocol

from paydesk.dialogue.session import Session
from paydesk.domain.errors import PolicyRefusal


class Flow(Protocol):
    name: str

    def run(self, s: Session) -> None: ...

    def after(self, s: Session, action: str, result: Any) -> None: ...

    def refused(self, s: Session, refusal: PolicyRefusal) -> None: ...


def registry() -> dict[str, Flow]:
    from paydesk.dialogue.flows import cancel, disputes, invoices, payments, plans, refunds, returns

    flows: list[Flow] = [
        refunds.RefundStatus(),
        refunds.RequestRefund(),
        returns.ReturnItem(),
        cancel.CancelOrder(),
        payments.PaymentProblem(),
        payments.UnrecognizedCharge(),
        disputes.Dispute(),
        invoices.InvoiceError(),
        plans.PaymentSchedule(),
        plans.ExtendDueDate(),
        plans.PayNow(),
        plans.ChangePaymentMethod(),
    ]
    return {f.name: f for f in flows}
