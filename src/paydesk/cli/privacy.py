"""GDPR commands: export or erase a customer's conversations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from paydesk.cli.common import EXIT_BAD_INPUT, EXIT_NOT_FOUND, DbOption, err, open_store, out

privacy_app = typer.Typer(help="A customer's conversation data: export or erase (GDPR).", no_args_is_help=True)


def _known(db: str | None, customer: str) -> None:
    with open_store(db).read() as ledger:
        if ledger.customer(customer) is None:
            err.print(f"error: no customer {customer!r}")
            raise typer.Exit(EXIT_NOT_FOUND)


@privacy_app.command("export")
def export(
    customer: Annotated[str, typer.Argument(help="the customer id")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write the JSON here (default: stdout)")] = None,
    db: DbOption = None,
) -> None:
    """Every conversation, message, rating and case of the customer, as JSON."""
    from paydesk.store import privacy

    _known(db, customer)
    with open_store(db).read() as ledger:
        data = privacy.export(ledger.conn, customer)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output is None:
        out.print_json(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        out.print(f"{len(data['conversations'])} conversations of {customer} written to {output}")


@privacy_app.command("erase")
def erase(
    customer: Annotated[str, typer.Argument(help="the customer id")],
    yes: Annotated[bool, typer.Option("--yes", help="really erase (without it, only say what would go)")] = False,
    db: DbOption = None,
) -> None:
    """Erase the customer's conversations, messages and ratings, and blank their case summaries. The ledger and
    the audit trail stay (financial records)."""
    from paydesk.store import privacy

    _known(db, customer)
    store = open_store(db)
    if not yes:
        with store.read() as ledger:
            held = privacy.export(ledger.conn, customer)
        err.print(
            f"would erase {len(held['conversations'])} conversations of {customer} and blank "
            f"{len(held['cases'])} case summaries; run again with --yes"
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    with store.write() as ledger:
        counts = privacy.erase(ledger.conn, customer)
    out.print(f"erased for {customer}: " + ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items()))


def register(app: typer.Typer) -> None:
    app.add_typer(privacy_app, name="privacy")
