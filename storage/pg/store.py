"""PgStore, PgSourceTable, PgChannelStore: the SQLite stores' queries on PostgreSQL.

Each subclasses its SQLite store and swaps the connection for a PgDatabase (which translates
the SQL, storage/pg/dialect.py), so a query changed there changes here. Only what is SQLite's
own is overridden: full-text search (FTS5 MATCH becomes tsvector @@ tsquery over GIN indexes),
opening and migrating.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from bot.models import StoredPerson
from bot.ports import KeyFn
from storage.channels import ChannelStore
from storage.pg import schema
from storage.pg.database import PgDatabase, redact
from storage.sqlite_store import SourceTable, SqliteStore
from storage.tenants import TenantStore, visible_articles

_CONFIG = "newsdesk_english"


def _words(text: str, limit: int = 12) -> str:
    """A topic's words (as the SQLite store's _fts_query takes them), for plainto_tsquery."""
    return " ".join("".join(c if c.isalnum() else " " for c in text).split()[:limit])


def _phrases(fts_phrase: str) -> list[str]:
    """The quoted parts of an FTS5 query made by bot/delivery/alerts.py (`"a b"` or `"a" "b"`)."""
    return [p for p in re.findall(r'"([^"]*)"', fts_phrase) if p.strip()]


class PgStore(SqliteStore):
    """The Store port on PostgreSQL (psycopg 3, a psycopg_pool connection)."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:  # noqa: D107
        self.read_only = False
        self.db = PgDatabase(url)  # type: ignore[assignment]
        self.path = redact(url)
        self.url = url
        if migrate:
            schema.migrate(self.db)  # type: ignore[arg-type]

    def transaction(self) -> AbstractContextManager[PgDatabase]:  # type: ignore[override]
        return self.db.transaction()  # type: ignore[attr-defined,no-any-return]

    def search_articles(self, topic: str, limit: int = 500, *,
                        sources: Sequence[int] | None = None) -> list[int]:
        words = _words(topic)
        if not words:
            return []
        seen, seen_params = visible_articles(sources, "articles.id")
        ids = [r[0] for r in self.db.execute(
            f"select id from articles where search @@ plainto_tsquery('{_CONFIG}', ?){seen} "
            "order by id desc limit ?", (words, *seen_params, limit)
        ).fetchall()]
        person_ids = [r[0] for r in self.db.execute(
            f"select id from people where {schema.PERSON_TSV} @@ plainto_tsquery('simple', ?) "
            "limit 20", (words,)).fetchall()]
        if person_ids:
            marks = ",".join("?" * len(person_ids))
            seen, seen_params = visible_articles(sources, "article_people.article_id")
            ids += [r[0] for r in self.db.execute(
                f"select article_id from article_people where person_id in ({marks}){seen} "
                f"order by article_id desc limit ?", (*person_ids, *seen_params, limit)
            ).fetchall()]
        return sorted(set(ids), reverse=True)[:limit]

    def article(self, article_id: int) -> dict[str, Any] | None:
        row = super().article(article_id)
        if row is not None:
            row.pop("search", None)  # the full-text index's column: not part of an article
        return row

    def persons_named(self, query: str, key: KeyFn, limit: int = 10) -> list[StoredPerson]:
        ids = [r[0] for r in self.db.execute(
            "select person_id from person_aliases where key = ? limit ?", (key(query), limit)
        ).fetchall()]
        words = _words(query)
        if words:
            ids += [r[0] for r in self.db.execute(
                f"select id from people where {schema.PERSON_TSV} @@ "
                "plainto_tsquery('simple', ?) limit ?", (words, limit)).fetchall()]
        ids += [r[0] for r in self.db.execute(
            "select id from people where last_key = ? limit ?", (key(query), limit)).fetchall()]
        unique = list(dict.fromkeys(ids))
        return sorted(self.people_by_ids(unique), key=lambda p: -p.mentions)


class PgSourceTable(SourceTable):
    """Sources on PostgreSQL: the SQLite table's SQL, through the store's PgDatabase, and
    leases, so processes sharing the store poll each due source once."""

    def __init__(self, store: SqliteStore) -> None:  # noqa: D107
        super().__init__(store)
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    def lease(self, source_id: int, now: str, seconds: float) -> bool:
        until = (datetime.fromisoformat(now) + timedelta(seconds=seconds)
                 ).isoformat(timespec="seconds")
        return bool(self.store._rows(
            "update sources set lease_by = ?, lease_until = ? where id = ? and (lease_until "
            "is null or lease_until <= ? or lease_by = ?) returning id",
            (self.holder, until, source_id, now, self.holder)))

    def release(self, source_id: int) -> None:
        self.db.execute("update sources set lease_by = null, lease_until = null "
                        "where id = ? and lease_by = ?", (source_id, self.holder))


class PgTenantStore(TenantStore):
    """Subscriptions, routes and filters on PostgreSQL: the SQLite table's SQL, translated."""

    def transaction(self) -> AbstractContextManager[PgDatabase]:  # type: ignore[override]
        return self.db.transaction()  # type: ignore[attr-defined,no-any-return]


class PgChannelStore(ChannelStore):
    """Channels, schedules, alerts and the outbox on PostgreSQL.

    Several processes may deliver from one outbox: `claim_pending` claims the rows it returns
    (FOR UPDATE SKIP LOCKED, a claim that lapses after CLAIM_S), so no two processes hold one
    post. A process killed while holding posts leaves them to another once the claim lapses;
    the outbox's in-doubt lookup (bot/delivery/outbox.py) then keeps them from posting twice.
    """

    CLAIM_S = 300

    def __init__(self, db: PgDatabase) -> None:  # noqa: D107 - migrated with the store
        self.db = db  # type: ignore[assignment]
        self.tenants = PgTenantStore(db)
        self._news_only = "and coalesce(backfill, 0) = 0"
        self.claimer = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    def claim_pending(self, now: str, limit: int = 50) -> list[dict[str, Any]]:
        """Due posts, oldest first, claimed for this process (none another one holds)."""
        until = (datetime.fromisoformat(now) + timedelta(seconds=self.CLAIM_S)
                 ).isoformat(timespec="seconds")
        rows = self._rows(
            "update outbox set claimed_by = ?, claimed_until = ? where id in (select id from "
            "outbox where sent_at is null and gave_up_at is null and (next_attempt_at is null "
            "or next_attempt_at <= ?) and (claimed_until is null or claimed_until <= ? or "
            "claimed_by = ?) order by id limit ? for update skip locked) returning *",
            (self.claimer, until, now, now, self.claimer, limit))
        return sorted(rows, key=lambda r: r["id"])

    def mark_failed(self, outbox_id: int, error: str, retry_at: str | None,
                    gave_up_at: str | None) -> None:
        """As on SQLite, and the claim goes: the retry may be another process's."""
        with self.transaction() as conn:
            super().mark_failed(outbox_id, error, retry_at, gave_up_at)
            conn.execute("update outbox set claimed_by = null, claimed_until = null "
                         "where id = ?", (outbox_id,))

    def transaction(self) -> AbstractContextManager[PgDatabase]:  # type: ignore[override]
        return self.db.transaction()  # type: ignore[attr-defined,no-any-return]

    def article_has_phrase(self, article_id: int, fts_phrase: str) -> bool:
        phrases = _phrases(fts_phrase)
        if not phrases:
            return False
        query = " && ".join(f"phraseto_tsquery('{_CONFIG}', ?)" for _ in phrases)
        return self.db.conn.execute(
            f"select 1 from articles where id = ? and search @@ ({query})",
            (article_id, *phrases)).fetchone() is not None
