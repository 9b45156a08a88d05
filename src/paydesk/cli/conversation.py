"""Conversation commands: chat (a terminal chat with the assistant) and eval (the scenario runner)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from paydesk.cli.common import EXIT_BAD_INPUT, EXIT_ERROR, DbOption, EngineOption, err, fail, open_store, out
from paydesk.domain.errors import PaydeskError


def _context(store: Any, engine: str | None) -> Any:
    from paydesk.config import load_settings
    from paydesk.dialogue.context import DialogueContext
    from paydesk.domain.clock import SystemClock
    from paydesk.knowledge.retrieval import default_help_centre
    from paydesk.llm.engine import engines
    from paydesk.policy.model import load_policy
    from paydesk.understanding.engine import default_engine

    settings = load_settings(engine=engine)
    try:
        chosen = engines(settings, default_engine(), default_help_centre())
    except PaydeskError as error:
        fail(error)
    return DialogueContext(
        store, load_policy(settings.policy_file), SystemClock(), chosen.understanding, chosen.knowledge, chosen.phrasing
    )


def chat(
    customer: Annotated[
        str | None, typer.Option(help="the signed-in customer (default: the first demo customer)")
    ] = None,
    conversation: Annotated[str | None, typer.Option(help="continue this conversation instead of a new one")] = None,
    engine: EngineOption = None,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='JSON lines: read {"text"} per line, print each turn')
    ] = False,
) -> None:
    """Chat with the assistant in the terminal, on the demo ledger (run `paydesk seed` first)."""
    from paydesk.dialogue.manager import DialogueManager
    from paydesk.store.conversations import Conversations

    store = open_store(db)
    with store.read() as ledger:
        if conversation is not None:
            row = Conversations(ledger.conn).get(conversation)
            if row is None:
                err.print(f"error: no conversation {conversation!r}")
                raise typer.Exit(EXIT_BAD_INPUT)
            customer = row.customer
        customer = customer or next(iter(ledger.customer_ids()), None)
        found = ledger.customer(customer) if customer else None
    if found is None:
        err.print(f"error: no customer {customer!r}; run `paydesk seed` or pass --customer")
        raise typer.Exit(EXIT_BAD_INPUT)
    manager = DialogueManager(_context(store, engine))
    conversation = conversation or manager.start(found.id)
    if not as_json:
        out.print(
            Panel(
                f"Signed in as {found.name} ({found.id}, {found.locale}). Type a message; Ctrl-D ends.",
                title="paydesk chat",
            )
        )
    for line in sys.stdin if as_json else _prompt():
        text = line
        if as_json:
            if not line.strip():
                continue
            try:
                text = json.loads(line)["text"]
            except (json.JSONDecodeError, KeyError, TypeError):
                sys.stdout.write(json.dumps({"error": 'expected {"text": ...}'}) + "\n")
                continue
        try:
            turn = manager.handle(conversation, text)
        except PaydeskError as error:
            fail(error)
        if as_json:
            sys.stdout.write(turn.model_dump_json() + "\n")
            sys.stdout.flush()
            continue
        out.print(f"[bold cyan]paydesk[/]: {turn.text}", highlight=False)
        for option in turn.options:
            out.print(f"   [dim]›[/] {option.label}  [dim]({option.value})[/]", highlight=False)
        for action in turn.actions:
            out.print(f"   [green]✓ {action.action}: {action.outcome}[/]")
        if turn.handoff:
            out.print("   [yellow]handed over to a human agent[/]")
        if turn.ended:
            return


def _prompt() -> Any:
    while True:
        try:
            yield input("you: ")
        except EOFError:
            return


def evaluate(
    paths: Annotated[list[Path], typer.Argument(help="scenario files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="print the machine-readable summary")] = False,
    language: Annotated[str | None, typer.Option(help="only scenarios in this language")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="only scenarios with this tag (repeatable)")] = None,
    engine: EngineOption = None,
) -> None:
    """Run scenario files: each on a fresh in-memory store; pass rate overall, by language and by intent, and each
    failure's transcript. Exit code 1 when any scenario fails."""
    from paydesk.sim.runner import Report
    from paydesk.sim.scenario import load

    try:
        scenarios = load(paths)
    except PaydeskError as error:
        fail(error)
    scenarios = [
        s for s in scenarios if (language is None or s.language == language) and (not tag or set(tag) & set(s.tags))
    ]
    if not scenarios:
        err.print("error: no scenarios match")
        raise typer.Exit(EXIT_BAD_INPUT)
    runner = _runner(engine)
    outcomes = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("scenarios", total=len(scenarios))
        for scenario in scenarios:
            try:
                outcomes.append(runner.run(scenario))
            except PaydeskError as error:
                fail(error)
            progress.advance(task)
    report = Report(outcomes)
    summary = report.summary()
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    else:
        _print(summary)
    if summary["passed"] != summary["total"]:
        raise typer.Exit(EXIT_ERROR)


def _print(summary: dict[str, Any]) -> None:
    for failure in summary["failures"]:
        out.print(
            Panel(
                "\n".join(failure["transcript"]),
                title=f"FAIL {failure['id']} ({failure['file']})",
                subtitle="; ".join(p.splitlines()[0] for p in failure["problems"])[:300],
            )
        )
    for title, key in (("language", "by_language"), ("intent", "by_intent")):
        table = Table(title=f"by {title}")
        for column in (title, "passed", "total", "rate"):
            table.add_column(column)
        for name, row in summary[key].items():
            table.add_row(name, str(row["passed"]), str(row["total"]), f"{row['pass_rate']:.1%}")
        out.print(table)
    out.print(
        f"[bold]{summary['passed']}/{summary['total']} scenarios passed ({summary['pass_rate']:.1%})[/]; "
        f"median customer messages of a resolved case: {summary['median_customer_messages_resolved']}"
    )


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)
    app.command("eval")(evaluate)


def _runner(engine: str | None) -> Any:
    """The scenario runner on the chosen engine (the llm one wraps an embedded engine on each scenario's clock)."""
    from paydesk.config import load_settings
    from paydesk.knowledge.retrieval import default_help_centre
    from paydesk.llm.client import ChatClient
    from paydesk.llm.engine import llm_settings
    from paydesk.llm.knowledge import LLMKnowledge
    from paydesk.llm.understanding import LLMUnderstanding
    from paydesk.policy.model import load_policy
    from paydesk.sim.runner import Runner
    from paydesk.understanding.engine import EmbeddedUnderstanding

    settings = load_settings(engine=engine)
    policy, help_centre = load_policy(settings.policy_file), default_help_centre()
    if settings.engine == "embedded":
        return Runner(policy, help_centre)
    try:
        client = ChatClient(llm_settings(settings))
    except PaydeskError as error:
        fail(error)
    base = EmbeddedUnderstanding()

    def engine_for(clock: Any) -> LLMUnderstanding:
        return LLMUnderstanding(client, EmbeddedUnderstanding(base.embedder, base.model, base.anchors, clock))

    return Runner(policy, LLMKnowledge(client, help_centre), engine_for)
