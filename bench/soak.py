"""Soak: memory of the bot's ingest path (store_drafts_async, as `newsdesk run` polls) over
many distinct articles.

    python -m bench.soak [--articles 20000] [--every 1000] [--batch 20] [--recycle 1000]

The dev articles are varied so new words keep coming, as weeks of news would bring: each
article is the first half of one real article and the second half of another, with a lead
sentence of generated names, places and figures. RSS of the whole process tree (this process
and the NLP worker) is read every --every articles. Target: under 50 MB growth in all after the
first 2,000 articles (the largest reading after 2,000 against the reading at 2,000).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.bulk import tree_rss_mb
from bench.common import MODEL, base_articles, parser, say, write_result
from bot.models import ArticleDraft

TARGET_MB = 50.0
WARMUP = 2000
_SYLLABLES = ("ka", "lo", "mi", "ren", "tu", "vash", "el", "or", "dan", "sil", "bro", "ith",
              "gar", "nu", "pe", "zor", "ak", "ul", "fen", "hal")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def varied(n: int, seed: int = 15) -> Iterator[ArticleDraft]:
    """n distinct articles, made one at a time: halves of two real ones and a lead of new names
    and numbers.

    Made lazily, as polls bring them: a list of all n would keep every text alive, and pickling
    a text for the NLP worker attaches a UTF-8 copy to it (3.5 KB an article here), so the
    bench's own list grew the bot process about 3.5 MB per 1,000 articles.
    """
    base, _ = base_articles()
    rng = random.Random(seed)
    for i in range(n):
        a, b = base[i % len(base)], base[rng.randrange(len(base))]
        lead = (f"{_word(rng)} {_word(rng)}, a spokesman for {_word(rng)} Holdings in "
                f"{_word(rng)}, said {rng.randint(2, 99_999):,} people and "
                f"{_word(rng)} {_word(rng)} were affected on day {i}.")
        text = f"{lead}\n\n{a.text[: len(a.text) // 2]}\n\n{b.text[len(b.text) // 2:]}"
        yield replace(a, title=f"{a.title} ({i})", text=text, url=f"https://soak.example/{i}")


def _own_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def soak(drafts: Iterable[ArticleDraft], total: int, every: int, batch: int,
               recycle: int, db: Path, partial: Any = None) -> list[dict[str, float]]:
    from bot.ingest.service import Ingestor
    from storage.sqlite_store import SqliteStore

    store = SqliteStore(db)
    ingestor = Ingestor(store, MODEL, recycle_articles=recycle)
    readings = []
    start = time.perf_counter()
    stored = done = 0
    articles = iter(drafts)
    while poll := list(itertools.islice(articles, batch)):
        report = await ingestor.store_drafts_async(poll)
        stored += len(report.added)
        done += len(poll)
        del poll  # as a poll's drafts are dropped by the running bot
        if done % every == 0 or done >= total:
            # The bot process alone as well as the tree: which side grows tells where to look.
            readings.append({"articles": done, "stored": stored,
                             "tree_rss_mb": tree_rss_mb(os.getpid()),
                             "bot_rss_mb": _own_rss_mb(),
                             "story_index": len(ingestor._story_index()),
                             "seconds": time.perf_counter() - start,
                             "load_1min": os.getloadavg()[0]})
            r = readings[-1]
            say(f"  {r['articles']:>6} articles: tree RSS {r['tree_rss_mb']:.0f} MB, bot process "
                f"{r['bot_rss_mb']:.0f} MB ({r['seconds']:.0f} s, load {r['load_1min']:.1f})")
            if partial is not None:
                partial(readings)  # a run stopped early still leaves its readings
    from bot.ingest.workers import close_shared_pools

    close_shared_pools()
    store.close()
    return readings


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=20_000, help="articles (default 20000)")
    p.add_argument("--every", type=int, default=1000, help="read RSS every N (default 1000)")
    p.add_argument("--batch", type=int, default=20, help="articles per poll (default 20)")
    p.add_argument("--recycle", type=int, default=1000,
                   help="[nlp] worker_recycle_articles (default 1000)")
    args = p.parse_args(argv)

    drafts = varied(args.articles)
    say(f"Soak: {args.articles} distinct articles through store_drafts_async, "
        f"worker recycled every {args.recycle}.")

    def summary(readings: list[dict[str, float]]) -> dict[str, Any]:
        at_warmup = next((r for r in readings if r["articles"] >= WARMUP), None)
        later = [r["tree_rss_mb"] for r in readings if at_warmup and r["articles"] > WARMUP]
        growth = max(later) - at_warmup["tree_rss_mb"] if at_warmup and later else None
        complete = bool(readings) and readings[-1]["articles"] >= args.articles
        return {"articles": args.articles, "recycle_articles": args.recycle, "batch": args.batch,
                "readings": readings, "growth_after_2000_mb": growth, "target_mb": TARGET_MB,
                "complete": complete,  # False while running, or when stopped early
                "meets_target": complete and growth is not None and growth < TARGET_MB}

    def partial(readings: list[dict[str, float]]) -> None:
        write_result("soak", summary(readings), args.results_dir)

    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        readings = asyncio.run(soak(drafts, args.articles, args.every, args.batch, args.recycle,
                                    Path(tmp) / "soak.db", partial))
    result = summary(readings)
    growth = result["growth_after_2000_mb"]
    if growth is None:
        say(f"fewer than {WARMUP + args.every} articles: no growth figure after {WARMUP}")
    else:
        say(f"growth after the first {WARMUP} articles: {growth:.0f} MB "
            f"(target < {TARGET_MB:.0f} MB: {'met' if result['meets_target'] else 'MISSED'})")
    path = write_result("soak", result, args.results_dir)
    say(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
