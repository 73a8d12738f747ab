"""Story clustering against hand labels: B-cubed precision, recall and F1, and the summit.

    python -m bench.stories [--dev-data DIR] [--show N] [--limit N]

Every article of the dev set (bench/stories_gold.jsonl, rules in bench/stories_labels.md) goes
through the real Ingestor into a fresh store, in order of publication as feeds would deliver
them; the stories the store holds afterwards are scored against the labels. The two bundled
summit reports (bot/demo_data) are ingested into a store of their own and must come out as
one story with two outlets.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import common
from bench.common import MODEL, parser, say, timed, write_result
from bot.ingest.dedup import content_hash
from bot.ingest.files import read_file
from bot.ingest.service import Ingestor
from storage.sqlite_store import SqliteStore

GOLD = Path(__file__).with_name("stories_gold.jsonl")
DEMO = Path(__file__).resolve().parents[1] / "bot" / "demo_data"


def bcubed(predicted: dict[str, Any], gold: dict[str, str]) -> dict[str, float]:
    """B-cubed over items: per item, the share of its predicted cluster that is gold-alike
    (precision) and the share of its gold cluster it was put with (recall)."""
    pred_members: dict[Any, set[str]] = defaultdict(set)
    gold_members: dict[str, set[str]] = defaultdict(set)
    for item, cluster in predicted.items():
        pred_members[cluster].add(item)
        gold_members[gold[item]].add(item)
    precision = recall = 0.0
    for item, cluster in predicted.items():
        same = pred_members[cluster] & gold_members[gold[item]]
        precision += len(same) / len(pred_members[cluster])
        recall += len(same) / len(gold_members[gold[item]])
    n = len(predicted) or 1
    p, r = precision / n, recall / n
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _ingest(store: SqliteStore, paths: Sequence[Path]) -> dict[Path, int]:
    """Ingest files in order of publication; map each file to its article id."""
    drafts = []
    for path in paths:
        for draft in read_file(path):
            drafts.append((path, draft))
    drafts.sort(key=lambda pd: (pd[1].published or datetime.min, str(pd[0])))
    Ingestor(store, MODEL).store_drafts([d for _, d in drafts], n_process=1)
    ids = {}
    for path, draft in drafts:
        row = store.find_article("", content_hash(draft.title, draft.text))
        if row is not None:
            ids[path] = int(row["id"])
    return ids


def dev_stories(show: int, limit: int = 0) -> dict[str, Any]:
    rows = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    gold = {r["doc"]: r["story"] for r in rows}
    # Without the dev sets (a checkout on its own) only the summit is measured.
    paths = {common.DEV / r["path"]: r["doc"] for r in rows if (common.DEV / r["path"]).exists()}
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as tmp:
        store = SqliteStore(Path(tmp) / "dev.db")
        with timed() as t:
            ids = _ingest(store, list(paths))
        story_of = {a: s for s, a in store.all_story_members()}
        titles = {s["id"]: s["title"] for s in store.recent_stories(100_000)}
        store.close()
    predicted = {paths[p]: story_of[a] for p, a in ids.items()}
    scores = bcubed(predicted, {d: gold[d] for d in predicted})
    clusters: dict[int, list[str]] = defaultdict(list)
    for doc, story in predicted.items():
        clusters[story].append(doc)
    wrong = [(s, docs) for s, docs in clusters.items() if len({gold[d] for d in docs}) > 1]
    for story, docs in wrong[:show]:
        say(f"  mixed story {titles.get(story, story)!r}: "
            + ", ".join(f"{d} [{gold[d]}]" for d in docs))
    sizes = Counter(len(d) for d in clusters.values())
    return {"articles": len(predicted), "gold_stories": len(set(gold.values())),
            "stories": len(clusters), "multi_article_stories": sum(
                n for size, n in sizes.items() if size > 1),
            "mixed_stories": len(wrong), "seconds": t["s"], **scores}


def summit() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-summit-") as tmp:
        store = SqliteStore(Path(tmp) / "summit.db")
        _ingest(store, sorted(DEMO.glob("*.md")))
        stories = store.recent_stories(10)
        outlets = store.story_outlets_of([s["id"] for s in stories])
        store.close()
    return {"stories": [{"title": s["title"], "outlets": outlets[s["id"]]} for s in stories],
            "one_story_two_outlets": len(stories) == 1 and len(outlets[stories[0]["id"]]) == 2}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--show", type=int, default=10, help="mixed stories to print (default 10)")
    p.add_argument("--limit", type=int, default=0,
                   help="only the first N labelled articles (a smoke run; default all)")
    args = p.parse_args(argv)
    dev = dev_stories(args.show, args.limit)
    say(f"Dev set: {dev['articles']} articles, {dev['gold_stories']} labelled stories, "
        f"{dev['stories']} predicted ({dev['mixed_stories']} mixed) in {dev['seconds']:.0f} s")
    say(f"B-cubed precision {dev['precision']:.3f}, recall {dev['recall']:.3f}, "
        f"F1 {dev['f1']:.3f} (targets: precision >= 0.95, F1 >= 0.90)")
    demo = summit()
    say(f"Summit: {len(demo['stories'])} stor{'y' if len(demo['stories']) == 1 else 'ies'}: "
        + "; ".join(f"{s['title']!r} ({', '.join(s['outlets'])})" for s in demo["stories"]))
    result = {"dev": dev, "summit": demo,
              "meets_target": dev["precision"] >= 0.95 and dev["f1"] >= 0.90
              and demo["one_story_two_outlets"]}
    write_result("stories", result, args.results_dir)
    return result


if __name__ == "__main__":
    main()
