"""The analytics API for supervisors: the report and the dashboard's data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from paydesk.analytics.service import Definitions, Filters, report
from paydesk.api.deps import ERRORS, AgentDep, ServicesDep
from paydesk.api.services import Services
from paydesk.handoff.agents import Agent

router = APIRouter(prefix="/v1/analytics", tags=["analytics"], responses=ERRORS)


def supervisor(agent: AgentDep) -> Agent:
    if agent.role != "supervisor":
        raise HTTPException(403, "analytics are for supervisors")
    return agent


SupervisorDep = Annotated[Agent, Depends(supervisor)]


EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


def _period(services: Services, since: date | None, until: date | None) -> tuple[date, date]:
    for given in (since, until):
        if given is not None and not EARLIEST <= given <= LATEST:
            raise HTTPException(422, f"{given} is outside {EARLIEST} .. {LATEST}")
    last = until or services.clock.now().date()
    first = since or last - timedelta(days=29)
    if first > last:
        raise HTTPException(422, f"since {first} is after until {last}")
    if (last - first).days > 366:
        raise HTTPException(422, "a period of at most 366 days")
    return first, last


@router.get("/report")
async def analytics_report(
    services: ServicesDep,
    _: SupervisorDep,
    since: date | None = None,
    until: date | None = None,
    by: Literal["language", "intent", "market", "day"] | None = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    intent: Annotated[str | None, Query(max_length=40)] = None,
    market: Annotated[str | None, Query(max_length=4)] = None,
    engine: Annotated[str | None, Query(max_length=20)] = None,
) -> dict[str, Any]:
    """The same figures as `paydesk report --json` (the last 30 days by default)."""
    first, last = _period(services, since, until)
    return await run_in_threadpool(
        report,
        services.store,
        first,
        last,
        services.clock.now(),
        by=by,
        filters=Filters(language or None, intent or None, market or None, engine or None),
        definitions=Definitions.of(services.settings),
    )


@router.get("/dashboard")
async def dashboard(
    services: ServicesDep,
    _: SupervisorDep,
    since: date | None = None,
    until: date | None = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    market: Annotated[str | None, Query(max_length=4)] = None,
) -> dict[str, Any]:
    """The report, the series the dashboard draws, and the filter choices."""
    first, last = _period(services, since, until)
    full = await run_in_threadpool(
        lambda: report(
            services.store,
            first,
            last,
            services.clock.now(),
            filters=Filters(language=language or None, market=market or None),
            definitions=Definitions.of(services.settings),
            with_series=True,
        )
    )
    series, options = full.pop("series"), full.pop("options")
    return {"report": full, "series": series, "options": options}
