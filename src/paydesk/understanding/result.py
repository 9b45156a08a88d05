"""What understanding a message yields, and what it may be told about the conversation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from paydesk.understanding.slots import OrderRef, Slots

Act = Literal["affirm", "deny", "restart"]
Awaiting = Literal["order", "items", "reason", "amount", "date", "payment_method", "charge", "confirm", "identity"]


class Context(BaseModel):
    """What the dialogue knows: the slot it asked for, the flow's intent, the customer's orders (ids, merchants,
    product names only), and whether dates should lean to the future (a new due date) or the past (a charge)."""

    awaiting: Awaiting | None = None
    intent: str | None = None
    orders: tuple[OrderRef, ...] = ()
    date_preference: Literal["future", "past"] | None = None
    conversation: str | None = None  # for an engine's per-conversation budget


class Alternative(BaseModel):
    intent: str
    confidence: float


class Understanding(BaseModel):
    """language: one of the 36. intent: one of the 17. confidence: calibrated probability of the intent.
    act: a pure affirm/deny/restart ("yes, but make it 5000" is none of them). handoff_reason: hardship or complaint
    when the message is one (its intent is then talk_to_human). frustration: 0 calm .. 1 furious. short: the message
    had no words to understand (empty, emoji, garbage)."""

    language: str
    language_confidence: float
    intent: str
    confidence: float
    slots: Slots = Field(default_factory=Slots)
    alternatives: list[Alternative] = []
    act: Act | None = None
    handoff_reason: Literal["hardship", "complaint"] | None = None
    frustration: float = 0.0
    short: bool = False
    embedded: bool = True
    engine: str = "embedded"  # which engine's reading this is
    fallback: str | None = None  # why the llm engine's reading was not used (timeout, status_500, invalid...)

    def contract(self) -> dict[str, object]:
        """The `paydesk nlu` line: language, intent, confidence, slots."""
        return {
            "language": self.language,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "slots": self.slots.model_dump(mode="json", exclude_defaults=True),
        }
