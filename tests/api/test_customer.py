"""The customer API over real HTTP: auth, the turn contract, streaming, transcript, limits, CSAT, the widget's
words and the demo sign-in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from paydesk.api.tokens import issue
from paydesk.store.conversations import Conversations
from tests.api.conftest import SECRET, Service
from tests.api.sse import events
from tests.conftest import NOW

TURN_KEYS = {"conversation_id", "text", "language", "intent", "awaiting", "options", "actions", "handoff", "ended"}


def _start(service: Service, customer: str = "cus_1") -> tuple[Any, str]:
    client = service.customer(customer)
    r = client.post("/v1/conversations")
    assert r.status_code == 201, r.text
    return client, r.json()["conversation_id"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer " + issue("cus_1", "another-secret", NOW, 1)},
        {"Authorization": "Bearer " + issue("cus_1", SECRET, NOW - timedelta(hours=2), 1)},
        {"Authorization": "Bearer " + issue("cus_nobody", SECRET, NOW, 1)},
    ],
    ids=["none", "garbage", "basic", "forged", "expired", "unknown-customer"],
)
def test_customer_routes_need_a_valid_token(service: Service, headers: dict[str, str]) -> None:
    _, conversation = _start(service)
    with service.client() as client:
        for method, path, body in [
            ("POST", "/v1/conversations", None),
            ("POST", f"/v1/conversations/{conversation}/messages", {"text": "hi"}),
            ("POST", f"/v1/conversations/{conversation}/messages/stream", {"text": "hi"}),
            ("GET", f"/v1/conversations/{conversation}", None),
            ("GET", f"/v1/conversations/{conversation}/events", None),
            ("POST", f"/v1/conversations/{conversation}/csat", {"score": 5}),
        ]:
            r = client.request(method, path, json=body, headers=headers)
            assert r.status_code == 401, (method, path, r.text)
            assert r.json()["detail"]


def test_a_return_end_to_end_with_the_explicit_yes(service: Service) -> None:
    client, conversation = _start(service)
    turn = client.post(
        f"/v1/conversations/{conversation}/messages", json={"text": "Jag vill returnera löparskorna, de är för små"}
    ).json()
    assert set(turn) >= TURN_KEYS and turn["conversation_id"] == conversation
    assert turn["language"] == "sv" and turn["awaiting"] == "confirm" and turn["actions"] == []
    with service.services.store.read() as ledger:
        assert ledger.returns(["4821-0932"]) == []
    done = client.post(f"/v1/conversations/{conversation}/messages", json={"text": "ja"}).json()
    assert [a["action"] for a in done["actions"]] == ["report_return"]
    with service.services.store.read() as ledger:
        assert [r.status for r in ledger.returns(["4821-0932"])] == ["registered"]
        assert ledger.order("4821-0932").plan.status == "paused"  # type: ignore[union-attr]


def test_another_customers_conversation_is_not_found(service: Service) -> None:
    _, conversation = _start(service, "cus_1")
    with service.customer("cus_2") as bob:
        for method, path, body in [
            ("POST", f"/v1/conversations/{conversation}/messages", {"text": "hi"}),
            ("POST", f"/v1/conversations/{conversation}/messages/stream", {"text": "hi"}),
            ("GET", f"/v1/conversations/{conversation}", None),
            ("GET", f"/v1/conversations/{conversation}/events", None),
            ("POST", f"/v1/conversations/{conversation}/csat", {"score": 1}),
            ("GET", "/v1/conversations/conv_missing", None),
        ]:
            assert bob.request(method, path, json=body).status_code == 404, (method, path)
    with service.services.store.read() as ledger:
        assert Conversations(ledger.conn).messages(conversation) == []  # Bob's attempts left nothing behind


def test_the_streamed_turn_is_the_same_turn_in_pieces(service: Service) -> None:
    client, conversation = _start(service, "cus_2")
    with client.stream(
        "POST", f"/v1/conversations/{conversation}/messages/stream", json={"text": "How does pay in 30 work?"}
    ) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        received = list(events(r))
    kinds = [kind for kind, _ in received]
    assert kinds[-1] == "turn" and set(kinds[:-1]) == {"delta"} and len(kinds) > 2
    turn = received[-1][1]
    assert "".join(d["text"] for _, d in received[:-1]) == turn["text"] and turn["sources"]
    transcript = client.get(f"/v1/conversations/{conversation}").json()
    assert [m["role"] for m in transcript["messages"]] == ["customer", "assistant"]
    assert transcript["messages"][1]["text"] == turn["text"] and transcript["status"] == "active"


def test_bad_input_gets_clear_errors_and_changes_nothing(service: Service) -> None:
    client, conversation = _start(service)
    path = f"/v1/conversations/{conversation}/messages"
    too_long = client.post(path, json={"text": "a" * 4001})
    assert too_long.status_code == 413 and "4000" in too_long.json()["detail"]
    huge = client.post(
        path, content=b'{"text": "' + b"a" * 70_000 + b'"}', headers={"content-type": "application/json"}
    )
    assert huge.status_code == 413
    assert client.post(path, json={"text": ""}).status_code == 422
    assert client.post(path, json={"words": "hi"}).status_code == 422
    assert client.post(path, content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    with service.services.store.read() as ledger:
        assert Conversations(ledger.conn).messages(conversation) == []
    markup = client.post(path, json={"text": "<script>alert(1)</script> DROP TABLE orders; --"})
    assert markup.status_code == 200 and markup.json()["actions"] == []
    stored = client.get(f"/v1/conversations/{conversation}").json()["messages"][0]["text"]
    assert stored == "<script>alert(1)</script> DROP TABLE orders; --"


def test_messages_beyond_the_rate_limit_get_429(start_service: Any) -> None:
    service = start_service(messages_per_minute=3)
    client, conversation = _start(service)
    codes = [
        client.post(f"/v1/conversations/{conversation}/messages", json={"text": "hello"}).status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    refused = client.post(f"/v1/conversations/{conversation}/messages", json={"text": "hello"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    with service.customer("cus_2") as bob:  # the limit is per customer
        _, other = _start(service, "cus_2")
        assert bob.post(f"/v1/conversations/{other}/messages", json={"text": "hello"}).status_code == 200


def test_a_retry_of_an_answered_message_is_replayed_even_at_the_rate_limit(start_service: Any) -> None:
    service = start_service(messages_per_minute=1)
    client, conversation = _start(service)
    path, key = f"/v1/conversations/{conversation}/messages", {"Idempotency-Key": "msg-1"}
    first = client.post(path, json={"text": "hello"}, headers=key)
    assert first.status_code == 200
    assert client.post(path, json={"text": "hello again"}).status_code == 429  # a new message is limited
    again = client.post(path, json={"text": "hello"}, headers=key)  # the retry is the same message, answered once
    assert again.status_code == 200 and again.json() == first.json()


def test_csat_once_per_conversation_after_it_began(service: Service) -> None:
    client, conversation = _start(service)
    path = f"/v1/conversations/{conversation}/csat"
    assert client.post(path, json={"score": 5}).status_code == 409  # nothing to rate yet
    client.post(f"/v1/conversations/{conversation}/messages", json={"text": "hej då"})
    assert client.post(path, json={"score": 6}).status_code == 422
    assert client.post(path, json={"score": 0}).status_code == 422
    assert client.post(path, json={"score": 4, "comment": "  snabbt  "}).json() == {"ok": True}
    assert client.post(path, json={"score": 1}).status_code == 409
    from sqlalchemy import select

    from paydesk.store import tables as t

    with service.services.store.read() as ledger:
        row = ledger.conn.execute(select(t.csat)).one()
    assert (row.score, row.comment, row.served_by, row.customer) == (4, "snabbt", "assistant", "cus_1")


def test_the_widgets_words_come_in_every_language_with_direction(service: Service) -> None:
    from paydesk.understanding.languages import LANGUAGES

    with service.client() as client:
        english = client.get("/v1/ui/en").json()["strings"]
        for language in LANGUAGES:
            body = client.get(f"/v1/ui/{language}").json()
            assert body["language"] == language and set(body["strings"]) == set(english)
            assert body["direction"] == ("rtl" if language in ("ar", "he") else "ltr")
            assert all(body["strings"].values())
            if language != "en":
                assert body["strings"]["csat_question"] != english["csat_question"]
        assert client.get("/v1/ui/xx").json()["language"] == "en"
        assert client.get("/v1/ui/nb-NO").json()["language"] == "nb"


def test_demo_sign_in_issues_working_tokens_and_can_be_switched_off(start_service: Any) -> None:
    service = start_service()
    with service.client() as client:
        customers = client.get("/v1/demo/customers").json()
        assert {c["id"]: c["language"] for c in customers} == {"cus_1": "sv", "cus_2": "en", "cus_3": "ar"}
        token = client.post("/v1/demo/token", json={"customer": "cus_3"}).json()["token"]
        created = client.post("/v1/conversations", headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 201 and created.json()["language"] == "ar"
        assert client.post("/v1/demo/token", json={"customer": "cus_404"}).status_code == 404
    off = start_service(demo=False)
    with off.client() as client:
        assert client.get("/v1/demo/customers").status_code == 404
        assert client.post("/v1/demo/token", json={"customer": "cus_1"}).status_code == 404


def test_card_numbers_and_passwords_are_not_stored(service: Service) -> None:
    client, conversation = _start(service)
    said = "Mitt kort 4111 1111 1111 1111 nekades, lösenord Sommar2026"
    assert client.post(f"/v1/conversations/{conversation}/messages", json={"text": said}).status_code == 200
    stored = client.get(f"/v1/conversations/{conversation}").json()["messages"][0]["text"]
    assert stored == "Mitt kort [card number] nekades, lösenord [password]"
    with service.services.store.read() as ledger:
        raw = [m.text for m in Conversations(ledger.conn).messages(conversation)]
    assert not any("4111" in text or "Sommar2026" in text for text in raw)


def test_a_retried_message_is_answered_once(service: Service) -> None:
    client, conversation = _start(service)
    path = f"/v1/conversations/{conversation}/messages"
    body = {"text": "I want to return the running shoes, they are too small"}
    first = client.post(path, json=body, headers={"Idempotency-Key": "msg-1"})
    again = client.post(path, json=body, headers={"Idempotency-Key": "msg-1"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    other = client.post(path, json={"text": "cancel it"}, headers={"Idempotency-Key": "msg-1"})
    assert other.status_code == 409 and "another message" in other.json()["detail"]
    for bad in ("", "x" * 101, "with space", "ünicode".encode()):
        r = client.post(path, json=body, headers={"Idempotency-Key": bad})
        assert r.status_code == 422, bad
    transcript = client.get(f"/v1/conversations/{conversation}").json()["messages"]
    assert [m["text"] for m in transcript if m["role"] == "customer"] == [body["text"]]
    streamed = client.post(f"{path}/stream", json=body, headers={"Idempotency-Key": "msg-1"})
    assert f'"awaiting": "{first.json()["awaiting"]}"' in streamed.text.replace('":"', '": "')
