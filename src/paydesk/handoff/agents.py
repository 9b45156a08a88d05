"""Agent accounts and login sessions: a random session token goes to the browser, its SHA-256 to the database."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from paydesk.domain.clock import Clock
from paydesk.domain.errors import DeveloperError
from paydesk.handoff.passwords import hash_password, verify_password
from paydesk.store.agents import AgentRow, Agents, Role
from paydesk.store.database import Store

ROLES: tuple[Role, ...] = ("agent", "supervisor")
MIN_PASSWORD = 8
# Verifying against this when the username is unknown keeps a failed login as slow as a wrong password.
_DECOY = hash_password(secrets.token_urlsafe(12))


@dataclass(frozen=True, slots=True)
class Agent:
    username: str
    name: str
    role: Role


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _public(row: AgentRow) -> Agent:
    return Agent(row.username, row.name, row.role)


class AgentAccounts:
    def __init__(self, store: Store, clock: Clock, session_hours: float = 12) -> None:
        self.store, self.clock, self.session_hours = store, clock, session_hours

    def put(self, username: str, name: str, role: str, password: str) -> Agent:
        """Create the agent or reset its name, role and password (ending its sessions)."""
        if role not in ROLES:
            raise DeveloperError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if len(password) < MIN_PASSWORD:
            raise DeveloperError(f"the password needs at least {MIN_PASSWORD} characters")
        if not username or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
            raise DeveloperError(f"a username is letters, digits, '.', '-' and '_', not {username!r}")
        row = AgentRow(username, name or username, role, hash_password(password), self.clock.now())
        with self.store.write() as ledger:
            Agents(ledger.conn).put(row)
        return _public(row)

    def login(self, username: str, password: str) -> tuple[Agent, str] | None:
        """The agent and a new session token, or None for a wrong username or password."""
        with self.store.read() as ledger:
            row = Agents(ledger.conn).get(username)
        if not verify_password(password, row.password_hash if row else _DECOY) or row is None:
            return None
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.store.write() as ledger:
            agents = Agents(ledger.conn)
            agents.end_expired(now)
            agents.add_session(_digest(token), row.username, now, now + timedelta(hours=self.session_hours))
        return _public(row), token

    def of_session(self, token: str) -> Agent | None:
        with self.store.read() as ledger:
            row = Agents(ledger.conn).session_agent(_digest(token), self.clock.now())
        return None if row is None else _public(row)

    def logout(self, token: str) -> None:
        with self.store.write() as ledger:
            Agents(ledger.conn).end_session(_digest(token))
