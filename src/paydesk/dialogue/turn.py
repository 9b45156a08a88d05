"""The assistant's turn: the API and engine contract of DESIGN.md ("The assistant's turn")."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from paydesk.dialogue.state import Option
from paydesk.understanding.result import Awaiting


class ActionDone(BaseModel):
    """A write done this turn: the action, its outcome (`done` or `pending_approval`) and the ids it created."""

    action: str
    outcome: str
    result: dict[str, Any]


class Turn(BaseModel):
    conversation_id: str
    text: str
    language: str
    intent: str | None
    awaiting: Awaiting | None
    options: list[Option] = []
    actions: list[ActionDone] = []
    handoff: bool = False
    ended: bool = False
    sources: list[str] = []  # help-centre article ids the text cites
    meta: dict[str, Any] = {}
