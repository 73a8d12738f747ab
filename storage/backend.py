"""Which store a setup uses: the SQLite file at storage.path, or PostgreSQL at storage.url."""

from __future__ import annotations

from typing import Any

from bot.config import PG_SCHEMES, StorageSettings
from storage.channels import ChannelStore
from storage.sqlite_store import SourceTable, SqliteStore


def is_pg_url(target: str) -> bool:
    return target.startswith(PG_SCHEMES)


def open_configured(storage: StorageSettings | str) -> SqliteStore:
    """The store the settings name (PostgreSQL when storage.url is set), opened and migrated."""
    target = storage if isinstance(storage, str) else (storage.url or storage.path)
    if is_pg_url(target):
        from storage.pg.store import PgStore

        return PgStore(target)
    return SqliteStore(target)


def source_table(store: SqliteStore) -> SourceTable:
    """The sources of this store, on its own backend."""
    from storage.pg.store import PgSourceTable, PgStore

    return PgSourceTable(store) if isinstance(store, PgStore) else SourceTable(store)


def channel_store(store: SqliteStore) -> ChannelStore:
    """Channels, schedules, alerts and the outbox of this store, on its own backend."""
    from storage.pg.store import PgChannelStore, PgStore

    if isinstance(store, PgStore):
        return PgChannelStore(store.db)  # type: ignore[arg-type]
    return ChannelStore(store.db)


def backend_name(store: Any) -> str:
    from storage.pg.store import PgStore

    return "postgresql" if isinstance(store, PgStore) else "sqlite"
