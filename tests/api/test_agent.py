"""The agent API over real HTTP: sessions, roles, the queue, the atomic claim, a handoff worked end to end,
approvals, live events."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.api.conftest import PASSWORDS, Service
from tests.api.sse import events

AGENT_ROUTES = [
    ("GET", "/v1/agent/me", None),
    ("GET", "/v1/agent/queue", None),
    ("GET", "/v1/agent/events", None),
    ("GET", "/v1/agent/cases/case_approval", None),
    ("POST", "/v1/agent/cases/case_approval/claim", None),
    ("POST", "/v1/agent/cases/case_approval/messages", {"text": "hi"}),
    ("POST", "/v1/agent/cases/case_approval/approve", {}),
    ("POST", "/v1/agent/cases/case_approval/reject", {}),
    ("POST", "/v1/agent/cases/case_approval/resolve", None),
    ("POST", "/v1/agent/cases/case_approval/hand-back", None),
]


def _handed_off(service: Service, customer: str = "cus_1") -> tuple[httpx.Client, str, str]:
    """A customer who asked for a person: (their client, the conversation, the case)."""
    client = service.customer(customer)
    conversation = client.post("/v1/conversations").json()["conversation_id"]
    turn = client.post(
        f"/v1/conversations/{conversation}/messages", json={"text": "Jag vill prata med en människa"}
    ).json()
    assert turn["handoff"] is True
    (case,) = [a["result"]["case_id"] for a in turn["actions"] if a["action"] == "create_case"]
    return client, conversation, case


def test_agent_routes_need_a_session(service: Service) -> None:
    with service.client() as client:
        for method, path, body in AGENT_ROUTES:
            r = client.request(method, path, json=body)
            assert r.status_code == 401, (method, path)
        client.cookies.set("paydesk_session", "forged")
        assert client.get("/v1/agent/queue").status_code == 401


def test_login_logout_and_wrong_passwords(service: Service) -> None:
    with service.client() as client:
        assert client.post("/v1/agent/login", json={"username": "maria", "password": "wrong"}).status_code == 401
        assert client.post("/v1/agent/login", json={"username": "nobody", "password": "x" * 10}).status_code == 401
        ok = client.post("/v1/agent/login", json={"username": "maria", "password": PASSWORDS["maria"]})
        assert ok.json() == {"username": "maria", "name": "Maria Lund", "role": "agent"}
        cookie = ok.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert client.get("/v1/agent/me").json()["username"] == "maria"
        token = client.cookies["paydesk_session"]
        client.post("/v1/agent/logout")
        assert client.get("/v1/agent/me").status_code == 401
        client.cookies.set("paydesk_session", token)  # a logged-out session stays dead
        assert client.get("/v1/agent/me").status_code == 401


def test_the_queue_filters_and_a_case_claimed_once(service: Service) -> None:
    _, _, case = _handed_off(service)
    maria, li = service.agent("maria"), service.agent("li")
    queued = maria.get("/v1/agent/queue").json()
    assert [(q["case_id"], q["reason"], q["language"]) for q in queued] == [
        ("case_approval", "approval", "en"),
        (case, "customer_request", "sv"),
    ]
    assert [q["case_id"] for q in maria.get("/v1/agent/queue", params={"language": "sv"}).json()] == [case]
    assert [q["case_id"] for q in maria.get("/v1/agent/queue", params={"reason": "approval"}).json()] == [
        "case_approval"
    ]
    assert maria.get("/v1/agent/queue", params={"status": "bogus"}).status_code == 422
    claimed = maria.post(f"/v1/agent/cases/{case}/claim").json()
    assert claimed["case"]["status"] == "assigned" and claimed["case"]["assignee"] == "maria"
    taken = li.post(f"/v1/agent/cases/{case}/claim")
    assert taken.status_code == 409 and "maria" in taken.json()["detail"]
    assert maria.post(f"/v1/agent/cases/{case}/claim").status_code == 200  # claiming one's own case again is fine
    assert [q["case_id"] for q in li.get("/v1/agent/queue").json()] == ["case_approval"]
    assert [q["case_id"] for q in li.get("/v1/agent/queue", params={"status": "assigned"}).json()] == [case]
    assert li.post("/v1/agent/cases/case_missing/claim").status_code == 404


def test_concurrent_claims_give_the_case_to_exactly_one_agent(service: Service) -> None:
    _, _, case = _handed_off(service)
    clients = [service.agent(name) for name in ("maria", "li", "sam") for _ in range(3)]
    codes: list[int] = []
    barrier = threading.Barrier(len(clients))

    def claim(client: httpx.Client) -> None:
        barrier.wait()
        codes.append(client.post(f"/v1/agent/cases/{case}/claim").status_code)

    threads = [threading.Thread(target=claim, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with service.services.store.read() as ledger:
        winner = ledger.case(case).assignee  # type: ignore[union-attr]
    assert codes.count(200) == 3 and codes.count(409) == 6  # the winner's own three sessions all succeed
    assert winner in ("maria", "li", "sam")


def test_a_handoff_worked_end_to_end(service: Service) -> None:
    customer, conversation, case = _handed_off(service)
    maria = service.agent("maria")
    detail = maria.get(f"/v1/agent/cases/{case}").json()
    assert detail["summary"]["reason"] == "customer_request" and detail["summary"]["language"] == "sv"
    assert detail["customer"]["id"] == "cus_1" and [o["id"] for o in detail["orders"]] == ["4821-0932"]
    assert detail["orders"][0]["plan"]["installments"][0]["amount"] == "299.75"
    assert [m["role"] for m in detail["transcript"]] == ["customer", "assistant"]
    assert maria.post(f"/v1/agent/cases/{case}/messages", json={"text": "Hej!"}).status_code == 409  # not claimed
    maria.post(f"/v1/agent/cases/{case}/claim")
    reply = maria.post(f"/v1/agent/cases/{case}/messages", json={"text": "Hej Astrid, jag heter Maria."})
    assert reply.status_code == 200 and reply.json()["author"] == "Maria Lund"
    li = service.agent("li")
    assert li.post(f"/v1/agent/cases/{case}/messages", json={"text": "hi"}).status_code == 403
    assert li.post(f"/v1/agent/cases/{case}/resolve").status_code == 403
    # The customer sees the agent join and reply; the assistant stays quiet while the agent has the case.
    seen = customer.get(f"/v1/conversations/{conversation}").json()
    assert seen["status"] == "handed_off"
    assert [(m["role"], m["author"]) for m in seen["messages"][2:]] == [("system", None), ("agent", "Maria Lund")]
    assert "Maria Lund" in seen["messages"][2]["text"]
    quiet = customer.post(
        f"/v1/conversations/{conversation}/messages", json={"text": "Tack! Skorna är för små."}
    ).json()
    assert quiet["text"] == "" and quiet["handoff"] is True and quiet["actions"] == []
    assert maria.get(f"/v1/agent/cases/{case}").json()["transcript"][-1]["text"] == "Tack! Skorna är för små."
    # Handed back: the assistant answers again.
    back = maria.post(f"/v1/agent/cases/{case}/hand-back").json()
    assert back["case"]["status"] == "handed_back"
    turn = customer.post(
        f"/v1/conversations/{conversation}/messages", json={"text": "Jag vill returnera löparskorna, de är för små"}
    ).json()
    assert turn["awaiting"] == "confirm" and not turn["handoff"]


def test_resolving_ends_the_conversation_and_csat_counts_for_the_agent(service: Service) -> None:
    customer, conversation, case = _handed_off(service)
    maria = service.agent("maria")
    maria.post(f"/v1/agent/cases/{case}/claim")
    maria.post(f"/v1/agent/cases/{case}/messages", json={"text": "Klart!"})
    assert maria.post(f"/v1/agent/cases/{case}/resolve").json()["case"]["status"] == "resolved"
    assert maria.post(f"/v1/agent/cases/{case}/resolve").status_code == 409
    assert customer.get(f"/v1/conversations/{conversation}").json()["status"] == "ended"
    assert customer.post(f"/v1/conversations/{conversation}/csat", json={"score": 5}).status_code == 200
    from sqlalchemy import select

    from paydesk.store import tables as t

    with service.services.store.read() as ledger:
        assert ledger.conn.execute(select(t.csat.c.served_by)).scalar() == "agent"


def test_approvals_are_for_supervisors_and_go_through_the_actions(service: Service) -> None:
    maria, sam = service.agent("maria"), service.agent("sam")
    detail = maria.get("/v1/agent/cases/case_approval").json()
    assert detail["pending"]["kind"] == "refund" and detail["pending"]["amount"] == "900.00"
    denied = maria.post("/v1/agent/cases/case_approval/approve", json={"note": "ok"})
    assert denied.status_code == 403
    with service.services.store.read() as ledger:
        assert ledger.refund("rf_1").status == "pending_approval"  # type: ignore[union-attr]
    approved = sam.post("/v1/agent/cases/case_approval/approve", json={"note": "checked the receipt"}).json()
    assert approved["case"]["status"] == "resolved" and approved["pending"]["status"] == "processing"
    again = sam.post("/v1/agent/cases/case_approval/reject", json={})
    assert again.status_code == 409 and again.json()["code"] == "case_closed"
    with service.services.store.read() as ledger:
        (audit,) = [a for a in ledger.audit_records() if a.action == "approve"]
    assert audit.actor == "agent:sam" and audit.customer == "cus_2"


def test_live_events_reach_the_customer_and_the_console(service: Service) -> None:
    customer, conversation, case = _handed_off(service)
    maria = service.agent("maria")
    got: dict[str, list[tuple[str, Any]]] = {"customer": [], "console": []}

    def listen(name: str, client: httpx.Client, path: str, done: Callable[[tuple[str, Any]], bool]) -> None:
        with client.stream("GET", path, timeout=20) as r:
            for event in events(r):
                got[name].append(event)
                if done(event):
                    return

    listeners = [
        threading.Thread(
            target=listen,
            args=("customer", customer, f"/v1/conversations/{conversation}/events?after=2", lambda e: e[0] == "status"),
        ),
        threading.Thread(
            target=listen, args=("console", maria, "/v1/agent/events", lambda e: e[1].get("text") == "Hej Maria!")
        ),
    ]
    for thread in listeners:
        thread.start()
    time.sleep(1.5)  # both streams are open and have taken their starting point
    maria.post(f"/v1/agent/cases/{case}/claim")
    maria.post(f"/v1/agent/cases/{case}/messages", json={"text": "Hej från Maria"})
    customer.post(f"/v1/conversations/{conversation}/messages", json={"text": "Hej Maria!"})
    time.sleep(1.0)
    maria.post(f"/v1/agent/cases/{case}/resolve")
    for thread in listeners:
        thread.join(20)
    pushed = [(kind, data.get("role"), data.get("status")) for kind, data in got["customer"]]
    assert pushed == [
        ("message", "system", None),
        ("message", "agent", None),
        ("message", "system", None),
        ("status", None, "ended"),
    ]  # the customer's own messages are not pushed back; they come with the turn
    assert got["customer"][1][1]["text"] == "Hej från Maria" and got["customer"][1][1]["author"] == "Maria Lund"
    console = got["console"]
    assert console[0][0] == "queue"
    said = [(data["role"], data["text"]) for kind, data in console if kind == "message"]
    assert said[1:] == [("agent", "Hej från Maria"), ("customer", "Hej Maria!")] and said[0][0] == "system"
    assert all(data["case_id"] == case for kind, data in console if kind == "message")


def test_taking_the_next_case_gives_each_agent_another_one(service: Service) -> None:
    cases = sorted(_handed_off(service, customer)[2] for customer in ("cus_1", "cus_3"))  # at one (fixed) time
    maria, li = service.agent("maria"), service.agent("li")
    first, second = maria.post("/v1/agent/queue/next"), li.post("/v1/agent/queue/next")
    assert first.status_code == second.status_code == 200
    taken = [first.json()["case"], second.json()["case"]]
    assert [c["case_id"] for c in taken] == ["case_approval", cases[0]]  # the oldest first, then by id
    assert [c["assignee"] for c in taken] == ["maria", "li"]
    assert li.post("/v1/agent/queue/next", params={"language": "zz"}).status_code == 204
    rest = maria.post("/v1/agent/queue/next")
    assert rest.status_code == 200 and rest.json()["case"]["case_id"] == cases[1]
    assert any(m["role"] == "system" for m in rest.json()["transcript"])  # the customer is told who joined
    assert maria.post("/v1/agent/queue/next").status_code == 204
