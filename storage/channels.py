"""ChannelStore: the SQL for channels, digest schedules, alerts and the outbox of posts."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlite_utils import Database

from storage.channel_schema import migrate
from storage.tenants import TenantStore, source_clause
from storage.transactions import SqliteTransaction, write_transaction


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class ChannelStore:
    """Per-channel state over the same Database as SqliteStore (so both share transactions)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        migrate(db)
        self.tenants = TenantStore(db)  # who follows what, routes and filters
        # Articles read on a source's first fetch are stored but are not news (no digest, no
        # alert); the column comes with the main schema's backfill migration.
        columns = {c.name for c in db.table("articles").columns}
        self._news_only = "and coalesce(backfill, 0) = 0" if "backfill" in columns else ""

    def transaction(self) -> AbstractContextManager[SqliteTransaction]:
        return write_transaction(self.db.conn)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # ---------------------------------------------------------------- channels

    def channel(self, platform: str, channel: str) -> dict[str, Any]:
        """A channel's digest state; a channel never seen has had no digest yet."""
        row = self._one("select * from channels where platform = ? and channel = ?",
                        (platform, channel))
        return row or {"platform": platform, "channel": channel, "last_digest_at": None,
                       "last_digest_article": 0, "say_no_news": 0}

    def set_digest_mark(self, platform: str, channel: str, at: str, article_id: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "insert into channels (platform, channel, last_digest_at, last_digest_article) "
                "values (?, ?, ?, ?) on conflict(platform, channel) do update set "
                "last_digest_at = excluded.last_digest_at, "
                "last_digest_article = max(last_digest_article, excluded.last_digest_article)",
                (platform, channel, at, article_id))

    def set_say_no_news(self, platform: str, channel: str, say: bool) -> None:
        with self.transaction() as conn:
            conn.execute(
                "insert into channels (platform, channel, say_no_news) values (?, ?, ?) "
                "on conflict(platform, channel) do update set say_no_news = excluded.say_no_news",
                (platform, channel, int(say)))

    def covered_stories(self, platform: str, channel: str, story_ids: Sequence[int]) -> set[int]:
        """Which of these stories an earlier digest of this channel already covered."""
        if not story_ids:
            return set()
        return {r[0] for r in self.db.conn.execute(
            f"select distinct a.story_id from digest_items d "
            f"join outbox o on o.id = d.outbox_id join articles a on a.id = d.article_id "
            f"where o.platform = ? and o.channel = ? and o.kind = 'digest' "
            f"and a.story_id in ({_marks(story_ids)})",
            (platform, channel, *story_ids)).fetchall()}

    # ---------------------------------------------------------------- articles

    def max_article_id(self) -> int:
        return int(self.db.conn.execute("select coalesce(max(id), 0) from articles").fetchone()[0])

    def articles_after(self, article_id: int, limit: int = 2000, *,
                       sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """News articles stored after a watermark (of these sources, when given), oldest
        first (ids only grow)."""
        clause, params = source_clause(sources)
        return self._rows(
            f"select id, story_id, title, source, url, published, ingested_at, source_id "
            f"from articles where id > ? {self._news_only}{clause} order by id limit ?",
            (article_id, *params, limit))

    def story_outlets(self, story_id: int, *,
                      sources: Sequence[int] | None = None) -> list[str]:
        """The outlets that carried a story (among these sources, when given), in the order
        they did (first one first)."""
        clause, params = source_clause(sources)
        rows = self.db.conn.execute(
            f"select coalesce(nullif(source, ''), nullif(url, ''), 'article ' || id) "
            f"from articles where story_id = ?{clause} order by id",
            (story_id, *params)).fetchall()
        return list(dict.fromkeys(r[0] for r in rows))

    def count_enabled_sources(self, sources: Sequence[int] | None = None) -> int:
        clause, params = source_clause(sources, "id", article=None)
        return int(self.db.conn.execute(
            f"select count(*) from sources where enabled = 1 and kind != 'files'{clause}",
            params).fetchone()[0])

    def people_of_article(self, article_id: int) -> list[int]:
        return [r[0] for r in self.db.conn.execute(
            "select person_id from article_people where article_id = ? order by mentions desc",
            (article_id,)).fetchall()]

    def article_has_phrase(self, article_id: int, fts_phrase: str) -> bool:
        if not fts_phrase:
            return False
        return self.db.conn.execute(
            "select 1 from articles_fts where articles_fts match ? and rowid = ?",
            (fts_phrase, article_id)).fetchone() is not None

    # --------------------------------------------------------------- schedules

    def schedule(self, platform: str, channel: str) -> dict[str, Any] | None:
        return self._one("select * from schedules where platform = ? and channel = ?",
                         (platform, channel))

    def all_schedules(self) -> list[dict[str, Any]]:
        return self._rows("select * from schedules order by platform, channel")

    def set_schedule(self, platform: str, channel: str, spec: str, timezone: str,
                     created_at: str, created_by: str, tenant: str = "default") -> None:
        # last_run_at starts at the creation time: the first digest is the first slot after it.
        with self.transaction() as conn:
            conn.execute(
                "insert into schedules (platform, channel, spec, timezone, created_at, "
                "created_by, last_run_at, tenant) values (?, ?, ?, ?, ?, ?, ?, ?) "
                "on conflict(platform, channel) do update set spec = excluded.spec, "
                "timezone = excluded.timezone, created_at = excluded.created_at, "
                "created_by = excluded.created_by, last_run_at = excluded.last_run_at, "
                "tenant = excluded.tenant",
                (platform, channel, spec, timezone, created_at, created_by, created_at, tenant))

    def count_schedules(self, tenant: str) -> int:
        return int(self.db.conn.execute("select count(*) from schedules where tenant = ?",
                                        (tenant,)).fetchone()[0])

    def count_alerts(self, tenant: str) -> int:
        return int(self.db.conn.execute("select count(*) from alerts where tenant = ?",
                                        (tenant,)).fetchone()[0])

    def remove_schedule(self, platform: str, channel: str) -> bool:
        with self.transaction() as conn:
            cur = conn.execute("delete from schedules where platform = ? and channel = ?",
                               (platform, channel))
        return cur.rowcount > 0

    def mark_schedule_run(self, platform: str, channel: str, slot_at: str) -> None:
        with self.transaction() as conn:
            conn.execute("update schedules set last_run_at = ? where platform = ? and channel = ?",
                         (slot_at, platform, channel))

    def schedules_fingerprint(self) -> tuple[Any, ...]:
        """Changes when any schedule changes (also when another process changed it)."""
        return tuple(self.db.conn.execute(
            "select platform, channel, spec, timezone, created_at from schedules "
            "order by platform, channel").fetchall())

    # ------------------------------------------------------------------ alerts

    def add_alert(self, platform: str, channel: str, words: str, person_id: int | None,
                  created_at: str, created_by: str, tenant: str = "default") -> int:
        # Only articles stored from now on set it off: the watermark starts at the newest one.
        with self.transaction() as conn:
            cur = conn.execute(
                "insert into alerts (platform, channel, words, person_id, created_at, "
                "created_by, last_article, tenant) values (?, ?, ?, ?, ?, ?, "
                "(select coalesce(max(id), 0) from articles), ?)",
                (platform, channel, words, person_id, created_at, created_by, tenant))
        return int(cur.lastrowid or 0)

    def alerts_in(self, platform: str, channel: str) -> list[dict[str, Any]]:
        return self._rows(
            "select a.*, p.name person_name from alerts a left join people p "
            "on p.id = a.person_id where a.platform = ? and a.channel = ? order by a.id",
            (platform, channel))

    def all_alerts(self) -> list[dict[str, Any]]:
        return self._rows("select * from alerts order by id")

    def remove_alert(self, platform: str, channel: str, alert_id: int) -> bool:
        with self.transaction() as conn:
            cur = conn.execute("delete from alerts where id = ? and platform = ? and channel = ?",
                               (alert_id, platform, channel))
        return cur.rowcount > 0

    def set_alert_person(self, alert_id: int, person_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("update alerts set person_id = ? where id = ?", (person_id, alert_id))

    def set_alert_mark(self, alert_id: int, article_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("update alerts set last_article = max(last_article, ?) where id = ?",
                         (article_id, alert_id))

    def channel_hit(self, platform: str, channel: str, story_id: int) -> dict[str, Any] | None:
        """The alert post a channel already has for a story (any of its alerts), if any."""
        return self._one(
            "select h.* from alert_hits h join alerts a on a.id = h.alert_id "
            "where a.platform = ? and a.channel = ? and h.story_id = ? "
            "order by h.outbox_id limit 1", (platform, channel, story_id))

    def add_hit(self, alert_id: int, story_id: int, outbox_id: int, outlets: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "insert or ignore into alert_hits (alert_id, story_id, outbox_id, outlets) "
                "values (?, ?, ?, ?)", (alert_id, story_id, outbox_id, outlets))

    def story_hits(self, story_id: int) -> list[dict[str, Any]]:
        """The alert posts about a story, with how many outlets each last said."""
        return self._rows(
            "select h.outbox_id, max(h.outlets) outlets, min(a.tenant) tenant from alert_hits h "
            "left join alerts a on a.id = h.alert_id where h.story_id = ? "
            "group by h.outbox_id order by h.outbox_id", (story_id,))

    def set_hit_outlets(self, outbox_id: int, outlets: int) -> None:
        with self.transaction() as conn:
            conn.execute("update alert_hits set outlets = ? where outbox_id = ?",
                         (outlets, outbox_id))

    # ------------------------------------------------------------------ outbox

    def enqueue(self, *, platform: str, channel: str, kind: str, payload: str, nonce: str,
                created_at: str, story_id: int | None = None, alert_id: int | None = None,
                edit_of: int | None = None) -> int | None:
        """Add a pending post; None when a post with this nonce exists (it is queued once)."""
        with self.transaction() as conn:
            cur = conn.execute(
                "insert or ignore into outbox (platform, channel, kind, payload, nonce, "
                "created_at, story_id, alert_id, edit_of) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (platform, channel, kind, payload, nonce, created_at, story_id, alert_id,
                 edit_of))
        return int(cur.lastrowid or 0) if cur.rowcount else None

    def add_digest_items(self, outbox_id: int, article_ids: Sequence[int]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "insert or ignore into digest_items (outbox_id, article_id) values (?, ?)",
                [(outbox_id, a) for a in article_ids])

    def outbox_row(self, outbox_id: int) -> dict[str, Any] | None:
        return self._one("select * from outbox where id = ?", (outbox_id,))

    def pending(self, now: str, limit: int = 50) -> list[dict[str, Any]]:
        """Posts not sent yet and not given up on, whose retry time has come, oldest first."""
        return self._rows(
            "select * from outbox where sent_at is null and gave_up_at is null "
            "and (next_attempt_at is null or next_attempt_at <= ?) order by id limit ?",
            (now, limit))

    def claim_pending(self, now: str, limit: int = 50) -> list[dict[str, Any]]:
        """The due posts for this process to deliver: every pending one (on SQLite one process
        delivers; the PostgreSQL store claims them, so processes never share a post)."""
        return self.pending(now, limit)

    def count_pending(self) -> int:
        return int(self.db.conn.execute(
            "select count(*) from outbox where sent_at is null and gave_up_at is null"
        ).fetchone()[0])

    def newer_edit_exists(self, outbox_id: int, edit_of: int) -> bool:
        return self.db.conn.execute(
            "select 1 from outbox where edit_of = ? and id > ? limit 1",
            (edit_of, outbox_id)).fetchone() is not None

    def mark_attempt(self, outbox_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("update outbox set attempts = attempts + 1 where id = ?", (outbox_id,))

    def mark_failed(self, outbox_id: int, error: str, retry_at: str | None,
                    gave_up_at: str | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "update outbox set last_error = ?, next_attempt_at = ?, gave_up_at = ? "
                "where id = ?", (error, retry_at, gave_up_at, outbox_id))

    def mark_sent(self, outbox_id: int, sent_at: str, message_id: str | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "update outbox set sent_at = ?, message_id = coalesce(?, message_id), "
                "last_error = null where id = ?", (sent_at, message_id, outbox_id))

    def posts(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every post, oldest first (for status lines and tests)."""
        if kind is None:
            return self._rows("select * from outbox order by id")
        return self._rows("select * from outbox where kind = ? order by id", (kind,))
