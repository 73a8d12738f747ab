"""PostgreSQL beside SQLite: ingest with 1 and 2 worker processes, `db copy` of a store, and
answer latency on both, interleaved.

    python -m bench.pg [--part ingest|answers|both] [--articles 2000] [--store FILE]
                       [--url URL] [--samples 30] [--rounds 3]

Ingest (bench/pg_ingest.py): N real `newsdesk ingest --processes 1` processes at once into one
fresh store, N = 1 and 2, SQLite and PostgreSQL in the same rounds; words/s per configuration.

The store is an SQLite store (default: the cached 100,000-article store of bench/answers.py in
the results folder), opened read-only and copied into PostgreSQL with `newsdesk db copy`'s code.
Without --url a throwaway server is started from PostgreSQL's binaries (tests/pg/server.py).
Each round times every command on SQLite (the reference) and then on PostgreSQL, through the
dispatcher as adapters call it; target p99 < 50 ms on PostgreSQL at 100,000 articles.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.answers import _commands, _probes, _stories
from bench.common import (
    add_rounds,
    interleave,
    median,
    parser,
    percentile,
    say,
    shown,
    summarise,
    timed,
    write_result,
)
from bot.app import Newsdesk
from bot.config import Settings
from storage.backend import open_configured
from storage.copy import copy_store

TARGET_MS = 50.0


def _asker(bot: Newsdesk, loop: asyncio.AbstractEventLoop,
           commands: dict[str, list[str]], samples: int) -> Callable[[int], dict[str, list[float]]]:
    def run(_: int) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for command, lines in commands.items():
            out[command] = []
            for i in range(samples):
                with timed() as t:
                    loop.run_until_complete(bot.ask(lines[i % len(lines)]))
                out[command].append(t["s"] * 1000)
        return out
    return run


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, help="the SQLite store to copy (default: the cached "
                   "100,000-article store of bench/answers.py)")
    p.add_argument("--url", help="an empty PostgreSQL database (default: a throwaway server)")
    p.add_argument("--samples", type=int, default=30, help="calls per command per round")
    p.add_argument("--copied", action="store_true",
                   help="answers: --url already holds the copy of --store (no db copy)")
    p.add_argument("--part", choices=["ingest", "answers", "both"], default="both")
    p.add_argument("--articles", type=int, default=2000,
                   help="ingest: articles per run (default 2000)")
    add_rounds(p)
    args = p.parse_args(argv)
    store = args.store
    if store is None and args.part != "ingest":
        from bench.stores import build_store

        # bench/answers.py's store, built (or brought up to the schema) as it builds it
        store = build_store(100_000, 1000, args.results_dir)
    server = None
    url = args.url
    if not url:
        from tests.pg.server import PgServer, find_bindir

        bindir = find_bindir()
        if bindir is None:
            raise SystemExit("bench.pg: no PostgreSQL binaries; install postgresql or give --url")
        server = PgServer.start(bindir)
        url = server.new_database()
    result: dict[str, Any] = {}
    try:
        if args.part in ("ingest", "both"):
            from bench.pg_ingest import measure

            result["ingest"] = measure(args.articles, args.rounds, *_databases(url))
        if args.part in ("answers", "both"):
            result.update(_answers(args, store, url))
    finally:
        if server is not None:
            server.stop()
    path = write_result("pg", result, args.results_dir)
    say(f"wrote {path}")
    return result


def _databases(url: str) -> tuple[Callable[[], str], Callable[[str], None]]:
    """Make and drop throwaway databases beside url's (the role needs CREATEDB)."""
    import itertools

    import psycopg

    base, _ = url.rsplit("/", 1)
    numbers = itertools.count(1)

    def new() -> str:
        name = f"bench_ingest_{next(numbers)}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"drop database if exists {name} with (force)")
            conn.execute(f"create database {name}")
        return f"{base}/{name}"

    def drop(target: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"drop database if exists {target.rsplit('/', 1)[1]} with (force)")

    return new, drop


def _answers(args: Any, store: Path | None, url: str) -> dict[str, Any]:
    """db copy of the store into url, then each command's p50/p99 on both, interleaved."""
    assert store is not None
    copy: dict[str, Any] = {}
    if not args.copied:
        source = open_configured(f"file:{store.resolve()}?mode=ro")
        target = open_configured(url)
        with timed() as t:
            copied = copy_store(source, target)
        rows = sum(copied.counts.values())
        say(f"db copy: {copied.line()} ({rows:,} rows) in {t['s']:.0f} s "
            f"({rows / t['s']:,.0f} rows/s)")
        copy = {"seconds": t["s"], "rows": rows, "tables": copied.counts}
        source.close()
        target.close()
    loop = asyncio.new_event_loop()
    sqlite_bot = Newsdesk(Settings(), store=open_configured(f"file:{store.resolve()}?mode=ro"))
    pg_bot = Newsdesk(Settings(), store=open_configured(url))
    names, topics = _probes(sqlite_bot.store)
    commands = _commands(names, topics, _stories(sqlite_bot.store))
    for bot in (sqlite_bot, pg_bot):  # one warm-up pass each
        for lines in commands.values():
            for line in lines:
                loop.run_until_complete(bot.ask(line))
    done = interleave(args.rounds, _asker(sqlite_bot, loop, commands, args.samples),
                      _asker(pg_bot, loop, commands, args.samples))
    sqlite_bot.close()
    pg_bot.close()
    loop.close()
    results: dict[str, Any] = {}
    say(f"\n{args.rounds} rounds x {args.samples} calls; median [min-max] over the rounds")
    say(f"  {'command':<16}{'SQLite p99 ms':>22}{'PostgreSQL p50 ms':>22}"
        f"{'PostgreSQL p99 ms':>22}  target")
    for command in commands:
        per_round = [{"round": e["round"], "load_average": e["load_average"],
                      "sqlite_p50_ms": median(e["reference"][command]),
                      "sqlite_p99_ms": percentile(e["reference"][command], 99),
                      "pg_p50_ms": median(e["measurement"][command]),
                      "pg_p99_ms": percentile(e["measurement"][command], 99)} for e in done]
        summary = summarise(per_round, {k: (lambda r, k=k: r[k]) for k in (
            "sqlite_p50_ms", "sqlite_p99_ms", "pg_p50_ms", "pg_p99_ms")},
            lambda r: r["pg_p99_ms"] < TARGET_MS)
        results[command] = {**summary, "queries": commands[command], "per_round": per_round}
        say(f"  {command:<16}{shown(summary['sqlite_p99_ms']):>22}"
            f"{shown(summary['pg_p50_ms']):>22}{shown(summary['pg_p99_ms']):>22}  "
            f"{'met' if summary['meets_target'] else 'MISSED'}")
    return {"store": str(store), "copy": copy,
            "rounds": args.rounds, "samples": args.samples, "target_p99_ms": TARGET_MS,
            "commands": results,
            "meets_target": all(r["meets_target"] for r in results.values())}


if __name__ == "__main__":
    main()
