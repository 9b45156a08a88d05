"""What every command shares: consoles, exit codes, the --db option, error reporting."""

from __future__ import annotations

from typing import Annotated, Literal, NoReturn

import typer
from rich.console import Console

from paydesk.config import load_settings
from paydesk.domain.errors import (
    ApprovalNeeded,
    DeveloperError,
    NeedsInput,
    NotFound,
    PaydeskError,
    PolicyRefusal,
    UpstreamError,
)
from paydesk.store.database import Store

out = Console()
err = Console(stderr=True, soft_wrap=True)

EXIT_DONE, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_REFUSED, EXIT_NOT_FOUND, EXIT_APPROVAL = 0, 1, 2, 3, 4, 5

EngineOption = Annotated[
    Literal["embedded", "llm"] | None,
    typer.Option("--engine", help="embedded (default: $PAYDESK_ENGINE, then embedded) or llm (PAYDESK_LLM_*)"),
]

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="database URL (default: $PAYDESK_DATABASE_URL, then sqlite:///./var/paydesk.db)"),
]


def fail(error: PaydeskError) -> NoReturn:
    codes: list[tuple[type[PaydeskError], int]] = [
        (PolicyRefusal, EXIT_REFUSED),
        (NotFound, EXIT_NOT_FOUND),
        (ApprovalNeeded, EXIT_APPROVAL),
        (DeveloperError, EXIT_BAD_INPUT),
        (NeedsInput, EXIT_BAD_INPUT),
        (UpstreamError, EXIT_ERROR),
    ]
    code = next((c for cls, c in codes if isinstance(error, cls)), EXIT_ERROR)
    err.print(f"[bold red]error[/] ({error.code}): {error.message}", markup=True, highlight=False)
    raise typer.Exit(code)


def open_store(db: str | None) -> Store:
    settings = load_settings(database_url=db)
    try:
        return Store.open(settings.database_url)
    except PaydeskError as error:
        fail(error)
