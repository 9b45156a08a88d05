"""Settings from the environment (PAYDESK_*), built by `load_settings()`, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from paydesk.store.engine import DEFAULT_URL


class Settings(BaseSettings):
    """database_url: SQLAlchemy URL (`sqlite:///./var/paydesk.db` by default, or `postgresql+psycopg://...`).
    policy_file: a policy YAML replacing the bundled `policies/default.yaml`.
    env: `development` or `production`."""

    model_config = SettingsConfigDict(env_prefix="PAYDESK_", extra="ignore")

    database_url: str = DEFAULT_URL
    policy_file: Path | None = None
    env: Literal["development", "production"] = "development"
    seed: int = Field(default=7, description="demo ledger seed")


def load_settings(**overrides: object) -> Settings:
    """Read the environment; explicit overrides (e.g. a CLI's --db) win when not None."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
