"""Engine factory: SQLite (default, WAL) or PostgreSQL, from a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from paydesk.domain.errors import DeveloperError

DEFAULT_URL = "sqlite:///./var/paydesk.db"
WRITE_OPTION = "paydesk_write"
SQLITE_POOL = 40  # anyio's default thread pool


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` as psycopg 3 URLs; refuse unknown backends."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a useful text
        raise DeveloperError(f"bad database URL {url!r}: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return url
    raise DeveloperError(f"unsupported database {backend!r}: use sqlite:///PATH or postgresql+psycopg://...")


def make_engine(url: str = DEFAULT_URL, *, pool_size: int = 10) -> Engine:
    """Create an engine. SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE for writes."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    memory = database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if memory:
        kwargs["poolclass"] = StaticPool
    else:  # as many connections as the service's threads, kept open (opening one costs its PRAGMAs)
        kwargs |= {"pool_size": SQLITE_POOL, "max_overflow": SQLITE_POOL}
        assert database is not None
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so that BEGIN IMMEDIATE below is honoured.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front: no deadlock-prone upgrade from a read lock, no SQLITE_BUSY mid-action.
        # Straight to the driver: SQLAlchemy's statement machinery would cost more than the BEGIN itself.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
