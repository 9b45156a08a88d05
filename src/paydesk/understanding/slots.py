"""Slot extraction: order references, amounts with currency, dates, email. Reasons are matched by embeddings
(see engine.py); everything here is rules and libraries (price-parser, dateparser, Babel)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

# ASCII boundaries: an id written against Chinese, Japanese or Korean text (注文8801-5501の) is still an id.
ORDER_ID = re.compile(
    r"(?<![0-9A-Za-z_-])(\d{4}-\d{4}|ord_[0-9A-Za-z_]+|[A-Z]{2,5}-\d{4,10})(?![0-9A-Za-z_-])", re.IGNORECASE
)
# How ids get disguised: dashes of every kind, look-alike letters between digits, invisible characters.
DASHES = re.compile("[\u2010-\u2015\u2212\u30fc\ufe58\ufe63\uff0d\u02d7\u2043]")
ZERO_LOOKALIKES = re.compile("(?<=[0-9-])[OoОоΟο](?=[0-9-])")
ONE_LOOKALIKES = re.compile("(?<=[0-9-])[lIІ|](?=[0-9-])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DIGIT = re.compile(r"\d")
MONEYISH = re.compile(r"\d[\d\s.,']*[.,]\d{2}(?!\d)|[€£$¥₩₺₪₹฿₫]\s*\d[\d.,\s]*|\d[\d.,\s]*\s*(?:kr|zł|Kč|Ft|lei|лв|€)")

# Currency markers as customers write them; "kr", "$" and "¥" depend on the language.
CURRENCY_MARKERS: dict[str, str] = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "evro": "EUR",
    "eura": "EUR",
    "eurot": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "zł": "PLN",
    "zl": "PLN",
    "pln": "PLN",
    "kč": "CZK",
    "czk": "CZK",
    "ft": "HUF",
    "huf": "HUF",
    "lei": "RON",
    "ron": "RON",
    "лв": "BGN",
    "лв.": "BGN",
    "bgn": "BGN",
    "chf": "CHF",
    "₺": "TRY",
    "tl": "TRY",
    "try": "TRY",
    "aed": "AED",
    "د.إ": "AED",
    "درهم": "AED",
    "sar": "SAR",
    "ر.س": "SAR",
    "ريال": "SAR",
    "₩": "KRW",
    "원": "KRW",
    "krw": "KRW",
    "jpy": "JPY",
    "円": "JPY",
    "₪": "ILS",
    "ils": "ILS",
    'ש"ח': "ILS",
    "₹": "INR",
    "inr": "INR",
    "रुपये": "INR",
    "฿": "THB",
    "บาท": "THB",
    "thb": "THB",
    "₫": "VND",
    "đ": "VND",
    "vnd": "VND",
    "rp": "IDR",
    "idr": "IDR",
    "rm": "MYR",
    "myr": "MYR",
    "元": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
    "usd": "USD",
    "грн": "UAH",
    "₴": "UAH",
    "uah": "UAH",
    "руб": "RUB",
    "₽": "RUB",
}
LANGUAGE_CURRENCY: dict[str, dict[str, str]] = {
    "kr": {"sv": "SEK", "nb": "NOK", "da": "DKK"},
    "kr.": {"sv": "SEK", "nb": "NOK", "da": "DKK"},
    "$": {"en": "USD"},
    "¥": {"ja": "JPY", "zh": "CNY"},
    "￥": {"ja": "JPY", "zh": "CNY"},
}
DEFAULT_BY_MARKER = {"kr": "SEK", "kr.": "SEK", "$": "USD", "¥": "JPY", "￥": "JPY"}


class AmountSlot(BaseModel):
    value: Decimal
    currency: str | None


class Slots(BaseModel):
    """What the message says beyond its intent. `order` is set when one of the customer's orders (or an id-shaped
    token, without context) is named; `order_candidates` when several orders match equally well."""

    order: str | None = None
    order_candidates: list[str] = []
    amount: AmountSlot | None = None
    date: dt.date | None = None
    reason: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class OrderRef:
    """An order as the NLU may see it: id, merchant, product names, and its date and total (for an LLM, which is
    shown no product names)."""

    id: str
    merchant: str
    items: tuple[str, ...]
    created: str = ""
    total: str = ""


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def same_word(a: str, b: str) -> bool:
    """Two folded words the same but for an inflected ending: "jakna"/"jaknu", "llegó"/"llegado", "shoe"/"shoes"."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= max(4, shorter - 1)


def order_ids(text: str) -> list[str]:
    """The order ids in a message, disguised ones too (see `undisguised`)."""
    return [m.group(1) for m in ORDER_ID.finditer(undisguised(text))]


def undisguised(text: str) -> str:
    """The text with disguises taken off ids: NFKC (full-width forms), invisible and format characters removed
    (zero-width, bidi controls, soft hyphen, tags, the Hangul filler), every dash a hyphen, every script's digits
    ASCII, and O/l look-alikes between digits turned into 0/1."""
    text = unicodedata.normalize("NFKC", text)
    kept = []
    for ch in text:
        if unicodedata.category(ch) == "Cf" or ch in "\u3164\u115f\u1160\uffa0":
            continue
        digit = unicodedata.decimal(ch, None)
        kept.append(str(digit) if digit is not None else ch)
    text = DASHES.sub("-", "".join(kept))
    return ONE_LOOKALIKES.sub("1", ZERO_LOOKALIKES.sub("0", text))


def match_orders(text: str, orders: tuple[OrderRef, ...]) -> tuple[str | None, list[str]]:
    """(the order named, or None; the tied candidates when several match). An id wins over words."""
    folded = fold(text)
    by_id = [o.id for o in orders if fold(o.id) in folded]
    if len(by_id) == 1:
        return by_id[0], []
    words = {w for w in re.findall(r"\w+", folded) if len(w) >= 4}
    if not words:
        return None, []
    scores: dict[str, int] = {}
    for o in orders:
        haystack = {w for part in (o.merchant, *o.items) for w in re.findall(r"\w+", fold(part)) if len(w) >= 4}
        hits = sum(1 for w in words if any(same_word(w, h) for h in haystack))
        if hits:
            scores[o.id] = hits
    if not scores:
        return None, []
    best = max(scores.values())
    top = [oid for oid, s in scores.items() if s == best]
    return (top[0], []) if len(top) == 1 else (None, top)


def amount(text: str, language: str, *, bare_number_ok: bool = False) -> AmountSlot | None:
    """An amount with its currency ("1.234,50 €", "1 299 kr", "¥12,000"). A number without a currency counts only
    when the assistant asked for an amount (`bare_number_ok`). Order ids and dates are never amounts."""
    from price_parser import Price

    cleaned = ORDER_ID.sub(" ", text)
    cleaned = re.sub(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b", " ", cleaned)
    if not DIGIT.search(cleaned):
        return None
    price = Price.fromstring(cleaned, decimal_separator=_decimal_separator(language))
    if price.amount is None:
        return None
    currency = _currency(price.currency, language) if price.currency else _marker_in(cleaned, language)
    if currency is None and not bare_number_ok:
        return None
    try:
        value = Decimal(price.amount)
    except InvalidOperation:
        return None
    return AmountSlot(value=value, currency=currency)


def _currency(marker: str, language: str) -> str | None:
    key = marker.strip().casefold()
    if key in LANGUAGE_CURRENCY:
        return LANGUAGE_CURRENCY[key].get(language, DEFAULT_BY_MARKER.get(key))
    if key.upper() in ("EUR", "USD", "GBP", "SEK", "NOK", "DKK", "JPY", "KRW", "CHF", "PLN", "CZK", "HUF"):
        return key.upper()
    return CURRENCY_MARKERS.get(key)


def _marker_in(text: str, language: str) -> str | None:
    for token in re.findall(r"[^\s\d.,]+", text.casefold()):
        found = _currency(token, language)
        if found is not None:
            return found
    return None


@cache
def _decimal_separator(language: str) -> str:
    from babel.numbers import get_decimal_symbol

    try:
        return get_decimal_symbol(language)
    except ValueError:
        return "."


CJK_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号號]?")


def find_date(
    text: str, language: str, now: dt.datetime, prefer: Literal["future", "past"] = "future"
) -> dt.date | None:
    """A calendar date in the message ("15 December", "next Friday", "i morgen", "12月5日"); None when there is
    none. Matches without a digit count only when they are a relative phrase of the language (today, tomorrow...)."""
    cjk = CJK_DATE.search(text)
    if cjk:
        year = int(cjk.group(1)) if cjk.group(1) else now.year
        try:
            found = dt.date(year, int(cjk.group(2)), int(cjk.group(3)))
        except ValueError:
            return None
        if cjk.group(1) is None and prefer == "future" and found < now.date():
            try:
                found = found.replace(year=year + 1)
            except ValueError:  # 29 February, next year (or past 9999)
                return None
        return found
    from dateparser.search import search_dates

    cleaned = ORDER_ID.sub(" ", text)
    cleaned = MONEYISH.sub(" ", cleaned)  # "29,75 €" is an amount, not 29 December 1975
    cleaned = re.sub(r"(\d{1,2})\.(?=\s*\D)", r"\1", cleaned)  # "15. desember" is "15 desember" to dateparser
    settings = {"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": prefer}
    try:
        hits = search_dates(cleaned, languages=[language], settings=settings) or []
    except (ValueError, KeyError, OverflowError):
        return None
    relative, weekdays = date_words(language)
    for phrase, when in hits:
        words = re.findall(r"\w+", fold(phrase))
        weekday = len(words) >= 2 and bool(set(words) & weekdays)  # "next friday", not a lone "fri"
        if DIGIT.search(phrase) or fold(phrase.strip()) in relative or weekday:
            found_day: dt.date = when.date()
            if abs((found_day - now.date()).days) <= 730:  # a customer's date is within two years of today
                return found_day
    return None


DATE_WORDS = Path(__file__).parent / "model" / "dates.json"


@cache
def date_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """(relative phrases such as "tomorrow", "next week"; weekday names) of the language, folded. Taken from
    dateparser's data at build time (`model/dates.json`), so that deciding whether to run dateparser costs nothing."""
    data = json.loads(DATE_WORDS.read_text(encoding="utf-8")) if DATE_WORDS.exists() else {}
    entry = data.get(language, {})
    return frozenset(entry.get("relative", [])), frozenset(entry.get("weekdays", []))


def dateparser_words(language: str) -> dict[str, list[str]]:
    """What `date_words` holds for a language, read from dateparser (the build calls this)."""
    from dateparser.languages import default_loader

    try:
        info = default_loader.get_locale(language).info
    except (ValueError, KeyError):
        return {"relative": [], "weekdays": []}
    relative = sorted(
        {
            fold(p)
            for key, values in info.get("relative-type", {}).items()
            if any(unit in key for unit in ("day", "week", "month"))
            for p in values
        }
    )
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    weekdays = sorted({fold(w) for d in days for w in info.get(d, []) if len(w) >= 4})
    return {"relative": relative, "weekdays": weekdays}


def may_hold_date(text: str, language: str) -> bool:
    """A cheap test before dateparser: a digit (not an order id's or an amount's, which find_date takes out too), a
    relative phrase of the language, or a weekday name."""
    if DIGIT.search(MONEYISH.sub(" ", ORDER_ID.sub(" ", text))):
        return True
    folded = fold(text)
    relative, weekdays = date_words(language)
    words = set(re.findall(r"\w+", folded))
    return any(p in folded for p in relative) or bool(words & weekdays)


def email(text: str) -> str | None:
    found = EMAIL.search(text)
    return found.group(0) if found else None
