"""Newsdesk: the core assembled from settings: store, ingest, dispatcher; what adapters talk to."""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.config import Settings
from bot.delivery.alerts import queue_alerts
from bot.delivery.commands import channel_handlers
from bot.delivery.outbox import Outbox, iso, reply_to_json, stable_nonce
from bot.dispatch import Dispatcher, answer_handlers, parse_request
from bot.ingest import limits
from bot.ingest.service import Ingestor, IngestReport
from bot.models import ArticleDraft, Reply, ReplyItem, Request
from bot.sources import Sources, fetch_drafts
from bot.tenancy import tenant_id
from storage.backend import channel_store, open_configured, source_table
from storage.sqlite_store import SqliteStore

log = logging.getLogger(__name__)


def _json_health(source: dict[str, Any]) -> dict[str, Any]:
    try:
        return dict(json.loads(source.get("health") or "{}"))
    except ValueError:
        return {}


class Newsdesk:
    """One bot: every adapter hands it Requests and renders the Replies."""

    def __init__(self, settings: Settings, store: SqliteStore | None = None) -> None:
        self.settings = settings
        limits.configure(settings.ingest)  # every draft made from here on obeys [ingest]
        self.store = store or open_configured(settings.storage)
        self.ingestor = Ingestor(self.store, settings.nlp.model,
                                 recycle_articles=settings.nlp.worker_recycle_articles)
        self.outbox = Outbox(channel_store(self.store))  # digests and alerts to post
        self.tenants = self.outbox.store.tenants  # subscriptions, routes, filters
        self.tenants.share_default = settings.tenants.share_default
        self.sources = Sources(self.store, source_table(self.store), self.ingestor, settings.fetch,
                               notify=self.source_disabled, on_new_articles=self.after_ingest,
                               import_settings=settings.sources, tenants=self.tenants,
                               tenant_limits=settings.tenants)
        self.dispatcher = Dispatcher(
            {**answer_handlers(self.store, self.tenants.visible_sources),
             **self.sources.handlers(), **channel_handlers(self)})

    def after_ingest(self, article_ids: list[int]) -> None:
        """New articles (not a source's first fetch) arrived: alerts are decided here."""
        queue_alerts(self.store, self.outbox)

    def source_disabled(self, notices: list[tuple[dict[str, Any], str]]) -> None:
        """Sources were disabled: tell the channel they were added from, once, in one post.

        All notices are for one channel. Sources added from the command line have no channel;
        the log line is all they get.
        """
        first = notices[0][0]
        log.warning("sources %s disabled", ", ".join(str(s["id"]) for s, _ in notices))
        if not first.get("platform") or not first.get("channel") or first["platform"] == "cli":
            return
        title = "Source disabled" if len(notices) == 1 else f"{len(notices)} sources disabled"
        reply = Reply(title, tuple(ReplyItem(message) for _, message in notices))
        # One notice per disabling: a source re-enabled and disabled again is told anew.
        nonce = stable_nonce("source-disabled", *(
            f"{source['id']}@{_json_health(source).get('last_failure_at') or ''}"
            for source, _ in notices))
        self.outbox.store.enqueue(
            platform=first["platform"], channel=first["channel"], kind="notice",
            payload=json.dumps(reply_to_json(reply)), nonce=nonce,
            created_at=iso(self.outbox.now()),
        )
        self.outbox.ring()

    async def handle(self, request: Request) -> Reply:
        if request.channel and request.platform not in ("cli", "console"):
            try:  # which community a channel belongs to: routes may only point at its own
                self.tenants.note_channel(request.platform, request.channel, request.tenant)
            except Exception as exc:  # a read-only store still answers questions
                log.debug("channel owner not recorded: %s", type(exc).__name__)
        return await self.dispatcher.handle(request)

    async def ask(self, line: str, *, is_admin: bool = True, channel: str = "console",
                  platform: str = "console", full: bool = False,
                  tenant: str = "default") -> Reply:
        """Answer a typed command line, as the console and `newsdesk ask` do (full: no
        length limit, for --json), for a tenant ("default": the console's)."""
        return await self.handle(parse_request(line, is_admin=is_admin, channel=channel,
                                               platform=platform, full=full,
                                               tenant=tenant_id(tenant)))

    async def suggest_names(self, prefix: str) -> list[str]:
        """People and organisations whose name (or a word of it) starts with the prefix.

        A prefix "story:WORDS" asks for stories instead, as "ID<TAB>title" (autocomplete of
        story options: the member sees the title, the command gets the id).
        """
        if prefix.startswith("story:"):
            return [f"{s['id']}\t{s['title']}"
                    for s in self.store.stories_titled(prefix[6:], limit=25) if s["title"]]
        return self.store.names_like(prefix, limit=25)

    async def fetch_urls(self, urls: list[str], report: IngestReport) -> list[ArticleDraft]:
        """The articles behind feed and page URLs given to `newsdesk ingest`."""
        return await fetch_drafts(urls, self.settings.fetch, report)

    def close(self) -> None:
        self.ingestor.close()
        self.store.close()
