"""The Store: an engine plus transactions that hand out a Ledger repository."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from paydesk.domain.errors import UpstreamError
from paydesk.store.engine import WRITE_OPTION, make_engine
from paydesk.store.ledger import Ledger
from paydesk.store.locks import Locks
from paydesk.store.migrate import create_all, upgrade

MIGRATION_LOCK = "paydesk:migrate"


class Store:
    """Owns the engine and the named locks. `read()` and `write()` each run one transaction; `write()` serialises
    writers on SQLite."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.locks = Locks(engine)
        self._writer = engine.execution_options(**{WRITE_OPTION: True})

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Open the database at `url`, bringing its schema up to date unless `migrate` is false (one process at a
        time: others starting at once wait, then find it current)."""
        store = cls(make_engine(url))
        if migrate:
            try:
                with store.locks.hold(MIGRATION_LOCK):
                    upgrade(store.engine)
            except OperationalError as exc:
                raise UpstreamError(f"database unavailable: {exc.orig}") from exc
        return store

    @classmethod
    def memory(cls) -> Store:
        """A throwaway in-memory SQLite store (scenarios, tests)."""
        store = cls(make_engine("sqlite://"))
        create_all(store.engine)
        return store

    @contextmanager
    def read(self) -> Iterator[Ledger]:
        with _upstream(), self.engine.begin() as conn:
            yield Ledger(conn)

    @contextmanager
    def write(self) -> Iterator[Ledger]:
        with self.locks.writer(), _upstream(), self._writer.begin() as conn:
            yield Ledger(conn)

    def close(self) -> None:
        self.locks.close()
        self.engine.dispose()


@contextmanager
def _upstream() -> Iterator[None]:
    """Turn a lost or refused database connection into UpstreamError; other database errors are bugs and propagate."""
    try:
        yield
    except PoolTimeout as exc:
        raise UpstreamError("database busy: no connection free in time") from exc
    except OperationalError as exc:
        raise UpstreamError(f"database unavailable: {exc.orig}") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise UpstreamError(f"database connection lost: {exc.orig}") from exc
        raise
