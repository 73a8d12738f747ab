"""Answer latency: p50/p99 of /who, /when, /quote, /summary over stores of growing size.

    python -m bench.answers [--sizes 1000,10000,100000] [--base 1000] [--samples 100]

The base store is real: `--base` articles analysed by spaCy and the extractors. Bigger stores
are that base replicated in SQL (new ids, titles, URLs, dates and content hashes; every analysis
row copied to point at the copy; FTS kept in sync by the schema's triggers; people stay the
canonical people), because analysing 100,000 articles takes hours. Stores are cached under the
results folder by size, so re-runs are quick. The reference is the bare SQL each answer cannot
do without (its scope and rows), timed on the same store.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.common import MODEL, corpus, median, parser, percentile, say, timed, write_result
from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.ingest.service import Ingestor
from bot.nlp.names import name_key
from storage.sqlite_store import SqliteStore, _fts_query

TARGET_P99_MS = 50.0
_ANALYSIS_COPIES = {
    "article_people": "article_id, person_id, mentions, role, spans",
    "times": "article_id, start, end, text, type, value, precision",
    "events": "article_id, date, precision, text, people, position, event_key",
    "quotes": "article_id, start, end, text, speaker, person_id, cue, quote_key",
    "sentences": "article_id, position, text",
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
        return path
    for stale in results_dir.glob(f"{path.name}*"):
        stale.unlink()
    drafts, label = corpus(n)
    say(f"Analysing the base store: {n} articles cycled from {label} (once; cached)...")
    store = SqliteStore(path)
    with timed() as t:
        Ingestor(store, MODEL).store_drafts(drafts, n_process=2 if n >= 200 else 1)
    store.close()
    say(f"  base store built in {t['s']:.0f} s")
    return path


def _replicate(conn: sqlite3.Connection, size: int) -> None:
    """Grow the store to `size` articles by copying its articles and their analysis rows."""
    base_ids = [r[0] for r in conn.execute("select id from articles order by id")]
    max_id = max(base_ids)
    max_story = conn.execute("select coalesce(max(id), 0) from stories").fetchone()[0]
    copy = 0
    while conn.execute("select count(*) from articles").fetchone()[0] < size:
        copy += 1
        have = conn.execute("select count(*) from articles").fetchone()[0]
        conn.execute("drop table if exists temp.pick")
        conn.execute("create temp table pick (id integer primary key)")
        conn.executemany("insert into pick values (?)",
                         [(i,) for i in base_ids[:size - have]])
        off, story_off = copy * max_id, copy * max_story
        conn.execute(
            "insert into stories (id, created_at, title, first_seen, last_seen, articles, norm) "
            "select id + :soff, created_at, title, date(first_seen, '-' || (7 * :k) || ' days'),"
            " date(last_seen, '-' || (7 * :k) || ' days'), 0, norm "
            "from stories where id in (select story_id from articles where id in pick)",
            {"soff": story_off, "k": copy})
        # Each copy is a week older than the one before: distinct dates, same real text.
        conn.execute(
            "insert into articles (id, url, canonical_url, content_hash, title, text, published,"
            " source, author, source_id, story_id, ingested_at, summary_only, fingerprint) "
            "select id + :off, url || '#copy' || :k, canonical_url || '#copy' || :k, "
            "content_hash || '-copy' || :k, title || ' (copy ' || :k || ')', text, "
            "case when published is null then null else strftime('%Y-%m-%dT%H:%M:%S+00:00', "
            "published, '-' || (7 * :k) || ' days') end, source, author, source_id, "
            "story_id + :soff, ingested_at, summary_only, fingerprint "
            "from articles where id in pick",
            {"off": off, "k": copy, "soff": story_off})
        for table, columns in _ANALYSIS_COPIES.items():
            rest = columns.split(", ", 1)[1]
            conn.execute(f"insert into {table} ({columns}) select article_id + ?, {rest} "
                         f"from {table} where article_id in pick", (off,))
    conn.execute("update people set mentions = (select coalesce(sum(mentions), 0) "
                 "from article_people where person_id = people.id)")
    conn.execute("update stories set articles = (select count(*) from articles a "
                 "where a.story_id = stories.id)")


def build_store(size: int, base: int, results_dir: Path) -> Path:
    """A store of `size` articles: the analysed base, replicated in SQL when bigger (cached)."""
    results_dir.mkdir(parents=True, exist_ok=True)
    base = min(base, size)
    source = base_store(base, results_dir)
    if size == base:
        return source
    path = results_dir / f"store-{size}-from-{base}.db"
    if path.exists() and _count(path) == size:
        return path
    for stale in results_dir.glob(f"{path.name}*"):
        stale.unlink()
    say(f"Replicating the {base}-article base to {size} articles in SQL (once; cached)...")
    with timed() as t:
        tmp = path.with_suffix(".building")
        shutil.copyfile(source, tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        conn.execute("pragma journal_mode = off")
        conn.execute("pragma synchronous = off")
        conn.execute("begin")
        _replicate(conn, size)
        conn.execute("commit")
        conn.execute("pragma journal_mode = wal")
        conn.execute("analyze")
        conn.close()
        tmp.replace(path)
    say(f"  replicated in {t['s']:.0f} s")
    return path


def _probes(store: SqliteStore) -> tuple[list[str], list[str]]:
    """Names and topics to ask about, taken from the store itself: frequent and rarer people."""
    rows = store.db.execute(
        "select name from people where kind = 'person' and mentions > 0 and name like '% %' "
        "order by mentions desc limit 60").fetchall()
    names = [r[0] for r in rows]
    picked = names[:3] + names[20:22] + names[-1:] if names else ["Smith"]
    topics = list(dict.fromkeys(n.split()[-1] for n in picked))
    return picked, topics


def _stories(store: SqliteStore) -> list[int]:
    """Stories to open: the biggest of the newest hundred, and a few single-article ones."""
    rows = store.recent_stories(100)
    rows.sort(key=lambda r: -r["articles"])
    return [r["id"] for r in rows[:3] + rows[-2:]] or [1]


def _commands(names: list[str], topics: list[str],
              stories: Sequence[int] = (1,)) -> dict[str, list[str]]:
    return {
        "/stories": ["/stories"],
        "/stories TOPIC": [f"/stories {t}" for t in topics],
        "/story ID": [f"/story {s}" for s in stories],
        "/who": ["/who"],
        "/who TOPIC": [f"/who {t}" for t in topics],
        "/who NAME": [f"/who {n}" for n in names],
        "/when": ["/when"],
        "/when TOPIC": [f"/when {t}" for t in topics],
        "/quote": ["/quote"],
        "/quote NAME": [f"/quote {n}" for n in names],
        "/summary": ["/summary"],
        "/summary TOPIC": [f"/summary {t}" for t in topics],
    }


def _floors(store: SqliteStore, names: list[str], topics: list[str]) -> dict[str, Callable[[int],
                                                                                         Any]]:
    """Per command, the bare SQL its answer needs at least (its scope or its rows)."""
    db = store.db
    person_ids = [store.persons_named(n, name_key)[:1] for n in names]
    ids = [p[0].id for p in person_ids if p] or [1]
    recent = "select id from articles order by id desc limit {}"

    def fts(i: int) -> Any:
        return db.execute("select rowid from articles_fts where articles_fts match ? "
                          "order by rank limit 500", (_fts_query(topics[i % len(topics)]),)
                          ).fetchall()

    stories = _stories(store)
    return {
        "/stories": lambda i: db.execute(
            "select id, title from stories where articles > 0 and merged_into is null "
            "order by last_seen desc, id desc limit 10").fetchall(),
        "/stories TOPIC": fts,
        "/story ID": lambda i: db.execute(
            "select * from sentences where article_id in (select id from articles "
            "where story_id = ? limit 60)", (stories[i % len(stories)],)).fetchall(),
        "/who": lambda i: db.execute("select id, name, mentions from people where mentions > 0 "
                                     "order by mentions desc limit 25").fetchall(),
        "/who TOPIC": fts,
        "/who NAME": lambda i: db.execute(
            "select article_id from article_people where person_id = ? "
            "order by article_id desc limit 200", (ids[i % len(ids)],)).fetchall(),
        "/when": lambda i: db.execute(
            f"select * from events where article_id in ({recent.format(200)}) "
            f"order by date limit 400").fetchall(),
        "/when TOPIC": fts,
        "/quote": lambda i: db.execute(
            f"select * from quotes where article_id in ({recent.format(200)}) "
            f"limit 200").fetchall(),
        "/quote NAME": lambda i: db.execute(
            "select * from quotes where person_id = ? limit 200", (ids[i % len(ids)],)
        ).fetchall(),
        "/summary": lambda i: db.execute(
            f"select * from sentences where article_id in ({recent.format(60)})").fetchall(),
        "/summary TOPIC": fts,
    }


def measure(path: Path, samples: int) -> dict[str, Any]:
    """Latency of every command (through the dispatcher, as adapters call it) on one store."""
    settings = Settings(storage=StorageSettings(path=str(path)))
    bot = Newsdesk(settings)
    loop = asyncio.new_event_loop()
    names, topics = _probes(bot.store)
    commands = _commands(names, topics, _stories(bot.store))
    floors = _floors(bot.store, names, topics)
    results: dict[str, Any] = {}
    try:
        for lines in commands.values():  # one warm-up pass: a running bot has a warm cache
            for line in lines:
                loop.run_until_complete(bot.ask(line))
        for command, lines in commands.items():
            ours, floor, errors = [], [], 0
            for i in range(samples):
                with timed() as t:
                    reply = loop.run_until_complete(bot.ask(lines[i % len(lines)]))
                ours.append(t["s"] * 1000)
                errors += bool(reply.error)
                with timed() as t:
                    floors[command](i)
                floor.append(t["s"] * 1000)
            p50, p99 = median(ours), percentile(ours, 99)
            results[command] = {
                "p50_ms": p50, "p99_ms": p99, "max_ms": max(ours), "samples": samples,
                "errors": errors, "queries": lines,
                "sql_floor_p50_ms": median(floor),
                "ratio_to_sql_floor": p50 / median(floor) if median(floor) else 0.0,
                "meets_target": p99 < TARGET_P99_MS and not errors,
            }
    finally:
        loop.close()
        bot.close()
    return results


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000,100000",
                   help="store sizes in articles, comma-separated (default 1000,10000,100000)")
    p.add_argument("--base", type=int, default=1000,
                   help="real articles analysed for the base store (default 1000)")
    p.add_argument("--samples", type=int, default=100, help="calls per command (default 100)")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    by_size: dict[str, Any] = {}
    for size in sizes:
        path = build_store(size, args.base, args.results_dir)
        say(f"\nStore of {size:,} articles ({min(args.base, size):,} analysed"
            f"{', the rest replicated in SQL' if size > args.base else ''}): {path.name}")
        say(f"  {'command':<16}{'p50 ms':>9}{'p99 ms':>9}{'SQL floor':>11}{'ratio':>8}  target")
        results = measure(path, args.samples)
        for command, r in results.items():
            say(f"  {command:<16}{r['p50_ms']:9.1f}{r['p99_ms']:9.1f}"
                f"{r['sql_floor_p50_ms']:11.2f}{r['ratio_to_sql_floor']:8.1f}  "
                f"{'met' if r['meets_target'] else 'MISSED'}")
        by_size[str(size)] = results
    worst = max((r["p99_ms"] for res in by_size.values() for r in res.values()), default=0.0)
    result = {
        "base_articles_analysed": args.base,
        "replication": "stores bigger than the base are its rows copied in SQL with new ids, "
                       "titles, URLs, dates and hashes; analysis rows copied; FTS by triggers",
        "target_p99_ms": TARGET_P99_MS,
        "sizes": by_size,
        "worst_p99_ms": worst,
        "meets_target": all(r["meets_target"] for res in by_size.values()
                            for r in res.values()),
    }
    say(f"\nworst p99: {worst:.1f} ms (target < {TARGET_P99_MS:.0f} ms: "
        f"{'met' if result['meets_target'] else 'MISSED'})")
    path = write_result("answers", result, args.results_dir)
    say(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
