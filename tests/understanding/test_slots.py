"""Slots: order references, amounts with currency, dates, email, reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.result import Context
from paydesk.understanding.slots import OrderRef, amount, find_date, match_orders, may_hold_date, order_ids
from tests.understanding.conftest import NOW

ORDERS = (
    OrderRef("4821-0932", "Nordic Shoes", ("Löparskor",)),
    OrderRef("5512-0001", "Pixel Electronics", ("Wireless headphones",)),
    OrderRef("5512-0002", "Pixel Electronics", ("Smartwatch",)),
)


@pytest.mark.parametrize(
    ("text", "language", "value", "currency"),
    [
        ("Ich habe 1.234,50 € bezahlt", "de", "1234.50", "EUR"),
        ("Jag betalade 1 299 kr igår", "sv", "1299", "SEK"),
        ("Jeg betalte 1 299 kr", "nb", "1299", "NOK"),
        ("¥12,000の請求があります", "ja", "12000", "JPY"),
        ("I was charged £80.00 twice", "en", "80.00", "GBP"),
        ("zapłaciłem 299,75 zł", "pl", "299.75", "PLN"),
        ("Zaplatil jsem 12 000 Kč", "cs", "12000", "CZK"),
        ("bayar RM 150 semalam", "ms", "150", "MYR"),
        ("it was 49.90 EUR", "en", "49.90", "EUR"),
    ],
)
def test_amounts_with_currency(text: str, language: str, value: str, currency: str) -> None:
    found = amount(text, language)
    assert found is not None and found.value == Decimal(value) and found.currency == currency


def test_order_ids_and_bare_numbers_are_not_amounts() -> None:
    assert amount("where is order 4821-0932?", "en") is None
    assert amount("I paid 5000", "en") is None
    bare = amount("5000", "en", bare_number_ok=True)
    assert bare is not None and bare.value == Decimal(5000) and bare.currency is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("kan jag skjuta upp betalningen till 15 december", "sv", date(2026, 12, 15)),
        ("betale neste avdrag 15. desember", "nb", date(2026, 12, 15)),
        ("Ich möchte bis zum 5. Januar zahlen", "de", date(2027, 1, 5)),
        ("can I pay tomorrow", "en", date(2026, 11, 23)),
        ("i morgen", "nb", date(2026, 11, 23)),
        ("12月5日まで延長できますか", "ja", date(2026, 12, 5)),
        ("12월 20일로 미뤄주세요", "ko", date(2026, 12, 20)),
        ("on 2026-12-10 please", "en", date(2026, 12, 10)),
    ],
)
def test_dates_absolute_and_relative(text: str, language: str, expected: date) -> None:
    assert find_date(text, language, NOW, "future") == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ich möchte die Schuhe zurückgeben", "de"),
        ("may I pay later", "en"),
        ("pay now", "en"),
        ("Saya mahu bayar sekarang", "ms"),
        ("order 4821-0932 please", "en"),
    ],
)
def test_words_that_look_like_dates_are_not_dates(text: str, language: str) -> None:
    assert find_date(text, language, NOW, "future") is None


def test_only_digits_outside_order_ids_and_amounts_send_a_message_to_the_date_parser() -> None:
    assert not may_hold_date("Jag betalade 1 299,00 kr för order 4821-0932", "sv")
    assert may_hold_date("Jag betalade 299,00 kr den 15 december", "sv")
    assert find_date("Jag betalade 299,00 kr den 15 december", "sv", NOW, "past") == date(2025, 12, 15)


def test_orders_by_id_merchant_and_product() -> None:
    assert match_orders("the order 4821-0932", ORDERS) == ("4821-0932", [])
    assert match_orders("löparskorna från Nordic", ORDERS) == ("4821-0932", [])
    assert match_orders("the smartwatch", ORDERS) == ("5512-0002", [])
    assert match_orders("my Pixel order", ORDERS) == (None, ["5512-0001", "5512-0002"])
    assert match_orders("hello", ORDERS) == (None, [])


def test_slots_through_the_engine(engine: EmbeddedUnderstanding) -> None:
    ctx = Context(orders=ORDERS)
    result = engine.understand("Jag vill returnera löparskorna, de är för små", "sv-SE", ctx)
    assert result.intent == "return_item"
    assert result.slots.order == "4821-0932"
    assert result.slots.reason == "wrong_size"
    assert not result.embedded  # the n-grams are sure and the reason is a phrase of the message: no embedding
    mail = engine.understand("my email is astrid.lind@example.se, send the invoice there", "en-GB")
    assert mail.slots.email == "astrid.lind@example.se"


def test_a_bare_answer_to_a_question_skips_the_models(engine: EmbeddedUnderstanding) -> None:
    asked = Context(awaiting="order", intent="return_item", orders=ORDERS)
    result = engine.understand("4821-0932", "sv-SE", asked)
    assert (result.intent, result.slots.order, result.embedded) == ("return_item", "4821-0932", False)
    when = engine.understand("15 december", "sv-SE", Context(awaiting="date", intent="extend_due_date"))
    assert when.slots.date == date(2026, 12, 15) and not when.embedded


@pytest.mark.parametrize(
    "text",
    [
        "Cancel order 8801\u200b-5501 now",  # zero-width space
        "Cancel order 8801\u00ad-5501",  # soft hyphen
        "Cancel order 8801\u2011\u20605501",  # non-breaking hyphen, word joiner
        "注文８８０１－５５０１をキャンセル",  # full-width, against Japanese text
        "订单8801-5501一直没收到",  # against Chinese text
        "주문 8801-5501이 아직",  # against Hangul
        "ऑर्डर ८८०१–५५०१ रद्द करें",  # Devanagari digits, en dash
        "الطلب ٨٨٠١-٥٥٠١",  # Arabic-Indic digits
        "order 8801-55O1",  # the letter O for a zero
        "order \u202e8801-5501\u202c",  # a right-to-left override
    ],
)
def test_disguised_order_ids_are_still_found(text: str) -> None:
    assert order_ids(text) == ["8801-5501"]


def test_ordinary_text_has_no_order_ids() -> None:
    assert order_ids("I paid 29.75 on 2026-11-01, call me on 0701-234567 or 1-800") == []
    assert order_ids("my order ord_42 arrived") == ["ord_42"]


def test_the_warm_up_compiles_what_the_date_parser_would_compile_on_a_first_message(
    engine: EmbeddedUnderstanding, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dateparser.languages.dictionary import Dictionary

    # as in a new process: no language's patterns compiled yet
    monkeypatch.setattr(Dictionary, "_match_relative_regex_cache", {})
    monkeypatch.setattr(Dictionary, "_split_relative_regex_cache", {})
    engine.warm_up(["de", "fr", "pl"])
    compiled: list[str] = []
    construct = Dictionary._construct_match_relative_regex

    def counted(self: Dictionary) -> None:
        compiled.append(self.info["name"])
        construct(self)

    monkeypatch.setattr(Dictionary, "_construct_match_relative_regex", counted)
    for text, language in [
        ("Home24 hat am 3. Mai bestätigt", "de"),
        ("Zara a reçu le colis le 4 mai", "fr"),
        ("Allegro24 przyjął zwrot 5 maja", "pl"),
    ]:
        find_date(text, language, NOW)
    assert compiled == []
