"""Bench stores: a real analysed base, replicated in SQL to any size (1,000,000 included); cached.

Analysing 100,000 articles takes hours, so a big store is the analysed base copied: new ids,
titles, URLs, dates and content hashes; every article-keyed row copied to point at its copy.
The copy is generic where it can be, so it keeps working as the schema grows: every table with
an `article_id` column is copied with the id moved, every table with a `story_id` column (and
`stories` itself) with the story id moved; a table's own integer `id` is left to SQLite. People
stay the canonical people (their mention counts and role counts are recounted). The prepared
answers (storage/prepared.py) are article- and story-keyed, so they are copied the same way.
Indexes and triggers are dropped during the copy and rebuilt once at the end, FTS with one
'rebuild', because per-row trigger and index upkeep made a big copy many times slower.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import sqlite3
import time
from pathlib import Path

from bench.common import MODEL, corpus, say, timed
from bot.ingest.service import Ingestor
from bot.stories.prepare import prepare_stories
from storage.sqlite_store import SqliteStore

COPIES_PER_BATCH = 50  # copies of the base per INSERT ... SELECT: big statements, some progress
# The article columns that must differ per copy (unique, or what a user sees); the rest is copied.
_ARTICLE_CHANGES = {
    "url": "a.url || '#copy' || c.k",
    "canonical_url": "a.canonical_url || '#copy' || c.k",
    "content_hash": "a.content_hash || '-copy' || c.k",
    "title": "a.title || ' (copy ' || c.k || ')'",
    # Each copy is a week older than the one before: distinct dates, same real text.
    "published": "case when a.published is null then null else strftime("
                 "'%Y-%m-%dT%H:%M:%S+00:00', a.published, '-' || (7 * c.k) || ' days') end",
}


def _count(path: Path) -> int:
    try:
        with sqlite3.connect(path) as conn:
            return int(conn.execute("select count(*) from articles").fetchone()[0])
    except sqlite3.Error:
        return -1


def base_store(n: int, results_dir: Path) -> Path:
    """A store of n real articles analysed the ordinary way (cached)."""
    path = results_dir / f"store-base-{n}.db"
    if path.exists() and _count(path) == n:
        _prepare_all(path)  # a base cached before prepared answers: prepared once now
        _split_sources(path)
        return path
    for stale in results_dir.glob(f"{path.name}*"):
        stale.unlink()
    drafts, label = corpus(n)
    say(f"Analysing the base store: {n} articles cycled from {label} (once; cached)...")
    store = SqliteStore(path)
    with timed() as t:
        Ingestor(store, MODEL).store_drafts(drafts, n_process=2 if n >= 200 else 1)
    store.close()
    _split_sources(path)
    say(f"  base store built in {t['s']:.0f} s")
    return path


# Two outlets' feeds the base's articles are split between (one article in four, the rest), so
# bench.answers can time a tenant that follows one of them. Nobody follows them in the stored
# file: a store only "default" uses reads whole; bench.answers subscribes two tenants for its
# restricted pass (bench/answers.py) and removes them after.
TENANT_SOURCES = (("https://bench.invalid/a.xml", "Bench A"), ("https://bench.invalid/b.xml",
                                                              "Bench B"))
TENANT_SHARE = 4  # articles whose id is a multiple of this come from the first source


def _split_sources(path: Path) -> None:
    """Give every article one of the two TENANT_SOURCES (once), prepared rows included."""
    conn = sqlite3.connect(path)
    try:
        if conn.execute("select count(*) from sources where url like 'https://bench.invalid/%'"
                        ).fetchone()[0]:
            return
        with conn:
            ids = []
            for url, name in TENANT_SOURCES:
                cur = conn.execute("insert into sources (url, name, kind, added_at, added_by) "
                                   "values (?, ?, 'feed', '2026-01-01T00:00:00+00:00', 'bench')",
                                   (url, name))
                ids.append(cur.lastrowid)
            conn.execute("update articles set source_id = case when id % ? = 0 then ? else ? end",
                         (TENANT_SHARE, *ids))
            for table in ("prepared_summary", "prepared_events"):
                conn.execute(f"update {table} set source_id = (select source_id from articles "
                             f"where articles.id = {table}.article_id)")
    finally:
        conn.close()


def tenant_sources(conn: sqlite3.Connection) -> list[int]:
    """The ids of the two TENANT_SOURCES in a bench store (first: the one-in-four source)."""
    found = dict(conn.execute("select url, id from sources where url like 'https://bench.invalid/%'"))
    return [found[url] for url, _ in TENANT_SOURCES if url in found]


def _prepare_all(path: Path) -> None:
    """Prepare every story's answers that is not prepared yet (what ingest does per batch)."""
    store = SqliteStore(path)
    try:
        live = [r[0] for r in store.db.execute(
            "select id from stories where articles > 0 and merged_into is null")]
        missing = store.unprepared(live)
        if missing:
            say(f"  preparing the answers of {len(missing)} stories of {path.name} (once)...")
            with store.transaction():
                prepare_stories(store, missing, force=True)
    finally:
        store.close()


def _current(path: Path, size: int) -> bool:
    """A cached store of this size made with every table the schema has now."""
    if _count(path) != size:
        return False
    with sqlite3.connect(path) as conn:
        if "prepared_summary" not in _tables(conn) or len(tenant_sources(conn)) < 2:
            return False
        # Every live story prepared, as ingest leaves a store: a store replicated from a base
        # prepared only in part would prepare stories inside timed calls (bot/stories/prepare.py
        # _ensure), which a running bot does not do.
        live, prepared = conn.execute(
            "select (select count(*) from stories where articles > 0 and merged_into is null), "
            "(select count(*) from prepared_stories)").fetchone()
        return bool(prepared >= live)


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, int, str]]:
    """(name, pk position, declared type) of each column."""
    rows = conn.execute(f"pragma table_info([{table}])")
    return [(r[1], r[5], (r[2] or "").upper()) for r in rows]


def _tables(conn: sqlite3.Connection) -> list[str]:
    """Ordinary tables (no virtual tables, and so no FTS shadow tables' owners)."""
    return [r[0] for r in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
        "and sql not like 'CREATE VIRTUAL TABLE%' order by name")]


def _select_list(conn: sqlite3.Connection, table: str,
                 changes: dict[str, str]) -> tuple[str, str]:
    """The insert columns and the matching select expressions for one copied table.

    article_id and story_id move by the copy's offsets; a lone integer primary key other than
    those is left out, so SQLite numbers the copies itself.
    """
    cols = _columns(conn, table)
    pks = [c for c in cols if c[1]]
    own_id = pks[0][0] if len(pks) == 1 and pks[0][2] == "INTEGER" else None
    names, exprs = [], []
    for name, _, _ in cols:
        if name in changes:
            expr = changes[name]
        elif name == "article_id":
            expr = "a.article_id + c.k * :art"
        elif name == "story_id":
            expr = "a.story_id + c.k * :story"
        elif name == own_id:
            continue
        else:
            expr = f"a.[{name}]"
        names.append(f"[{name}]")
        exprs.append(expr)
    return ", ".join(names), ", ".join(exprs)


def _copy_statements(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, INSERT ... SELECT) for articles, stories and every article- or story-keyed table.

    Each statement copies the base rows (kept aside in temp.base_<table>, so no statement scans
    the copies already made) once per row of temp.copies (k = the copy number), and only rows
    of base articles with id <= :upto (a last, partial copy takes a prefix).
    """
    tables = _tables(conn)
    statements = []
    art = {**_ARTICLE_CHANGES, "id": "a.id + c.k * :art",
           "story_id": "a.story_id + c.k * :story"}
    names, exprs = _select_list(conn, "articles", art)
    statements.append(("articles", f"insert into articles ({names}) select {exprs} "
                                   f"from temp.base_articles a join temp.copies c "
                                   f"where a.id <= :upto"))
    stories_of = "(select story_id from temp.base_articles where id <= :upto)"
    if "stories" in tables:
        names, exprs = _select_list(conn, "stories", {"id": "a.id + c.k * :story"})
        statements.append(("stories", f"insert into stories ({names}) select {exprs} from "
                                      f"temp.base_stories a join temp.copies c "
                                      f"where a.id in {stories_of}"))
    for table in tables:
        if table in ("articles", "stories"):
            continue
        columns = {c[0] for c in _columns(conn, table)}
        if "article_id" in columns:
            where = "a.article_id <= :upto"
        elif "story_id" in columns:
            where = f"a.story_id in {stories_of}"
        else:
            continue
        names, exprs = _select_list(conn, table, {})
        statements.append((table, f"insert into [{table}] ({names}) select {exprs} "
                                  f"from temp.[base_{table}] a join temp.copies c "
                                  f"where {where}"))
    return statements


def _drop_upkeep(conn: sqlite3.Connection, tables: set[str]) -> list[str]:
    """Drop the indexes and triggers of the copied tables; return their SQL to recreate."""
    rows = conn.execute("select type, name, tbl_name, sql from sqlite_master "
                        "where type in ('index', 'trigger') and sql is not null").fetchall()
    kept = []
    for kind, name, table, sql in rows:
        if table in tables:
            conn.execute(f"drop {kind} [{name}]")
            kept.append(sql)
    return kept


def _fts_over(conn: sqlite3.Connection, tables: set[str]) -> list[str]:
    """The external-content FTS tables whose content is one of the copied tables."""
    found = []
    for name, sql in conn.execute("select name, sql from sqlite_master where type = 'table' "
                                  "and sql like 'CREATE VIRTUAL TABLE%USING FTS%'"):
        match = re.search(r"content=[\[\"']?(\w+)", sql)
        if match and match.group(1) in tables:
            found.append(name)
    return found


def replicate(conn: sqlite3.Connection, size: int) -> None:
    """Grow the store to `size` articles by copying its articles and their rows, in batches."""
    base_ids = [r[0] for r in conn.execute("select id from articles order by id")]
    base, max_id = len(base_ids), max(base_ids)
    max_story = conn.execute("select coalesce(max(id), 0) from stories").fetchone()[0] \
        if "stories" in _tables(conn) else 0
    statements = _copy_statements(conn)
    copied = {table for table, _ in statements}
    for table in copied:
        conn.execute(f"create temp table [base_{table}] as select * from [{table}]")
    upkeep = _drop_upkeep(conn, copied)
    fts = _fts_over(conn, copied)
    conn.execute("create temp table copies (k integer primary key)")
    full, rest = divmod(size - base, base)
    batches = [(k, min(k + COPIES_PER_BATCH, full + 1), max_id)
               for k in range(1, full + 1, COPIES_PER_BATCH)]
    if rest:
        batches.append((full + 1, full + 2, base_ids[rest - 1]))
    started = time.perf_counter()
    for first, stop, upto in batches:
        conn.execute("delete from temp.copies")
        conn.executemany("insert into temp.copies values (?)", [(k,) for k in range(first, stop)])
        params = {"art": max_id, "story": max_story, "upto": upto}
        for _, sql in statements:
            conn.execute(sql, {k: v for k, v in params.items() if f":{k}" in sql})
        say(f"  copies {first}-{stop - 1} of {full + bool(rest)} "
            f"({time.perf_counter() - started:.0f} s)")
    for sql in upkeep:
        conn.execute(sql)
    say(f"  indexes and triggers rebuilt ({time.perf_counter() - started:.0f} s)")
    for table in fts:
        conn.execute(f"insert into [{table}]([{table}]) values ('rebuild')")
    say(f"  full-text search rebuilt ({time.perf_counter() - started:.0f} s)")
    # People stay the canonical people: recount what the copies added to them.
    conn.execute("update people set mentions = (select coalesce(sum(mentions), 0) "
                 "from article_people where person_id = people.id)")
    if "person_roles" in _tables(conn):
        conn.execute("delete from person_roles")
        conn.execute("insert into person_roles (person_id, role, count) select person_id, role, "
                     "count(*) from article_people where role is not null and role != '' "
                     "group by person_id, role")


def build_store(size: int, base: int, results_dir: Path) -> Path:
    """A store of `size` articles: the analysed base, replicated in SQL when bigger (cached).

    One builder at a time per results folder (a lock file): two benchmarks started together
    wait for each other's store instead of writing the same file.
    """
    results_dir.mkdir(parents=True, exist_ok=True)
    with open(results_dir / ".stores.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_store(size, base, results_dir)


def _build_store(size: int, base: int, results_dir: Path) -> Path:
    base = min(base, size)
    source = base_store(base, results_dir)
    if size == base:
        return source
    path = results_dir / f"store-{size}-from-{base}.db"
    if path.exists() and _current(path, size):
        return path
    for stale in results_dir.glob(f"{path.name}*"):
        stale.unlink()
    say(f"Replicating the {base}-article base to {size:,} articles in SQL (once; cached)...")
    with timed() as t:
        tmp = path.with_suffix(f".building-{os.getpid()}")
        shutil.copyfile(source, tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        conn.execute("pragma journal_mode = off")
        conn.execute("pragma synchronous = off")
        conn.execute("pragma cache_size = -262144")  # 256 MB: index rebuilds sort in memory
        conn.execute("begin")
        replicate(conn, size)
        conn.execute("commit")
        conn.execute("pragma journal_mode = wal")
        conn.execute("analyze")
        conn.close()
        tmp.replace(path)
    info = {"build_seconds": round(t["s"], 1), "store_gb": round(path.stat().st_size / 2**30, 3)}
    _info_path(path).write_text(json.dumps(info) + "\n", encoding="utf-8")
    say(f"  replicated in {info['build_seconds']:.0f} s; {info['store_gb']:.2f} GB on disk")
    return path


def _info_path(path: Path) -> Path:
    return path.with_name(path.name + ".build.json")


def build_info(path: Path) -> dict[str, float | None]:
    """How long a cached store took to build (None for a base store) and its size on disk."""
    info: dict[str, float | None] = {"build_seconds": None}
    with contextlib.suppress(OSError, ValueError):
        info.update(json.loads(_info_path(path).read_text(encoding="utf-8")))
    info["store_gb"] = round(path.stat().st_size / 2**30, 3)
    return info
