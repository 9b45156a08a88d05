"""Redaction of payment details and passwords from free text."""

from __future__ import annotations

import pytest

from paydesk.domain.redaction import redact


def test_cards_ibans_codes_and_passwords_are_redacted() -> None:
    text = "kort 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, CVV 123, password: hunter2!"
    assert redact(text) == "kort [card number], IBAN [IBAN], CVV [code], password: [password]"
    assert (
        redact("min kod 5555-5555-5555-4444 och lösenord Sommar2026") == "min kod [card number] och lösenord [password]"
    )


@pytest.mark.parametrize(
    "kept",
    [
        "order 4821-0932, 1 299 kr on 13.12.2026",
        "4111 1111 1111 1112",  # fails Luhn: not a card
        "call me on +46 70 123 45 67",
        "IBAN DE00 0000 0000 0000 0000 00",  # fails mod 97
        "my password is long",  # no secret after the word
    ],
)
def test_what_is_not_a_secret_stays(kept: str) -> None:
    assert redact(kept) == kept
