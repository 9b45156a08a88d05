"""Dependencies at the HTTP edge: the services, the signed-in customer (bearer token), the agent (session cookie)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ParamSpec, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from paydesk.api import tokens
from paydesk.api.services import Services
from paydesk.config import Settings
from paydesk.handoff.agents import Agent

SESSION_COOKIE = "paydesk_session"
_bearer = HTTPBearer(auto_error=False, description="a customer token (`paydesk token CUSTOMER_ID` for the demo)")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="an agent session (POST /v1/agent/login)")


async def get_services(request: Request) -> Services:  # async: no thread-pool hop for a lookup
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
P = ParamSpec("P")
T = TypeVar("T")


async def work(settings: Settings, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """A customer route's blocking work (a turn, a new conversation, a sign-in). The embedded assistant's work is CPU
    in this process, under one GIL: it runs on the event loop itself, as a hop to a thread and back only adds work
    (README, Performance). An LLM's turns mostly wait on the network: they run on the thread pool."""
    if settings.engine == "embedded":
        return fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


async def get_customer(
    services: ServicesDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> str:
    """The signed-in customer: the token's signature and expiry are checked here (CPU only, on the event loop); that
    the customer exists is checked where it matters, by the conversation the route opens (`own`) or creates."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "sign in: send Authorization: Bearer <customer token>", {"WWW-Authenticate": "Bearer"})
    try:
        customer_id = tokens.verify(credentials.credentials, services.settings.secret, services.clock.now())
    except tokens.BadToken as exc:
        raise HTTPException(401, f"invalid customer token: {exc}", {"WWW-Authenticate": "Bearer"}) from exc
    return customer_id


CustomerDep = Annotated[str, Depends(get_customer)]


def get_agent(services: ServicesDep, session: Annotated[str | None, Depends(_cookie)]) -> Agent:
    agent = services.accounts.of_session(session) if session else None
    if agent is None:
        raise HTTPException(401, "sign in as an agent first (POST /v1/agent/login)")
    return agent


AgentDep = Annotated[Agent, Depends(get_agent)]


class ErrorOut(BaseModel):
    """Every refusal: what went wrong, for a person; `code` for a program, on paydesk's own errors."""

    detail: str
    code: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (400, "not JSON, or NUL in the URL"),
        (401, "no or a bad customer token or agent session"),
        (403, "not allowed to this caller"),
        (404, "no such conversation, case or customer (or another customer's)"),
        (409, "not in a state for this: claimed, closed, rated, reused request key"),
        (413, "a message or a body over the limit"),
        (429, "too many messages: see Retry-After"),
        (503, "the database is unavailable"),
    )
}
