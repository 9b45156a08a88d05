"""Everything the routes use, built once per app from the settings (no import-time globals)."""

from __future__ import annotations

from dataclasses import dataclass

from paydesk.api.limits import RateLimiter
from paydesk.api.metrics import Metrics
from paydesk.config import Settings
from paydesk.dialogue.context import DialogueContext, Understander
from paydesk.dialogue.manager import DialogueManager
from paydesk.domain.clock import Clock, SystemClock
from paydesk.handoff.agents import AgentAccounts
from paydesk.handoff.desk import Desk
from paydesk.store.database import Store
from paydesk.store.notify import Notifications


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    clock: Clock
    manager: DialogueManager
    desk: Desk
    accounts: AgentAccounts
    limiter: RateLimiter
    metrics: Metrics
    notifications: Notifications


def build_services(
    settings: Settings,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    understanding: Understander | None = None,
) -> Services:
    from paydesk.knowledge.retrieval import default_help_centre
    from paydesk.llm.engine import engines
    from paydesk.policy.model import load_policy
    from paydesk.understanding.engine import EmbeddedUnderstanding, default_engine

    store = store or Store.open(settings.database_url)
    clock = clock or SystemClock()
    policy = load_policy(settings.policy_file)
    base = understanding or default_engine()
    if isinstance(base, EmbeddedUnderstanding):
        chosen = engines(settings, base, default_help_centre())
        context = DialogueContext(store, policy, clock, chosen.understanding, chosen.knowledge, chosen.phrasing)
    else:  # an engine given as it is (tests)
        context = DialogueContext(store, policy, clock, base, default_help_centre())
    return Services(
        settings=settings,
        store=store,
        clock=clock,
        manager=DialogueManager(context),
        desk=Desk(store, policy, clock),
        accounts=AgentAccounts(store, clock, settings.agent_session_hours),
        limiter=RateLimiter(clock, settings.messages_per_minute),
        metrics=Metrics(),
        notifications=Notifications(store.engine),
    )
