"""`newsdesk db copy`: every row of one store into another (SQLite <-> PostgreSQL), then counts.

Tables go in the order their references need; a table this list does not name (one a later
migration added) is copied after them when both stores have it. The target must be empty, and
is written in one transaction: a failed copy leaves it as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.errors import StoreError
from storage.backend import backend_name

# Parents before children (articles need sources and stories; aliases need people ...).
ORDER = ("sources", "subscriptions", "routes", "route_filters", "tenant_channels", "stories",
         "articles", "article_sources", "people", "person_aliases", "person_roles",
         "article_people", "times", "events", "quotes", "sentences", "article_features",
         "story_terms", "story_entities", "story_df", "prepared_stories", "prepared_summary",
         "prepared_events", "channels", "schedules", "alerts", "outbox", "alert_hits",
         "digest_items")
# Bookkeeping of each backend, never copied: migrations are the target's own.
_SKIP_PREFIXES = ("_sqlite", "sqlite_", "newsdesk_migrations", "articles_fts", "people_fts")
BATCH = 1000


@dataclass
class CopyReport:
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows copied (and found)

    def line(self) -> str:
        main = ("articles", "stories", "people", "sources", "schedules", "alerts", "outbox")
        return ", ".join(f"{self.counts.get(t, 0):,} {'outbox rows' if t == 'outbox' else t}"
                         for t in main)


def _tables(store: Any) -> list[str]:
    if backend_name(store) == "postgresql":
        rows = store.db.execute_native(
            "select tablename from pg_tables where schemaname = current_schema()").fetchall()
    else:
        rows = store.db.execute("select name from sqlite_master where type = 'table'").fetchall()
    return [r[0] for r in rows if not r[0].startswith(_SKIP_PREFIXES)]


def _columns(store: Any, table: str) -> list[str]:
    cursor = store.db.execute(f"select * from {table} limit 0")
    return [d[0] for d in cursor.description]


def _count(store: Any, table: str) -> int:
    return int(store.db.execute(f"select count(*) from {table}").fetchone()[0])


def _rows(store: Any, table: str, columns: list[str]) -> Iterator[list[tuple[Any, ...]]]:
    """The table's rows in batches, in the order they were stored (alias order matters)."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    if backend_name(store) == "postgresql":
        order = "rowid" if table == "person_aliases" else "1"
        yield from store.db.stream(f"select {quoted} from {table} order by {order}", BATCH)
        return
    cursor = store.db.conn.execute(f"select {quoted} from [{table}] order by rowid")
    while batch := cursor.fetchmany(BATCH):
        yield batch


def copy_store(source: Any, target: Any,
               progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy every row of source into the (empty) target; raise StoreError when counts differ."""
    held = _count(target, "articles") + _count(target, "sources") + _count(target, "outbox")
    if held:
        raise StoreError(f"The target store {target.path} is not empty ({held:,} articles, "
                         "sources and posts); copy into a new, empty store.")
    theirs = set(_tables(target))
    ours = _tables(source)
    tables = [t for t in ORDER if t in ours] + sorted(t for t in ours if t not in ORDER)
    missing = [t for t in tables if t not in theirs]
    if missing:
        raise StoreError(f"The target store {target.path} has no table "
                         f"{', '.join(missing)}: it is older than the source; upgrade it first.")
    report = CopyReport()
    with target.transaction():
        for table in tables:
            wanted = set(_columns(target, table))
            columns = [c for c in _columns(source, table) if c in wanted]
            marks = ", ".join("?" * len(columns))
            names = ", ".join(f'"{c}"' for c in columns)
            insert = f"insert into {table} ({names}) values ({marks})"
            copied = 0
            bulk = backend_name(target) == "postgresql"
            for batch in _rows(source, table, columns):
                if bulk:
                    target.db.copy_rows(table, columns, batch)
                else:
                    target.db.conn.executemany(insert, batch)
                copied += len(batch)
                if progress:
                    progress(table, copied)
            report.counts[table] = copied
        if backend_name(target) == "postgresql":
            target.db.reset_ids()
    if backend_name(target) == "postgresql":
        # The planner's statistics: without them a freshly loaded store is read with bad plans
        # until autovacuum comes round.
        target.db.execute_native("analyze")
    differ = [f"{t} ({_count(source, t):,} -> {_count(target, t):,})" for t in tables
              if _count(source, t) != _count(target, t)]
    if differ:
        raise StoreError(f"The copy's row counts differ from the source's: {', '.join(differ)}.")
    return report
