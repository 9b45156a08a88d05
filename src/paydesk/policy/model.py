"""The policy file as a typed model, loaded once and passed explicitly."""

from __future__ import annotations

import hashlib
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from paydesk.domain.errors import DeveloperError
from paydesk.domain.money import MINOR_UNITS, Money

DEFAULT_POLICY = Path(__file__).parent / "policies" / "default.yaml"


def _decimal(value: Any) -> Decimal:
    if isinstance(value, float | bool):
        raise ValueError('write amounts as strings, e.g. "500"')
    return Decimal(str(value))


Amount = Annotated[Decimal, BeforeValidator(_decimal)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReturnRules(_Section):
    default_window_days: int = Field(ge=0)
    pause_days: int = Field(ge=0)


class RefundStatusRules(_Section):
    dispute_offer_after_days: int = Field(ge=0)
    expected_days: int = Field(ge=0)


class DisputeRules(_Section):
    max_order_age_days: int = Field(ge=0)
    merchant_deadline_days: int = Field(ge=1)


class DoubleChargeRules(_Section):
    window_minutes: int = Field(ge=0)


class ExtensionRules(_Section):
    max_days_after_original_due: int = Field(ge=1)
    fee: Amount = Decimal(0)


class Market(_Section):
    currency: str
    extension_fee: Amount | None = None
    approval_limit: Amount | None = None


class Policy(_Section):
    """A complete policy: the default rules plus per-market overrides. `version` goes on every audit row."""

    version: str
    return_: ReturnRules = Field(alias="return")
    refund_status: RefundStatusRules
    dispute: DisputeRules
    double_charge: DoubleChargeRules
    extension: ExtensionRules
    approval_limits: dict[str, Amount]
    eur_rates: dict[str, Amount] = {}
    markets: dict[str, Market] = {}
    digest: str = ""

    def market(self, code: str) -> Market:
        found = self.markets.get(code)
        if found is None:
            raise DeveloperError(f"market {code!r} is not in policy {self.version}", code="unknown_market")
        return found

    def approval_limit(self, currency: str, market: str | None = None) -> Money:
        """The largest single refund or correction the assistant may pay out without a human."""
        if market is not None:
            override = self.markets.get(market)
            if override is not None and override.approval_limit is not None and override.currency == currency:
                return Money(override.approval_limit, currency)
        if currency in self.approval_limits:
            return Money(self.approval_limits[currency], currency)
        rate = self.eur_rates.get(currency)
        if rate is None:
            raise DeveloperError(f"policy {self.version} has no approval limit or EUR rate for {currency}")
        quantum = Decimal(1).scaleb(-MINOR_UNITS[currency])
        return Money((self.approval_limits["EUR"] * rate).quantize(quantum, rounding=ROUND_DOWN), currency)

    def extension_fee(self, market: str, currency: str) -> Money:
        override = self.markets.get(market)
        fee = override.extension_fee if override is not None and override.extension_fee is not None else None
        return Money(self.extension.fee if fee is None else fee, currency)

    @property
    def label(self) -> str:
        """What audit rows record: the version and a digest of the exact file."""
        return f"{self.version}+{self.digest[:12]}" if self.digest else self.version


def load_policy(path: Path | None = None) -> Policy:
    """Load and validate a policy file (the bundled default when `path` is None)."""
    path = path or DEFAULT_POLICY
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DeveloperError(f"{path}: cannot read policy: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise DeveloperError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DeveloperError(f"{path}: a policy file is a mapping")
    try:
        policy = Policy.model_validate({**data, "digest": hashlib.sha256(raw).hexdigest()})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise DeveloperError(f"{path}: invalid policy: {problems}") from exc
    for currency in [*policy.approval_limits, *policy.eur_rates, *(m.currency for m in policy.markets.values())]:
        if currency not in MINOR_UNITS:
            raise DeveloperError(f"{path}: unknown currency {currency}")
    if "EUR" not in policy.approval_limits:
        raise DeveloperError(f"{path}: approval_limits needs EUR (the base for other currencies)")
    return policy
