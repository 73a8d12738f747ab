"""TenantStore: subscriptions of tenants to sources, routes to channels, filters, channel owners."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from storage.transactions import write_transaction

DEFAULT = "default"
# Articles stored without a source (before tenants, or by a direct ingest) belong to "default";
# 0 names them in a list of visible source ids (SQLite row ids start at 1).
NO_SOURCE = 0
FILES_KIND = "files"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class TenantStore:
    """Who follows which source, where it is routed, and with which filters."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._channels: dict[tuple[str, str], str] = {}
        # Every tenant also reads what "default" follows (the operator's coverage, and all a
        # store held before tenants): config key tenants.share_default.
        self.share_default = True

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return write_transaction(self.db.conn)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # ----------------------------------------------------------- subscriptions

    _MERGED = ("select s.*, b.id id, b.source_id source_id, b.tenant tenant, b.name name, "
               "b.platform platform, b.channel channel, b.added_by added_by, "
               "b.added_at added_at from subscriptions b join sources s on s.id = b.source_id ")

    def subscribe(self, tenant: str, source_id: int, name: str, *, platform: str = "",
                  channel: str = "", added_by: str = "") -> int:
        """The tenant follows the source (again): its subscription number."""
        with self.transaction() as conn:
            old = conn.execute("select id from subscriptions where tenant = ? and source_id = ? "
                               "order by removed_at is null desc, id limit 1",
                               (tenant, source_id)).fetchone()
            if old:
                conn.execute("update subscriptions set removed_at = null, name = ?, "
                             "platform = ?, channel = ?, added_by = ?, added_at = ? "
                             "where id = ?", (name, platform, channel, added_by, _now(), old[0]))
                return int(old[0])
            cur = conn.execute(
                "insert into subscriptions (tenant, source_id, name, platform, channel, "
                "added_by, added_at) values (?, ?, ?, ?, ?, ?, ?)",
                (tenant, source_id, name, platform, channel, added_by, _now()))
            return int(cur.lastrowid or 0)

    def subscription(self, tenant: str, subscription_id: int) -> dict[str, Any] | None:
        """A tenant's live subscription as a source row (its own id, name and channel)."""
        rows = self._rows(self._MERGED + "where b.id = ? and b.tenant = ? and b.removed_at "
                          "is null and s.kind != ?", (subscription_id, tenant, FILES_KIND))
        return rows[0] if rows else None

    def subscriptions(self, tenant: str) -> list[dict[str, Any]]:
        return self._rows(self._MERGED + "where b.tenant = ? and b.removed_at is null "
                          "and s.kind != ? order by b.id", (tenant, FILES_KIND))

    def followers(self, source_id: int) -> list[dict[str, Any]]:
        """Every live subscription to a source (each tenant's view of it)."""
        return self._rows(self._MERGED + "where b.source_id = ? and b.removed_at is null "
                          "order by b.id", (source_id,))

    def followed(self, tenant: str, source_id: int) -> dict[str, Any] | None:
        rows = self._rows(self._MERGED + "where b.tenant = ? and b.source_id = ? and "
                          "b.removed_at is null", (tenant, source_id))
        return rows[0] if rows else None

    def count(self, tenant: str) -> int:
        return int(self.db.conn.execute(
            "select count(*) from subscriptions b join sources s on s.id = b.source_id "
            "where b.tenant = ? and b.removed_at is null and s.kind != ?",
            (tenant, FILES_KIND)).fetchone()[0])

    def unsubscribe(self, subscription_id: int) -> None:
        """Stop following; the articles already read stay visible to the tenant."""
        with self.transaction() as conn:
            conn.execute("update subscriptions set removed_at = ? where id = ?",
                         (_now(), subscription_id))
            routes = [r[0] for r in conn.execute(
                "select id from routes where subscription_id = ?", (subscription_id,))]
            if routes:
                conn.execute(f"delete from route_filters where route_id in ({_marks(routes)})",
                             routes)
                conn.execute("delete from routes where subscription_id = ?", (subscription_id,))

    def rename(self, subscription_id: int, name: str) -> None:
        with self.transaction() as conn:
            conn.execute("update subscriptions set name = ? where id = ?", (name, subscription_id))

    def unfollowed_source_ids(self) -> set[int]:
        """Sources every tenant that followed them has removed: no longer polled. (A source
        nobody ever subscribed to, as one written straight into the table, is polled.)"""
        return {r[0] for r in self.db.conn.execute(
            "select source_id from subscriptions group by source_id "
            "having sum(case when removed_at is null then 1 else 0 end) = 0")}

    def tenants(self) -> list[str]:
        return [r[0] for r in self.db.conn.execute(
            "select distinct tenant from subscriptions order by tenant")]

    def visible_sources(self, tenant: str) -> list[int] | None:
        """The source ids whose articles the tenant may read; None: every article.

        A store only "default" ever used is read whole (no restriction, no cost). Otherwise a
        tenant sees the sources it follows or followed (articles stay after a removal);
        "default" also the articles stored without a source, and so does every tenant when
        "default" is shared.
        """
        others = self.db.conn.execute(
            "select 1 from subscriptions where tenant != ? limit 1", (DEFAULT,)).fetchone()
        if tenant == DEFAULT and others is None:
            return None
        readers = (tenant, DEFAULT) if self.share_default else (tenant,)
        ids = [r[0] for r in self.db.conn.execute(
            f"select distinct source_id from subscriptions where tenant in "
            f"({_marks(readers)}) order by source_id", readers)]
        if DEFAULT not in readers:
            return ids
        # Sources no tenant ever followed (written straight into the table) are "default"'s.
        return ids + [r[0] for r in self.db.conn.execute(
            "select id from sources where not exists (select 1 from subscriptions b "
            "where b.source_id = sources.id)")] + [NO_SOURCE]

    def files_source(self, tenant: str) -> int | None:
        """The source that files and URLs ingested for a tenant are stored under (made once);
        None for "default", whose ingests stay without a source as before."""
        if tenant == DEFAULT:
            return None
        url = f"files:{tenant}"
        with self.transaction() as conn:
            row = conn.execute("select id from sources where url = ?", (url,)).fetchone()
            if row:
                source_id = int(row[0])
            else:
                source_id = int(conn.execute(
                    "insert into sources (url, name, kind, added_at, enabled) "
                    "values (?, ?, ?, ?, 0)",
                    (url, "files ingested from the command line", FILES_KIND, _now())
                ).lastrowid or 0)
            if not conn.execute("select 1 from subscriptions where tenant = ? and "
                                "source_id = ?", (tenant, source_id)).fetchone():
                conn.execute("insert into subscriptions (tenant, source_id, name, platform, "
                             "added_by, added_at) values (?, ?, ?, 'cli', 'cli', ?)",
                             (tenant, source_id, "files", _now()))
        return source_id

    # ------------------------------------------------------------------ routes

    def link_articles(self, source_id: int, article_ids: Sequence[int]) -> None:
        """These stored articles came from this source too (it is not where they are stored):
        the tenants that follow it read them as well."""
        if not article_ids:
            return
        with self.transaction() as conn:
            conn.executemany(
                "insert or ignore into article_sources (article_id, source_id) "
                "select ?, ? where not exists (select 1 from articles where id = ? and "
                "source_id = ?)", [(a, source_id, a, source_id) for a in article_ids])

    def route(self, subscription_id: int, platform: str, channel: str, by: str) -> bool:
        """Route a subscription to a channel; False when it already was."""
        with self.transaction() as conn:
            cur = conn.execute(
                "insert or ignore into routes (subscription_id, platform, channel, created_at, "
                "created_by) values (?, ?, ?, ?, ?)",
                (subscription_id, platform, channel, _now(), by))
        return cur.rowcount > 0

    def route_id(self, subscription_id: int, platform: str, channel: str) -> int | None:
        row = self.db.conn.execute(
            "select id from routes where subscription_id = ? and platform = ? and channel = ?",
            (subscription_id, platform, channel)).fetchone()
        return int(row[0]) if row else None

    def unroute(self, subscription_id: int, platform: str, channel: str) -> bool:
        route_id = self.route_id(subscription_id, platform, channel)
        if route_id is None:
            return False
        with self.transaction() as conn:
            conn.execute("delete from route_filters where route_id = ?", (route_id,))
            conn.execute("delete from routes where id = ?", (route_id,))
        return True

    def routes_of(self, subscription_id: int) -> list[dict[str, Any]]:
        return self._rows("select * from routes where subscription_id = ? order by id",
                          (subscription_id,))

    def routes_to(self, platform: str, channel: str) -> list[dict[str, Any]]:
        """The live routes into a channel, with the source and subscription name of each."""
        return self._rows(
            "select r.id, r.subscription_id, b.source_id, b.name, b.tenant from routes r "
            "join subscriptions b on b.id = r.subscription_id where r.platform = ? and "
            "r.channel = ? and b.removed_at is null order by r.id", (platform, channel))

    # ----------------------------------------------------------------- filters

    def add_filter(self, route_id: int, mode: str, kind: str, value: str,
                   person_id: int | None) -> int:
        with self.transaction() as conn:
            cur = conn.execute(
                "insert into route_filters (route_id, mode, kind, value, person_id) "
                "values (?, ?, ?, ?, ?)", (route_id, mode, kind, value, person_id))
        return int(cur.lastrowid or 0)

    def filters_of(self, route_ids: Sequence[int]) -> list[dict[str, Any]]:
        if not route_ids:
            return []
        return self._rows(
            f"select f.*, p.name person_name from route_filters f left join people p "
            f"on p.id = f.person_id where f.route_id in ({_marks(route_ids)}) order by f.id",
            tuple(route_ids))

    def clear_filters(self, route_id: int) -> int:
        with self.transaction() as conn:
            return conn.execute("delete from route_filters where route_id = ?",
                                (route_id,)).rowcount

    def count_filters(self, route_id: int) -> int:
        return int(self.db.conn.execute("select count(*) from route_filters where route_id = ?",
                                        (route_id,)).fetchone()[0])

    # ---------------------------------------------------------------- channels

    def note_channel(self, platform: str, channel: str, tenant: str) -> None:
        """Remember which tenant a channel belongs to (the first one seen keeps it)."""
        if not channel or self._channels.get((platform, channel)) == tenant:
            return
        with self.transaction() as conn:
            conn.execute("insert or ignore into tenant_channels (platform, channel, tenant) "
                         "values (?, ?, ?)", (platform, channel, tenant))
        self._channels[(platform, channel)] = tenant

    def channel_tenant(self, platform: str, channel: str) -> str | None:
        row = self.db.conn.execute("select tenant from tenant_channels where platform = ? and "
                                   "channel = ?", (platform, channel)).fetchone()
        return str(row[0]) if row else None


def source_clause(sources: Sequence[int] | None, column: str = "source_id",
                  article: str | None = "id") -> tuple[str, list[int]]:
    """SQL (" and ..." form) keeping the articles of these sources; nothing for None (all).

    An article is stored once, under the first source that brought it; `article` (the
    article id column) also keeps those another of these sources brought again later.
    """
    if sources is None:
        return "", []
    ids = [int(s) for s in dict.fromkeys(sources)]
    if not ids:
        return " and 1 = 0", []
    if article is None:
        return f" and coalesce({column}, 0) in ({_marks(ids)})", ids
    return (f" and (coalesce({column}, 0) in ({_marks(ids)}) or {article} in (select "
            f"article_id from article_sources where source_id in ({_marks(ids)})))", ids + ids)


def visible_articles(sources: Sequence[int] | None, column: str,
                     index: str = "") -> tuple[str, list[int]]:
    """SQL (" and exists ..." form) keeping the article ids in COLUMN of these sources.

    Correlated on purpose: each row costs one primary-key lookup, where an IN list would
    first gather every visible article (and an FTS match would be driven by that list).
    `index` names an index of articles holding (id, source_id) for SQLite, whose planner
    otherwise reads the row itself (and its text's overflow pages) to reach source_id.
    """
    clause, params = source_clause(sources, "v.source_id", "v.id")
    if not clause:
        return "", []
    hint = f" indexed by {index}" if index else ""
    return (f" and exists (select 1 from articles v{hint} where v.id = {column}{clause})",
            params)
