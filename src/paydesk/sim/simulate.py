"""Simulated history: customers in their own languages driven through the real assistant, a simulated agent working
the handoffs with realistic waiting and handling times, and CSAT answers, on a clock that walks through the past
`days`. Customers write paydesk's own example messages (so understanding is at its best here: this fills the
dashboard, it does not measure the NLU; benchmarks/nlu.py does)."""

from __future__ import annotations

import math
import multiprocessing
import os
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from paydesk.dialogue.context import DialogueContext, Knowledge
from paydesk.dialogue.manager import DialogueManager
from paydesk.dialogue.turn import Turn
from paydesk.domain.clock import FixedClock
from paydesk.domain.entities import Customer
from paydesk.domain.errors import PaydeskError
from paydesk.handoff.agents import Agent
from paydesk.handoff.desk import Desk
from paydesk.policy.model import Policy
from paydesk.replies.texts import Texts
from paydesk.store.conversations import Conversations
from paydesk.store.database import Store
from paydesk.store.queue import Queue, ServedBy
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.examples import language_data
from paydesk.understanding.languages import LANGUAGES, normalise

# What customers write about, roughly as a BNPL company's chat sees it.
MIX: dict[str, float] = {
    "refund_status": 14,
    "return_item": 13,
    "faq": 12,
    "payment_schedule": 10,
    "cancel_order": 8,
    "payment_problem": 8,
    "request_refund": 6,
    "unrecognized_charge": 5,
    "invoice_error": 5,
    "extend_due_date": 5,
    "talk_to_human": 5,
    "pay_now": 3,
    "change_payment_method": 3,
    "dispute": 3,
}
AGENTS = tuple(Agent(f"sim-agent-{i}", f"Agent {i}", "agent") for i in range(1, 9))
SUPERVISOR = Agent("sim-supervisor", "Supervisor", "supervisor")
CSAT_WEIGHTS: dict[ServedBy, tuple[int, ...]] = {"assistant": (3, 3, 8, 28, 58), "agent": (4, 4, 9, 31, 52)}


@dataclass
class Simulation:
    """Counts of what happened (the figures themselves come from `paydesk report`)."""

    conversations: int = 0
    turns: int = 0
    handoffs: int = 0
    abandoned: int = 0
    rated: int = 0
    errors: int = 0


class Simulator:
    def __init__(
        self, store: Store, policy: Policy, knowledge: Knowledge, engine: EmbeddedUnderstanding, seed: int = 7
    ) -> None:
        self.store, self.rng = store, random.Random(seed)
        self.clock = FixedClock(datetime.now(UTC))
        understanding = EmbeddedUnderstanding(engine.embedder, engine.model, engine.anchors, self.clock)
        self.manager = DialogueManager(DialogueContext(store, policy, self.clock, understanding, knowledge))
        self.desk = Desk(store, policy, self.clock)
        with store.read() as ledger:
            self.customers = [c for cid in ledger.customer_ids() if (c := ledger.customer(cid)) is not None]
        if not self.customers:
            raise PaydeskError("the database holds no customers: run `paydesk seed` first")

    def run(
        self, conversations: int, days: int, until: datetime, progress: Callable[[int], None] | None = None
    ) -> Simulation:
        """`conversations` conversations started over the `days` before `until`, oldest first."""
        span = days * 86400
        starts = sorted(until - timedelta(seconds=self.rng.uniform(0, span)) for _ in range(conversations))
        result = Simulation()
        for start in starts:
            self.clock.at = _daytime(start, self.rng)
            if self.clock.at > until:
                self.clock.at = until - timedelta(minutes=self.rng.uniform(5, 60))
            try:
                self._conversation(result, until)
            except PaydeskError:
                result.errors += 1  # e.g. an order the past customer could not yet have: counted, not fatal
            result.conversations += 1
            if progress:
                progress(1)
        return result

    # ---- one conversation ------------------------------------------------------------------------------------------
    def _conversation(self, result: Simulation, until: datetime) -> None:
        rng = self.rng
        customer = rng.choice(self.customers)
        language = normalise(customer.locale) or "en"
        language = language if language in LANGUAGES else "en"
        data = language_data(language)
        intent = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        conversation = self.manager.start(customer.id)
        text = rng.choice(data.intents[intent])
        turn: Turn | None = None
        for _ in range(8):
            turn = self._say(conversation, text, result)
            if turn.handoff or turn.ended:
                break
            if rng.random() < 0.05:  # walks away mid-conversation
                result.abandoned += 1
                return
            reply = reply_to(turn.awaiting, [o.value for o in turn.options], language, rng)
            if reply is None:
                break
            text = reply
        if turn is None:
            return
        if not turn.handoff and not turn.ended and rng.random() < 0.15:  # not satisfied: wants a person after all
            turn = self._say(conversation, rng.choice(data.intents["talk_to_human"]), result)
        if turn.handoff:
            result.handoffs += 1
            self._agent_works(conversation, until)
            self._rate(conversation, customer, "agent", result)
        elif turn.awaiting is None:
            if not turn.ended and rng.random() < 0.5:
                self._say(conversation, rng.choice(data.intents["goodbye"]), result)
            self._rate(conversation, customer, "assistant", result)
        else:
            result.abandoned += 1

    def _say(self, conversation: str, text: str, result: Simulation) -> Turn:
        self.clock.at += timedelta(seconds=self.rng.lognormvariate(math.log(14), 0.6))  # reading and typing
        turn = self.manager.handle(conversation, text)
        self.clock.at += timedelta(seconds=self.rng.uniform(0.3, 1.5))
        result.turns += 1
        return turn

    # ---- the human side --------------------------------------------------------------------------------------------
    def _agent_works(self, conversation: str, until: datetime) -> None:
        rng = self.rng
        with self.store.read() as ledger:
            case = Queue(ledger.conn).open_case_of(conversation)
        if case is None:
            return
        waited = timedelta(seconds=rng.lognormvariate(math.log(180), 0.8))
        handling = timedelta(seconds=rng.lognormvariate(math.log(540), 0.5))  # a mean of about 10 minutes
        if self.clock.at + waited + handling > until:
            return  # still with the agents when the simulation ends
        self.clock.at += waited
        if case.pending:
            self.clock.at += handling
            self.desk.decide(case.id, SUPERVISOR, approve=rng.random() < 0.85)
            return
        agent = rng.choice(AGENTS)
        self.desk.claim(case.id, agent)
        self.clock.at += handling / 2
        with self.store.read() as ledger:
            row = Conversations(ledger.conn).get(conversation)
        language = row.language if row else "en"
        self.desk.reply(case.id, agent, Texts(language).say("handoff.waiting"))
        self.clock.at += handling / 2
        if rng.random() < 0.15:
            self.desk.hand_back(case.id, agent)
        else:
            self.desk.resolve(case.id, agent)

    def _rate(self, conversation: str, customer: Customer, served_by: ServedBy, result: Simulation) -> None:
        if self.rng.random() > 0.35:
            return
        score = self.rng.choices(range(1, 6), weights=CSAT_WEIGHTS[served_by])[0]
        self.clock.at += timedelta(seconds=self.rng.uniform(3, 20))
        with self.store.write() as ledger:
            if Queue(ledger.conn).record_csat(conversation, customer.id, score, "", served_by, self.clock.at):
                result.rated += 1


def reply_to(
    awaiting: str | None, options: list[str], language: str, rng: random.Random, yes_share: float = 0.9
) -> str | None:
    """A simulated customer's answer to the assistant's question, in their language; None when there is nothing to
    answer (or the customer doesn't have it to hand)."""
    data = language_data(language)
    if awaiting == "confirm":
        return rng.choice(data.acts.affirm if rng.random() < yes_share else data.acts.deny)
    if options:
        return rng.choice(options)
    if awaiting == "reason":
        return rng.choice(rng.choice(list(data.reasons.values())))
    return None


def _daytime(start: datetime, rng: random.Random) -> datetime:
    """Most chats come between 07:00 and 23:00 local-ish time."""
    if 7 <= start.hour < 23 or rng.random() < 0.15:
        return start
    return start.replace(hour=rng.randint(7, 22))


# ---- several processes ---------------------------------------------------------------------------------------------
CHUNK = 25  # conversations per task: small enough for a smooth progress bar
_worker: Simulator | None = None


def _start_worker(url: str, policy_file: str | None, parent: int) -> None:
    """`parent` is the pid of `paydesk simulate`, passed from there: a worker that starts after `paydesk simulate`
    was killed has another parent already, so `os.getppid()` here would watch the wrong process forever."""
    global _worker
    os.environ["OMP_NUM_THREADS"] = "1"  # one core per worker: the workers are the parallelism
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    from paydesk.knowledge.retrieval import default_help_centre
    from paydesk.policy.model import load_policy
    from paydesk.understanding.engine import default_engine

    policy = load_policy(Path(policy_file) if policy_file else None)
    _worker = Simulator(Store.open(url, migrate=False), policy, default_help_centre(), default_engine())


def _exit_with_parent(parent: int) -> None:
    """A worker whose `paydesk simulate` was killed stops too, instead of running on as an orphan."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run_chunk(seed: int, conversations: int, days: int, until: datetime) -> Simulation:
    assert _worker is not None
    _worker.rng = random.Random(seed)
    return _worker.run(conversations, days, until)


def simulate_parallel(
    url: str,
    policy_file: Path | None,
    conversations: int,
    days: int,
    until: datetime,
    seed: int,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> Simulation:
    """The simulation split into chunks over `workers` processes (each with its own models and connection). Each
    chunk is deterministic for its seed; with several workers the interleaving of their writes is not."""
    sizes = [min(CHUNK, conversations - i) for i in range(0, conversations, CHUNK)]
    total = Simulation()
    context = multiprocessing.get_context("spawn")
    args = (url, str(policy_file) if policy_file else None, os.getpid())
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=args) as pool:
        futures = [pool.submit(_run_chunk, seed * 100_003 + i, n, days, until) for i, n in enumerate(sizes)]
        for future in as_completed(futures):
            part = future.result()
            for name, value in vars(part).items():
                setattr(total, name, getattr(total, name) + value)
            if progress:
                progress(part.conversations)
    return total
