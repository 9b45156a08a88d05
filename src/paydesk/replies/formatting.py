"""CLDR formatting (Babel) of money, dates, times and lists in the customer's language and region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_currency

from paydesk.domain.money import Money

# The region whose conventions a language's customers most likely follow, when their own locale is of another
# language (a Swedish-market customer writing German gets de_DE formats).
DEFAULT_REGION: dict[str, str] = {
    "en": "GB",
    "de": "DE",
    "sv": "SE",
    "nb": "NO",
    "da": "DK",
    "fi": "FI",
    "nl": "NL",
    "fr": "FR",
    "it": "IT",
    "es": "ES",
    "pt": "PT",
    "pl": "PL",
    "cs": "CZ",
    "sk": "SK",
    "hu": "HU",
    "ro": "RO",
    "bg": "BG",
    "el": "GR",
    "hr": "HR",
    "sl": "SI",
    "et": "EE",
    "lv": "LV",
    "lt": "LT",
    "tr": "TR",
    "ru": "RU",
    "uk": "UA",
    "ar": "AE",
    "he": "IL",
    "hi": "IN",
    "ja": "JP",
    "ko": "KR",
    "zh": "CN",
    "th": "TH",
    "vi": "VN",
    "id": "ID",
    "ms": "MY",
}


@cache
def babel_locale(language: str, customer_locale: str | None = None) -> Locale:
    """The customer's own locale when it is of this language (sv-SE), else the language's usual region."""
    candidates = []
    if customer_locale and customer_locale.replace("_", "-").split("-")[0].lower() == language:
        candidates.append(customer_locale.replace("-", "_"))
    candidates += [f"{language}_{DEFAULT_REGION.get(language, '')}".rstrip("_"), language]
    for candidate in candidates:
        try:
            return Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse("en_GB")


@dataclass(frozen=True)
class Formatter:
    locale: Locale

    def money(self, money: Money) -> str:
        return format_currency(money.amount, money.currency, locale=self.locale)

    def amount(self, value: Decimal, currency: str) -> str:
        return format_currency(value, currency, locale=self.locale)

    def day(self, day: date, today: date | None = None) -> str:
        """ "13 December" (with the year when it is not this year's)."""
        return _day(self.locale, day, today is not None and today.year == day.year)

    def time(self, moment: datetime) -> str:
        return format_time(moment, format="short", locale=self.locale)

    def moment(self, moment: datetime, today: date | None = None) -> str:
        return f"{self.day(moment.date(), today)} {self.time(moment)}"

    def join(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale) if items else ""


@lru_cache(maxsize=8192)
def _day(locale: Locale, day: date, same_year: bool) -> str:
    """Kept: Babel matches the skeleton against the locale's patterns on every call, and replies show the same few
    dates again and again."""
    try:
        return format_skeleton("dMMMM" if same_year else "yMMMMd", day, locale=locale)
    except (KeyError, ValueError):
        return format_date(day, format="long", locale=locale)
