"""Dependencies at the HTTP edge: the services, the signed-in customer (bearer token), the agent (session cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from paydesk.api import tokens
from paydesk.api.services import Services
from paydesk.handoff.agents import Agent

SESSION_COOKIE = "paydesk_session"
_bearer = HTTPBearer(auto_error=False, description="a customer token (`paydesk token CUSTOMER_ID` for the demo)")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="an agent session (POST /v1/agent/login)")


async def get_services(request: Request) -> Services:  # async: no thread-pool hop for a lookup
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


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
