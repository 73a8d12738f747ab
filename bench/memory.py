"""Memory: peak resident memory of a started bot with the model loaded and a big store.

    python -m bench.memory [--articles 100000] [--base 1000] [--rounds 3]

Two children over a copy of the store: a process that builds Newsdesk, loads the model and
answers each command once; and, where bot.runner exists, `newsdesk run` with the console
adapter enabled, stopped after --run-seconds. The figure is the larger peak. Each peak comes
from wait4's rusage (the kernel's
high-water mark for that very process). The reference is a bare `spacy.load` of the same model,
run right before the bot in each round.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import (
    MODEL,
    add_rounds,
    interleave,
    parser,
    python,
    run_child,
    say,
    shown,
    summarise,
    write_result,
)
from bench.stores import build_store

TARGET_MB = 600.0
COMMANDS = ("/who", "/when", "/quote", "/summary", "/who {name}", "/when {topic}",
            "/summary {topic}")


def _model_name() -> str:
    """The pipeline load_model actually loads for the default config."""
    import spacy.util

    from bot.nlp.pipeline import _FALLBACKS

    return MODEL if spacy.util.is_package(MODEL) else _FALLBACKS.get(MODEL, MODEL)


def _lines(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        row = conn.execute("select name from people where kind = 'person' "
                           "order by mentions desc limit 1").fetchone()
    name = row[0] if row else "Smith"
    return [c.format(name=name, topic=name.split()[-1]) for c in COMMANDS]


def child(db: str) -> None:
    """The fallback bot: the core on the store, the model loaded, each command answered once."""
    from bot.app import Newsdesk
    from bot.config import Settings, StorageSettings
    from bot.nlp.pipeline import load_model

    bot = Newsdesk(Settings(storage=StorageSettings(path=db)))
    load_model(bot.settings.nlp.model)
    answered = 0
    for line in _lines(Path(db)):
        reply = asyncio.run(bot.ask(line))
        answered += not reply.error
    bot.close()
    print(json.dumps({"answered": answered}))


def _runner_child(db: Path, workdir: Path, timeout_s: float) -> dict[str, Any]:
    config = workdir / "config.toml"
    config.write_text(f'[storage]\npath = "{db}"\n\n[console]\nenabled = true\n',
                      encoding="utf-8")
    stdin = "\n".join(_lines(db)) + "\n"
    # The bot runs until killed; the kernel's peak for it survives the kill.
    return run_child([python(), "-m", "bot.cli", "--config", str(config), "run"],
                     stdin=stdin, timeout_s=timeout_s)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=100_000,
                   help="articles in the store (default 100000)")
    p.add_argument("--base", type=int, default=1000,
                   help="real articles analysed for the store (see bench.answers)")
    p.add_argument("--run-seconds", type=float, default=60,
                   help="how long `newsdesk run` is left to answer before it is stopped")
    add_rounds(p)
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args.child)
        return {}

    db = build_store(args.articles, args.base, args.results_dir)
    model = _model_name()
    uses_runner = importlib.util.find_spec("bot.runner") is not None
    mode = "Newsdesk + model loaded + each command answered once"
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:

        def reference(number: int) -> float:
            bare = run_child([python(), "-c", f"import spacy; spacy.load({model!r})"])
            return float(bare["peak_rss_mb"])

        def measurement(number: int) -> dict[str, Any]:
            # A fresh copy per round, so the bot's writes (schedules, WAL) never touch the
            # cached store and no round starts from another's leftovers.
            work_db = Path(tmp) / f"store-{number + 1}.db"
            shutil.copyfile(db, work_db)
            # The core with the model loaded, answering each command: the floor of any bot.
            ours = run_child([python(), "-m", "bench.memory", "--child", str(work_db)])
            if ours["returncode"] != 0:
                raise SystemExit(f"The bot process failed: {ours['stderr'][-500:]}")
            runner = _runner_child(work_db, Path(tmp), args.run_seconds) if uses_runner \
                else None
            work_db.unlink()
            runner_peak = runner["peak_rss_mb"] if runner else None
            return {"core_peak_rss_mb": ours["peak_rss_mb"],
                    "newsdesk_run_peak_rss_mb": runner_peak,  # None where bot.runner is missing
                    "peak_rss_mb": max(ours["peak_rss_mb"], runner_peak or 0.0)}

        done = interleave(args.rounds, reference, measurement)
    per_round = [{"round": e["round"], "load_average": e["load_average"],
                  "bare_spacy_load_peak_rss_mb": e["reference"], **e["measurement"],
                  "ratio_to_bare_spacy": e["measurement"]["peak_rss_mb"] / e["reference"]
                  if e["reference"] else 0.0} for e in done]
    summary = summarise(
        per_round, {"peak_rss_mb": lambda r: r["peak_rss_mb"],
                    "bare_spacy_load_peak_rss_mb": lambda r: r["bare_spacy_load_peak_rss_mb"],
                    "ratio_to_bare_spacy": lambda r: r["ratio_to_bare_spacy"]},
        lambda r: r["peak_rss_mb"] < TARGET_MB)
    result = {
        "mode": mode, "articles": args.articles, "store": db.name,
        "store_mb": db.stat().st_size / 2**20, "model": model, **summary,
        "target_mb": TARGET_MB, "per_round": per_round,
    }
    say(f"Store: {args.articles:,} articles ({result['store_mb']:.0f} MB on disk); bot: {mode}"
        f"{'; and `newsdesk run` (console), stopped after ' if uses_runner else ''}"
        f"{f'{args.run_seconds:.0f} s' if uses_runner else ''}")
    say(f"median [min-max] over {args.rounds} rounds: peak RSS of the bot "
        f"{shown(summary['peak_rss_mb'], '.0f')} MB; bare spacy.load({model!r}) "
        f"{shown(summary['bare_spacy_load_peak_rss_mb'], '.0f')} MB; ratio "
        f"{shown(summary['ratio_to_bare_spacy'], '.2f')}")
    say(f"target < {TARGET_MB:.0f} MB in every round: "
        f"{'met' if summary['meets_target'] else 'MISSED'}; load after each round: "
        + "; ".join("/".join(f"{x:.1f}" for x in r["load_average"]) for r in per_round))
    path = write_result("memory", result, args.results_dir)
    say(f"wrote {path}")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
