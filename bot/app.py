"""Newsdesk: the core assembled from settings: store, ingest, dispatcher; what adapters talk to."""

from __future__ import annotations

from bot.config import Settings
from bot.dispatch import Dispatcher, answer_handlers, parse_request
from bot.ingest.service import Ingestor
from bot.models import Reply, Request
from storage.sqlite_store import SqliteStore


class Newsdesk:
    """One bot: every adapter hands it Requests and renders the Replies."""

    def __init__(self, settings: Settings, store: SqliteStore | None = None) -> None:
        self.settings = settings
        self.store = store or SqliteStore(settings.storage.path)
        self.ingestor = Ingestor(self.store, settings.nlp.model)
        self.dispatcher = Dispatcher(answer_handlers(self.store))

    async def handle(self, request: Request) -> Reply:
        return await self.dispatcher.handle(request)

    async def ask(self, line: str, *, is_admin: bool = True, channel: str = "console") -> Reply:
        """Answer a typed command line, as the console and `newsdesk ask` do."""
        return await self.handle(parse_request(line, is_admin=is_admin, channel=channel))

    def close(self) -> None:
        self.store.close()
