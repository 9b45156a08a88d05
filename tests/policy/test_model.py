"""The policy file: the default numbers, limits per currency and market, and clear errors for bad files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from paydesk.domain.errors import DeveloperError
from paydesk.domain.money import Money
from paydesk.policy.model import DEFAULT_POLICY, Policy, load_policy


def test_default_numbers(policy: Policy) -> None:
    assert (policy.return_.pause_days, policy.refund_status.dispute_offer_after_days) == (21, 14)
    assert (policy.dispute.max_order_age_days, policy.dispute.merchant_deadline_days) == (180, 14)
    assert (policy.double_charge.window_minutes, policy.extension.max_days_after_original_due) == (10, 30)
    assert policy.label.startswith(policy.version + "+") and len(policy.digest) == 64


@pytest.mark.parametrize(
    ("currency", "limit"),
    [
        ("EUR", "500"),
        ("SEK", "5500"),
        ("NOK", "5800"),
        ("DKK", "3700"),
        ("PLN", "2200"),
        ("CZK", "12500"),
        ("HUF", "200000"),
        ("RON", "2500"),
        ("BGN", "980"),
        ("GBP", "430"),
        ("USD", "550"),
        ("CHF", "480"),
        ("TRY", "18000"),
        ("AED", "2000"),
        ("SAR", "2000"),
        ("JPY", "80000"),
        ("KRW", "750000"),
        ("ILS", "2000"),
        ("THB", "19000"),
    ],
)
def test_approval_limits(policy: Policy, currency: str, limit: str) -> None:
    assert policy.approval_limit(currency) == Money(Decimal(limit), currency)


def test_market_overrides(policy: Policy) -> None:
    assert policy.market("NO").currency == "NOK"  # a quoted key: YAML would read NO as false
    assert policy.extension_fee("GB", "GBP") == Money(Decimal("1.50"), "GBP")
    assert policy.extension_fee("SE", "SEK") == Money.zero("SEK")
    with pytest.raises(DeveloperError, match="market 'XX'"):
        policy.market("XX")


def test_a_market_can_set_its_own_limit(tmp_path: Path) -> None:
    text = DEFAULT_POLICY.read_text(encoding="utf-8").replace(
        '"SE": {currency: SEK}', '"SE": {currency: SEK, approval_limit: "3000"}'
    )
    path = tmp_path / "strict.yaml"
    path.write_text(text, encoding="utf-8")
    strict = load_policy(path)
    assert strict.approval_limit("SEK", "SE") == Money(Decimal(3000), "SEK")
    assert strict.approval_limit("SEK", "FI") == Money(Decimal(5500), "SEK")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: [unclosed", "not valid YAML"),
        ("- a list", "a policy file is a mapping"),
        ("version: x\n", "invalid policy: return: Field required"),
    ],
)
def test_bad_policy_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeveloperError, match=message):
        load_policy(path)


def test_a_float_amount_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(DEFAULT_POLICY.read_text(encoding="utf-8").replace('EUR: "500"', "EUR: 500.0"), encoding="utf-8")
    with pytest.raises(DeveloperError, match=r"approval_limits\.EUR"):
        load_policy(path)
