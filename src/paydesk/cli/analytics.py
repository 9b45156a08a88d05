"""Analytics commands: report (the business figures) and simulate (a month of realistic history)."""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from paydesk.cli.common import DbOption, fail, open_store, out
from paydesk.config import load_settings
from paydesk.domain.errors import DeveloperError, PaydeskError

GROUPS = ("language", "intent", "market", "day")
HEADLINE = (
    ("conversations", "conversations", "{:,}"),
    ("containment_rate", "resolved without a human", "{:.1%}"),
    ("median_resolution_seconds_assistant", "median resolution, assistant (s)", "{:,.0f}"),
    ("median_resolution_seconds_agent", "median resolution, agent (s)", "{:,.0f}"),
    ("p90_resolution_seconds_assistant", "p90 resolution, assistant (s)", "{:,.0f}"),
    ("p90_resolution_seconds_agent", "p90 resolution, agent (s)", "{:,.0f}"),
    ("csat_assistant", "CSAT, assistant (1-5)", "{:.2f}"),
    ("csat_agent", "CSAT, agent (1-5)", "{:.2f}"),
    ("repeat_contact_rate_assistant", "repeat contacts, assistant", "{:.1%}"),
    ("repeat_contact_rate_agent", "repeat contacts, agent", "{:.1%}"),
    ("agent_hours_saved", "agent hours saved", "{:,.1f}"),
    ("fte_equivalent", "FTE equivalent", "{:,.2f}"),
)


def _day(value: str | None, name: str, default: date) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(DeveloperError(f"{name} must be YYYY-MM-DD, got {value!r}"))


def report(
    since: Annotated[str | None, typer.Option(help="first day, YYYY-MM-DD (default: 29 days before --until)")] = None,
    until: Annotated[str | None, typer.Option(help="last day, YYYY-MM-DD (default: today, UTC)")] = None,
    by: Annotated[str | None, typer.Option(help="group by language, intent, market or day")] = None,
    language: Annotated[str | None, typer.Option(help="only this language")] = None,
    intent: Annotated[str | None, typer.Option(help="only conversations about this intent")] = None,
    market: Annotated[str | None, typer.Option(help="only customers of this market")] = None,
    engine: Annotated[str | None, typer.Option(help="only this engine (embedded, llm)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="also write the rows (the groups) to this CSV")] = None,
    db: DbOption = None,
) -> None:
    """The figures a support leader runs the business on: containment, resolution times, CSAT, repeat contacts and
    the agent work saved, over a period."""
    from paydesk.analytics.service import Definitions, Filters
    from paydesk.analytics.service import report as build

    if by is not None and by not in GROUPS:
        fail(DeveloperError(f"--by must be one of {', '.join(GROUPS)}, not {by!r}"))
    last = _day(until, "--until", datetime.now(UTC).date())
    first = _day(since, "--since", last - timedelta(days=29))
    if first > last:
        fail(DeveloperError(f"--since {first} is after --until {last}"))
    settings = load_settings(database_url=db)
    store = open_store(db)
    try:
        result = build(
            store,
            first,
            last,
            datetime.now(UTC),
            by=by,  # type: ignore[arg-type]
            filters=Filters(language, intent, market, engine),
            definitions=Definitions.of(settings),
        )
    except PaydeskError as error:
        fail(error)
    if csv_file is not None:
        _write_csv(csv_file, result)
    if as_json:
        out.print_json(json.dumps(result))
        return
    _print(result)


def _print(result: dict[str, Any]) -> None:
    table = Table(title=f"paydesk {result['since']} to {result['until']}", show_header=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, label, fmt in HEADLINE:
        value = result[key]
        table.add_row(label, "-" if value is None else fmt.format(value))
    outcomes = result["outcomes"]
    table.add_row("outcomes", ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in outcomes.items()))
    table.add_row(
        "agent handling minutes", f"{result['agent_handling_minutes']} ({result['agent_handling_minutes_source']})"
    )
    out.print(table)
    if "groups" in result:
        groups = Table(title=f"by {result['by']}")
        for name in ("key", "conversations", "containment", "CSAT assistant", "CSAT agent", "hours saved"):
            groups.add_column(name, justify="left" if name == "key" else "right")
        for g in result["groups"]:
            groups.add_row(
                g["key"],
                f"{g['conversations']:,}",
                "-" if g["containment_rate"] is None else f"{g['containment_rate']:.1%}",
                "-" if g["csat_assistant"] is None else f"{g['csat_assistant']:.2f}",
                "-" if g["csat_agent"] is None else f"{g['csat_agent']:.2f}",
                f"{g['agent_hours_saved']:,.1f}",
            )
        out.print(groups)


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in row.items() if not isinstance(v, dict | list)}
    flat.update({f"outcome_{k}": v for k, v in row["outcomes"].items()})
    return flat


def _write_csv(path: Path, result: dict[str, Any]) -> None:
    rows = [_flat(g) for g in result["groups"]] if "groups" in result else [{"key": "all", **_flat(result)}]
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["key"])
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        fail(DeveloperError(f"cannot write {path}: {exc.strerror}"))


def simulate(
    conversations: Annotated[int, typer.Option(min=1, help="how many conversations")] = 1000,
    days: Annotated[int, typer.Option(min=1, help="spread over this many days up to now")] = 30,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="only when the database has no conversations yet")
    ] = False,
    workers: Annotated[
        int | None, typer.Option(min=1, help="processes (default: the cores, at most 4; 1 is deterministic)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Fill the database with realistic history: simulated customers in their languages through the real
    assistant, a simulated agent for the handoffs, CSAT answers (run `paydesk seed` first)."""
    from paydesk.knowledge.retrieval import default_help_centre
    from paydesk.policy.model import load_policy
    from paydesk.sim.simulate import Simulator, simulate_parallel
    from paydesk.understanding.engine import default_engine

    settings = load_settings(database_url=db)
    store = open_store(db)
    from paydesk.store.conversations import Conversations

    with store.read() as ledger:
        held, customers = Conversations(ledger.conn).count(), ledger.counts()["customers"]
    if not customers:
        fail(DeveloperError(f"{settings.database_url} holds no customers: run `paydesk seed` first"))
    if if_empty and held:
        out.print(f"{settings.database_url} already holds {held:,} conversations; nothing simulated.")
        return
    columns = (TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    count = workers or min(os.cpu_count() or 1, 4)
    try:
        with Progress(*columns, console=out) as progress:
            task = progress.add_task("conversations", total=conversations)

            def advance(n: int) -> None:
                progress.advance(task, n)

            now = datetime.now(UTC)
            if count == 1:
                policy = load_policy(settings.policy_file)
                simulator = Simulator(store, policy, default_help_centre(), default_engine(), seed)
                done = simulator.run(conversations, days, now, advance)
            else:
                done = simulate_parallel(
                    settings.database_url, settings.policy_file, conversations, days, now, seed, count, advance
                )
    except PaydeskError as error:
        fail(error)
    out.print(
        f"{done.conversations:,} conversations ({done.turns:,} customer messages, {done.handoffs:,} handed to the "
        f"simulated agents, {done.abandoned:,} abandoned, {done.rated:,} rated) over {days} days in "
        f"{settings.database_url}. See `paydesk report` or /dashboard."
    )
    if done.errors:
        out.print(f"{done.errors:,} conversations stopped on an error (counted as they are)")


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.command()(simulate)
