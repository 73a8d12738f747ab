"""Start-up: from process start to the first answer, for `newsdesk ask` and `newsdesk demo`.

    python -m bench.startup [--rounds 3] [--articles 1000]

Each command is a fresh process, timed from launch to exit (the answer is printed just before
exit). Each round runs the references, a bare `python -c pass` (the interpreter) and
`python -c "import spacy; spacy.load(MODEL)"` (the model every analysing command needs), then
the two newsdesk commands; --runs is the old name of --rounds.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import (
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
from bench.memory import _model_name
from bench.stores import build_store

TARGET_S = 3.0


def _newsdesk() -> list[str]:
    """The installed `newsdesk` script beside this interpreter, else the module it runs."""
    script = Path(python()).parent / "newsdesk"
    return [str(script)] if script.exists() else [python(), "-m", "bot.cli"]


def _timed(argv: list[str]) -> dict[str, Any]:
    """One fresh process, launch to exit."""
    outcome = run_child(argv)
    if outcome["returncode"] != 0:
        say(f"  {' '.join(argv[-3:])} failed: {outcome['stderr'].strip()[-300:]}")
    return {"seconds": outcome["wall_s"], "failed": outcome["returncode"] != 0}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    add_rounds(p, "--runs")  # --runs is the old name
    p.add_argument("--articles", type=int, default=1000,
                   help="articles in the store `newsdesk ask` reads (default 1000)")
    p.add_argument("--base", type=int, default=1000, help="analysed base (see bench.answers)")
    args = p.parse_args(argv)

    store = build_store(args.articles, args.base, args.results_dir)
    model = _model_name()
    ours = ("newsdesk ask /who", "newsdesk demo --ask /who")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        db = Path(tmp) / "store.db"
        shutil.copyfile(store, db)  # the cached store stays untouched
        cli = _newsdesk()
        references = {
            "python -c pass": [python(), "-c", "pass"],
            "spacy.load": [python(), "-c", f"import spacy; spacy.load({model!r})"]}
        commands = {ours[0]: [*cli, "ask", "/who", "--db", str(db)],
                    ours[1]: [*cli, "demo", "--ask", "/who"]}
        done = interleave(args.rounds,
                          lambda _: {name: _timed(argv) for name, argv in references.items()},
                          lambda _: {name: _timed(argv) for name, argv in commands.items()})
    per_round = []
    for entry in done:
        both = {**entry["reference"], **entry["measurement"]}
        spacy_s = both["spacy.load"]["seconds"]
        per_round.append({
            "round": entry["round"], "load_average": entry["load_average"],
            "seconds": {name: f["seconds"] for name, f in both.items()},
            "failed": [name for name, f in both.items() if f["failed"]],
            "ratio_to_spacy_load": {name: both[name]["seconds"] / spacy_s if spacy_s else 0.0
                                    for name in ours}})
    figures = {}
    for name in [*references, *commands]:
        figures[name] = summarise(
            per_round, {"seconds": lambda r, n=name: r["seconds"][n]},
            lambda r, n=name: n not in r["failed"] and (
                n not in ours or r["seconds"][n] < TARGET_S))
        figures[name]["failures"] = sum(name in r["failed"] for r in per_round)
        if name in ours:
            figures[name]["ratio_to_spacy_load"] = summarise(
                per_round, {"r": lambda r, n=name: r["ratio_to_spacy_load"][n]},
                lambda r: True)["r"]
    for entry in per_round:  # a round is met when both commands are
        entry["meets_target"] = all(n not in entry["failed"] and entry["seconds"][n] < TARGET_S
                                    for n in ours)
    result = {"model": model, "articles": args.articles, "rounds": args.rounds,
              "target_seconds": TARGET_S, "commands": figures, "per_round": per_round,
              "meets_target": all(figures[n]["meets_target"] for n in ours)}
    say(f"Start-up to first answer, median [min-max] over {args.rounds} rounds "
        f"(store of {args.articles:,} articles):")
    for name, entry in figures.items():
        extra = ""
        if name in ours:
            extra = (f"  ratio to spacy.load {shown(entry['ratio_to_spacy_load'], '.2f')}; "
                     f"target < {TARGET_S:.0f} s in every round: "
                     f"{'met' if entry['meets_target'] else 'MISSED'}")
        say(f"  {name:<26}{shown(entry['seconds'], '.2f')} s{extra}")
    say("  load average after each round: "
        + "; ".join("/".join(f"{x:.1f}" for x in r["load_average"]) for r in per_round))
    path = write_result("startup", result, args.results_dir)
    say(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
