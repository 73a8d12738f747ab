"""Long article: extraction time and memory on one huge article, against the bare spaCy parse.

    python -m bench.longtext [--chars 500000] [--rounds 3] [--paragraphs]

The article is the corpus's real bodies joined into one text of --chars characters (cut at a
word), as one paragraph by default (the worst case: nothing is bounded by a line break), or
with their paragraph breaks kept (--paragraphs). Each round is a fresh child process that
parses the text with bare `nlp(text)` (the reference), then runs the extraction on that Doc
(`analyze_doc`: people, times, quotes, events, sentences), timed; then runs it once more under
tracemalloc, whose peak is the extraction's memory (every Python and spaCy allocation it makes;
the resident set barely moves, as the allocator reuses what the parse freed, so its growth is
reported beside). The target holds only if every round meets it: under 10 s and 400 MB.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

from bench.common import (
    MODEL,
    base_articles,
    median,
    parser,
    python,
    rss_mb,
    run_child,
    say,
    write_result,
)

TARGET_S = 10.0
TARGET_MB = 400.0


def long_text(chars: int, paragraphs: bool) -> str:
    """The corpus's bodies joined until `chars` characters, cut at a word boundary."""
    drafts, _ = base_articles()
    parts: list[str] = []
    size = 0
    i = 0
    while size < chars and drafts:
        body = drafts[i % len(drafts)].text
        body = body.strip() if paragraphs else " ".join(body.split())
        parts.append(body)
        size += len(body) + 2
        i += 1
    text = ("\n\n" if paragraphs else " ").join(parts)[:chars]
    return text[: text.rfind(" ")] if len(text) == chars and " " in text else text


def child(chars: int, paragraphs: bool) -> None:
    """One round: the bare parse, then the extraction on its Doc, with their figures."""
    from bot.nlp.pipeline import analyze_doc, load_model

    text = long_text(chars, paragraphs)
    nlp = load_model(MODEL)
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    started = time.perf_counter()
    doc = nlp(text)
    spacy_s = time.perf_counter() - started
    before = rss_mb()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    analysis = analyze_doc(doc, None)
    extraction_s = time.perf_counter() - started
    done.set()
    sampler.join()
    peak[0] = max(peak[0], rss_mb())
    del analysis
    doc.user_data.clear()  # the cached text too: the traced run builds everything again
    tracemalloc.start()
    analysis = analyze_doc(doc, None)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({
        "chars": len(text), "tokens": len(doc), "bare_spacy_s": spacy_s,
        "extraction_s": extraction_s, "extraction_mb": traced_peak / 2**20,
        "rss_growth_mb": peak[0] - before,
        "found": {"people": len(analysis.people), "times": len(analysis.times),
                  "quotes": len(analysis.quotes), "events": len(analysis.events),
                  "sentences": len(analysis.sentences)},
    }))


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--chars", type=int, default=500_000, help="length of the article")
    p.add_argument("--rounds", type=int, default=3, help="fresh processes, each measured")
    p.add_argument("--paragraphs", action="store_true",
                   help="keep the articles' paragraph breaks (default: one paragraph)")
    args = p.parse_args(argv)
    rounds: list[dict[str, Any]] = []
    for k in range(args.rounds):
        argv_child = [python(), "-m", "bench.longtext", "--child", str(args.chars)]
        if args.paragraphs:
            argv_child.append("--paragraphs")
        done = run_child(argv_child, timeout_s=1800)
        if done["returncode"] != 0:
            raise SystemExit(f"round {k + 1} failed: {done['stderr'].strip()[-800:]}")
        figures = json.loads(done["stdout"].strip().splitlines()[-1])
        figures["child_peak_rss_mb"] = done["peak_rss_mb"]
        rounds.append(figures)
        say(f"round {k + 1}: {figures['chars']} chars, {figures['tokens']} tokens; bare spaCy "
            f"{figures['bare_spacy_s']:.2f} s; extraction {figures['extraction_s']:.2f} s, "
            f"{figures['extraction_mb']:.0f} MB")
    seconds = [r["extraction_s"] for r in rounds]
    megabytes = [r["extraction_mb"] for r in rounds]
    spacy_s = [r["bare_spacy_s"] for r in rounds]
    data = {
        "chars": rounds[0]["chars"], "paragraphs": args.paragraphs, "rounds": rounds,
        "extraction_s": {"median": median(seconds), "min": min(seconds), "max": max(seconds)},
        "extraction_mb": {"median": median(megabytes), "min": min(megabytes),
                          "max": max(megabytes)},
        "bare_spacy_s": {"median": median(spacy_s), "min": min(spacy_s), "max": max(spacy_s)},
        "ratio_to_bare_spacy": median(seconds) / median(spacy_s) if median(spacy_s) else 0.0,
        "target": {"seconds": TARGET_S, "mb": TARGET_MB},
        "meets_target": all(s < TARGET_S for s in seconds)
        and all(m < TARGET_MB for m in megabytes),
    }
    say(f"extraction median {data['extraction_s']['median']:.2f} s (min "
        f"{min(seconds):.2f}, max {max(seconds):.2f}); memory median "
        f"{data['extraction_mb']['median']:.0f} MB (max {max(megabytes):.0f}); bare spaCy "
        f"median {data['bare_spacy_s']['median']:.2f} s; target met: {data['meets_target']}")
    write_result("longtext", data, args.results_dir)
    return data


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), "--paragraphs" in sys.argv[3:])
    else:
        main()
