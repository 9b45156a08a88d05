"""Alembic migrations create exactly the schema that tables.py declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from paydesk.store.database import Store
from paydesk.store.migrate import current_revision, head_revision
from paydesk.store.tables import metadata


def test_migrations_match_the_tables(store: Store) -> None:
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_upgrade_is_idempotent(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/twice.db"
    Store.open(url).close()
    store = Store.open(url)
    assert current_revision(store.engine) == head_revision()
    store.close()


def test_sqlite_files_use_wal(tmp_path: object) -> None:
    store = Store.open(f"sqlite:///{tmp_path}/wal.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()
