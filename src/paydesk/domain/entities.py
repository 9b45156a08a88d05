"""The ledger's entities (DESIGN.md, "Ledger model"). Field names are part of the public fixture format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from paydesk.domain.money import Money

OrderStatus = Literal["pending", "shipped", "delivered", "cancelled", "returned"]
PlanKind = Literal["pay_in_4", "pay_in_30", "pay_now", "financing"]
PlanStatus = Literal["active", "paused", "cancelled", "completed"]
InstallmentStatus = Literal["scheduled", "paid", "failed", "overdue", "cancelled"]
ChargeStatus = Literal["captured", "failed", "pending", "refunded"]
DeclineReason = Literal["insufficient_funds", "card_expired", "do_not_honor", "authentication_failed"]
RefundStatus = Literal["pending_approval", "processing", "completed", "failed"]
ReturnStatus = Literal["registered", "received", "refunded", "rejected"]
DisputeReason = Literal[
    "not_received", "faulty", "wrong_item", "not_as_described", "refund_not_received", "cancelled_but_charged"
]
DisputeStatus = Literal["open", "merchant_responded", "resolved_customer", "resolved_merchant"]
InvoiceLineKind = Literal["purchase", "installment", "refund", "fee"]
CorrectionReason = Literal["duplicate_line", "missing_refund", "wrong_amount"]
# `rejected` extends DESIGN.md's enum: a correction a supervisor turned down stays on record,
# so that it is not proposed again.
CorrectionStatus = Literal["applied", "pending_approval", "rejected"]
CaseReason = Literal["customer_request", "fraud", "hardship", "approval", "not_understood", "complaint", "other"]
CaseStatus = Literal["queued", "assigned", "resolved", "handed_back"]
PaymentMethodKind = Literal["card", "bank_account"]

UNRESOLVED_DISPUTE: frozenset[DisputeStatus] = frozenset({"open", "merchant_responded"})


@dataclass(slots=True)
class PaymentMethod:
    """A stored way to pay. `label` is what the customer sees ("Visa •••• 4242"); no card numbers are ever stored."""

    id: str
    kind: PaymentMethodKind
    label: str


@dataclass(slots=True)
class Customer:
    """A signed-in customer. `locale` is BCP-47 (`sv-SE`); `market` an ISO country code (`SE`)."""

    id: str
    name: str
    email: str
    locale: str
    market: str
    payment_methods: list[PaymentMethod] = field(default_factory=list)

    def payment_method(self, method_id: str) -> PaymentMethod | None:
        return next((m for m in self.payment_methods if m.id == method_id), None)


@dataclass(slots=True)
class Merchant:
    id: str
    name: str
    return_window_days: int = 30
    support_email: str | None = None


@dataclass(slots=True)
class Item:
    sku: str
    name: str
    qty: int
    price: Money

    @property
    def line_total(self) -> Money:
        return Money(self.price.amount * self.qty, self.price.currency)


@dataclass(slots=True)
class Installment:
    """One part of a plan. `original_due` is the due date before an extension; `fee` an extension fee due with it."""

    seq: int
    due: date
    amount: Money
    status: InstallmentStatus = "scheduled"
    extended: bool = False
    original_due: date | None = None
    fee: Money | None = None

    @property
    def amount_due(self) -> Money:
        return self.amount + self.fee if self.fee is not None else self.amount


@dataclass(slots=True)
class Plan:
    """How an order is paid; one per order. While paused nothing is collected and no due date moves."""

    kind: PlanKind
    payment_method: str
    status: PlanStatus = "active"
    paused_until: date | None = None
    installments: list[Installment] = field(default_factory=list)

    def installment(self, seq: int) -> Installment | None:
        return next((i for i in self.installments if i.seq == seq), None)

    def unpaid(self) -> list[Installment]:
        """Installments still owed (scheduled, failed or overdue), earliest first."""
        owed = [i for i in self.installments if i.status in ("scheduled", "failed", "overdue")]
        return sorted(owed, key=lambda i: i.seq)


@dataclass(slots=True)
class Order:
    id: str
    customer: str
    merchant: str
    created: date
    status: OrderStatus
    currency: str
    items: list[Item]
    plan: Plan
    delivered: date | None = None

    @property
    def total(self) -> Money:
        result = Money.zero(self.currency)
        for item in self.items:
            result = result + item.line_total
        return result


@dataclass(slots=True)
class Charge:
    """A payment attempt. `installment` is the seq it paid, or None (e.g. a full payment)."""

    id: str
    order: str
    amount: Money
    status: ChargeStatus
    at: datetime
    installment: int | None = None
    payment_method: str | None = None
    decline_reason: DeclineReason | None = None


@dataclass(slots=True)
class Refund:
    """Money going back. `completed` is the day it completed (None unless completed)."""

    id: str
    order: str
    amount: Money
    status: RefundStatus
    reason: str
    created: date
    expected_by: date | None = None
    completed: date | None = None


@dataclass(slots=True)
class Return:
    id: str
    order: str
    items: list[str]
    reason: str
    status: ReturnStatus
    created: date


@dataclass(slots=True)
class Dispute:
    id: str
    order: str
    reason: DisputeReason
    status: DisputeStatus
    created: date
    merchant_deadline: date


@dataclass(slots=True)
class InvoiceLine:
    kind: InvoiceLineKind
    order: str
    amount: Money


@dataclass(slots=True)
class Invoice:
    """A monthly statement as issued. Corrections lower what is owed; the issued lines and total never change."""

    id: str
    customer: str
    period: str
    currency: str
    lines: list[InvoiceLine]
    total: Money


@dataclass(slots=True)
class InvoiceCorrection:
    """`amount` is positive: what the invoice's total falls by."""

    id: str
    invoice: str
    amount: Money
    reason: CorrectionReason
    status: CorrectionStatus


@dataclass(slots=True)
class Case:
    """A handoff to humans. `pending` names the row awaiting approval (`refund:<id>` or `invoice_correction:<id>`)."""

    id: str
    customer: str
    reason: CaseReason
    status: CaseStatus
    summary: str
    created: datetime
    conversation: str | None = None
    assignee: str | None = None
    order: str | None = None
    pending: str | None = None


@dataclass(slots=True)
class AuditRecord:
    """One write, as it happened. Append-only."""

    id: str
    action: str
    args_hash: str
    actor: str
    customer: str | None
    conversation: str | None
    confirming_message: str | None
    policy_version: str
    engine_version: str
    result: dict[str, object]
    at: datetime
