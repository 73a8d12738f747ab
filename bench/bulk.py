"""Bulk import: one `newsdesk ingest` of a big .jsonl, its memory and speed against bench.ingest.

    python -m bench.bulk [--articles 20000] [--base 1000] [--processes 2] [--rounds 3]

Each round, in turn: bench.ingest's whole ingest (Ingestor in this process, the same worker
processes) over --base articles, then `newsdesk ingest` of a --base-line .jsonl, then of an
--articles-line .jsonl, each into a fresh store; one more bench.ingest run closes the last
round, so every big import lies between two reference runs and is compared with their mean
(load that drifts during a long import hits both sides alike). The memory figure is the peak
RSS of the whole process tree (the command, its forkserver and its NLP workers), sampled from
/proc every 0.2 s; the target is the big import's peak within 100 MB of the small one's, and
its words/s within 10% of bench.ingest's in the same round. The machine's load average is
recorded beside each step.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import MODEL, corpus, median, parser, python, say, words_in, write_result
from bot.ops.process_memory import tree_rss_bytes

MEMORY_TARGET_MB = 100.0
SPEED_TARGET = 0.9


def _load() -> float:
    return os.getloadavg()[0]


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    return (tree_rss_bytes(root) or 0) / (1024 * 1024)


def write_archive(path: Path, n: int) -> int:
    """n articles of the bench corpus as .jsonl lines; returns their word count."""
    drafts, _ = corpus(n)
    with path.open("w", encoding="utf-8") as out:
        for d in drafts:
            out.write(json.dumps({"title": d.title, "text": d.text, "url": d.url,
                                  "published": d.published.isoformat() if d.published else None,
                                  "source": d.source}) + "\n")
    return words_in(drafts)


def run_import(archive: Path, db: Path, processes: int) -> dict[str, Any]:
    """`newsdesk ingest --json` as a child; its report, wall time and peak tree RSS."""
    argv = [python(), "-m", "bot.cli", "ingest", str(archive), "--db", str(db), "--processes",
            str(processes), "--json"]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"newsdesk ingest failed: {err[-800:]}")
    report = json.loads(out)
    return {"seconds": seconds, "peak_tree_rss_mb": peak[0], "stored": report["stored"],
            "skipped": len(report["skipped"])}


def reference(n: int, processes: int, workdir: Path) -> tuple[float, int]:
    """bench.ingest's whole ingest (Ingestor.store_drafts in this process): seconds, words."""
    from bench.ingest import whole_ingest
    from bot.ingest.service import Ingestor
    from storage.sqlite_store import SqliteStore

    drafts, _ = corpus(n, round_offset=1000)  # its own URLs and titles: a fresh store anyway
    store = SqliteStore(workdir / f"reference-{time.monotonic_ns()}.db")
    ingestor = Ingestor(store, MODEL)
    try:
        seconds = whole_ingest(ingestor, drafts, processes)
    finally:
        ingestor.close()
        store.close()
    return seconds, words_in(drafts)


def _summary(args: Any, rounds: list[dict[str, Any]]) -> dict[str, Any]:
    def spread(key: str) -> dict[str, float]:
        values = [r[key] for r in rounds]
        return {"median": median(values), "min": min(values), "max": max(values)}

    return {
        "articles": args.articles, "base": args.base, "processes": args.processes,
        "n_rounds": len(rounds),
        "rounds": rounds, "peak_growth_mb": spread("peak_growth_mb"),
        "speed_ratio": spread("speed_ratio"), "memory_target_mb": MEMORY_TARGET_MB,
        "speed_target": SPEED_TARGET, "meets_target": all(r["meets_target"] for r in rounds),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=20_000, help="the big import (default 20000)")
    p.add_argument("--base", type=int, default=1000, help="the small import (default 1000)")
    p.add_argument("--processes", type=int, default=2, help="--processes of both (default 2)")
    p.add_argument("--rounds", type=int, default=3, help="rounds, median reported (default 3)")
    args = p.parse_args(argv)

    rounds = []
    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp:
        workdir = Path(tmp)
        small, big = workdir / "small.jsonl", workdir / "big.jsonl"
        small_words, big_words = write_archive(small, args.base), write_archive(big, args.articles)
        say(f"Archives: {args.base} and {args.articles} articles ({big_words:,} words).")

        def ref_words_per_s() -> float:
            ref_s, ref_words = reference(args.base, args.processes, workdir)
            say(f"  bench.ingest: {ref_words / ref_s:,.0f} words/s (load {_load():.1f})")
            return ref_words / ref_s

        before = ref_words_per_s()
        for r in range(args.rounds):
            one = {**run_import(small, workdir / f"small-{r}.db", args.processes),
                   "load_after": _load()}
            say(f"  ingest of {args.base}: peak {one['peak_tree_rss_mb']:.0f} MB "
                f"(load {one['load_after']:.1f})")
            many = {**run_import(big, workdir / f"big-{r}.db", args.processes),
                    "load_after": _load()}
            after = ref_words_per_s()
            entry: dict[str, Any] = {
                "reference_words_per_s": (before + after) / 2,
                "reference_before_after": [before, after],
                "small": {**one, "words_per_s": small_words / one["seconds"]},
                "big": {**many, "words_per_s": big_words / many["seconds"]},
            }
            before = after
            entry["peak_growth_mb"] = many["peak_tree_rss_mb"] - one["peak_tree_rss_mb"]
            entry["speed_ratio"] = entry["big"]["words_per_s"] / entry["reference_words_per_s"]
            entry["meets_target"] = (entry["peak_growth_mb"] <= MEMORY_TARGET_MB
                                     and entry["speed_ratio"] >= SPEED_TARGET)
            rounds.append(entry)
            write_result("bulk", _summary(args, rounds), args.results_dir)  # kept if stopped
            say(f"  round {r + 1}: bench.ingest {entry['reference_words_per_s']:,.0f} words/s; "
                f"ingest of {args.base}: peak {one['peak_tree_rss_mb']:.0f} MB; of "
                f"{args.articles}: peak {many['peak_tree_rss_mb']:.0f} MB, "
                f"{entry['big']['words_per_s']:,.0f} words/s (ratio {entry['speed_ratio']:.2f})")

    result = _summary(args, rounds)
    g, s = result["peak_growth_mb"], result["speed_ratio"]
    say(f"peak RSS growth {args.base} -> {args.articles} articles: median {g['median']:.0f} MB "
        f"(min {g['min']:.0f}, max {g['max']:.0f}; target <= {MEMORY_TARGET_MB:.0f})")
    say(f"words/s against bench.ingest: median {s['median']:.2f} (min {s['min']:.2f}, "
        f"max {s['max']:.2f}; target >= {SPEED_TARGET})")
    say(f"target: {'met' if result['meets_target'] else 'MISSED'} (every round must meet it)")
    path = write_result("bulk", result, args.results_dir)
    say(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
