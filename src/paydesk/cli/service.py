"""Service commands: serve (the HTTP service with the web chat and the agent console), token, agents."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Annotated

import typer

from paydesk.cli.common import DbOption, EngineOption, err, fail, open_store, out
from paydesk.config import Settings, load_settings
from paydesk.domain.errors import PaydeskError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from paydesk.store.database import Store

DEMO_AGENTS = (("maria", "Maria Lund", "agent"), ("sam", "Sam Okafor", "supervisor"))

agents_app = typer.Typer(help="Human agents of the console.", no_args_is_help=True)


def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="worker processes (each loads the models, ~1 core each)")] = 1,
    engine: EngineOption = None,
    db: DbOption = None,
) -> None:
    """Run the service: the customer API, the web chat (/chat), the agent console (/console) and the dashboard
    (/dashboard). Migrates the database first (once, whoever else starts at the same time). With --workers N,
    N processes share the port; a worker that dies is replaced. Several hosts may serve one PostgreSQL database."""
    import os

    import uvicorn

    from paydesk.domain.clock import SystemClock
    from paydesk.handoff.agents import AgentAccounts

    settings = load_settings(database_url=db, engine=engine)
    store = open_store(db)
    with store.read() as ledger:
        if not ledger.counts()["customers"]:
            err.print(f"warning: {settings.database_url} holds no ledger yet; run `paydesk seed` for the demo one")
    # One embedding thread per worker unless set: under load a second one's hand-offs cost more CPU than they save
    # (README, Performance); more cores take more workers. The workers read it from the environment.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    app = None if workers > 1 else _app(settings, store)
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    model = f", {settings.llm_model} at {settings.llm_base_url}" if settings.engine == "llm" else ""
    out.print(f"paydesk on {settings.database_url} ({settings.engine} engine{model}, {workers} worker(s))")
    out.print(f"  web chat       {base}/chat")
    out.print(f"  agent console  {base}/console")
    out.print(f"  dashboard      {base}/dashboard  (supervisors)")
    out.print(f"  API docs       {base}/docs")
    out.print(f"  metrics        {base}/metrics")
    if settings.env == "development":
        accounts = AgentAccounts(store, SystemClock())
        out.print("  demo agents (new passwords at every start):")
        for username, name, role in DEMO_AGENTS:
            password = secrets.token_urlsafe(9)
            accounts.put(username, name, role, password)
            out.print(f"    {role:<10} {username} / {password}")
    if app is not None:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    store.close()
    # The workers read the same settings from the environment.
    os.environ["PAYDESK_DATABASE_URL"] = settings.database_url
    os.environ["PAYDESK_ENGINE"] = settings.engine
    uvicorn.run("paydesk.api.asgi:create", factory=True, host=host, port=port, workers=workers, log_level="warning")


def _app(settings: Settings, store: Store) -> FastAPI:
    from paydesk.api.asgi import build

    try:
        with out.status("Loading the models..."):
            return build(settings, store)
    except PaydeskError as error:
        fail(error)


def migrate(db: DbOption = None) -> None:
    """Bring the database's schema up to date (run once at deploy; safe when several hosts run it at once)."""
    from paydesk.store.database import Store
    from paydesk.store.migrate import current_revision, head_revision

    settings = load_settings(database_url=db)
    try:
        store = Store.open(settings.database_url, migrate=False)
        before = current_revision(store.engine)
        store.close()
        store = Store.open(settings.database_url)
    except PaydeskError as error:
        fail(error)
    after = current_revision(store.engine)
    store.close()
    if before == after:
        out.print(f"{settings.database_url} is at the newest schema ({after})")
    else:
        out.print(f"{settings.database_url} migrated from {before or 'empty'} to {after} (newest: {head_revision()})")


def token(
    customer: Annotated[str, typer.Argument(help="the customer id, e.g. cus_00001")],
    hours: Annotated[float | None, typer.Option(help="validity (default $PAYDESK_CUSTOMER_TOKEN_HOURS, 24)")] = None,
    db: DbOption = None,
) -> None:
    """Print a signed customer token (as the company's app would issue it) for `Authorization: Bearer`."""
    from datetime import UTC, datetime

    from paydesk.api.tokens import issue

    settings = load_settings(database_url=db)
    with open_store(db).read() as ledger:
        if ledger.customer(customer) is None:
            err.print(f"error: no customer {customer!r} in {settings.database_url}")
            raise typer.Exit(4)
    out.print(
        issue(customer, settings.secret, datetime.now(UTC), hours or settings.customer_token_hours), soft_wrap=True
    )


@agents_app.command("add")
def add_agent(
    username: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[str, typer.Option(help="agent or supervisor")] = "agent",
    name: Annotated[str | None, typer.Option(help="display name (default: the username)")] = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="at least 8 characters")
    ] = "",
    db: DbOption = None,
) -> None:
    """Create an agent, or reset an existing one's role, name and password."""
    from paydesk.domain.clock import SystemClock
    from paydesk.handoff.agents import AgentAccounts

    try:
        agent = AgentAccounts(open_store(db), SystemClock()).put(username, name or username, role, password)
    except PaydeskError as error:
        fail(error)
    out.print(f"agent {agent.username} ({agent.role}) saved")


@agents_app.command("list")
def list_agents(db: DbOption = None) -> None:
    """The console's agents."""
    from paydesk.store.agents import Agents

    with open_store(db).read() as ledger:
        for row in Agents(ledger.conn).all():
            out.print(f"{row.username}\t{row.role}\t{row.name}")


def load(
    url: Annotated[str, typer.Option(help="the service, e.g. http://127.0.0.1:8000")] = "http://127.0.0.1:8000",
    conversations: Annotated[int, typer.Option(min=1, help="how many conversations")] = 200,
    concurrency: Annotated[int, typer.Option(min=1, help="conversations at once")] = 32,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
    ramp: Annotated[
        float, typer.Option(min=0, help="seconds over which the simulated customers start, one after another")
    ] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
) -> None:
    """Simulated customers over real HTTP against a running service (its demo sign-in must be on): turns/s,
    conversations/s, turn latency percentiles, errors. The clock runs from the first customer's start, ramp included."""
    import json

    import uvloop

    from paydesk.sim.http import TransportError
    from paydesk.sim.load import run_load

    try:
        result = uvloop.run(run_load(url.rstrip("/"), conversations, concurrency, seed, ramp=ramp))
    except (TransportError, RuntimeError, ValueError) as exc:
        err.print(f"error: cannot load {url}: {exc}")
        raise typer.Exit(1) from exc
    figures = result.summary()
    if as_json:
        out.print_json(json.dumps(figures))
    else:
        out.print(
            f"{figures['conversations']} conversations, {figures['turns']} turns in {figures['seconds']} s: "
            f"{figures['turns_per_second']} turns/s, {figures['conversations_per_second']} conversations/s; "
            f"turn latency p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms; "
            f"{figures['errors']} errors, {figures['retries']} retries"
        )
    if figures["errors"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(migrate)
    app.command()(load)
    app.command()(token)
    app.add_typer(agents_app, name="agents")
