"""What a URL holds: a feed or an article page, for /source add, /source check and the poller."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp

from bot.config import FetchSettings
from bot.ingest.feeds import parse_feed
from bot.ingest.fetch import FetchResult, fetch
from bot.ingest.pages import parse_page
from bot.models import ArticleDraft


@dataclass(frozen=True)
class Found:
    """A fetched source: kind is "feed", "page" or "unchanged" (HTTP 304, no articles)."""

    kind: str
    title: str
    articles: tuple[ArticleDraft, ...]
    fetched: FetchResult


def read_fetched(fetched: FetchResult) -> Found:
    """Read a fetched body as a feed, else as an article page; raise NotAnArticle for neither."""
    if fetched.not_modified:
        return Found("unchanged", "", (), fetched)
    feed = parse_feed(fetched.body, fetched.url)
    if feed is not None:
        return Found("feed", feed.title, feed.entries, fetched)
    article = parse_page(fetched.body, fetched.url)
    return Found("page", article.title, (article,), fetched)


async def probe(
    url: str,
    settings: FetchSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    session: aiohttp.ClientSession | None = None,
) -> Found:
    """Fetch a URL and read it; raise FetchError or NotAnArticle with a one-sentence message."""
    fetched = await fetch(url, settings, etag=etag, last_modified=last_modified, session=session)
    # Parsing a 5 MB feed takes seconds: a worker thread keeps the bot answering meanwhile.
    return await asyncio.to_thread(read_fetched, fetched)
