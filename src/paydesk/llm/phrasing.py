"""Guarded phrasing: the model may rephrase the catalog reply in the customer's language and tone; if anything
protected changed (a number, an amount, a date, an order id, a merchant's name), the catalog text is sent."""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationError

from paydesk.llm.client import ChatClient, LLMUnavailable
from paydesk.llm.guard import keeps

SYSTEM = """You polish replies of a payments company's assistant. The user message is a JSON object with the reply
and its language. Rewrite the reply to sound natural and warm in that language, keeping its meaning exactly, and
keeping every number, amount, date, order id and name exactly as written. Add nothing. Answer with one JSON
object: {"text": "..."}."""


class Rephrased(BaseModel):
    text: str = Field(min_length=1, max_length=6000)


class Phraser:
    def __init__(self, client: ChatClient) -> None:
        self.client = client

    def phrase(self, text: str, language: str, names: tuple[str, ...] = (), conversation: str | None = None) -> str:
        try:
            raw = self.client.json(SYSTEM, {"task": "rephrase", "language": language, "reply": text}, conversation)
            candidate = Rephrased.model_validate(raw).text
        except (LLMUnavailable, ValidationError):
            return text
        return candidate if keeps(text, candidate, names) else text
