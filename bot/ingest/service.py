"""The ingest entry point: files, folders, feeds and URLs in; each article analysed, stored once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import UserError
from bot.ingest.dedup import (
    StoryIndex,
    content_hash,
    fingerprint,
    fingerprint_bytes,
    fingerprint_from_bytes,
)
from bot.ingest.files import iter_paths, read_file
from bot.ingest.urls import canonical_url
from bot.models import Analysis, ArticleDraft, PersonMention, StoredPerson
from bot.nlp.names import name_key, same_entity
from bot.ports import Store
from bot.stories import place_article

if TYPE_CHECKING:
    from datasketch import MinHash

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What one ingest did, for the progress line and the CLI's summary."""

    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)  # one clear sentence each

    def summary(self) -> str:
        parts = [f"{len(self.added)} new article{'s' if len(self.added) != 1 else ''}"]
        if self.updated:
            parts.append(f"{len(self.updated)} updated")
        if self.duplicates:
            parts.append(f"{self.duplicates} already stored")
        if self.failed:
            parts.append(f"{len(self.failed)} skipped")
        return ", ".join(parts) + "."


@dataclass(frozen=True)
class _Pending:
    draft: ArticleDraft
    url: str
    digest: str
    replace_id: int | None


@dataclass(frozen=True)
class _Analyzed:
    pending: _Pending
    analysis: Analysis
    signature: MinHash


def match_person(person: PersonMention, candidates: Sequence[StoredPerson]) -> StoredPerson | None:
    """The stored person an article's entry is, or None when it is someone new."""
    fitting = [c for c in candidates if same_entity(person, c.as_mention())]
    return max(fitting, key=lambda c: c.mentions, default=None)


def _is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


class Ingestor:
    """Reads inputs, analyses new articles and stores them, skipping what is already stored."""

    # Wire copies of a story arrive within days; older articles need not be in memory.
    STORY_WINDOW = 10_000

    def __init__(self, store: Store, model: str) -> None:
        self.store = store
        self.model = model
        self._stories: StoryIndex | None = None

    def _story_index(self) -> StoryIndex:
        if self._stories is None:
            index = StoryIndex()
            for story_id, data in reversed(self.store.recent_fingerprints(self.STORY_WINDOW)):
                try:
                    index.add_fingerprint(story_id, fingerprint_from_bytes(data))
                except ValueError:
                    continue  # a signature written by an incompatible version: skip it
            self._stories = index
        return self._stories

    def collect(self, items: Iterable[str | Path], report: IngestReport) -> list[ArticleDraft]:
        """Read local paths into drafts; unreadable ones go to report.failed with a reason."""
        drafts: list[ArticleDraft] = []
        for item in items:
            if not str(item).strip():  # Path("") is the current folder: never meant
                report.failed.append("An empty path was given; name a file or folder.")
                continue
            path = Path(item)
            if not path.exists():
                report.failed.append(f"{item} does not exist.")
                continue
            files = list(iter_paths(path))
            if not files:
                report.failed.append(f"{item} holds no article files "
                                     f"(.md, .txt, .jsonl, .html or feeds).")
            for file in files:
                try:
                    drafts.extend(read_file(file, report.failed))  # bad .jsonl lines
                except UserError as exc:
                    report.failed.append(str(exc))
        return drafts

    def _prepare(
        self, drafts: Sequence[ArticleDraft], report: IngestReport,
        progress: Callable[[int], None] | None,
    ) -> list[_Pending]:
        """The drafts not stored yet (or stored only as a feed summary), in order."""
        pending: list[_Pending] = []
        seen: set[str] = set()
        for draft in drafts:
            url = canonical_url(draft.url) if draft.url else ""
            digest = content_hash(draft.title, draft.text)
            if digest in seen or (url and url in seen):
                report.duplicates += 1
                if progress:
                    progress(1)
                continue
            seen.update({digest, url} - {""})
            existing = self.store.find_article(url, digest)
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
            pending.append(_Pending(draft, url, digest, replace_id))
        return pending

    def _analyze(self, pending: Sequence[_Pending], n_process: int) -> Iterator[_Analyzed]:
        """The NLP pass: touches no database, so it may run in a worker thread."""
        # spaCy loads only when there is something new to read, so `ask` starts fast.
        from bot.nlp.pipeline import analyze_drafts, load_model

        nlp = load_model(self.model)
        drafts = [p.draft for p in pending]
        for index, analysis in analyze_drafts(nlp, drafts, n_process=n_process):
            yield _Analyzed(pending[index], analysis, fingerprint(drafts[index].text))

    def _save(self, item: _Analyzed, report: IngestReport, source_id: int | None,
              backfill: bool) -> int | None:
        pending, stories = item.pending, self._story_index()
        story_id = None if pending.replace_id else stories.story_of(item.signature)
        with self.store.transaction():  # stored and in its story, or neither (crash-safe)
            article_id = self.store.save_article(
                pending.draft, canonical_url=pending.url, content_hash=pending.digest,
                analysis=item.analysis, key=name_key, match=match_person, source_id=source_id,
                replace_id=pending.replace_id,
                story_id=story_id if isinstance(story_id, int) else None,
                fingerprint=fingerprint_bytes(item.signature), backfill=backfill,
            )
            # The story it reports, across outlets (bot/stories).
            placed = None if pending.replace_id or article_id is None else place_article(
                self.store, article_id, pending.draft, item.analysis)
        if article_id is None:  # stored meanwhile by a concurrent poll or process
            report.duplicates += 1
            return None
        if placed is not None:
            stories.add_fingerprint(placed or article_id, item.signature)
        (report.updated if pending.replace_id else report.added).append(article_id)
        return article_id

    def store_drafts(
        self,
        drafts: Sequence[ArticleDraft],
        report: IngestReport | None = None,
        *,
        source_id: int | None = None,
        progress: Callable[[int], None] | None = None,
        n_process: int = 1,
        backfill: bool = False,
    ) -> IngestReport:
        """Analyse and store every draft not stored yet; one transaction per article.

        backfill marks articles read on a source's first fetch: stored and answerable, but
        not news for digests and alerts, so a new feed does not flood a channel.
        """
        report = report or IngestReport()
        pending = self._prepare(drafts, report, progress)
        for item in self._analyze(pending, n_process):
            self._save(item, report, source_id, backfill)
            if progress:
                progress(1)
        return report

    async def store_drafts_async(
        self, drafts: Sequence[ArticleDraft], *, source_id: int | None = None,
        backfill: bool = False,
    ) -> IngestReport:
        """As store_drafts, with the NLP pass in a worker thread so the event loop stays free."""
        report = IngestReport()
        pending = self._prepare(drafts, report, None)
        if pending:
            analyzed = await asyncio.to_thread(lambda: list(self._analyze(pending, 1)))
            for item in analyzed:
                self._save(item, report, source_id, backfill)
        return report

    def ingest_paths(self, items: Iterable[str | Path], **kwargs: object) -> IngestReport:
        report = IngestReport()
        drafts = self.collect(items, report)
        return self.store_drafts(drafts, report, **kwargs)  # type: ignore[arg-type]
