"""The agent API: login (session cookie), the queue, claiming and working a case, approvals (supervisors), live
events for the console."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from paydesk.api.deps import ERRORS, SESSION_COOKIE, AgentDep, ServicesDep
from paydesk.api.events import SSE_HEADERS, sse, watch
from paydesk.api.text import Text
from paydesk.handoff.desk import QueueFilter
from paydesk.store.conversations import Conversations
from paydesk.store.queue import Queue

router = APIRouter(prefix="/v1/agent", tags=["agent"], responses=ERRORS)


class LoginIn(BaseModel):
    username: Text = Field(min_length=1, max_length=64)
    password: Text = Field(min_length=1, max_length=200)


class AgentOut(BaseModel):
    username: str
    name: str
    role: Literal["agent", "supervisor"]


class ReplyIn(BaseModel):
    text: Text = Field(min_length=1, max_length=4000)


class NoteIn(BaseModel):
    note: Text = Field(default="", max_length=2000)


@router.post("/login")
def login(services: ServicesDep, body: LoginIn, request: Request, response: Response) -> AgentOut:
    """Sign in; the session is an HttpOnly, SameSite=Strict cookie."""
    found = services.accounts.login(body.username, body.password)
    if found is None:
        raise HTTPException(401, "wrong username or password")
    agent, token = found
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(services.settings.agent_session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return AgentOut(username=agent.username, name=agent.name, role=agent.role)


@router.post("/logout")
def logout(services: ServicesDep, request: Request, response: Response) -> dict[str, bool]:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services.accounts.logout(token)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@router.get("/me")
def me(agent: AgentDep) -> AgentOut:
    return AgentOut(username=agent.username, name=agent.name, role=agent.role)


@router.get("/queue")
def queue(
    services: ServicesDep,
    agent: AgentDep,
    status: QueueFilter = "queued",
    language: str | None = None,
    reason: str | None = None,
) -> list[dict[str, Any]]:
    """Cases waiting (or assigned, or all), oldest first, filtered by the conversation's language and the reason."""
    return services.desk.queue(status, language or None, reason or None)


@router.get("/cases/{case_id}")
def case(services: ServicesDep, agent: AgentDep, case_id: str) -> dict[str, Any]:
    """The case with its summary, transcript, the customer's orders, plans, charges and refunds, and what awaits
    approval."""
    return services.desk.detail(case_id)


@router.post("/queue/next", response_model=None, responses={204: {"description": "the queue is empty"}})
def claim_next(
    services: ServicesDep, agent: AgentDep, language: str | None = Query(None, max_length=8)
) -> dict[str, Any] | Response:
    """Take the oldest queued case (in `language`, if given): agents taking cases at once each get another one."""
    taken = services.desk.claim_next(agent, language)
    return Response(status_code=204) if taken is None else taken


@router.post("/cases/{case_id}/claim")
def claim(services: ServicesDep, agent: AgentDep, case_id: str) -> dict[str, Any]:
    """Take the case (409 when another agent was first)."""
    return services.desk.claim(case_id, agent)


@router.post("/cases/{case_id}/messages")
def reply(services: ServicesDep, agent: AgentDep, case_id: str, body: ReplyIn) -> dict[str, Any]:
    """Write to the customer (the case must be yours)."""
    return services.desk.reply(case_id, agent, body.text)


@router.post("/cases/{case_id}/approve")
def approve(services: ServicesDep, agent: AgentDep, case_id: str, body: NoteIn) -> dict[str, Any]:
    """Approve what the case holds pending (supervisors)."""
    return services.desk.decide(case_id, agent, True, body.note)


@router.post("/cases/{case_id}/reject")
def reject(services: ServicesDep, agent: AgentDep, case_id: str, body: NoteIn) -> dict[str, Any]:
    """Reject what the case holds pending (supervisors)."""
    return services.desk.decide(case_id, agent, False, body.note)


@router.post("/cases/{case_id}/resolve")
def resolve(services: ServicesDep, agent: AgentDep, case_id: str) -> dict[str, Any]:
    """Close the case and the conversation."""
    return services.desk.resolve(case_id, agent)


@router.post("/cases/{case_id}/hand-back")
def hand_back(services: ServicesDep, agent: AgentDep, case_id: str) -> dict[str, Any]:
    """Give the conversation back to the assistant."""
    return services.desk.hand_back(case_id, agent)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "`queue` and `message` events"}},
)
async def events(request: Request, services: ServicesDep, agent: AgentDep) -> StreamingResponse:
    """Live: `queue` when the open cases change, `message` for each new message in a conversation with an open
    case."""
    state: dict[str, Any] = {"version": None, "seq": {}}

    def read() -> tuple[Any, list[dict[str, Any]]]:
        with services.store.read() as ledger:
            open_cases = Queue(ledger.conn).items(("queued", "assigned"))
            version = sorted((i.case.id, i.case.status, i.case.assignee or "") for i in open_cases)
            conversations = Conversations(ledger.conn)
            new = []
            for item in open_cases:
                conversation = item.case.conversation
                if not conversation:
                    continue
                last = state["seq"].get(conversation)
                for m in conversations.messages(conversation, after=last or 0):
                    if last is not None:  # a case first seen: its history is read with the case, not pushed
                        new.append(
                            {
                                "case_id": item.case.id,
                                "conversation_id": conversation,
                                "seq": m.seq,
                                "role": m.role,
                                "text": m.text,
                                "at": m.at.isoformat(),
                                "author": m.meta.get("author"),
                            }
                        )
                    state["seq"][conversation] = m.seq
                state["seq"].setdefault(conversation, 0)
        return version, new

    def changes(reading: tuple[Any, list[dict[str, Any]]]) -> list[str]:
        version, new = reading
        found = [sse("message", m) for m in new]
        if version != state["version"]:
            state["version"] = version
            found.insert(0, sse("queue", {"changed": True}))
        return found

    subscription = services.notifications.subscribe(["queue"])

    def read_and_follow() -> tuple[Any, list[dict[str, Any]]]:
        reading = read()
        subscription.topics = {"queue", *(f"conversation:{c}" for c in state["seq"])}  # the open cases' chats
        return reading

    await run_in_threadpool(read_and_follow)  # the starting point: only what happens from now on is pushed
    state["version"] = None
    return StreamingResponse(
        watch(request, subscription, read_and_follow, changes), media_type="text/event-stream", headers=SSE_HEADERS
    )
