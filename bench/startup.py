"""Start-up: from process start to the first answer, for `newsdesk ask` and `newsdesk demo`.

    python -m bench.startup [--runs 3] [--articles 1000]

Each command is a fresh process, timed from launch to exit (the answer is printed just before
exit), median of --runs. References in the same run: a bare `python -c pass` (the interpreter)
and `python -c "import spacy; spacy.load(MODEL)"` (the model every analysing command needs).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.answers import build_store
from bench.common import median, parser, python, run_child, say, write_result
from bench.memory import _model_name

TARGET_S = 3.0


def _newsdesk() -> list[str]:
    """The installed `newsdesk` script beside this interpreter, else the module it runs."""
    script = Path(python()).parent / "newsdesk"
    return [str(script)] if script.exists() else [python(), "-m", "bot.cli"]


def _timed_runs(argv: list[str], runs: int) -> dict[str, Any]:
    walls, failures = [], 0
    for _ in range(runs):
        outcome = run_child(argv)
        walls.append(outcome["wall_s"])
        failures += outcome["returncode"] != 0
        if outcome["returncode"] != 0:
            say(f"  {' '.join(argv[-3:])} failed: {outcome['stderr'].strip()[-300:]}")
    return {"median_s": median(walls), "runs_s": walls, "failures": failures}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    p.add_argument("--articles", type=int, default=1000,
                   help="articles in the store `newsdesk ask` reads (default 1000)")
    p.add_argument("--base", type=int, default=1000, help="analysed base (see bench.answers)")
    args = p.parse_args(argv)

    store = build_store(args.articles, args.base, args.results_dir)
    model = _model_name()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        db = Path(tmp) / "store.db"
        shutil.copyfile(store, db)  # the cached store stays untouched
        cli = _newsdesk()
        figures = {
            "python -c pass": _timed_runs([python(), "-c", "pass"], args.runs),
            "spacy.load": _timed_runs(
                [python(), "-c", f"import spacy; spacy.load({model!r})"], args.runs),
            "newsdesk ask /who": _timed_runs([*cli, "ask", "/who", "--db", str(db)], args.runs),
            "newsdesk demo --ask /who": _timed_runs([*cli, "demo", "--ask", "/who"], args.runs),
        }
    spacy_s = figures["spacy.load"]["median_s"]
    for name in ("newsdesk ask /who", "newsdesk demo --ask /who"):
        entry = figures[name]
        entry["ratio_to_spacy_load"] = entry["median_s"] / spacy_s if spacy_s else 0.0
        entry["meets_target"] = entry["median_s"] < TARGET_S and not entry["failures"]
    result = {"model": model, "articles": args.articles, "runs": args.runs,
              "target_seconds": TARGET_S, "commands": figures,
              "meets_target": all(figures[n]["meets_target"] for n in
                                  ("newsdesk ask /who", "newsdesk demo --ask /who"))}
    say(f"Start-up to first answer (median of {args.runs}; store of {args.articles:,} articles):")
    for name, entry in figures.items():
        extra = ""
        if "ratio_to_spacy_load" in entry:
            extra = (f"  ratio to spacy.load {entry['ratio_to_spacy_load']:.2f}; target < "
                     f"{TARGET_S:.0f} s: {'met' if entry['meets_target'] else 'MISSED'}")
        say(f"  {name:<26}{entry['median_s']:6.2f} s{extra}")
    path = write_result("startup", result, args.results_dir)
    say(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
