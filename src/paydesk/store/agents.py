"""Human agents and their login sessions. Session tokens are stored only as SHA-256 digests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, delete, insert, select, update

from paydesk.store import tables as t

Role = Literal["agent", "supervisor"]


@dataclass(frozen=True, slots=True)
class AgentRow:
    username: str
    name: str
    role: Role
    password_hash: str
    created: datetime


class Agents:
    """Over the caller's connection (one transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, username: str) -> AgentRow | None:
        r = self.conn.execute(select(t.agents).where(t.agents.c.username == username)).first()
        return None if r is None else AgentRow(r.username, r.name, r.role, r.password_hash, r.created)

    def all(self) -> list[AgentRow]:
        rows = self.conn.execute(select(t.agents).order_by(t.agents.c.username))
        return [AgentRow(r.username, r.name, r.role, r.password_hash, r.created) for r in rows]

    def put(self, row: AgentRow) -> None:
        """Create the agent, or replace its name, role and password."""
        values = {"name": row.name, "role": row.role, "password_hash": row.password_hash}
        if self.get(row.username) is None:
            self.conn.execute(insert(t.agents).values(username=row.username, created=row.created, **values))
        else:
            self.conn.execute(update(t.agents).where(t.agents.c.username == row.username).values(**values))
            self.conn.execute(delete(t.agent_sessions).where(t.agent_sessions.c.username == row.username))

    def add_session(self, token_hash: str, username: str, created: datetime, expires: datetime) -> None:
        self.conn.execute(
            insert(t.agent_sessions).values(token_hash=token_hash, username=username, created=created, expires=expires)
        )

    def session_agent(self, token_hash: str, now: datetime) -> AgentRow | None:
        """The agent of a live session."""
        username = self.conn.scalar(
            select(t.agent_sessions.c.username).where(
                t.agent_sessions.c.token_hash == token_hash, t.agent_sessions.c.expires > now
            )
        )
        return None if username is None else self.get(username)

    def end_session(self, token_hash: str) -> None:
        self.conn.execute(delete(t.agent_sessions).where(t.agent_sessions.c.token_hash == token_hash))

    def end_expired(self, now: datetime) -> None:
        self.conn.execute(delete(t.agent_sessions).where(t.agent_sessions.c.expires <= now))
