"""Ingest throughput: the whole analysis (parse, NLP, extraction, store) against bare spaCy.

    python -m bench.ingest [--articles 2000] [--processes 2] [--split-articles 300] [--profile 25]

Both runs use the same pipeline, texts, process count and batch size in the same run, in
alternating chunks, so the ratio holds on a busy machine. The split runs on one process:
spaCy's pass, then each extractor and the store, timed separately, so we know what to optimise.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import MODEL, corpus, parser, rss_mb, say, timed, words_in, write_result
from bot.ingest.dedup import content_hash, fingerprint, fingerprint_bytes
from bot.ingest.service import Ingestor, match_person
from bot.ingest.urls import canonical_url
from bot.models import Analysis, ArticleDraft
from bot.nlp import pipeline
from bot.nlp.boilerplate import boilerplate_spans, overlaps
from bot.nlp.events import find_events
from bot.nlp.names import name_key
from bot.nlp.people import find_people
from bot.nlp.quotes import find_quotes
from bot.nlp.timex import find_times
from storage.sqlite_store import SqliteStore

BATCH_SIZE = 16  # analyze_drafts' batch size; the bare run uses the same
# In analyze_doc's order (keep in step with bot/nlp/pipeline.py), then what store_drafts adds.
STEPS = ("spacy", "boilerplate", "people", "times", "quotes", "speakers", "events", "sentences",
         "dedup", "store")


def bare_spacy(nlp: Any, texts: Sequence[str], processes: int) -> float:
    """Seconds for nlp.pipe alone over the texts: the physical limit of this analysis."""
    with timed() as t:
        for _ in nlp.pipe(texts, n_process=processes, batch_size=BATCH_SIZE):
            pass
    return t["s"]


def whole_ingest(ingestor: Ingestor, drafts: Sequence[ArticleDraft], processes: int) -> float:
    """Seconds for Ingestor.store_drafts into a store file: what `newsdesk ingest` does."""
    with timed() as t:
        report = ingestor.store_drafts(drafts, n_process=processes)
    if len(report.added) != len(drafts):
        raise SystemExit(f"Only {len(report.added)} of {len(drafts)} articles were stored.")
    return t["s"]


def alternating(nlp: Any, drafts: Sequence[ArticleDraft], processes: int, rounds: int,
                workdir: Path) -> tuple[float, float]:
    """Bare spaCy and the whole ingest, chunk by chunk in turn, so load drift hits both alike."""
    store = SqliteStore(workdir / f"ingest-{processes}.db")
    ingestor = Ingestor(store, MODEL)
    size = -(-len(drafts) // max(1, rounds))
    bare_s = ours_s = 0.0
    for start in range(0, len(drafts), size):
        chunk = drafts[start:start + size]
        bare_s += bare_spacy(nlp, [d.text for d in chunk], processes)
        ours_s += whole_ingest(ingestor, chunk, processes)
        say(f"  {start + len(chunk)}/{len(drafts)}: bare spaCy {bare_s:.1f} s, "
            f"newsdesk {ours_s:.1f} s (RSS {rss_mb():.0f} MB)")
    store.close()
    return bare_s, ours_s


def split(nlp: Any, drafts: Sequence[ArticleDraft], workdir: Path) -> dict[str, float]:
    """Seconds per step on one process; mirrors analyze_doc and Ingestor.store_drafts."""
    spent = dict.fromkeys(STEPS, 0.0)
    clock = time.perf_counter
    start = clock()
    docs = list(nlp.pipe([d.text for d in drafts], batch_size=BATCH_SIZE))
    spent["spacy"] = clock() - start
    store = SqliteStore(workdir / "split.db")
    ingestor = Ingestor(store, MODEL)
    for draft, doc in zip(drafts, docs, strict=True):
        marks = [clock()]
        skip = list(boilerplate_spans(doc.text))
        marks.append(clock())
        people = list(find_people(doc))
        marks.append(clock())
        times = [t for t in find_times(doc, draft.published)
                 if not overlaps(skip, t.start, t.end)]
        marks.append(clock())
        quotes = [q for q in find_quotes(doc) if not overlaps(skip, q.start, q.end)]
        marks.append(clock())
        named = pipeline._canonical_speakers(quotes, people, doc.text)
        marks.append(clock())
        events = find_events(doc, times, people, skip + [(q.start, q.end) for q in named])
        marks.append(clock())
        sentences = pipeline._sentence_spans(doc, skip)
        marks.append(clock())
        analysis = Analysis(people=tuple(people), times=tuple(times), quotes=named,
                            events=tuple(events), sentences=sentences)
        url = canonical_url(draft.url) if draft.url else ""
        digest = content_hash(draft.title, draft.text)
        store.find_article(url, digest)
        signature = fingerprint(draft.text)
        stories = ingestor._story_index()
        story_id = stories.story_of(signature)
        marks.append(clock())
        article_id = store.save_article(
            draft, canonical_url=url, content_hash=digest, analysis=analysis, key=name_key,
            match=match_person, story_id=int(story_id) if story_id is not None else None,
            fingerprint=fingerprint_bytes(signature))
        stored = store.article(article_id)
        stories.add_fingerprint(stored["story_id"] if stored else article_id, signature)
        marks.append(clock())
        for step, (a, b) in zip(STEPS[1:], zip(marks, marks[1:], strict=False), strict=True):
            spent[step] += b - a
    store.close()
    return spent


def profile_extractors(nlp: Any, drafts: Sequence[ArticleDraft], top: int) -> str:
    """cProfile of analyze_doc alone (spaCy's pass excluded): where our extraction time goes."""
    docs = list(nlp.pipe([d.text for d in drafts], batch_size=BATCH_SIZE))
    profiler = cProfile.Profile()
    profiler.enable()
    for draft, doc in zip(drafts, docs, strict=True):
        pipeline.analyze_doc(doc, draft.published)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=2000, help="articles to ingest (default 2000)")
    p.add_argument("--processes", type=int, default=2, help="n_process for both runs")
    p.add_argument("--rounds", type=int, default=4,
                   help="chunks run bare then ours in turn, against load drift (default 4)")
    p.add_argument("--split-articles", type=int, default=300,
                   help="articles for the one-process split (default 300)")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="also print the N costliest functions of the extractors (cProfile)")
    args = p.parse_args(argv)

    drafts, label = corpus(args.articles)
    words = words_in(drafts)
    say(f"Corpus: {len(drafts)} articles, {words:,} words, cycled from {label}.")
    nlp = pipeline.load_model(MODEL)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        workdir = Path(tmp)
        bare_s, ours_s = alternating(nlp, drafts, args.processes, args.rounds, workdir)
        few = drafts[:max(1, min(args.split_articles, len(drafts)))]
        spent = split(nlp, few, workdir)
        say(f"  split done (RSS {rss_mb():.0f} MB)")
    profile = profile_extractors(nlp, few, args.profile) if args.profile else ""

    ratio = bare_s / ours_s if ours_s else 0.0
    spacy_s = spent["spacy"]
    ours_steps = {k: v for k, v in spent.items() if k != "spacy"}
    result = {
        "corpus": label, "articles": len(drafts), "words": words,
        "processes": args.processes, "batch_size": BATCH_SIZE, "model": nlp.meta.get("name"),
        "bare_spacy": {"seconds": bare_s, "articles_per_s": len(drafts) / bare_s,
                       "words_per_s": words / bare_s},
        "newsdesk": {"seconds": ours_s, "articles_per_s": len(drafts) / ours_s,
                     "words_per_s": words / ours_s},
        "ratio_to_bare_spacy": ratio,
        "target_ratio": 0.8,
        "meets_target": ratio >= 0.8,
        "split_one_process": {
            "articles": len(few), "words": words_in(few),
            "seconds": spent,
            "share_of_spacy": {k: v / spacy_s if spacy_s else 0.0 for k, v in ours_steps.items()},
            "overhead_over_spacy": sum(ours_steps.values()) / spacy_s if spacy_s else 0.0,
        },
    }
    say(f"bare spaCy ({args.processes} processes): {result['bare_spacy']['words_per_s']:,.0f} "
        f"words/s, {result['bare_spacy']['articles_per_s']:.1f} articles/s ({bare_s:.1f} s)")
    say(f"newsdesk ingest ({args.processes} processes): "
        f"{result['newsdesk']['words_per_s']:,.0f} words/s, "
        f"{result['newsdesk']['articles_per_s']:.1f} articles/s ({ours_s:.1f} s)")
    say(f"ratio to bare spaCy: {ratio:.2f} (target >= 0.80: "
        f"{'met' if ratio >= 0.8 else 'MISSED'})")
    say(f"one-process split over {len(few)} articles (seconds; share of spaCy's own time):")
    for step, seconds in spent.items():
        share = seconds / spacy_s if spacy_s else 0.0
        say(f"  {step:<12} {seconds:8.2f} s  {share:6.1%}")
    say(f"  extraction + store on top of spaCy: "
        f"{result['split_one_process']['overhead_over_spacy']:.1%}")
    if profile:
        say(profile)
    path = write_result("ingest", result, args.results_dir)
    say(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
