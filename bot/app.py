"""Newsdesk: the core assembled from settings: store, ingest, dispatcher; what adapters talk to."""

from __future__ import annotations

import logging

from bot.alerts import queue_alerts
from bot.channel_commands import channel_handlers
from bot.config import Settings
from bot.dispatch import Dispatcher, answer_handlers, parse_request
from bot.ingest.service import Ingestor, IngestReport
from bot.models import ArticleDraft, Reply, Request
from bot.outbox import Outbox
from bot.sources import Sources, fetch_drafts
from storage.channels import ChannelStore
from storage.sqlite_store import SourceTable, SqliteStore

log = logging.getLogger(__name__)


class Newsdesk:
    """One bot: every adapter hands it Requests and renders the Replies."""

    def __init__(self, settings: Settings, store: SqliteStore | None = None) -> None:
        self.settings = settings
        self.store = store or SqliteStore(settings.storage.path)
        self.ingestor = Ingestor(self.store, settings.nlp.model)
        self.sources = Sources(self.store, SourceTable(self.store), self.ingestor, settings.fetch,
                               notify=self.source_disabled, on_new_articles=self.after_ingest)
        self.outbox = Outbox(ChannelStore(self.store.db))  # digests and alerts to post
        self.dispatcher = Dispatcher({**answer_handlers(self.store), **self.sources.handlers(),
                                      **channel_handlers(self)})

    def after_ingest(self, article_ids: list[int]) -> None:
        """New articles (not a source's first fetch) arrived: alerts are decided here."""
        queue_alerts(self.store, self.outbox)

    def source_disabled(self, source: dict, message: str) -> None:
        """A source was disabled: tell the channel it was added from, once."""
        log.warning("%s", message)

    async def handle(self, request: Request) -> Reply:
        return await self.dispatcher.handle(request)

    async def ask(self, line: str, *, is_admin: bool = True, channel: str = "console",
                  platform: str = "console") -> Reply:
        """Answer a typed command line, as the console and `newsdesk ask` do."""
        return await self.handle(parse_request(line, is_admin=is_admin, channel=channel,
                                               platform=platform))

    async def fetch_urls(self, urls: list[str], report: IngestReport) -> list[ArticleDraft]:
        """The articles behind feed and page URLs given to `newsdesk ingest`."""
        return await fetch_drafts(urls, self.settings.fetch, report)

    def close(self) -> None:
        self.store.close()
