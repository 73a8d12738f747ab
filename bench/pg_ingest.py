"""Ingest throughput with 1 and 2 worker processes, on SQLite and on PostgreSQL, interleaved.

Each worker is a real `newsdesk ingest FILE --processes 1` process (the pipeline a worker's
poll runs: the NLP pass in the process, dedup, stories, prepared answers, one transaction per
article) given its share of the corpus; N of them run at once into one fresh store. A round
runs SQLite x1, PostgreSQL x1, SQLite x2, PostgreSQL x2, each into its own empty store, so a
burst of load hits the four alike. Wall time counts from the launch to the last exit
(including each process's spaCy load, about 2 s: small corpora understate throughput).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.common import ROOT, corpus, load_average, python, say, shown, spread, words_in
from bot.models import ArticleDraft

CONFIGS = (("sqlite", 1), ("postgresql", 1), ("sqlite", 2), ("postgresql", 2))


def _jsonl(drafts: Sequence[ArticleDraft], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for d in drafts:
            out.write(json.dumps({"title": d.title, "text": d.text, "source": d.source,
                                  "url": d.url, "published": d.published.isoformat()
                                  if d.published else None}) + "\n")
    return path


def _run_workers(target: str, slices: list[Path]) -> tuple[float, list[str]]:
    """Wall seconds for N ingest processes into one store, and any failures' last lines."""
    from storage.backend import open_configured

    open_configured(target).close()  # migrated first: the workers race on the articles only
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    procs = [subprocess.Popen([python(), "-m", "bot.cli", "ingest", str(part), "--db", target,
                               "--processes", "1", "--json"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for part in slices]
    failures = []
    for proc in procs:
        out, err = proc.communicate(timeout=7200)
        if proc.returncode != 0:
            failures.append((err or out).strip().splitlines()[-1:][0] if (err or out) else "?")
    return time.perf_counter() - start, failures


def _count(target: str) -> int:
    from storage.backend import open_configured

    store = open_configured(target)
    try:
        return int(store.count_articles())
    finally:
        store.close()


def measure(n: int, rounds: int, new_pg_database: Callable[[], str],
            drop_pg_database: Callable[[str], None]) -> dict[str, Any]:
    """Words per second of each (store, workers) in each round; median [min-max] over them."""
    drafts, label = corpus(n)
    words = words_in(drafts)
    say(f"ingest: {n:,} articles ({words:,} words) from {label}; {rounds} rounds of "
        + ", ".join(f"{kind} x{w}" for kind, w in CONFIGS))
    per_round: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-pg-ingest-") as tmp:
        folder = Path(tmp)
        slices = {w: [_jsonl(drafts[i::w], folder / f"part{w}-{i}.jsonl") for i in range(w)]
                  for w in (1, 2)}
        for number in range(rounds):
            entry: dict[str, Any] = {"round": number + 1}
            for kind, workers in CONFIGS:
                target = str(folder / f"r{number}-{workers}.db") if kind == "sqlite" \
                    else new_pg_database()
                try:
                    wall, failures = _run_workers(target, slices[workers])
                    stored = _count(target)
                finally:
                    if kind == "postgresql":
                        drop_pg_database(target)
                key = f"{kind}_x{workers}"
                entry[key] = {"seconds": round(wall, 2), "words_per_s": round(words / wall, 1),
                              "stored": stored, "failures": failures}
                failed = f"; FAILED {failures}" if failures else ""
                say(f"  round {number + 1} {key}: {words / wall:,.0f} words/s "
                    f"({wall:.1f} s, {stored:,} stored{failed})")
            entry["load_average"] = load_average()
            per_round.append(entry)
    keys = [f"{kind}_x{w}" for kind, w in CONFIGS]
    summary = {key: spread([r[key]["words_per_s"] for r in per_round]) for key in keys}
    ratios = {
        "postgresql_to_sqlite_x1": spread([r["postgresql_x1"]["words_per_s"]
                                           / r["sqlite_x1"]["words_per_s"] for r in per_round]),
        "postgresql_to_sqlite_x2": spread([r["postgresql_x2"]["words_per_s"]
                                           / r["sqlite_x2"]["words_per_s"] for r in per_round]),
        "postgresql_x2_to_x1": spread([r["postgresql_x2"]["words_per_s"]
                                       / r["postgresql_x1"]["words_per_s"] for r in per_round]),
        "sqlite_x2_to_x1": spread([r["sqlite_x2"]["words_per_s"]
                                   / r["sqlite_x1"]["words_per_s"] for r in per_round]),
    }
    say(f"\n{rounds} rounds; words/s median [min-max] over the rounds")
    for key in keys:
        say(f"  {key:<16}{shown(summary[key], ',.0f'):>28}")
    for key, value in ratios.items():
        say(f"  {key:<28}{shown(value, '.2f'):>16}")
    # The corpus repeats texts past its real articles (copies are skipped as copies): every
    # run must store what one process on SQLite stores.
    complete = all(r[k]["stored"] == r["sqlite_x1"]["stored"] and not r[k]["failures"]
                   for r in per_round for k in keys)
    if not complete:
        say("  NOTE: a run stored other articles than SQLite x1, or failed; see the JSON")
    return {"articles": n, "words": words, "corpus": label, "rounds": rounds,
            "words_per_s": summary, "ratios": ratios, "per_round": per_round,
            "every_run_stored_everything": complete}
