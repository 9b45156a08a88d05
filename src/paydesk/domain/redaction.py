"""Redacting payment details and secrets from free text, before it is stored, logged or sent to a model: card numbers
(Luhn-valid runs of 13-19 digits, with spaces or dashes), IBANs (mod-97 valid), CVV-like codes and passwords next to
their word."""

from __future__ import annotations

import re

CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
CVV = re.compile(r"(?i)\b(cvv|cvc|cvv2|security code)\b\W{0,3}\d{3,4}\b")
SECRET_WORDS = "password|passcode|passwort|lösenord|passord|adgangskode|salasana|wachtwoord|mot de passe|contraseña"
# the word, maybe "is"/":"/"=", then a token with a digit or a symbol in it (so "my password is long" stays)
PASSWORD = re.compile(rf"(?i)\b({SECRET_WORDS})\b(\s*(?:is|är|er|ist|est|es)?\s*[:=]?\s*)(?=\S*(?:\d|[^\w\s]))\S+")


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rotated = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rotated)
    return int(number) % 97 == 1


def redact(text: str) -> str:
    def card(m: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", m.group())
        real = 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn(digits)
        return "[card number]" if real else m.group()

    def iban(m: re.Match[str]) -> str:
        return "[IBAN]" if iban_valid(m.group()) else m.group()

    text = CARD.sub(card, text)
    text = IBAN.sub(iban, text)
    text = CVV.sub(lambda m: f"{m.group(1)} [code]", text)
    return PASSWORD.sub(lambda m: f"{m.group(1)}{m.group(2)}[password]", text)
