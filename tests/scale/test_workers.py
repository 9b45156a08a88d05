"""Two workers in front of one PostgreSQL database: a conversation's turns one after the other whichever worker gets
them, the same confirmation from both registering one return, live events from one worker reaching the other's
streams through LISTEN/NOTIFY, and the queue claimed by 50 agents for 500 concurrent customers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from typing import Any

import httpx

from paydesk.store.database import Store
from tests import factory
from tests.api.conftest import PASSWORDS, Service
from tests.api.sse import events
from tests.scale.conftest import Workers


def together(*calls: Any) -> list[Any]:
    """Run the calls at the same moment (threads released by one barrier); their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_one_conversations_messages_are_answered_one_after_the_other_across_workers(
    pg: Store, workers: Workers
) -> None:
    a, b = workers(pg, 2)
    clients = [a.customer("cus_2"), b.customer("cus_2")]
    conversation = clients[0].post("/v1/conversations").json()["conversation_id"]
    texts = ["what is pay in 4?", "when is my next payment due?", "how do refunds work?", "thanks"] * 2
    replies = together(
        *(
            lambda i=i, text=text: clients[i % 2].post(
                f"/v1/conversations/{conversation}/messages", json={"text": text}
            )
            for i, text in enumerate(texts)
        )
    )
    assert [r.status_code for r in replies] == [200] * len(texts)
    messages = clients[1].get(f"/v1/conversations/{conversation}").json()["messages"]
    assert [m["role"] for m in messages] == ["customer", "assistant"] * len(texts)  # never two turns interleaved
    assert Counter(m["text"] for m in messages if m["role"] == "customer") == Counter(texts)


def test_the_same_yes_sent_to_two_workers_at_once_registers_one_return(pg: Store, workers: Workers) -> None:
    a, b = workers(pg, 2)
    clients = [a.customer("cus_1"), b.customer("cus_1")]
    conversation = clients[0].post("/v1/conversations").json()["conversation_id"]
    path = f"/v1/conversations/{conversation}/messages"
    asked = clients[0].post(path, json={"text": "Jag vill returnera löparskorna, de är för små"}).json()
    assert asked["awaiting"] == "confirm"
    turns = together(*(lambda c=c: c.post(path, json={"text": "ja"}).json() for c in clients))
    assert sorted(len([x for x in t["actions"] if x["action"] == "report_return"]) for t in turns) == [0, 1]
    with pg.read() as ledger:
        assert [r.status for r in ledger.returns(["4821-0932"])] == ["registered"]
        assert [x.action for x in ledger.audit_records()].count("report_return") == 1


def test_a_supervisors_approval_sent_to_two_workers_at_once_takes_effect_once(pg: Store, workers: Workers) -> None:
    a, b = workers(pg, 2)
    sams = [a.agent("sam"), b.agent("sam")]
    replies = together(
        *(lambda s=s: s.post("/v1/agent/cases/case_approval/approve", json={"note": "ok"}) for s in sams)
    )
    assert sorted(r.status_code for r in replies) in ([200, 200], [200, 409])
    with pg.read() as ledger:
        assert ledger.refund("rf_1").status == "processing"  # type: ignore[union-attr]
        assert [x.action for x in ledger.audit_records()].count("approve") == 1


def test_the_rate_limit_holds_across_workers(pg: Store, workers: Workers) -> None:
    a, b = workers(pg, 2, messages_per_minute=3)
    clients = [a.customer("cus_2"), b.customer("cus_2")]
    conversation = clients[0].post("/v1/conversations").json()["conversation_id"]
    path = f"/v1/conversations/{conversation}/messages"
    codes = [clients[i % 2].post(path, json={"text": "hello"}).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_live_events_cross_workers_through_notify(pg: Store, workers: Workers) -> None:
    """The streams re-read only every 30 s unless notified: what arrives sooner came through LISTEN/NOTIFY."""
    a, b = workers(pg, 2, fallback=30.0)
    customer_a = a.customer("cus_1")
    conversation = customer_a.post("/v1/conversations").json()["conversation_id"]
    arrived: dict[str, list[tuple[float, str, Any]]] = {"customer": [], "console": []}

    def listen(name: str, client: httpx.Client, path: str, last: str) -> None:
        with client.stream("GET", path, timeout=40) as r:
            for kind, data in events(r):
                arrived[name].append((time.monotonic(), kind, data))
                if data.get("text") == last or data.get("status") == last:
                    return

    streams = [
        threading.Thread(
            target=listen,
            args=("customer", b.customer("cus_1"), f"/v1/conversations/{conversation}/events", "Hej från Maria"),
        ),
        threading.Thread(target=listen, args=("console", b.agent("maria"), "/v1/agent/events", "Tack")),
    ]
    for t in streams:
        t.start()
    time.sleep(1.0)  # both streams have read their starting point and wait
    maria = a.agent("maria")
    start = time.monotonic()
    turn = customer_a.post(
        f"/v1/conversations/{conversation}/messages", json={"text": "Jag vill prata med en människa"}
    )
    (case,) = [x["result"]["case_id"] for x in turn.json()["actions"] if x["action"] == "create_case"]
    assert maria.post(f"/v1/agent/cases/{case}/claim").status_code == 200
    assert maria.post(f"/v1/agent/cases/{case}/messages", json={"text": "Hej från Maria"}).status_code == 200
    customer_a.post(f"/v1/conversations/{conversation}/messages", json={"text": "Tack"})
    for t in streams:
        t.join(40)
    customer = [(kind, data.get("role") or data.get("status")) for _, kind, data in arrived["customer"]]
    assert customer[-2:] == [("message", "system"), ("message", "agent")]
    assert ("status", "handed_off") in customer
    console = [kind for _, kind, _ in arrived["console"]]
    assert "queue" in console and console[-1] == "message"
    latest = max(at for name in arrived for at, _, _ in arrived[name])
    assert latest - start < 10, "the events took the fallback poll, not the notification"


def test_fifty_agents_take_the_cases_of_five_hundred_concurrent_customers_each_once(
    pg: Store, workers: Workers
) -> None:
    customers = [
        {**factory.BOB, "id": f"cus_{i:03d}", "name": f"Customer {i}", "email": f"c{i}@example.com"} for i in range(500)
    ]
    a, b = workers(pg, 2, ledger={**factory.ledger(), "customers": customers})
    agents = [f"agent{i:02d}" for i in range(50)]
    accounts = a.services.accounts
    for name in agents:
        accounts.put(name, name, "agent", PASSWORDS["maria"])
    asyncio.run(_customers_ask_for_a_person([a, b], [c["id"] for c in customers]))
    taken = asyncio.run(_agents_take_all([a, b], agents))
    counts = Counter(case for cases in taken.values() for case in cases)
    assert len(counts) == 500 and set(counts.values()) == {1}
    assert sum(1 for cases in taken.values() if cases) > 25  # the work was spread, not taken by one agent
    with pg.read() as ledger:
        assert {ledger.case(c).assignee for c in counts} <= set(agents)  # type: ignore[union-attr]


async def _customers_ask_for_a_person(services: list[Service], customers: list[str]) -> None:
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=100)) as client:

        async def one(i: int, customer: str) -> None:
            url = services[i % len(services)].url
            headers = {"Authorization": f"Bearer {services[0].token(customer)}"}
            created = await client.post(f"{url}/v1/conversations", headers=headers)
            assert created.status_code == 201, created.text
            conversation = created.json()["conversation_id"]
            turn = await client.post(
                f"{url}/v1/conversations/{conversation}/messages",
                json={"text": "I want to talk to a human"},
                headers=headers,
            )
            assert turn.status_code == 200, turn.text
            assert turn.json()["handoff"] is True

        await asyncio.gather(*(one(i, c) for i, c in enumerate(customers)))


async def _agents_take_all(services: list[Service], agents: list[str]) -> dict[str, list[str]]:
    taken: dict[str, list[str]] = {name: [] for name in agents}

    async def agent(i: int, name: str) -> None:
        url = services[i % len(services)].url
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            login = await client.post("/v1/agent/login", json={"username": name, "password": PASSWORDS["maria"]})
            login.raise_for_status()
            while True:
                r = await client.post("/v1/agent/queue/next")
                if r.status_code == 204:
                    return
                assert r.status_code == 200, r.text
                taken[name].append(r.json()["case"]["case_id"])

    await asyncio.gather(*(agent(i, name) for i, name in enumerate(agents)))
    return taken
