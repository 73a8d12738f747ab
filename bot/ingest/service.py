"""The ingest entry point: files, folders, feeds and URLs in; each article analysed and stored once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
from bot.models import ArticleDraft, PersonMention
from bot.nlp.names import name_key, same_entity
from storage.sqlite_store import SqliteStore, StoredPerson

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

    def __init__(self, store: SqliteStore, model: str) -> None:
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
            path = Path(item)
            if not path.exists():
                report.failed.append(f"{item} does not exist.")
                continue
            for file in iter_paths(path):
                try:
                    drafts.extend(read_file(file))
                except UserError as exc:
                    report.failed.append(str(exc))
        return drafts

    def store_drafts(
        self,
        drafts: Sequence[ArticleDraft],
        report: IngestReport | None = None,
        *,
        source_id: int | None = None,
        progress: Callable[[int], None] | None = None,
        n_process: int = 1,
    ) -> IngestReport:
        """Analyse and store every draft not stored yet; one transaction per article."""
        report = report or IngestReport()
        fresh: list[ArticleDraft] = []
        replace: dict[int, int] = {}  # index into fresh -> stored summary to replace
        seen: set[str] = set()
        keys: list[tuple[str, str]] = []
        for draft in drafts:
            url = canonical_url(draft.url) if draft.url else ""
            digest = content_hash(draft.title, draft.text)
            existing = self.store.find_article(url, digest)
            if digest in seen or (url and url in seen):
                report.duplicates += 1
                if progress:
                    progress(1)
                continue
            seen.update({digest, url} - {""})
            if existing is not None:
                # A stored feed summary gives way to the full article text when it arrives.
                if existing["summary_only"] and not draft.summary_only:
                    replace[len(fresh)] = existing["id"]
                else:
                    report.duplicates += 1
                    if progress:
                        progress(1)
                    continue
            keys.append((url, digest))
            fresh.append(draft)
        if not fresh:
            return report
        # spaCy loads only when there is something new to read, so `ask` starts fast.
        from bot.nlp.pipeline import analyze_drafts, load_model

        nlp = load_model(self.model)
        for index, analysis in analyze_drafts(nlp, fresh, n_process=n_process):
            url, digest = keys[index]
            replace_id = replace.get(index)
            signature = fingerprint(fresh[index].text)
            stories = self._story_index()
            story_id = None if replace_id else stories.story_of(signature)
            article_id = self.store.save_article(
                fresh[index], canonical_url=url, content_hash=digest, analysis=analysis,
                key=name_key, match=match_person, source_id=source_id, replace_id=replace_id,
                story_id=int(story_id) if story_id is not None else None,
                fingerprint=fingerprint_bytes(signature),
            )
            if not replace_id:
                stored = self.store.article(article_id)
                stories.add_fingerprint(stored["story_id"] if stored else article_id, signature)
            (report.updated if replace_id else report.added).append(article_id)
            if progress:
                progress(1)
        return report

    def ingest_paths(self, items: Iterable[str | Path], **kwargs: object) -> IngestReport:
        report = IngestReport()
        drafts = self.collect(items, report)
        return self.store_drafts(drafts, report, **kwargs)  # type: ignore[arg-type]
