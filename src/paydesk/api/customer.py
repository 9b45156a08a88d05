"""The customer API: conversations, messages (plain and streamed), transcript, live events, CSAT; the demo sign-in
and the widget's words."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from paydesk.api import tokens
from paydesk.api.deps import ERRORS, CustomerDep, ServicesDep, work
from paydesk.api.events import SSE_HEADERS, sse, watch
from paydesk.api.services import Services
from paydesk.api.text import Text
from paydesk.dialogue.turn import Turn
from paydesk.domain.errors import NotFound
from paydesk.replies.english import MESSAGES
from paydesk.replies.texts import Texts
from paydesk.store.conversations import ConversationRow, Conversations
from paydesk.store.ledger import Ledger
from paydesk.store.queue import Queue, ServedBy
from paydesk.understanding.languages import LANGUAGES, RTL, normalise

router = APIRouter(prefix="/v1", tags=["customer"], responses=ERRORS)
PUSHED = frozenset({"agent", "system"})  # what the events stream brings; the customer's own turns come back directly
UI = [msgid.removeprefix("ui.") for msgid in MESSAGES if msgid.startswith("ui.")]


class Created(BaseModel):
    conversation_id: str
    language: str


RequestKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="the client's id for this message (printable ASCII): a retry with it is answered once",
    ),
]


class MessageIn(BaseModel):
    text: Text = Field(min_length=1, description="the customer's message")


class Message(BaseModel):
    seq: int
    role: str
    text: str
    at: str
    author: str | None = None


class Transcript(BaseModel):
    conversation_id: str
    customer: str
    status: str
    language: str
    messages: list[Message]


class CsatIn(BaseModel):
    score: int = Field(ge=1, le=5)
    comment: Text = Field(default="", max_length=2000)


class DemoCustomer(BaseModel):
    id: str
    name: str
    locale: str
    market: str
    language: str


class TokenIn(BaseModel):
    customer: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")


class TokenOut(BaseModel):
    token: str
    customer: str


class UiStrings(BaseModel):
    language: str
    direction: str
    strings: dict[str, str]


def own(services: Services, customer: str, conversation_id: str) -> ConversationRow:
    """The customer's conversation; someone else's is as absent as a missing one (404); 401 for a token of a
    customer the ledger does not have."""
    with services.store.read() as ledger:
        return _owned(ledger, customer, conversation_id, Conversations(ledger.conn).get(conversation_id))


def _owned(ledger: Ledger, customer: str, conversation_id: str, row: ConversationRow | None) -> ConversationRow:
    if row is not None and row.customer == customer:
        return row
    if not ledger.has_customer(customer):
        raise HTTPException(401, "invalid customer token: unknown customer", {"WWW-Authenticate": "Bearer"})
    raise HTTPException(404, f"no conversation {conversation_id!r}")


@router.post("/conversations", status_code=201)
async def create_conversation(services: ServicesDep, customer: CustomerDep) -> Created:
    return await work(services.settings, _create, services, customer)


def _create(services: Services, customer: str) -> Created:
    try:
        row = services.manager.open(customer)
    except NotFound as exc:  # a token signed for a customer this ledger does not have
        raise HTTPException(401, "invalid customer token: unknown customer", {"WWW-Authenticate": "Bearer"}) from exc
    return Created(conversation_id=row.id, language=row.language)


def _answer(services: Services, customer: str, conversation_id: str, text: str, key: str | None) -> Turn:
    limit = services.settings.max_message_chars
    if len(text) > limit:
        raise HTTPException(413, f"the message has {len(text)} characters; the limit is {limit}")

    def admit(ledger: Ledger, row: ConversationRow | None, replay: bool) -> None:
        _owned(ledger, customer, conversation_id, row)
        # a retry of an answered message is replayed, not counted: the limit is on new messages
        wait = None if replay else services.limiter.check(customer, ledger.conn)
        if wait is not None:
            services.metrics.rate_limited.inc()
            raise HTTPException(429, "too many messages; wait a moment", {"Retry-After": str(int(wait) + 1)})

    start = time.perf_counter()
    turn = services.manager.handle(conversation_id, text, key, admit)
    m = services.metrics
    m.turn_seconds.observe(time.perf_counter() - start)
    m.turns.labels(str(turn.meta.get("engine", "")), turn.language).inc()
    if turn.meta.get("fallback"):
        m.fallbacks.labels(str(turn.meta["fallback"])).inc()
    for action in turn.actions:
        m.actions.labels(action.action, action.outcome).inc()
        if action.action == "create_case":
            m.handoffs.labels(str(action.result.get("reason", "other"))).inc()
    return turn


@router.post("/conversations/{conversation_id}/messages")
async def send_message(
    services: ServicesDep, customer: CustomerDep, conversation_id: str, body: MessageIn, key: RequestKey = None
) -> Turn:
    """The assistant's turn (DESIGN.md's contract). Send an `Idempotency-Key` to retry safely: the same key again
    returns the first answer (the message is handled once)."""
    return await work(services.settings, _answer, services, customer, conversation_id, body.text, key)


@router.post(
    "/conversations/{conversation_id}/messages/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "`delta` events, then one `turn`"}},
)
async def stream_message(
    services: ServicesDep, customer: CustomerDep, conversation_id: str, body: MessageIn, key: RequestKey = None
) -> StreamingResponse:
    """The same turn as Server-Sent Events: the reply's text in `delta` events, then the whole `turn`."""
    turn = await work(services.settings, _answer, services, customer, conversation_id, body.text, key)

    async def events() -> AsyncIterator[str]:
        words = turn.text.split(" ")
        for i in range(0, len(words), 4):
            yield sse("delta", {"text": " ".join(words[i : i + 4]) + (" " if i + 4 < len(words) else "")})
        yield sse("turn", turn.model_dump(mode="json"))

    return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)


@router.get("/conversations/{conversation_id}")
def transcript(services: ServicesDep, customer: CustomerDep, conversation_id: str) -> Transcript:
    row = own(services, customer, conversation_id)
    with services.store.read() as ledger:
        messages = Conversations(ledger.conn).messages(conversation_id)
    return Transcript(
        conversation_id=row.id,
        customer=row.customer,
        status=row.status,
        language=row.language,
        messages=[_message(m.seq, m.role, m.text, m.at.isoformat(), m.meta) for m in messages],
    )


def _message(seq: int, role: str, text: str, at: str, meta: dict[str, Any]) -> Message:
    author = meta.get("author")
    return Message(seq=seq, role=role, text=text, at=at, author=author if isinstance(author, str) else None)


@router.get(
    "/conversations/{conversation_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "`message` and `status` events"}},
)
async def conversation_events(
    request: Request,
    services: ServicesDep,
    customer: CustomerDep,
    conversation_id: str,
    after: Annotated[int, Query(ge=0, le=2**31 - 1, description="the last message seq the client has")] = 0,
) -> StreamingResponse:
    """Live: the agent's and the system's messages after `after`, and status changes (handed_off, ended...)."""
    row = await run_in_threadpool(own, services, customer, conversation_id)
    seen: dict[str, Any] = {"seq": after, "status": row.status}

    def read() -> tuple[str, list[Message]]:
        with services.store.read() as ledger:
            conversations = Conversations(ledger.conn)
            current = conversations.get(conversation_id)
            new = conversations.messages(conversation_id, after=seen["seq"])
        status = current.status if current else "ended"
        return status, [_message(m.seq, m.role, m.text, m.at.isoformat(), m.meta) for m in new]

    def changes(reading: tuple[str, list[Message]]) -> list[str]:
        status, new = reading
        found = [sse("message", m.model_dump()) for m in new if m.role in PUSHED]
        if new:
            seen["seq"] = new[-1].seq
        if status != seen["status"]:
            seen["status"] = status
            found.append(sse("status", {"status": status}))
        return found

    subscription = services.notifications.subscribe([f"conversation:{conversation_id}"])
    return StreamingResponse(
        watch(request, subscription, read, changes), media_type="text/event-stream", headers=SSE_HEADERS
    )


@router.post("/conversations/{conversation_id}/csat")
def rate(services: ServicesDep, customer: CustomerDep, conversation_id: str, body: CsatIn) -> dict[str, bool]:
    """The customer's rating of the conversation (once)."""
    own(services, customer, conversation_id)
    with services.store.write() as ledger:
        messages = Conversations(ledger.conn).messages(conversation_id)
        if not any(m.role == "customer" for m in messages):
            raise HTTPException(409, "nothing to rate yet: the conversation has no messages")
        served_by: ServedBy = "agent" if any(m.role == "agent" for m in messages) else "assistant"
        if not Queue(ledger.conn).record_csat(
            conversation_id, customer, body.score, body.comment.strip(), served_by, services.clock.now()
        ):
            raise HTTPException(409, "this conversation is already rated")
    services.metrics.csat.labels(str(body.score), served_by).inc()
    return {"ok": True}


@router.get("/ui/{language}")
def ui_strings(language: str) -> UiStrings:
    """The chat widget's own words in a language (English for an unsupported one)."""
    code = normalise(language) or "en"
    code = code if code in LANGUAGES else "en"
    texts = Texts(code)
    return UiStrings(
        language=code, direction="rtl" if code in RTL else "ltr", strings={k: texts.say(f"ui.{k}") for k in UI}
    )


demo = APIRouter(prefix="/v1/demo", tags=["demo"], responses=ERRORS)


def _demo_only(services: Services) -> None:
    if not services.settings.demo_enabled:
        raise HTTPException(404, "the demo sign-in is off (PAYDESK_DEMO)")


@demo.get("/customers")
def demo_customers(services: ServicesDep) -> list[DemoCustomer]:
    """The demo ledger's customers, for the widget's demo sign-in (development only)."""
    _demo_only(services)
    with services.store.read() as ledger:
        customers = [c for cid in ledger.customer_ids() if (c := ledger.customer(cid)) is not None]
    return [
        DemoCustomer(id=c.id, name=c.name, locale=c.locale, market=c.market, language=normalise(c.locale) or "en")
        for c in customers
    ]


@demo.post("/token")
async def demo_token(services: ServicesDep, body: TokenIn) -> TokenOut:
    """A customer token for any demo customer, as the company's app would issue it (development only)."""
    return await work(services.settings, _token, services, body.customer)


def _token(services: Services, customer: str) -> TokenOut:
    _demo_only(services)
    with services.store.read() as ledger:
        if not ledger.has_customer(customer):
            raise HTTPException(404, f"no customer {customer!r}")
    s = services.settings
    return TokenOut(
        token=tokens.issue(customer, s.secret, services.clock.now(), s.customer_token_hours), customer=customer
    )
