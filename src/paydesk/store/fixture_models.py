"""The fixture format's rows as strict pydantic models (unknown fields and floats for money are refused). What the
store cannot hold is refused here too, alike on SQLite and PostgreSQL: text longer than its column, NUL characters,
integers beyond a 32-bit column, amounts whose minor units would not fit a 64-bit column, instants with no UTC
equivalent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, cast

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from sqlalchemy import Column, String

from paydesk.domain import entities as e
from paydesk.domain.errors import DeveloperError
from paydesk.store import tables as t

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


INT32_MAX = 2**31 - 1  # an INTEGER column
# Below this, every amount's minor units fit a BIGINT column, and so do sums of many of them (order and invoice
# totals are checked against it too, in fixture_check).
MAX_AMOUNT = Decimal(10) ** 15


def _max(column: Column[Any]) -> int:
    """The length of a VARCHAR column (SQLite does not enforce it; PostgreSQL does)."""
    length = cast(String, column.type).length
    assert length is not None, column
    return length


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
    if abs(amount) >= MAX_AMOUNT:
        raise ValueError(f"amounts are below {MAX_AMOUNT:,} (got {value!r})")
    return amount


def _utc(value: datetime) -> datetime:
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value.isoformat()} is out of range in UTC") from None
    return value


Amount = Annotated[Decimal, BeforeValidator(_amount)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Instant = Annotated[AwareDatetime, AfterValidator(_utc)]
Id = Annotated[str, Field(min_length=1, max_length=_max(t.customers.c.id))]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if any(isinstance(v, str) and "\x00" in v for v in (value if isinstance(value, list) else [value])):
            raise ValueError("NUL characters are not allowed")
        return value


class FxPaymentMethod(_Row):
    id: Id
    kind: e.PaymentMethodKind
    label: str = Field(min_length=1, max_length=_max(t.payment_methods.c.label))


class FxCustomer(_Row):
    id: Id
    name: str = Field(min_length=1, max_length=_max(t.customers.c.name))
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=_max(t.customers.c.email))
    locale: str = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=_max(t.customers.c.locale))
    market: str = Field(pattern=r"^[A-Z]{2}$")
    payment_methods: list[FxPaymentMethod] = []


class FxMerchant(_Row):
    id: Id
    name: str = Field(min_length=1, max_length=_max(t.merchants.c.name))
    return_window_days: int = Field(default=30, ge=0, le=3650)
    support_email: str | None = Field(default=None, max_length=_max(t.merchants.c.support_email))


class FxItem(_Row):
    sku: str = Field(min_length=1, max_length=_max(t.order_items.c.sku))
    name: str = Field(min_length=1, max_length=_max(t.order_items.c.name))
    qty: int = Field(default=1, ge=1, le=INT32_MAX)
    price: Amount


class FxInstallment(_Row):
    seq: int = Field(ge=1, le=INT32_MAX)
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
    id: Id
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
    id: Id
    order: str
    installment: int | None = None
    amount: Amount
    status: e.ChargeStatus
    at: Instant
    payment_method: str | None = None
    decline_reason: e.DeclineReason | None = None


class FxRefund(_Row):
    id: Id
    order: str
    amount: Amount
    status: e.RefundStatus
    reason: str = Field(default="", max_length=_max(t.refunds.c.reason))
    created: date
    expected_by: date | None = None
    completed: date | None = None


class FxReturn(_Row):
    id: Id
    order: str
    items: list[str] = Field(min_length=1)
    reason: str = Field(default="", max_length=_max(t.returns.c.reason))
    status: e.ReturnStatus = "registered"
    created: date


class FxDispute(_Row):
    id: Id
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
    id: Id
    customer: str
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    lines: list[FxLine] = []
    total: Amount | None = None
    currency: Currency | None = None


class FxCorrection(_Row):
    id: Id
    invoice: str
    amount: Amount
    reason: e.CorrectionReason
    status: e.CorrectionStatus = "applied"


class FxCase(_Row):
    id: Id
    conversation: str | None = Field(default=None, max_length=_max(t.cases.c.conversation))
    customer: str
    reason: e.CaseReason
    status: e.CaseStatus = "queued"
    summary: str = ""
    assignee: str | None = Field(default=None, max_length=_max(t.cases.c.assignee))
    created: Instant | None = None
    order: str | None = None
    pending: str | None = Field(default=None, max_length=_max(t.cases.c.pending))


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
