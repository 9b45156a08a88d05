"""Settings from the environment (PAYDESK_*), built by `load_settings()`, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from paydesk.store.engine import DEFAULT_URL

DEVELOPMENT_SECRET = "paydesk-development-secret-do-not-use-in-production"


class Settings(BaseSettings):
    """database_url: SQLAlchemy URL (`sqlite:///./var/paydesk.db` by default, or `postgresql+psycopg://...`).
    policy_file: a policy YAML replacing the bundled `policies/default.yaml`.
    env: `development` or `production` (production refuses the development secret and turns the demo sign-in off).
    secret: the key that signs customer tokens (the app issues them; `paydesk token` makes one for the demo).
    demo: the demo sign-in of /chat (any demo customer, no password); on by default in development only."""

    model_config = SettingsConfigDict(env_prefix="PAYDESK_", extra="ignore")

    database_url: str = DEFAULT_URL
    policy_file: Path | None = None
    env: Literal["development", "production"] = "development"
    seed: int = Field(default=7, description="demo ledger seed")
    secret: str = DEVELOPMENT_SECRET
    demo: bool | None = None
    customer_token_hours: float = 24.0
    agent_session_hours: float = 12.0
    messages_per_minute: int = Field(default=30, ge=1, description="per customer; more is answered 429")
    max_message_chars: int = Field(default=4000, ge=1)
    max_body_bytes: int = Field(default=65_536, ge=1024)
    threads: int | None = Field(
        default=None, ge=1, le=1000, description="turns at once per process; default 2 embedded, 40 with an LLM"
    )

    repeat_window_days: float = Field(default=7, gt=0, description="a customer back about the same within it: repeat")
    idle_minutes: float = Field(default=30, gt=0, description="a conversation quiet this long is over")
    agent_handling_minutes: float = Field(default=11, gt=0, description="until measured from agent-resolved cases")
    fte_minutes_per_month: float = Field(default=7200, gt=0, description="productive minutes of one agent a month")

    engine: Literal["embedded", "llm"] = "embedded"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str = ""
    llm_timeout: float = Field(default=10.0, gt=0, description="seconds per model call")
    llm_retries: int = Field(default=2, ge=0, description="after a 429, 5xx or timeout, with backoff")
    llm_token_budget: int = Field(default=20_000, ge=0, description="model tokens per conversation")
    llm_phrasing: bool = False

    @property
    def demo_enabled(self) -> bool:
        return self.demo if self.demo is not None else self.env == "development"


def load_settings(**overrides: object) -> Settings:
    """Read the environment; explicit overrides (e.g. a CLI's --db) win when not None."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
