"""Text as the API accepts it: what a person can type. NUL and lone UTF-16 surrogates are refused with 422 (no
database stores NUL in text, and a lone surrogate is not UTF-8 at all)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _typed(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("lone surrogates are not text")
    return value


Text = Annotated[str, AfterValidator(_typed)]


def scrubbed(value: object) -> object:
    """A JSON-able value with lone surrogates replaced, so that an error can echo what was sent."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {scrubbed(k): scrubbed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrubbed(v) for v in value]
    return value
