"""What a conversation remembers between turns (stored as JSON in `conversations.state` after every turn)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from paydesk.understanding.result import Awaiting

OfferKind = Literal["human", "fraud", "recognise", "switch", "next", "insist"]


class Option(BaseModel):
    """A quick reply: `value` is sent back as the customer's message when chosen."""

    value: str
    label: str


class PendingWrite(BaseModel):
    """A WRITE previewed and summarised, waiting for the customer's explicit yes."""

    flow: str
    action: str
    args: dict[str, Any]
    summary: str
    key: str


class Offer(BaseModel):
    """A yes/no question that is not a write: talk to a person? return it instead? recognise the charge?"""

    kind: OfferKind
    reason: str | None = None  # the handoff reason for human / fraud / insist
    flow: str | None = None  # the flow to start on yes (switch, next)
    slots: dict[str, Any] = {}
    question: str = ""


class FlowState(BaseModel):
    name: str
    slots: dict[str, Any] = {}


class ConversationState(BaseModel):
    """language: the one the assistant currently speaks. awaiting: the slot asked for. asked: how often each slot was
    asked in the current flow. queue: intents mentioned alongside another, offered next. done: the writes done in
    this conversation (for the handoff summary)."""

    language: str
    flow: FlowState | None = None
    awaiting: Awaiting | None = None
    options: list[Option] = []
    asked: dict[str, int] = {}
    pending: PendingWrite | None = None
    offer: Offer | None = None
    queue: list[str] = []
    not_understood: int = 0
    unclear_confirmations: int = 0
    handoff_case: str | None = None
    done: list[dict[str, Any]] = Field(default_factory=list)
    intents: list[str] = []
    turns: int = 0
    greeted: bool = False
    refused: bool = False
    explained: str | None = None  # "payment": told there is no failed or duplicate payment
