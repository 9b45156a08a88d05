"""Everything the routes use, built once per app from the settings (no import-time globals)."""

from __future__ import annotations

from dataclasses import dataclass

from paydesk.api.limits import RateLimiter
from paydesk.api.metrics import Metrics
from paydesk.config import Settings
from paydesk.dialogue.context import DialogueContext, Understander
from paydesk.dialogue.locks import ConversationLocks
from paydesk.dialogue.manager import DialogueManager
from paydesk.domain.clock import Clock, SystemClock
from paydesk.handoff.agents import AgentAccounts
from paydesk.handoff.desk import Desk
from paydesk.store.database import Store


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    clock: Clock
    manager: DialogueManager
    desk: Desk
    accounts: AgentAccounts
    locks: ConversationLocks
    limiter: RateLimiter
    metrics: Metrics


def build_services(
    settings: Settings,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    understanding: Understander | None = None,
) -> Services:
    from paydesk.knowledge.retrieval import default_help_centre
    from paydesk.policy.model import load_policy
    from paydesk.understanding.engine import default_engine

    store = store or Store.open(settings.database_url)
    clock = clock or SystemClock()
    policy = load_policy(settings.policy_file)
    locks = ConversationLocks()
    context = DialogueContext(store, policy, clock, understanding or default_engine(), default_help_centre())
    return Services(
        settings=settings,
        store=store,
        clock=clock,
        manager=DialogueManager(context),
        desk=Desk(store, policy, clock, locks),
        accounts=AgentAccounts(store, clock, settings.agent_session_hours),
        locks=locks,
        limiter=RateLimiter(settings.messages_per_minute),
        metrics=Metrics(),
    )
