"""Money as Decimal in a currency's minor units. Never float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from paydesk.domain.errors import DeveloperError

# ISO 4217 minor units of the currencies paydesk's markets use.
MINOR_UNITS: dict[str, int] = {
    "EUR": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "RON": 2,
    "BGN": 2,
    "GBP": 2,
    "USD": 2,
    "CHF": 2,
    "TRY": 2,
    "AED": 2,
    "SAR": 2,
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
    "ILS": 2,
    "INR": 2,
    "THB": 2,
    "VND": 0,
    "IDR": 2,
    "MYR": 2,
    "CNY": 2,
    "UAH": 2,
    "AUD": 2,
    "CAD": 2,
    "NZD": 2,
    "MXN": 2,
    "BRL": 2,
    "SGD": 2,
    "HKD": 2,
    "TWD": 2,
}


def check_currency(code: str) -> str:
    """Return `code` if paydesk knows the currency, else raise DeveloperError."""
    if code not in MINOR_UNITS:
        raise DeveloperError(f"unknown currency {code!r}", code="bad_currency", details={"currency": code})
    return code


def exponent(currency: str) -> int:
    return MINOR_UNITS[check_currency(currency)]


_QUANTUM = {code: Decimal(1).scaleb(-places) for code, places in MINOR_UNITS.items()}  # 0.01 for SEK


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount of one currency, always quantized to the currency's minor units.

    amount: the value, e.g. Decimal("299.75"); JPY and KRW have no decimals.
    currency: ISO 4217 code.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        quantum = _QUANTUM[check_currency(self.currency)]
        if self.amount != self.amount.quantize(quantum):
            raise DeveloperError(
                f"{self.amount} has more decimals than {self.currency} allows ({exponent(self.currency)})",
                code="bad_amount",
            )
        object.__setattr__(self, "amount", self.amount.quantize(quantum))

    @classmethod
    def parse(cls, value: str | int | Decimal, currency: str) -> Money:
        """Parse a fixture or API amount ("299.75", 12000). Floats are refused: they lose cents."""
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise DeveloperError(
                f'amount must be a string like "299.75", got {type(value).__name__} {value!r}', code="bad_amount"
            )
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise DeveloperError(f"not an amount: {value!r}", code="bad_amount") from None
        if not amount.is_finite():
            raise DeveloperError(f"not an amount: {value!r}", code="bad_amount")
        return cls(amount, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """Whole minor units are quantized already: no check (the ledger builds thousands of these a second)."""
        money = object.__new__(cls)
        object.__setattr__(money, "amount", Decimal(minor).scaleb(-exponent(currency)))
        object.__setattr__(money, "currency", currency)
        return money

    @property
    def minor(self) -> int:
        """The amount in minor units (cents, öre; yen as is)."""
        return int(self.amount.scaleb(exponent(self.currency)))

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise DeveloperError(f"cannot combine {self.currency} with {other.currency}", code="currency_mismatch")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def is_positive(self) -> bool:
        return self.amount > 0

    def split(self, parts: int) -> list[Money]:
        """Split into `parts` amounts that sum exactly; the first part takes the remainder."""
        if parts < 1:
            raise DeveloperError("parts must be >= 1")
        base, rest = divmod(self.minor, parts)
        return [Money.from_minor(base + (rest if i == 0 else 0), self.currency) for i in range(parts)]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def total(amounts: list[Money], currency: str) -> Money:
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
