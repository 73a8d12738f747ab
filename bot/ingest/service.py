"""The ingest entry point: files, folders, feeds and URLs in; each article analysed, stored once."""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.errors import StoreError, store_error
from bot.ingest.dedup import (
    StoryIndex,
    content_hash,
    fingerprint_bytes,
    fingerprint_from_bytes,
)
from bot.ingest.limits import cap_line
from bot.ingest.stream import Skipped, Sourced, iter_items
from bot.ingest.urls import canonical_url, redact_secrets
from bot.ingest.workers import (
    RECYCLE_ARTICLES,
    TASK_ARTICLES,
    NlpPool,
    Outcome,
    Work,
    analyze_work,
    describe_failure,
    shared_pool,
)
from bot.models import Analysis, ArticleDraft, PersonMention, StoredPerson
from bot.nlp.names import name_key, same_entity
from bot.ports import Store
from bot.stories import place_article
from bot.stories.prepare import REPREPARE_BELOW, prepare_stories

if TYPE_CHECKING:
    from datasketch import MinHash

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class IngestReport:
    """What one ingest did, for the progress line, the CLI's summary and `ingest --json`."""

    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)  # one clear sentence each
    interrupted: bool = False
    _items: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def fail(self, origin: str, reason: str) -> None:
        """One item skipped: where it was and why, as one line of the report."""
        # Readers' messages often name the file already: then the reason is the whole line.
        named = origin and reason.startswith((origin, Path(origin).name + " ",
                                                Path(origin).name + ":"))
        sentence = f"{origin}: {reason}" if origin and not named else reason
        self.failed.append(sentence)
        self._items[sentence] = (origin, reason)

    @property
    def handled(self) -> int:
        """Items done with: stored, updated, already stored or skipped."""
        return len(self.added) + len(self.updated) + self.duplicates + len(self.failed)

    def summary(self) -> str:
        parts = [f"{len(self.added)} new article{'s' if len(self.added) != 1 else ''}"]
        if self.updated:
            parts.append(f"{len(self.updated)} updated")
        if self.duplicates:
            parts.append(f"{self.duplicates} already stored")
        if self.failed:
            parts.append(f"{len(self.failed)} skipped")
        return ", ".join(parts) + "."

    def to_json(self) -> dict[str, object]:
        """The `newsdesk ingest --json` report."""
        skipped = []
        for sentence in self.failed:
            origin, reason = self._items.get(sentence, ("", sentence))
            skipped.append({"item": origin or None, "reason": reason})
        return {"stored": len(self.added), "updated": len(self.updated),
                "skipped_as_copies": self.duplicates, "skipped": skipped,
                "interrupted": self.interrupted}


@dataclass(frozen=True)
class _Pending:
    draft: ArticleDraft
    url: str
    digest: str
    replace_id: int | None
    origin: str = ""


@dataclass(frozen=True)
class _Analyzed:
    pending: _Pending
    analysis: Analysis
    signature: MinHash


@dataclass
class _Batch:
    """Articles on their way through the NLP pass: a task in the pool, or done in-process."""

    pending: list[_Pending]
    future: Future[list[Outcome]] | None = None
    generation: int = 0
    outcomes: list[Outcome] | None = None


@dataclass
class _Written:
    """What one batch's transaction did; applied to the report only once it committed."""

    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    unprepared: list[int] = field(default_factory=list)  # stories whose prepared rows it dropped


def match_person(person: PersonMention, candidates: Sequence[StoredPerson]) -> StoredPerson | None:
    """The stored person an article's entry is, or None when it is someone new."""
    fitting = [c for c in candidates if same_entity(person, c.as_mention())]
    return max(fitting, key=lambda c: c.mentions, default=None)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _origin(draft: ArticleDraft) -> str:
    """How a report names an article that came without a file: its title and address (any
    secret in the address hidden, since the report may be shown in a channel)."""
    title = f"“{cap_line(draft.title.strip() or '(untitled)', 80)}”"
    return f"{title} ({redact_secrets(draft.url)[:120]})" if draft.url else title


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class Ingestor:
    """Reads inputs, analyses new articles and stores them, skipping what is already stored.

    Inputs stream through in batches: read, skip what the store holds, analyse (in worker
    processes when asked), write one transaction per batch. Memory depends on the batch size and
    the number of batches in flight, never on how many articles a call holds; an article that
    cannot be read, analysed or stored is reported on its own and the rest go on.
    """

    # Wire copies of a story arrive within days: the near-duplicate index keeps the signatures
    # of this many recent articles (512 bytes each, a fixed array: bounded memory).
    STORY_WINDOW = 10_000
    LOCK_WAIT_S = 300.0  # another ingest or the bot may hold the store's write lock this long
    # Stories whose prepared answers wait for the end of the call (see _prepare_touched); a long
    # import prepares them whenever this many are waiting, so few answers compute on demand.
    PREPARE_WAITING_MAX = 1000
    PREPARE_CHUNK = 64  # stories prepared per transaction (the write lock is held that long)

    def __init__(self, store: Store, model: str, *,
                 recycle_articles: int = RECYCLE_ARTICLES) -> None:
        self.store = store
        self.model = model
        self.recycle_articles = recycle_articles
        self._stories: StoryIndex | None = None
        self._pools: dict[int, NlpPool] = {}
        self._unprepared: dict[int, None] = {}  # committed batches' stories, in order

    def close(self) -> None:
        """Stop the worker processes this Ingestor started for store_drafts(n_process=N)."""
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()

    def _story_index(self) -> StoryIndex:
        if self._stories is None:
            index = StoryIndex(capacity=self.STORY_WINDOW)
            for story_id, data in reversed(self.store.recent_fingerprints(self.STORY_WINDOW)):
                try:
                    index.add_fingerprint(story_id, fingerprint_from_bytes(data))
                except ValueError:
                    continue  # a signature written by an incompatible version: skip it
            self._stories = index
        return self._stories

    def collect(self, items: Iterable[str | Path], report: IngestReport) -> list[ArticleDraft]:
        """Read local paths into drafts; unreadable ones go to report.failed with a reason.

        Holds every draft at once: for big inputs use ingest_paths, which streams."""
        drafts: list[ArticleDraft] = []
        for item in iter_items(items):
            if isinstance(item, Skipped):
                report.fail(item.origin, item.reason)
            else:
                drafts.append(item.draft)
        return drafts

    def _prepare(
        self, items: Sequence[ArticleDraft | Sourced | Skipped], report: IngestReport,
        progress: Callable[[int], None] | None,
    ) -> list[_Pending]:
        """The drafts not stored yet (or stored only as a feed summary), in order."""
        pending: list[_Pending] = []
        seen: set[str] = set()
        for item in items:
            if isinstance(item, Skipped):
                report.fail(item.origin, item.reason)
                if progress:
                    progress(1)
                continue
            draft, origin = (item.draft, item.origin) if isinstance(item, Sourced) \
                else (item, "")
            try:
                url = canonical_url(draft.url) if draft.url else ""
                digest = content_hash(draft.title, draft.text)
                existing = None if digest in seen or (url and url in seen) \
                    else self.store.find_article(url, digest)
            except Exception as exc:  # noqa: BLE001 - reported against this article alone
                report.fail(origin or _origin(draft), describe_failure(exc, "read"))
                if progress:
                    progress(1)
                continue
            if digest in seen or (url and url in seen):
                report.duplicates += 1
                if progress:
                    progress(1)
                continue
            seen.update({digest, url} - {""})
            replace_id = None
            if existing is not None:
                # A stored feed summary gives way to the full article text when it arrives.
                if existing["summary_only"] and not draft.summary_only:
                    replace_id = int(existing["id"])
                else:
                    report.duplicates += 1
                    if progress:
                        progress(1)
                    continue
            pending.append(_Pending(draft, url, digest, replace_id, origin or _origin(draft)))
        return pending

    # ------------------------------------------------------------------ analysis

    @staticmethod
    def _work(pending: Sequence[_Pending]) -> list[Work]:
        return [Work(i, p.draft.text, p.draft.published) for i, p in enumerate(pending)]

    def _pool(self, processes: int) -> NlpPool:
        if processes not in self._pools:
            self._pools[processes] = NlpPool(self.model, processes, self.recycle_articles)
        return self._pools[processes]

    def start_workers(self, n_process: int) -> float:
        """Start the N worker processes store_items(n_process=N) will use, models loaded, before
        the first article (a benchmark's clock, a bot's first poll); the seconds it took."""
        return self._pool(n_process).start() if n_process >= 1 else 0.0

    def _start(self, pending: list[_Pending], pool: NlpPool | None) -> _Batch:
        if pool is None:
            # spaCy loads only when there is something new to read, so `ask` starts fast.
            from bot.nlp.pipeline import load_model

            return _Batch(pending, outcomes=analyze_work(load_model(self.model),
                                                         self._work(pending)))
        future, generation = pool.submit(self._work(pending))
        return _Batch(pending, future, generation)

    @staticmethod
    def _outcomes(batch: _Batch, pool: NlpPool | None) -> list[Outcome]:
        if batch.outcomes is not None:
            return batch.outcomes
        assert pool is not None and batch.future is not None
        return pool.wait(batch.future, batch.generation, Ingestor._work(batch.pending))

    # ------------------------------------------------------------------ saving

    def _save(self, item: _Analyzed, source_id: int | None, backfill: bool) -> int | None:
        """Store one article and place it in its story; called inside the batch's write
        transaction, so an article is stored and in its story, or neither (crash-safe)."""
        pending, stories = item.pending, self._story_index()
        story_id = None if pending.replace_id else stories.story_of(item.signature)
        article_id = self.store.save_article(
            pending.draft, canonical_url=pending.url, content_hash=pending.digest,
            analysis=item.analysis, key=name_key, match=match_person, source_id=source_id,
            replace_id=pending.replace_id,
            story_id=story_id if isinstance(story_id, int) else None,
            fingerprint=fingerprint_bytes(item.signature), backfill=backfill,
        )
        if article_id is None:  # stored meanwhile by a concurrent poll or process
            return None
        # The story it reports, across outlets (bot/stories).
        placed = None if pending.replace_id else place_article(
            self.store, article_id, pending.draft, item.analysis)
        if placed is not None:
            stories.add_fingerprint(placed or article_id, item.signature)
        return article_id

    def _still_new(self, pending: _Pending) -> bool:
        """Checked under the write lock: another ingest (or an earlier batch in flight) may
        have stored the same article since _prepare looked."""
        existing = self.store.find_article(pending.url, pending.digest)
        if existing is None:
            return pending.replace_id is None
        return pending.replace_id == int(existing["id"]) and bool(existing["summary_only"])

    def _write(self, pending: Sequence[_Pending], outcomes: Sequence[Outcome],
               source_id: int | None, backfill: bool) -> _Written:
        """One write transaction for the batch; each article in a savepoint of its own, so one
        that cannot be stored is rolled back alone and named."""
        written = _Written()
        with self.store.transaction() as transaction:
            for item, outcome in zip(pending, outcomes, strict=True):
                if outcome.error is not None or outcome.analysis is None:
                    written.failed.append((item.origin, outcome.error or "no analysis."))
                    continue
                try:
                    with transaction.savepoint():
                        if not self._still_new(item):
                            written.duplicates += 1
                            continue
                        signature = fingerprint_from_bytes(outcome.fingerprint or b"")
                        article_id = self._save(_Analyzed(item, outcome.analysis, signature),
                                                source_id, backfill)
                except Exception as exc:  # noqa: BLE001 - this article alone is rolled back
                    if isinstance(exc, StoreError) or store_error(exc) is not None:
                        raise  # the store itself (read-only, full, damaged): no article fits
                    written.failed.append((item.origin, describe_failure(exc, "stored")))
                    self._stories = None  # it may hold the rolled-back article's signature
                    continue
                if article_id is None:
                    written.duplicates += 1
                else:
                    (written.updated if item.replace_id else written.added).append(article_id)
            written.unprepared = self._prepare_touched(written.added, written.updated)
        return written

    def _prepare_touched(self, added: Sequence[int], updated: Sequence[int]) -> list[int]:
        """Batch end, in the batch's transaction: each story the batch touched whose prepared
        answers are now out of date (a small story, one that doubled, one whose article was
        replaced by its full text) loses them, so no answer shows a story without the batch's
        articles; an answer asked meanwhile computes them. They are prepared again once at the
        end of the call (_prepare_waiting), however many batches touched them: a bulk import
        whose stories span many batches prepares each once, not once per batch."""
        if not added and not updated:
            return []
        rewritten = set(self.store.stories_of_articles(updated))
        stale = []
        for story_id in self.store.stories_of_articles([*added, *updated]):
            live = self.store.live_story(story_id)
            if live != story_id:
                self.store.forget_prepared(story_id)  # merged away meanwhile
            if live is not None and (story_id in rewritten or live in self._unprepared
                                     or self.store.prepared_is_stale(live, REPREPARE_BELOW)):
                self.store.forget_prepared(live)
                stale.append(live)
        return stale

    def _prepare_waiting(self) -> None:
        """The prepared answers of the stories committed batches left unprepared, a chunk of
        stories a transaction. A failure costs no article: those stories stay unprepared and
        are prepared when first asked about."""
        waiting, self._unprepared = list(self._unprepared), {}
        for start in range(0, len(waiting), self.PREPARE_CHUNK):
            chunk = waiting[start:start + self.PREPARE_CHUNK]
            try:
                with self.store.transaction():
                    prepare_stories(self.store, chunk)
            except Exception as exc:  # noqa: BLE001 - see above
                log.warning("could not prepare the answers of %d stories: %s", len(chunk), exc)

    def _save_batch(self, batch: _Batch, outcomes: Sequence[Outcome], report: IngestReport,
                    source_id: int | None, backfill: bool,
                    progress: Callable[[int], None] | None) -> None:
        outcomes = sorted(outcomes, key=lambda o: o.key)
        deadline = time.monotonic() + self.LOCK_WAIT_S
        while True:
            try:
                written = self._write(batch.pending, outcomes, source_id, backfill)
                break
            except sqlite3.OperationalError as exc:
                self._stories = None  # rolled back: forget signatures added in the attempt
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.05, 0.5))
            except BaseException:
                self._stories = None
                raise
        self._unprepared.update(dict.fromkeys(written.unprepared))
        if len(self._unprepared) >= self.PREPARE_WAITING_MAX:
            self._prepare_waiting()
        report.added.extend(written.added)
        report.updated.extend(written.updated)
        report.duplicates += written.duplicates
        for origin, reason in written.failed:
            report.fail(origin, reason)
        if progress:
            progress(len(batch.pending))

    # ------------------------------------------------------------------ entry points

    def store_items(
        self,
        items: Iterable[ArticleDraft | Sourced | Skipped],
        report: IngestReport | None = None,
        *,
        source_id: int | None = None,
        progress: Callable[[int], None] | None = None,
        n_process: int = 0,
        backfill: bool = False,
        should_stop: Callable[[], bool] | None = None,
    ) -> IngestReport:
        """Analyse and store every article not stored yet, streaming, one transaction a batch.

        n_process 0 analyses in this process; N >= 1 in N worker processes, with up to 2N
        batches in flight. should_stop is asked between batches (Ctrl-C): the batches in flight
        are dropped, what is stored stays, and report.interrupted says so.
        """
        report = report or IngestReport()
        pool = self._pool(n_process) if n_process >= 1 else None
        depth = 2 * n_process if pool else 0
        flight: deque[_Batch] = deque()

        def finish_one() -> None:
            batch = flight.popleft()
            self._save_batch(batch, self._outcomes(batch, pool), report, source_id, backfill,
                             progress)

        try:
            for chunk in _chunks(items, TASK_ARTICLES):
                pending = self._prepare(chunk, report, progress)
                if pending:
                    if pool is not None and pool.due_for_recycling:
                        while flight:
                            finish_one()
                        pool.recycle()
                    flight.append(self._start(pending, pool))
                while len(flight) > depth:
                    finish_one()
                if should_stop is not None and should_stop():
                    report.interrupted = True
                    break
            if flight and not report.interrupted:
                # No input left: the workers finish the batches in flight while this process
                # prepares what is waiting (at the very end it would run alone on one core).
                self._prepare_waiting()
            while flight and not report.interrupted:
                finish_one()
            self._prepare_waiting()
        finally:
            for batch in flight:
                if batch.future is not None:
                    batch.future.cancel()
        return report

    def store_drafts(
        self,
        drafts: Iterable[ArticleDraft | Sourced | Skipped],
        report: IngestReport | None = None,
        *,
        source_id: int | None = None,
        progress: Callable[[int], None] | None = None,
        n_process: int = 0,
        backfill: bool = False,
    ) -> IngestReport:
        """Analyse and store every draft not stored yet (see store_items).

        backfill marks articles read on a source's first fetch: stored and answerable, but
        not news for digests and alerts, so a new feed does not flood a channel.
        """
        return self.store_items(drafts, report, source_id=source_id, progress=progress,
                                n_process=n_process, backfill=backfill)

    async def store_drafts_async(
        self, drafts: Sequence[ArticleDraft], *, source_id: int | None = None,
        backfill: bool = False,
    ) -> IngestReport:
        """As store_drafts, for the running bot: the NLP pass in a long-lived worker process
        (replaced every [nlp] worker_recycle_articles articles, so the bot's memory stays
        flat) awaited from a thread, so the event loop stays free; saves in this thread."""
        report = IngestReport()
        for chunk in _chunks(drafts, TASK_ARTICLES):
            pending = self._prepare(chunk, report, None)
            if not pending:
                continue
            pool = shared_pool(self.model, 1, self.recycle_articles)
            outcomes = await asyncio.to_thread(pool.run, self._work(pending))
            self._save_batch(_Batch(pending), outcomes, report, source_id, backfill, None)
        self._prepare_waiting()
        return report

    def ingest_paths(self, items: Iterable[str | Path], **kwargs: Any) -> IngestReport:
        """Every article under the paths, streamed (see store_items for the keywords)."""
        report = kwargs.pop("report", None) or IngestReport()
        return self.store_items(iter_items(items), report, **kwargs)
