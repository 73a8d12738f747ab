"""Person merges across articles against hand labels: precision, and recall of spellings.

`python -m bench.people_merge [--store PATH] [--processes 2]` ingests all of ../shared/dev into a
fresh store (or reads an already built one), then reads, for every labelled (article, written
form) of `people_merge_gold.jsonl`, the stored person the bot filed it under. Over every pair of
labelled items of different articles:

- merge precision: of the pairs the bot put under one person, the share that are one person;
- merge recall: of the pairs that are one person, the share the bot put under one person;
- spelling recall: the same, over pairs written differently ("Kopp" / "James C. Kopp").

The labels (the 100 most-mentioned people, labelled blind from the articles' text; how in
people_merge_labels.md) are the truth; an item the bot did not find as a person counts against
recall only. Targets: precision >= 0.98, spelling recall >= 0.90.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

from bench import common
from bot.nlp.names import name_key

GOLD = Path(__file__).resolve().parent / "people_merge_gold.jsonl"
TARGETS = {"precision": 0.98, "spelling_recall": 0.90}


def build_store(path: Path, processes: int) -> None:
    from bot.app import Newsdesk
    from bot.config import Settings, StorageSettings

    paths = sorted(common.DEV.glob("timex/*/articles/*.md")) + sorted(
        common.DEV.glob("quotes/*/DOC.md"))
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(path))))
    try:
        bot.ingestor.ingest_paths(paths, n_process=processes)
    finally:
        bot.ingestor.close()
        bot.close()


def filed_under(db: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """(article title, written form key) -> the person most of those mentions are filed under."""
    votes: dict[tuple[str, str], Counter[int]] = {}
    for title, text, person_id, spans in db.execute(
            "select a.title, a.text, ap.person_id, ap.spans from article_people ap "
            "join articles a on a.id = ap.article_id join people p on p.id = ap.person_id "
            "where p.kind = 'person'"):
        for start, end in json.loads(spans or "[]"):
            key = (title, name_key(" ".join(text[start:end].split())))
            votes.setdefault(key, Counter())[person_id] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in votes.items()}


def score(gold: list[dict[str, Any]], filed: dict[tuple[str, str], int]) -> dict[str, Any]:
    items = [(g["person"], w["doc"], w["form"]) for g in gold for w in g["written"]]
    system = {i: filed.get((doc, name_key(form))) for i, (_, doc, form) in enumerate(items)}
    tally = Counter[str]()
    wrong: Counter[tuple[str, str]] = Counter()
    for (i, a), (j, b) in combinations(enumerate(items), 2):
        if a[1] == b[1]:
            continue  # the same article: the extractor's business, not the merge's
        same_gold = a[0] == b[0]
        same_bot = system[i] is not None and system[i] == system[j]
        spelling = name_key(a[2]) != name_key(b[2])
        tally["bot"] += same_bot
        tally["gold"] += same_gold
        tally["both"] += same_bot and same_gold
        tally["gold_spelling"] += same_gold and spelling
        tally["both_spelling"] += same_gold and spelling and same_bot
        if same_bot and not same_gold:
            wrong[tuple(sorted((a[0], b[0])))] += 1
    found = sum(1 for v in system.values() if v is not None)
    return {
        "items": len(items), "found": found, "people": len(gold),
        "pairs_merged": tally["bot"], "pairs_same_person": tally["gold"],
        "precision": tally["both"] / tally["bot"] if tally["bot"] else 1.0,
        "recall": tally["both"] / tally["gold"] if tally["gold"] else 1.0,
        "spelling_recall": (tally["both_spelling"] / tally["gold_spelling"]
                            if tally["gold_spelling"] else 1.0),
        "wrong_merges": [{"people": list(k), "pairs": n} for k, n in wrong.most_common(10)],
    }


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__ or "")
    p.add_argument("--store", type=Path, help="a store with all of the dev data already in it")
    p.add_argument("--processes", type=int, default=2)
    p.add_argument("--gold", type=Path, default=GOLD)
    args = p.parse_args(argv)
    gold = [json.loads(line) for line in args.gold.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            if not any(common.DEV.glob("timex/*/articles/*.md")):
                common.say(f"No dev data in {common.DEV}: nothing to measure.")
                return 1
            store = Path(tmp) / "dev.db"
            build_store(store, args.processes)
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        result = score(gold, filed_under(db))
        db.close()
    result["targets"] = TARGETS
    result["meets_target"] = all(result[k] >= v for k, v in TARGETS.items())
    common.say(f"{result['people']} people, {result['items']} labelled items "
               f"({result['found']} found as people)")
    common.say(f"merge precision {result['precision']:.3f} (target {TARGETS['precision']}), "
               f"recall {result['recall']:.3f}, spelling recall "
               f"{result['spelling_recall']:.3f} (target {TARGETS['spelling_recall']})")
    for wrong in result["wrong_merges"]:
        common.say(f"  merged wrongly: {' + '.join(wrong['people'])} ({wrong['pairs']} pairs)")
    common.write_result("people_merge", result, args.results_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
