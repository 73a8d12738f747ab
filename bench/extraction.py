"""Extraction quality on ../shared/dev: TempEval-3 timex value F1 and PolNeAR quote F1/speakers.

    python -m bench.extraction                 # all sets, one spaCy process, then the scorers
    python -m bench.extraction --per-article   # the scorers' own `newsdesk analyze` per file
    python -m bench.extraction --errors 40     # also the most frequent errors, by category

The fast path analyses every article in one process with exactly the code behind
`newsdesk analyze --json` (bot.analyze.analysis_json) and hands the outputs to the official
scorers; --per-article runs the real command per file (slower, same figures).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# $NEWSDESK_DEV_DATA, else ../shared/dev beside the checkout.
DEV = Path(os.environ.get("NEWSDESK_DEV_DATA") or ROOT.parent / "shared" / "dev")
OUT = ROOT / "bench" / "results" / "extraction"
_FLOAT = r"([0-9.]+)"


def _analyze_all(paths: list[Path], out_dir: Path, name_of) -> float:  # type: ignore[no-untyped-def]
    from bot.analyze import analysis_json
    from bot.ingest.files import read_file
    from bot.nlp.pipeline import analyze_doc, load_model

    nlp = load_model("en_core_web_sm")
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for path in paths:
        (draft,) = read_file(path)
        result = analysis_json(draft, analyze_doc(nlp(draft.text), draft.published))
        (out_dir / f"{name_of(path)}.json").write_text(json.dumps(result), encoding="utf-8")
    return time.perf_counter() - started


def _run(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"scorer failed: {done.stderr.strip()[-500:]}")
    return done.stdout


_TIMEX_ERROR = re.compile(
    r"^\s+\S+\s+(MATCH|MISSED|SPURIOUS)\s+(?:gold\[(['\"])(.*?)\2 (\w+) (\S+)\])?\s*"
    r"(?:sys\[(['\"])(.*?)\6 (\w+) (\S+)\])?"
)


def timex_error_kinds(text: str) -> collections.Counter[str]:
    """The scorer's mismatch list folded into kinds: wrong value / missed / spurious, by the
    lower-cased text with digits as 9 ("wrong  last week  9999-WXX -> 9999-W99")."""
    kinds: collections.Counter[str] = collections.Counter()
    for line in text.splitlines():
        m = _TIMEX_ERROR.match(line)
        if m is None:
            continue
        what, gold_text, gold_value, sys_text, sys_value = (
            m.group(1), m.group(3), m.group(5), m.group(7), m.group(9))
        def fold(value: str | None) -> str:
            return re.sub(r"\d", "9", (value or "").lower())
        if what == "MATCH":
            if gold_value == sys_value:
                continue  # only the extent differs
            kinds[f"wrong     {fold(gold_text)}  {fold(gold_value)} -> {fold(sys_value)}"] += 1
        elif what == "MISSED":
            kinds[f"missed    {fold(gold_text)}  {fold(gold_value)}"] += 1
        else:
            kinds[f"spurious  {fold(sys_text)}  {fold(sys_value)}"] += 1
    return kinds


def timex(set_name: str, per_article: bool, errors: int = 0) -> dict[str, float]:
    scorer = DEV / "timex" / "score.py"
    if per_article:
        cmd = "newsdesk analyze {file} --json"
    else:
        cache = OUT / set_name
        _analyze_all(sorted((DEV / "timex" / set_name / "articles").glob("*.md")), cache,
                     lambda p: p.stem)
        cmd = f"{sys.executable} -m bench.cached_output {cache} {{file}}"
    extra = ["--errors", "100000"] if errors else []
    text = _run([sys.executable, str(scorer), "--set", set_name, "--jobs", "2", "--cmd", cmd,
                 *extra])
    if errors:
        print(f"{set_name}: the {errors} most frequent error kinds")
        for kind, count in timex_error_kinds(text).most_common(errors):
            print(f"  {count:3d}  {kind}")
    figures = {}
    for label, key in (("extent strict", "strict_f1"), ("extent relaxed", "relaxed_f1")):
        m = re.search(rf"{label}\s+{_FLOAT}\s+{_FLOAT}\s+{_FLOAT}", text)
        if m:
            figures[key] = float(m.group(3))
    m = re.search(rf"value \(on relaxed\)\s+{_FLOAT}\s+{_FLOAT}\s+{_FLOAT}\s+{_FLOAT}", text)
    if m:
        figures["value_f1"], figures["value_accuracy"] = float(m.group(3)), float(m.group(4))
    return figures


def quotes(per_article: bool, errors: int = 0) -> dict[str, float]:
    scorer = DEV / "quotes" / "score.py"
    docs = sorted(p for p in (DEV / "quotes").iterdir() if (p / "DOC.md").is_file())
    if per_article:
        text = _run([sys.executable, str(scorer), "--show-errors", str(errors)])
    else:
        cache = OUT / "quotes"
        _analyze_all([d / "DOC.md" for d in docs], cache, lambda p: p.parent.name)
        text = _run([sys.executable, str(scorer), "--json-dir", str(cache),
                     "--show-errors", str(errors)])
    if errors:
        print("PolNeAR: wrong speakers")
        for line in text.splitlines():
            if line.startswith("  wrong speaker"):
                print(line)
    m = re.search(rf"quote F1 {_FLOAT}, speaker accuracy {_FLOAT}", text)
    figures = {"quote_f1": float(m.group(1)), "speaker_accuracy": float(m.group(2))} if m else {}
    for line in text.splitlines():  # the scorer's table has three-decimal figures too
        for key, label in (("quote_f1", "quote F1"), ("speaker_accuracy", "speaker accuracy")):
            m = re.match(rf"\s*{label}\s+{_FLOAT}", line)
            if m:
                figures[key] = float(m.group(1))
        # speakers named in the attribution / reached through a pronoun or description
        for key, via in (("speaker_named", "source-span"), ("speaker_coref", "corenlp-coref")):
            m = re.match(rf"\s*speaker via {via}\s+{_FLOAT}", line)
            if m:
                figures[key] = float(m.group(1))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-article", action="store_true",
                        help="run `newsdesk analyze` per article, as the scorers do by default")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print the N most frequent timex error kinds and N wrong speakers")
    args = parser.parse_args(argv)
    if not DEV.is_dir():
        print(f"No development sets at {DEV}; nothing to score.")
        return 0
    results = {
        "TimeBank": timex("TimeBank", args.per_article, args.errors),
        "AQUAINT": timex("AQUAINT", args.per_article, args.errors),
        "PolNeAR": quotes(args.per_article, args.errors),
    }
    for name, figures in results.items():
        print(f"{name:<9} " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "extraction.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
