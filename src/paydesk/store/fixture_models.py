"""The fixture format's rows as strict pydantic models (unknown fields and floats for money are refused)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from paydesk.domain import entities as e
from paydesk.domain.errors import DeveloperError

ENTITIES = (
    "customers",
    "merchants",
    "orders",
    "charges",
    "refunds",
    "returns",
    "disputes",
    "invoices",
    "invoice_corrections",
    "cases",
)


class FixtureError(DeveloperError):
    """A fixture file is invalid; `problems` lists every `path: message`."""

    code = "bad_fixture"

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        where = f"{source}: " if source else ""
        shown = "\n".join(f"  - {p}" for p in problems[:25])
        more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
        super().__init__(f"{where}invalid ledger ({len(problems)} problem(s)):\n{shown}{more}")
        self.problems = problems


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(f'amounts are strings like "299.75" (got {value!r}: floats lose cents)')
    if not isinstance(value, str | int | Decimal):
        raise ValueError(f"not an amount: {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount


Amount = Annotated[Decimal, BeforeValidator(_amount)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FxPaymentMethod(_Row):
    id: str = Field(min_length=1)
    kind: e.PaymentMethodKind
    label: str = Field(min_length=1)


class FxCustomer(_Row):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    locale: str = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    market: str = Field(pattern=r"^[A-Z]{2}$")
    payment_methods: list[FxPaymentMethod] = []


class FxMerchant(_Row):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    return_window_days: int = Field(default=30, ge=0, le=3650)
    support_email: str | None = None


class FxItem(_Row):
    sku: str = Field(min_length=1)
    name: str = Field(min_length=1)
    qty: int = Field(default=1, ge=1)
    price: Amount


class FxInstallment(_Row):
    seq: int = Field(ge=1)
    due: date
    amount: Amount
    status: e.InstallmentStatus = "scheduled"
    extended: bool = False
    original_due: date | None = None
    fee: Amount | None = None


class FxPlan(_Row):
    kind: e.PlanKind
    payment_method: str
    status: e.PlanStatus = "active"
    paused_until: date | None = None
    installments: list[FxInstallment] | None = None


class FxOrder(_Row):
    id: str = Field(min_length=1, max_length=64)
    customer: str
    merchant: str
    created: date
    status: e.OrderStatus
    delivered: date | None = None
    currency: Currency
    items: list[FxItem] = Field(min_length=1)
    total: Amount | None = None
    plan: FxPlan


class FxCharge(_Row):
    id: str = Field(min_length=1, max_length=64)
    order: str
    installment: int | None = None
    amount: Amount
    status: e.ChargeStatus
    at: AwareDatetime
    payment_method: str | None = None
    decline_reason: e.DeclineReason | None = None


class FxRefund(_Row):
    id: str = Field(min_length=1, max_length=64)
    order: str
    amount: Amount
    status: e.RefundStatus
    reason: str = ""
    created: date
    expected_by: date | None = None
    completed: date | None = None


class FxReturn(_Row):
    id: str = Field(min_length=1, max_length=64)
    order: str
    items: list[str] = Field(min_length=1)
    reason: str = ""
    status: e.ReturnStatus = "registered"
    created: date


class FxDispute(_Row):
    id: str = Field(min_length=1, max_length=64)
    order: str
    reason: e.DisputeReason
    status: e.DisputeStatus = "open"
    created: date
    merchant_deadline: date | None = None


class FxLine(_Row):
    kind: e.InvoiceLineKind
    order: str
    amount: Amount


class FxInvoice(_Row):
    id: str = Field(min_length=1, max_length=64)
    customer: str
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    lines: list[FxLine] = []
    total: Amount | None = None
    currency: Currency | None = None


class FxCorrection(_Row):
    id: str = Field(min_length=1, max_length=64)
    invoice: str
    amount: Amount
    reason: e.CorrectionReason
    status: e.CorrectionStatus = "applied"


class FxCase(_Row):
    id: str = Field(min_length=1, max_length=64)
    conversation: str | None = None
    customer: str
    reason: e.CaseReason
    status: e.CaseStatus = "queued"
    summary: str = ""
    assignee: str | None = None
    created: AwareDatetime | None = None
    order: str | None = None
    pending: str | None = None


class FxLedger(_Row):
    customers: list[FxCustomer]
    merchants: list[FxMerchant]
    orders: list[FxOrder]
    charges: list[FxCharge] = []
    refunds: list[FxRefund] = []
    returns: list[FxReturn] = []
    disputes: list[FxDispute] = []
    invoices: list[FxInvoice] = []
    invoice_corrections: list[FxCorrection] = []
    cases: list[FxCase] = []


class LedgerData(BaseModel):
    """A validated ledger as domain objects, ready to write."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    customers: list[e.Customer] = []
    merchants: list[e.Merchant] = []
    orders: list[e.Order] = []
    charges: list[e.Charge] = []
    refunds: list[e.Refund] = []
    returns: list[e.Return] = []
    disputes: list[e.Dispute] = []
    invoices: list[e.Invoice] = []
    invoice_corrections: list[e.InvoiceCorrection] = []
    cases: list[e.Case] = []
