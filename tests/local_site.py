"""A real HTTP site on 127.0.0.1 for tests that fetch feeds and pages, and a bot that reads it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import Newsdesk
from bot.config import FetchSettings, Settings, StorageSettings
from bot.ingest.polite import HostLimiter
from bot.models import Request

# The one address the fetch guard lets through for these tests (it refuses local ones).
LOCAL_ONLY = ("127.0.0.1/32",)


@asynccontextmanager
async def local_site(routes: Iterable[web.AbstractRouteDef]) -> AsyncIterator[str]:
    """Serve the routes on a free port of 127.0.0.1; yields the site's base URL."""
    app = web.Application()
    app.add_routes(list(routes))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def site_bot(tmp_path: Path, *, fetch: dict[str, Any] | None = None, **sections: Any) -> Newsdesk:
    """A bot over a fresh store that may fetch from the local site (unless `fetch` says else)."""
    fetch_keys = {"timeout_s": 5, "allow_networks": LOCAL_ONLY, **(fetch or {})}
    settings = Settings(storage=StorageSettings(path=str(tmp_path / "news.db")),
                        fetch=FetchSettings(**fetch_keys), **sections)
    bot = Newsdesk(settings)
    # One test site serves every feed and page: a short pause keeps the politeness code
    # on the path without making each test wait a second per request.
    bot.sources.limiter = HostLimiter(min_delay_s=0.01)
    return bot


def admin(command: str, args: str = "") -> Request:
    """An admin's command in one Slack channel, as most source tests send them."""
    return Request(command, args, platform="slack", channel="C1", user="U1", is_admin=True)
