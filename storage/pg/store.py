"""PgStore, PgSourceTable, PgChannelStore: the SQLite stores' queries on PostgreSQL.

Each subclasses its SQLite store and swaps the connection for a PgDatabase (which translates
the SQL, storage/pg/dialect.py), so a query changed there changes here. Only what is SQLite's
own is overridden: full-text search (FTS5 MATCH becomes tsvector @@ tsquery over GIN indexes),
opening and migrating.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
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

    def _unattributed_copies(self, keys: Sequence[str], limit: int,
                             sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """As on SQLite, with the quote keys looked up first: PostgreSQL has no `indexed by`,
        and for "order by article_id desc limit N" its planner walked the article index
        backwards through all 307,100 quotes of the 100,000-article bench store (EXPLAIN
        ANALYZE: 0.5-0.9 s), expecting copies that mostly do not exist. Materialized, the
        lookup runs alone, over the partial index of unattributed quotes (0.1 ms)."""
        seen, seen_params = visible_articles(sources, "c.article_id")
        return self._rows(
            f"with copies as materialized (select article_id, start, text, speaker, person_id, "
            f"quote_key from quotes where quote_key in ({','.join('?' * len(keys))}) "
            f"and person_id is null) "
            f"select c.article_id, c.start, c.text, c.speaker, c.person_id, c.quote_key, "
            f"p.name person_name from copies c left join people p on p.id = c.person_id "
            f"where 1 = 1{seen} order by c.article_id desc limit ?",
            (*keys, *seen_params, limit))

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
    leases, so processes sharing the store poll each due source once.

    A lease is a session advisory lock on (LEASE_KEY, source id), as the outbox's claims are:
    it lives as long as its holder's connection, so a holder that dies (killed, crashed, its
    machine gone) lets go at once, and a live one keeps it however slow its poll is. (Leases
    used to lapse by the clock after 15 minutes, when a slow live poll could be doubled.)
    """

    LEASE_KEY = 0x4E45  # the advisory lock space of poll leases: (LEASE_KEY, source id)

    def __init__(self, store: SqliteStore) -> None:  # noqa: D107
        super().__init__(store)
        # Source id -> the connection its lock was taken on: a lock dies with a connection
        # the server dropped, and the pool's new connection does not hold it.
        self._held: dict[int, object] = {}

    def lease(self, source_id: int, now: str, seconds: float) -> bool:
        """Take the source for this process (now and seconds: the SQLite port's; unused)."""
        conn = self.db._connection()  # type: ignore[attr-defined]
        if self._held.get(source_id) is conn:
            return True  # already ours (session locks stack: taking it twice needs two unlocks)
        got = self.db.execute_native(  # type: ignore[attr-defined]
            "select pg_try_advisory_lock(%s, %s)", (self.LEASE_KEY, source_id)).fetchone()
        if not got or not got[0]:
            return False  # another process is polling it
        self._held[source_id] = self.db._connection()  # type: ignore[attr-defined]
        return True

    def release(self, source_id: int) -> None:
        conn = self._held.pop(source_id, None)
        if conn is not None and conn is self.db._connection():  # type: ignore[attr-defined]
            self.db.execute_native(  # type: ignore[attr-defined]
                "select pg_advisory_unlock(%s, %s)", (self.LEASE_KEY, source_id))


class PgTenantStore(TenantStore):
    """Subscriptions, routes and filters on PostgreSQL: the SQLite table's SQL, translated."""

    def transaction(self) -> AbstractContextManager[PgDatabase]:  # type: ignore[override]
        return self.db.transaction()  # type: ignore[attr-defined,no-any-return]


class PgChannelStore(ChannelStore):
    """Channels, schedules, alerts and the outbox on PostgreSQL.

    Several processes may deliver from one outbox: `claim_pending` claims the rows it returns
    with a session advisory lock per post, so no two processes hold one post. The lock lives
    as long as its holder's connection: a process that is killed loses its claims at once (the
    outbox's in-doubt lookup, bot/delivery/outbox.py, then keeps its post from going twice),
    and a slow one keeps them however long it takes.
    """

    CLAIM_KEY = 0x4E44  # the advisory lock space of outbox claims: (CLAIM_KEY, outbox id)

    def __init__(self, db: PgDatabase) -> None:  # noqa: D107 - migrated with the store
        self.db = db  # type: ignore[assignment]
        self.tenants = PgTenantStore(db)
        self._news_only = "and coalesce(backfill, 0) = 0"
        self._held: set[int] = set()

    def claim_pending(self, now: str, limit: int = 50) -> list[dict[str, Any]]:
        """Due posts, oldest first, claimed for this process (none another one holds)."""
        claimed: list[dict[str, Any]] = []
        for row in self.pending(now, limit + 4 * limit):
            if len(claimed) >= limit:
                break
            post_id = int(row["id"])
            if post_id not in self._held:
                got = self.db.execute_native(  # type: ignore[attr-defined]
                    "select pg_try_advisory_lock(%s, %s)", (self.CLAIM_KEY, post_id)).fetchone()
                if not got or not got[0]:
                    continue  # another process is delivering it
                self._held.add(post_id)
            # Read again under the claim: its holder may have sent it since we looked.
            fresh = self.outbox_row(post_id)
            if fresh is None or fresh["sent_at"] or fresh["gave_up_at"]:
                self._unclaim(post_id)
                continue
            claimed.append(fresh)
        return claimed

    def _unclaim(self, post_id: int) -> None:
        if post_id in self._held:
            self._held.discard(post_id)
            self.db.execute_native(  # type: ignore[attr-defined]
                "select pg_advisory_unlock(%s, %s)", (self.CLAIM_KEY, post_id))

    def mark_sent(self, outbox_id: int, sent_at: str, message_id: str | None) -> None:
        super().mark_sent(outbox_id, sent_at, message_id)
        self._unclaim(outbox_id)

    def mark_failed(self, outbox_id: int, error: str, retry_at: str | None,
                    gave_up_at: str | None) -> None:
        """As on SQLite, and the claim goes: the retry may be another process's."""
        super().mark_failed(outbox_id, error, retry_at, gave_up_at)
        self._unclaim(outbox_id)

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
