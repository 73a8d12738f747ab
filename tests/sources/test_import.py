"""/source import: capped, every address checked at import, progress shown, one summary."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import quoteattr

import pytest
from aiohttp import web

from adapters.discord import DiscordAdapter
from bot.app import Newsdesk
from bot.config import DiscordSettings, FetchSettings, Settings, SourcesSettings, StorageSettings
from tests.fakes.discord_standin import DiscordStandIn
from tests.local_site import admin, local_site, site_bot

MANAGE_GUILD = 1 << 5
EPHEMERAL = 1 << 6
RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Valley News</title>'
       "<link>http://example.invalid/</link><description>x</description></channel></rss>")


@dataclass
class Site:
    base: str = ""
    outlines: list[tuple[str, str]] = field(default_factory=list)  # (title, url)


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    state = Site()

    async def opml(request: web.Request) -> web.Response:
        body = "".join(f"<outline type=\"rss\" text={quoteattr(t)} xmlUrl={quoteattr(u)}/>"
                       for t, u in state.outlines)
        return web.Response(text=f'<?xml version="1.0"?><opml version="2.0"><head/><body>'
                                 f"{body}</body></opml>", content_type="text/x-opml")

    async def feed(request: web.Request) -> web.Response:
        return web.Response(text=RSS, content_type="application/rss+xml")

    async with local_site([web.get("/feeds.opml", opml),
                           web.get("/feed/{n}.xml", feed)]) as state.base:
        yield state


def _bot(tmp_path, max_import: int = 500) -> Newsdesk:
    return site_bot(tmp_path, sources=SourcesSettings(max_import=max_import))


async def test_an_import_over_the_limit_is_refused_whole_naming_the_key(tmp_path, site):
    site.outlines = [(f"Feed {n}", f"{site.base}/feed/{n}.xml") for n in range(4)]
    bot = _bot(tmp_path, max_import=3)

    reply = await bot.handle(admin("source import", f"{site.base}/feeds.opml"))

    assert reply.error
    assert "lists 4 feeds" in reply.title and "at most 3" in reply.title
    assert "sources.max_import" in reply.title
    assert bot.sources.table.all() == []


async def test_an_import_at_the_limit_is_taken(tmp_path, site):
    site.outlines = [(f"Feed {n}", f"{site.base}/feed/{n}.xml") for n in range(3)]
    bot = _bot(tmp_path, max_import=3)

    reply = await bot.handle(admin("source import", f"{site.base}/feeds.opml"))

    assert reply.title.startswith("Imported 3 feeds;"), reply.title
    assert len(bot.sources.table.all()) == 3


@pytest.fixture
def intranet_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name that resolves to a private address (no DNS server runs in the tests)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "wiki.intranet.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port or 0))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


async def test_private_and_malformed_addresses_are_refused_at_import_in_one_summary(
        tmp_path, site, intranet_dns):
    site.outlines = [
        ("Valley News", f"{site.base}/feed/1.xml"),
        ("Router", "http://10.0.0.1/feed.xml"),
        ("Metadata", "http://169.254.169.254/latest/meta-data"),
        ("Other loopback", "http://0x7f.0.0.2/feed.xml"),
        ("Intranet", "http://wiki.intranet.example/feed.xml"),
        ("Broken", "http://[::1/feed"),
    ]
    bot = _bot(tmp_path)

    reply = await bot.handle(admin("source import", f"{site.base}/feeds.opml"))

    assert not reply.error, reply.title
    assert reply.title.startswith("Imported 1 feed (5 refused)"), reply.title
    refused = {item.text: item.detail for item in reply.items}
    assert set(refused) == {"Refused: Router", "Refused: Metadata", "Refused: Other loopback",
                            "Refused: Intranet", "Refused: Broken"}
    assert "private or local" in refused["Refused: Intranet"]
    assert "not valid" in refused["Refused: Broken"]
    assert [s["name"] for s in bot.sources.table.all()] == ["Valley News"]
    # Nothing refused became a source, so no poll can disable it with a notice of its own.
    for hours in (1, 30, 60, 90):
        await bot.sources.poll_due(datetime.now(UTC) + timedelta(hours=hours))
    assert [p for p in bot.outbox.store.posts() if p["kind"] == "notice"] == []


async def test_an_import_too_large_for_one_message_lists_ten_refusals_and_counts_the_rest(
        tmp_path, site):
    site.outlines = [(f"Router {n}", f"http://10.0.0.{n}/feed.xml") for n in range(1, 15)]
    bot = _bot(tmp_path)

    reply = await bot.handle(admin("source import", f"{site.base}/feeds.opml"))

    assert reply.title.startswith("Imported 0 feeds (14 refused)")
    assert len(reply.items) == 10 and "4 more refused" in reply.footer


async def test_a_local_opml_file_larger_than_max_bytes_is_refused(tmp_path):
    big = tmp_path / "big.opml"
    big.write_bytes(b"<opml>" + b" " * 2_000 + b"</opml>")
    settings = Settings(storage=StorageSettings(path=str(tmp_path / "news.db")),
                        fetch=FetchSettings(max_bytes=1_000))
    bot = Newsdesk(settings)

    reply = await bot.ask(f"/source import {big}", platform="cli")

    assert reply.error and "fetch.max_bytes" in reply.title


# ------------------------------------------------ progress, through the Discord stand-in


@pytest.fixture
async def discord_standin() -> AsyncIterator[DiscordStandIn]:
    standin = DiscordStandIn()
    await standin.start()
    yield standin
    await standin.close()


async def test_discord_shows_the_import_progress_then_the_summary_to_the_admin_alone(
        tmp_path, site, discord_standin):
    standin = discord_standin
    site.outlines = [(f"Feed {n}", f"{site.base}/feed/{n}.xml") for n in range(120)]
    bot = _bot(tmp_path)
    settings = DiscordSettings(enabled=True, api_url=standin.api_url,
                               gateway_url=standin.gateway_url, guilds=(standin.guild_id,),
                               token=standin.token)
    adapter = DiscordAdapter(settings, bot.handle, guild_ready_timeout_s=0.05)
    await adapter.start()
    try:
        interaction = await standin.invoke("/source import", {"url": f"{site.base}/feeds.opml"},
                                           permissions=MANAGE_GUILD)
        await standin.wait_for(lambda: any("Imported" in e.get("title", "")
                                           for e in interaction.embeds))
    finally:
        await adapter.close()

    deferred = interaction.responses[0]
    assert deferred["type"] == 5 and deferred["data"]["flags"] & EPHEMERAL
    titles = [e["title"] for e in interaction.embeds]
    assert titles[0] == "Checking 120 feed addresses…"
    assert titles[-1].startswith("Imported 120 feeds")
    assert interaction.followups == []  # the progress message became the answer
    assert len(bot.sources.table.all()) == 120
