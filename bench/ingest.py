"""Ingest throughput: the whole analysis (parse, NLP, extraction, store) against bare spaCy.

    python -m bench.ingest [--articles 2000] [--processes 2] [--rounds 3] [--split-articles 300]
                           [--profile 25]

Both runs use the same pipeline, texts, process count and batch size, in rounds that alternate
which goes first (bare spaCy then newsdesk, newsdesk then bare spaCy, ...), so load drift hits
both alike; the ratio is per round. Both start with the model loaded (bare spaCy's in this
process, newsdesk's in its worker processes, started before the clock: their start is reported
apart), and the objects of this set-up are frozen out of the collector's sight, as a running
bot's main process holds no spaCy pipeline.
The split (once, a diagnostic, not a target) runs on one process: spaCy's pass, then each
extractor and the store, timed separately, so we know what to optimise.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import (
    MODEL,
    add_rounds,
    corpus,
    interleave,
    parser,
    rss_mb,
    say,
    shown,
    summarise,
    timed,
    words_in,
    write_result,
)
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
from bot.stories import place_article
from bot.stories.prepare import prepare_stories
from storage.sqlite_store import SqliteStore

TARGET_RATIO = 0.85  # issue 19: >= 0.85 of bare spaCy's throughput, in every round
BATCH_SIZE = 16  # analyze_drafts' batch size; the bare run uses the same
# In analyze_doc's order (keep in step with bot/nlp/pipeline.py), then what store_drafts adds.
STEPS = ("spacy", "boilerplate", "people", "times", "quotes", "speakers", "events", "sentences",
         "dedup", "store", "stories", "prepare")


def bare_spacy(nlp: Any, texts: Sequence[str], processes: int) -> float:
    """Seconds for nlp.pipe alone over the texts: the physical limit of this analysis."""
    gc.collect()
    with timed() as t:
        for _ in nlp.pipe(texts, n_process=processes, batch_size=BATCH_SIZE):
            pass
    return t["s"]


def whole_ingest(ingestor: Ingestor, drafts: Sequence[ArticleDraft], processes: int) -> float:
    """Seconds for Ingestor.store_drafts into a store file: what `newsdesk ingest` does (with
    the workers' start inside the clock unless the caller started them: in_rounds does, as the
    bare run's model is loaded before its clock; bench.bulk does not, as its command does not)."""
    gc.collect()  # the round before's garbage is not this round's to collect
    with timed() as t:
        report = ingestor.store_drafts(drafts, n_process=processes)
    if len(report.added) != len(drafts):
        raise SystemExit(f"Only {len(report.added)} of {len(drafts)} articles were stored.")
    return t["s"]


def in_rounds(nlp: Any, drafts: Sequence[ArticleDraft], processes: int, rounds: int,
              workdir: Path) -> list[dict[str, Any]]:
    """Bare spaCy then the whole ingest over all the drafts, `rounds` times in turn.

    Each round ingests into a fresh store, so every round does the same work (nothing is a
    duplicate of the round before).
    """
    words = words_in(drafts)

    def figures(seconds: float) -> dict[str, float]:
        return {"seconds": seconds, "articles_per_s": len(drafts) / seconds,
                "words_per_s": words / seconds}

    def reference(number: int) -> dict[str, float]:
        return figures(bare_spacy(nlp, [d.text for d in drafts], processes))

    def measurement(number: int) -> dict[str, float]:
        store = SqliteStore(workdir / f"ingest-{processes}-round-{number + 1}.db")
        ingestor = Ingestor(store, MODEL)
        try:
            started = ingestor.start_workers(processes)
            ours = figures(whole_ingest(ingestor, drafts, processes))
        finally:
            ingestor.close()
            store.close()
        ours["workers_start_s"] = started
        say(f"  round {number + 1}: newsdesk {ours['seconds']:.1f} s after {started:.1f} s "
            f"starting its workers (RSS {rss_mb():.0f} MB)")
        return ours

    return interleave(rounds, reference, measurement, alternate=True)


def split(nlp: Any, drafts: Sequence[ArticleDraft], workdir: Path) -> dict[str, float]:
    """Seconds per step on one process; mirrors analyze_doc and Ingestor.store_drafts."""
    spent = dict.fromkeys(STEPS, 0.0)
    clock = time.perf_counter
    start = clock()
    docs = list(nlp.pipe([d.text for d in drafts], batch_size=BATCH_SIZE))
    spent["spacy"] = clock() - start
    store = SqliteStore(workdir / "split.db")
    ingestor = Ingestor(store, MODEL)
    touched: list[int] = []
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
        touched.append(place_article(store, article_id, draft, analysis))
        marks.append(clock())
        marks.append(clock())  # prepare: once for every story at the end, as Ingestor does
        for step, (a, b) in zip(STEPS[1:], zip(marks, marks[1:], strict=False), strict=True):
            spent[step] += b - a
    with timed() as t:
        prepare_stories(store, touched)
    spent["prepare"] += t["s"]
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
    add_rounds(p)
    p.add_argument("--split-articles", type=int, default=300,
                   help="articles for the one-process split (default 300)")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="also print the N costliest functions of the extractors (cProfile)")
    args = p.parse_args(argv)

    drafts, label = corpus(args.articles)
    words = words_in(drafts)
    say(f"Corpus: {len(drafts)} articles, {words:,} words, cycled from {label}; "
        f"{args.rounds} rounds of bare spaCy and newsdesk, alternating which goes first.")
    nlp = pipeline.load_model(MODEL)
    fingerprint_bytes(fingerprint("warm up the imports"))  # as a running bot did long ago
    gc.freeze()  # the bare side's pipeline and these drafts: not the ingest's to collect
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        workdir = Path(tmp)
        done = in_rounds(nlp, drafts, args.processes, args.rounds, workdir)
        few = drafts[:max(1, min(args.split_articles, len(drafts)))]
        spent = split(nlp, few, workdir)
        say(f"  split done (RSS {rss_mb():.0f} MB)")
    profile = profile_extractors(nlp, few, args.profile) if args.profile else ""

    per_round = [{"round": e["round"], "load_average": e["load_average"],
                  "first": "bare_spacy" if e["order"] == "reference" else "newsdesk",
                  "bare_spacy": e["reference"], "newsdesk": e["measurement"],
                  "ratio_to_bare_spacy": e["reference"]["seconds"] / e["measurement"]["seconds"]}
                 for e in done]
    summary = summarise(
        per_round,
        {"bare_spacy_words_per_s": lambda r: r["bare_spacy"]["words_per_s"],
         "newsdesk_words_per_s": lambda r: r["newsdesk"]["words_per_s"],
         "newsdesk_articles_per_s": lambda r: r["newsdesk"]["articles_per_s"],
         "ratio_to_bare_spacy": lambda r: r["ratio_to_bare_spacy"]},
        lambda r: r["ratio_to_bare_spacy"] >= TARGET_RATIO)
    spacy_s = spent["spacy"]
    ours_steps = {k: v for k, v in spent.items() if k != "spacy"}
    result = {
        "corpus": label, "articles": len(drafts), "words": words,
        "processes": args.processes, "batch_size": BATCH_SIZE, "model": nlp.meta.get("name"),
        **summary,
        "target_ratio": TARGET_RATIO,
        "per_round": per_round,
        "split_one_process": {
            "articles": len(few), "words": words_in(few),
            "seconds": spent,
            "share_of_spacy": {k: v / spacy_s if spacy_s else 0.0 for k, v in ours_steps.items()},
            "overhead_over_spacy": sum(ours_steps.values()) / spacy_s if spacy_s else 0.0,
        },
    }
    say(f"{args.processes} processes, median [min-max] over {args.rounds} rounds:")
    say(f"  bare spaCy      {shown(summary['bare_spacy_words_per_s'], ',.0f')} words/s")
    say(f"  newsdesk ingest {shown(summary['newsdesk_words_per_s'], ',.0f')} words/s, "
        f"{shown(summary['newsdesk_articles_per_s'])} articles/s")
    say(f"  ratio to bare spaCy: {shown(summary['ratio_to_bare_spacy'], '.2f')} "
        f"(target >= {TARGET_RATIO:.2f} in every round: "
        f"{'met' if summary['meets_target'] else 'MISSED'})")
    say("  load average (1/5/15 min) after each round: "
        + "; ".join("/".join(f"{x:.1f}" for x in r["load_average"]) for r in per_round))
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
