from decimal import Decimal

import pytest

from paydesk.domain.errors import DeveloperError
from paydesk.domain.money import Money


def test_minor_units_follow_the_currency() -> None:
    assert Money.parse("299.75", "SEK").minor == 29975
    assert Money.parse(12000, "JPY").minor == 12000
    assert Money.from_minor(750000, "KRW").amount == Decimal(750000)


@pytest.mark.parametrize(("value", "currency"), [("1.001", "EUR"), ("12000.5", "JPY"), ("1.5", "KRW")])
def test_over_precise_amounts_are_refused(value: str, currency: str) -> None:
    with pytest.raises(DeveloperError, match="more decimals"):
        Money.parse(value, currency)


@pytest.mark.parametrize("value", [1.5, True, None, "abc", "NaN", "Infinity"])
def test_non_amounts_are_refused(value: object) -> None:
    with pytest.raises(DeveloperError):
        Money.parse(value, "EUR")  # type: ignore[arg-type]


def test_unknown_currency() -> None:
    with pytest.raises(DeveloperError, match="unknown currency"):
        Money.parse("1", "XXX")


def test_split_sums_exactly_and_the_first_part_takes_the_remainder() -> None:
    parts = Money.parse("100.01", "EUR").split(4)
    assert [p.amount for p in parts] == [Decimal("25.01"), Decimal("25.00"), Decimal("25.00"), Decimal("25.00")]
    assert sum((p.amount for p in parts), Decimal(0)) == Decimal("100.01")


def test_currencies_never_mix() -> None:
    with pytest.raises(DeveloperError, match="cannot combine"):
        Money.parse("1", "EUR") + Money.parse("1", "SEK")
    with pytest.raises(DeveloperError):
        assert Money.parse("1", "EUR") < Money.parse("2", "SEK")
