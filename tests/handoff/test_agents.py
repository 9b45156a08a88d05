"""Passwords and agent sessions on a real store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from paydesk.domain.clock import FixedClock
from paydesk.domain.errors import DeveloperError
from paydesk.handoff.agents import AgentAccounts
from paydesk.handoff.passwords import hash_password, verify_password
from paydesk.store.agents import Agents
from paydesk.store.database import Store


def test_password_hashes_are_salted_and_verify() -> None:
    one, two = hash_password("correct horse"), hash_password("correct horse")
    assert one != two and one.startswith("scrypt$") and "correct" not in one
    assert verify_password("correct horse", one) and verify_password("correct horse", two)
    assert not verify_password("correct horsE", one)
    assert not verify_password("x", "md5$abc") and not verify_password("x", "garbage")


def test_sessions_expire_and_end_with_a_password_reset(store: Store, clock: FixedClock) -> None:
    accounts = AgentAccounts(store, clock, session_hours=1)
    accounts.put("maria", "Maria", "agent", "password-1")
    assert accounts.login("maria", "password-2") is None and accounts.login("nobody", "password-1") is None
    found = accounts.login("maria", "password-1")
    assert found is not None
    agent, token = found
    assert accounts.of_session(token) == agent
    with store.read() as ledger:
        stored = Agents(ledger.conn).get("maria")
    assert stored is not None and token not in stored.password_hash
    later = FixedClock(clock.now() + timedelta(minutes=61))
    assert AgentAccounts(store, later).of_session(token) is None
    _, fresh = accounts.login("maria", "password-1") or (None, "")
    accounts.put("maria", "Maria", "supervisor", "password-3")  # a reset ends the sessions
    assert accounts.of_session(fresh) is None
    assert accounts.login("maria", "password-3") is not None


@pytest.mark.parametrize(
    ("username", "role", "password", "message"),
    [
        ("maria", "boss", "password-1", "role"),
        ("maria", "agent", "short", "8 characters"),
        ("a b", "agent", "password-1", "username"),
    ],
)
def test_bad_accounts_are_refused(
    store: Store, clock: FixedClock, username: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(DeveloperError, match=message):
        AgentAccounts(store, clock).put(username, "x", role, password)
