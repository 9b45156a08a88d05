"""Choosing the engine: `embedded` (the default: no network), or `llm` (the model at PAYDESK_LLM_BASE_URL refines
understanding, writes grounded answers and, with PAYDESK_LLM_PHRASING, phrases replies; the embedded engine stands
in on every failure)."""

from __future__ import annotations

from dataclasses import dataclass

from paydesk.config import Settings
from paydesk.dialogue.context import Knowledge, Phrasing, Understander
from paydesk.domain.errors import DeveloperError
from paydesk.knowledge.retrieval import HelpCentre
from paydesk.llm.client import ChatClient, LLMSettings
from paydesk.llm.knowledge import LLMKnowledge
from paydesk.llm.phrasing import Phraser
from paydesk.llm.understanding import LLMUnderstanding
from paydesk.understanding.engine import EmbeddedUnderstanding


@dataclass(frozen=True)
class Engines:
    understanding: Understander
    knowledge: Knowledge
    phrasing: Phrasing | None = None


def llm_settings(settings: Settings) -> LLMSettings:
    if not settings.llm_base_url or not settings.llm_model:
        raise DeveloperError("the llm engine needs PAYDESK_LLM_BASE_URL and PAYDESK_LLM_MODEL")
    return LLMSettings(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout,
        retries=settings.llm_retries,
        token_budget=settings.llm_token_budget,
    )


def engines(
    settings: Settings, base: EmbeddedUnderstanding, help_centre: HelpCentre, client: ChatClient | None = None
) -> Engines:
    if settings.engine == "embedded":
        return Engines(base, help_centre)
    client = client or ChatClient(llm_settings(settings))
    phrasing = Phraser(client) if settings.llm_phrasing else None
    return Engines(LLMUnderstanding(client, base), LLMKnowledge(client, help_centre), phrasing)
