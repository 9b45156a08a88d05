"""The paydesk command line (Typer + Rich)."""

from __future__ import annotations

import typer

from paydesk.cli import analytics, conversation, ledger, privacy, service, understanding


def build_app() -> typer.Typer:
    app = typer.Typer(
        help="paydesk: the AI customer-service agent for payments and buy-now-pay-later.",
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
    )
    ledger.register(app)
    understanding.register(app)
    conversation.register(app)
    service.register(app)
    analytics.register(app)
    privacy.register(app)
    return app


def main() -> None:
    build_app()()
