"""Every reply in every language, with matching placeholders, formatted the CLDR way."""

from __future__ import annotations

import re
from datetime import date

import pytest

from paydesk.domain.money import Money
from paydesk.replies.catalogs import problems, translations
from paydesk.replies.english import MESSAGES, PLURALS
from paydesk.replies.texts import Texts
from paydesk.understanding.languages import LANGUAGES


def test_every_message_exists_in_every_language_with_the_same_placeholders() -> None:
    assert problems() == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_shown_to_a_supported_language(language: str) -> None:
    catalog = translations(language)
    for msgid in MESSAGES:
        assert catalog.gettext(msgid) != msgid, msgid
    if language != "en":
        words = {m: re.sub(r"\{\w+\}", "", text) for m, text in MESSAGES.items()}
        untranslated = [m for m in MESSAGES if catalog.gettext(m) == MESSAGES[m] and len(words[m].split()) > 4]
        assert not untranslated, untranslated


def test_plurals_follow_the_language() -> None:
    assert Texts("en").count("schedule.left", 1) == "1 payment left"
    assert Texts("en").count("schedule.left", 3) == "3 payments left"
    one, two = (Texts("pl").count("schedule.left", n).replace(str(n), "#") for n in (1, 2))
    assert one != two  # and the catalog has Polish's three forms (checked above)


def test_money_and_dates_in_the_customers_locale() -> None:
    sv, de, ja = Texts("sv", "sv-SE").fmt, Texts("de", "de-DE").fmt, Texts("ja", "ja-JP").fmt
    assert sv.money(Money.parse("1199.00", "SEK")) == "1\xa0199,00\xa0kr"
    assert de.money(Money.parse("1234.50", "EUR")) == "1.234,50\xa0€"
    assert ja.money(Money.parse("12000", "JPY")) == "￥12,000"
    assert sv.day(date(2026, 12, 13), date(2026, 11, 22)) == "13 december"
    assert de.day(date(2027, 1, 5), date(2026, 11, 22)) == "5. Januar 2027"


def test_unknown_ids_are_developer_errors() -> None:
    with pytest.raises(KeyError):
        Texts("en").say("no.such.message")
    assert set(PLURALS) <= {"schedule.left", "invoice.lines"}
