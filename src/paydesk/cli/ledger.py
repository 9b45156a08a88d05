"""Ledger commands: seed, ledger import/export, actions, action."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from paydesk.cli.common import EXIT_APPROVAL, DbOption, err, fail, open_store, out
from paydesk.config import load_settings
from paydesk.domain.clock import SystemClock
from paydesk.domain.errors import DeveloperError, PaydeskError
from paydesk.store.database import Store


def seed(
    db: DbOption = None,
    seed: Annotated[int | None, typer.Option(help="random seed (default $PAYDESK_SEED, then 7)")] = None,
    reset: Annotated[bool, typer.Option("--reset", help="empty the database first")] = False,
    today: Annotated[str | None, typer.Option(help="the demo's 'today' (YYYY-MM-DD; default: the UTC date)")] = None,
) -> None:
    """Create the schema and load the demo ledger (skipped when the database already has data)."""
    from paydesk.store import fixtures
    from paydesk.store.demo import demo_ledger

    settings = load_settings(database_url=db, seed=seed)
    store = open_store(db)
    try:
        day = date.fromisoformat(today) if today else datetime.now(UTC).date()
    except ValueError:
        fail(DeveloperError(f"--today must be YYYY-MM-DD, got {today!r}"))
    with store.write() as ledger:
        existing = ledger.counts()
        if existing["customers"] and not reset:
            out.print(
                f"Database {settings.database_url} already holds a ledger "
                f"({existing['customers']} customers, {existing['orders']} orders); left as it is. "
                "Use --reset to replace it."
            )
            return
        if reset:
            ledger.delete_everything()
        with out.status("Generating the demo ledger..."):
            counts = fixtures.write(ledger, demo_ledger(settings.seed, day))
    markets = _markets(store)
    table = Table(title=f"Demo ledger seeded into {settings.database_url} (seed {settings.seed}, today {day})")
    table.add_column("entity")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    out.print(table)
    out.print(f"Markets: {', '.join(f'{m} ({n})' for m, n in markets)}")


def _markets(store: Store) -> list[tuple[str, int]]:
    from sqlalchemy import func, select

    from paydesk.store.tables import customers

    with store.read() as ledger:
        rows = ledger.conn.execute(
            select(customers.c.market, func.count()).group_by(customers.c.market).order_by(func.count().desc())
        ).all()
    return [(r[0], int(r[1])) for r in rows]


def ledger_import(
    file: Annotated[Path, typer.Argument(help="a YAML or JSON fixture (or a scenario file: its `ledger`)")],
    db: DbOption = None,
) -> None:
    """Import a ledger file, all or nothing: any problem and nothing is written."""
    from paydesk.store import fixtures

    store = open_store(db)
    try:
        data = fixtures.load_file(file)
        with store.write() as ledger:
            parsed = fixtures.parse(data, existing=ledger, source=str(file), now=SystemClock().now())
            counts = fixtures.write(ledger, parsed)
    except PaydeskError as error:
        fail(error)
    out.print("Imported: " + ", ".join(f"{n} {name}" for name, n in counts.items() if n))


def ledger_export(
    db: DbOption = None,
    format: Annotated[Literal["yaml", "json"], typer.Option("--format", help="yaml or json")] = "yaml",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to a file instead of stdout")] = None,
) -> None:
    """Export the whole ledger in the fixture format."""
    from paydesk.store import fixtures

    store = open_store(db)
    with store.read() as ledger:
        text = fixtures.dump(fixtures.export(ledger), format)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"Wrote {output}")


def list_actions() -> None:
    """List the actions and their contracts."""
    from paydesk.actions.registry import ACTIONS

    table = Table(show_lines=True)
    for column in ("action", "kind", "contract"):
        table.add_column(column)
    for action in ACTIONS.values():
        table.add_row(action.name, action.kind, action.doc)
    out.print(table)


def run_action(
    name: Annotated[str, typer.Argument(help="the action, e.g. report_return (see `paydesk actions`)")],
    customer: Annotated[str, typer.Option("--customer", help="the customer the action runs as")],
    args: Annotated[str, typer.Option("--args", help='arguments as JSON, e.g. \'{"order": "4821-0932"}\'')] = "{}",
    idempotency_key: Annotated[str | None, typer.Option("--idempotency-key", help="same key, same effect once")] = None,
    confirm: Annotated[
        bool, typer.Option("--confirm", help="the customer's explicit yes; without it a WRITE only previews")
    ] = False,
    actor: Annotated[str, typer.Option(help="who acts: assistant, system or agent:<id> (approve/reject)")] = "system",
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as one JSON object")] = False,
) -> None:
    """Run one action as a customer. Exit codes: 0 done, 2 bad input, 3 refused by policy, 4 not found or not the
    customer's, 5 needs approval."""
    from paydesk.actions.base import ActionContext, execute
    from paydesk.actions.registry import get
    from paydesk.policy.model import load_policy

    settings = load_settings(database_url=db)
    try:
        action = get(name)
        try:
            raw: Any = json.loads(args)
        except json.JSONDecodeError as exc:
            raise DeveloperError(f"--args is not valid JSON: {exc}") from None
        if not isinstance(raw, dict):
            raise DeveloperError("--args must be a JSON object")
        policy = load_policy(settings.policy_file)
        store = open_store(db)
        ctx = ActionContext(store=store, policy=policy, clock=SystemClock(), actor=actor)
        result = execute(action, ctx, customer, raw, confirm=confirm, idempotency_key=idempotency_key)
    except PaydeskError as error:
        fail(error)
    payload = result.model_dump(mode="json")
    if as_json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        if result.outcome == "preview":
            out.print("[yellow]preview[/]: nothing was written; add --confirm to do it.")
        elif result.outcome == "pending_approval":
            out.print("[yellow]pending approval[/]: recorded, a human must approve it.")
        out.print_json(data=payload)
    if result.outcome == "pending_approval":
        raise typer.Exit(EXIT_APPROVAL)


def register(app: typer.Typer) -> None:
    ledger_app = typer.Typer(help="Import and export the ledger in the fixture format.", no_args_is_help=True)
    ledger_app.command("import")(ledger_import)
    ledger_app.command("export")(ledger_export)
    app.add_typer(ledger_app, name="ledger")
    app.command("seed")(seed)
    app.command("actions")(list_actions)
    app.command("action")(run_action)
