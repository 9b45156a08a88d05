"""The load generator: simulated customers over real HTTP, many conversations at once, each a few turns in the
customer's language (a request, then answers to what the assistant asks), each simulated customer on its own
keep-alive connection (paydesk.sim.http). Customers and their tokens come from the
service's demo sign-in. The customers start one after another over the first `ramp` seconds, not all in one instant
(as many sign-ins and new conversations at once are a burst, not the sustained load measured), and the clock runs
from the first. Like a real client it retries a request lost in transit or refused with 502/503/504, sending
the same message with the same Idempotency-Key, so that it is answered once."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from paydesk.sim.http import Connection, Response, TransportError
from paydesk.sim.simulate import MIX, reply_to
from paydesk.understanding.examples import language_data
from paydesk.understanding.languages import LANGUAGES

MAX_TURNS = 6
RETRIES = 4  # a request that fails in transit or with 502/503 is sent again (the same message with the same key)
RETRY_STATUSES = frozenset({502, 503, 504})
BACKOFF_SECONDS = 0.25
RAMP_SECONDS = 1.0


@dataclass
class LoadResult:
    conversations: int = 0
    turns: int = 0
    errors: int = 0
    retries: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)  # turns
    requests_ms: list[float] = field(default_factory=list)  # every request: sign-ins, new conversations, turns
    statuses: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Latencies run from sending to the answer, with retries and the wait for a new connection (on a
        customer's first request) included."""
        ordered = sorted(self.latencies_ms)
        requests = sorted(self.requests_ms)

        def pct(q: float, ordered: list[float] = ordered) -> float | None:
            return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 1) if ordered else None

        return {
            "conversations": self.conversations,
            "turns": self.turns,
            "seconds": round(self.seconds, 2),
            "turns_per_second": round(self.turns / self.seconds, 1) if self.seconds else 0.0,
            "conversations_per_second": round(self.conversations / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "request_p50_ms": pct(0.5, requests),
            "request_p99_ms": pct(0.99, requests),
            "errors": self.errors,
            "retries": self.retries,
            "error_statuses": self.statuses,
        }


async def run_load(
    url: str, conversations: int, concurrency: int, seed: int = 7, timeout: float = 30.0, ramp: float = RAMP_SECONDS
) -> LoadResult:
    """Raises TransportError when the service cannot be reached, RuntimeError when it has no demo sign-in,
    ValueError for a negative ramp."""
    if ramp < 0:
        raise ValueError(f"the ramp is {ramp} s; it cannot be negative")
    result = LoadResult()
    first = Connection(url, timeout)
    listed = await first.get("/v1/demo/customers")
    await first.close()
    if listed.status != 200:
        raise RuntimeError(f"GET /v1/demo/customers answered {listed.status} (is PAYDESK_DEMO on?)")
    customers = listed.json()
    if not customers:
        raise RuntimeError("the service has no demo customers")
    rng = random.Random(seed)
    plans = [
        (rng.choice(customers), rng.choices(list(MIX), weights=list(MIX.values()))[0], rng.random())
        for _ in range(conversations)
    ]
    queue: asyncio.Queue[tuple[dict[str, Any], str, float]] = asyncio.Queue()
    for plan in plans:
        queue.put_nowait(plan)
        language_data(_language(plan[0]))  # read before the clock starts: not in the turns' latency
    start = time.perf_counter()
    await asyncio.gather(*(_worker(url, timeout, queue, result, ramp * i / concurrency) for i in range(concurrency)))
    result.seconds = time.perf_counter() - start
    return result


async def _worker(
    url: str, timeout: float, queue: asyncio.Queue[tuple[dict[str, Any], str, float]], result: LoadResult, delay: float
) -> None:
    """After `delay` seconds, one simulated customer after another, each on a connection of its own, as from a
    device of its own."""
    await asyncio.sleep(delay)
    while not queue.empty():
        customer, intent, roll = queue.get_nowait()
        client = Connection(url, timeout)
        try:
            await _conversation(client, customer, intent, random.Random(roll), result)
        except TransportError:
            _error(result, "transport")
        finally:
            await client.close()


def _language(customer: dict[str, Any]) -> str:
    return customer["language"] if customer["language"] in LANGUAGES else "en"


def _error(result: LoadResult, status: str) -> None:
    result.errors += 1
    result.statuses[status] = result.statuses.get(status, 0) + 1


async def _post(
    client: Connection, result: LoadResult, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> Response:
    """POST as a real client would: again after a lost connection or a 502/503/504, with growing pauses."""
    began = time.perf_counter()
    for attempt in range(RETRIES + 1):
        try:
            response = await client.post(path, body, headers)
        except TransportError:
            if attempt == RETRIES:
                raise
        else:
            if response.status not in RETRY_STATUSES or attempt == RETRIES:
                result.requests_ms.append((time.perf_counter() - began) * 1000)
                return response
        result.retries += 1
        await asyncio.sleep(BACKOFF_SECONDS * 2**attempt)
    raise AssertionError("unreachable")


async def _conversation(
    client: Connection, customer: dict[str, Any], intent: str, rng: random.Random, result: LoadResult
) -> None:
    signed_in = await _post(client, result, "/v1/demo/token", {"customer": customer["id"]})
    if signed_in.status != 200:
        _error(result, str(signed_in.status))
        return
    headers = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    created = await _post(client, result, "/v1/conversations", headers=headers)
    if created.status != 201:
        _error(result, str(created.status))
        return
    conversation = created.json()["conversation_id"]
    language = _language(customer)
    data = language_data(language)
    text = rng.choice(data.intents[intent])
    for _ in range(MAX_TURNS):
        began = time.perf_counter()
        keyed = {**headers, "Idempotency-Key": uuid.uuid4().hex}
        response = await _post(client, result, f"/v1/conversations/{conversation}/messages", {"text": text}, keyed)
        result.latencies_ms.append((time.perf_counter() - began) * 1000)
        result.turns += 1
        if response.status != 200:
            _error(result, str(response.status))
            return
        turn = response.json()
        if turn["handoff"] or turn["ended"] or not turn["awaiting"]:
            break
        reply = reply_to(turn["awaiting"], [o["value"] for o in turn["options"]], language, rng, yes_share=1.0)
        if reply is None:
            break
        text = reply
    result.conversations += 1
