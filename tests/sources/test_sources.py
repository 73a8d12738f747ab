"""/source commands and the poller against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from bot.app import Newsdesk
from tests.local_site import admin, local_site, site_bot

PARAGRAPH = (
    "The regional water board voted on Tuesday to raise reservoir levels ahead of the dry "
    "season, its chair Maria Olsen said after a four-hour meeting. Farmers had asked for the "
    "change for months, arguing that the current rules left too little water for irrigation "
    "in late summer. \"We listened, and we acted,\" Olsen told reporters outside the hall. "
    "Environmental groups said they would study the decision before deciding whether to "
    "challenge it in court."
)


def _item(n: int, base: str, *, summary_only: bool = True) -> str:
    return (f"<item><title>Water story {n}</title><link>{base}/story/{n}?utm_source=rss</link>"
            f"<guid>{base}/story/{n}</guid><pubDate>Tue, 0{n} Apr 2024 08:00:00 GMT</pubDate>"
            f"<description>Short summary number {n} about the water board.</description></item>")


def _rss(items: list[str], title: str = "Valley Water News") -> str:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>x</description>"
            f"{''.join(items)}</channel></rss>")


@dataclass
class Site:
    base: str = ""
    items: list[int] = field(default_factory=lambda: [1, 2])
    readable_pages: set[int] = field(default_factory=lambda: {1})
    hits: dict[str, int] = field(default_factory=dict)


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    state = Site()

    async def feed(request: web.Request) -> web.Response:
        return web.Response(text=_rss([_item(n, state.base) for n in state.items]),
                            content_type="application/rss+xml")

    async def shared(request: web.Request) -> web.Response:
        return web.Response(text=_rss([_item(1, state.base)], "Another Outlet"),
                            content_type="application/rss+xml")

    async def story(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        if n not in state.readable_pages:
            return web.Response(status=404, text="gone")
        html = (f"<html><head><title>Water story {n}</title></head><body><article>"
                f"<h1>Water story {n}</h1><p>{PARAGRAPH}</p>"
                f"<p>{PARAGRAPH.replace('Tuesday', 'Monday')}</p></article></body></html>")
        return web.Response(text=html, content_type="text/html")

    async def broken(request: web.Request) -> web.Response:
        return web.Response(text="<rss><channel><item><title>oops", content_type="text/xml")

    async def to_private(request: web.Request) -> web.Response:
        port = request.url.port
        raise web.HTTPFound(f"http://127.0.0.2:{port}/feed.xml")

    async def opml(request: web.Request) -> web.Response:
        return web.Response(text=(
            '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
            f'<outline text="Water" type="rss" xmlUrl="{state.base}/feed.xml"/>'
            f'<outline text="Other" type="rss" xmlUrl="{state.base}/shared.xml"/>'
            "</body></opml>"), content_type="text/x-opml")

    routes = [web.get("/feed.xml", feed), web.get("/shared.xml", shared),
              web.get("/story/{n}", story), web.get("/broken.xml", broken),
              web.get("/redirect.xml", to_private), web.get("/feeds.opml", opml)]
    async with local_site(routes) as state.base:
        yield state


def _bot(tmp_path, **fetch) -> Newsdesk:
    # These tests show the guard's default: no local address allowed unless a test says so.
    return site_bot(tmp_path, fetch={"allow_networks": (), **fetch})


async def test_a_local_address_is_refused_by_default_with_a_reason(tmp_path, site):
    bot = _bot(tmp_path)
    reply = await bot.handle(admin("source add", f"{site.base}/feed.xml"))
    assert reply.error
    assert "private or local" in reply.title.lower() or "not allowed" in reply.title.lower()
    assert bot.sources.table.all() == []


async def test_with_private_networks_allowed_a_feed_is_added_and_its_articles_stored(
        tmp_path, site):
    bot = _bot(tmp_path, allow_private_networks=True)
    reply = await bot.handle(admin("source add", f"{site.base}/feed.xml Water desk"))
    assert not reply.error, reply.title
    assert "feed" in reply.title and "2 items" in reply.title
    assert bot.store.count_articles() == 2
    listed = await bot.handle(admin("source list"))
    assert "Water desk" in listed.items[0].text and "ok" in listed.items[0].detail


async def test_an_allowed_network_does_not_let_a_redirect_leave_it(tmp_path, site):
    bot = _bot(tmp_path, allow_networks=("127.0.0.1/32",))
    reply = await bot.handle(admin("source add", f"{site.base}/redirect.xml"))
    assert reply.error and "127.0.0.2" in reply.title
    ok = await bot.handle(admin("source add", f"{site.base}/feed.xml"))
    assert not ok.error, ok.title


async def test_feed_entries_are_kept_from_the_feed_and_replaced_by_full_text_when_readable(
        tmp_path, site):
    bot = _bot(tmp_path, allow_private_networks=True)
    await bot.handle(admin("source add", f"{site.base}/feed.xml"))
    rows = {r["title"]: r
            for r in bot.store._rows("select title, text, summary_only from articles")}
    assert rows["Water story 2"]["summary_only"] == 1, "page 2 is a 404: the summary stays"
    assert "Short summary number 2" in rows["Water story 2"]["text"]
    assert rows["Water story 1"]["summary_only"] == 0
    assert "reservoir levels" in rows["Water story 1"]["text"]
    assert any(q["speaker"] == "Maria Olsen" for q in bot.store.quotes_in(None))


async def test_two_feeds_sharing_an_item_store_it_once(tmp_path, site):
    bot = _bot(tmp_path, allow_private_networks=True)
    await bot.handle(admin("source add", f"{site.base}/feed.xml"))
    await bot.handle(admin("source add", f"{site.base}/shared.xml"))
    await bot.handle(admin("source check", "1"))
    titles = [r["title"] for r in bot.store._rows("select title from articles")]
    assert sorted(titles) == ["Water story 1", "Water story 2"]


async def test_the_first_fetch_is_not_news_but_later_items_are(tmp_path, site):
    bot = _bot(tmp_path, allow_private_networks=True)
    seen: list[list[int]] = []
    bot.sources.on_new_articles = seen.append
    await bot.handle(admin("source add", f"{site.base}/feed.xml"))
    assert seen == []
    site.items.append(3)
    later = datetime.now(UTC) + timedelta(hours=1)
    report = await bot.sources.poll_due(later)
    assert report.polled == 1
    assert len(seen) == 1 and len(seen[0]) == 1
    assert bot.store.article(seen[0][0])["title"] == "Water story 3"


async def test_a_broken_feed_is_disabled_once_with_a_message_and_others_keep_updating(
        tmp_path, site):
    bot = _bot(tmp_path, allow_private_networks=True)
    notices: list[str] = []
    bot.sources.notify = lambda told: notices.extend(message for _, message in told)
    await bot.handle(admin("source add", f"{site.base}/feed.xml"))
    broken_id = bot.sources.table.add(f"{site.base}/broken.xml", "Broken", "feed")
    site.items.append(3)
    now = datetime.now(UTC)
    for hours in (1, 30, 60, 90):
        await bot.sources.poll_due(now + timedelta(hours=hours))
    assert bot.store.count_articles() == 3, "the good feed kept updating"
    assert len(notices) == 1 and f"Source {broken_id}" in notices[0]
    assert "disabled" in notices[0] and f"/source enable {broken_id}" in notices[0]
    listed = await bot.handle(admin("source list"))
    assert "disabled" in listed.items[1].detail
    enabled = await bot.handle(admin("source enable", str(broken_id)))
    assert "enabled" in enabled.title


async def test_source_check_explains_a_missing_source_and_remove_keeps_articles(tmp_path, site):
    bot = _bot(tmp_path, allow_private_networks=True)
    await bot.handle(admin("source add", f"{site.base}/feed.xml"))
    missing = await bot.handle(admin("source check", "42"))
    assert missing.error and "no source 42" in missing.title
    checked = await bot.handle(admin("source check", "1"))
    assert not checked.error and "0 new of 2" in checked.title
    removed = await bot.handle(admin("source remove", "1"))
    assert "articles stay" in removed.title
    assert bot.store.count_articles() == 2


async def test_opml_import_adds_each_feed_once_and_export_lists_them(tmp_path, site):
    bot = _bot(tmp_path, allow_private_networks=True)
    reply = await bot.handle(admin("source import", f"{site.base}/feeds.opml"))
    assert "Imported 2 feeds" in reply.title
    again = await bot.handle(admin("source import", f"{site.base}/feeds.opml"))
    assert "Imported 0 feeds (2 already there)" in again.title
    exported = bot.sources.export_opml()
    assert f"{site.base}/feed.xml" in exported and "Other" in exported


async def test_a_chat_user_cannot_import_a_local_file(tmp_path):
    bot = _bot(tmp_path)
    secret = tmp_path / "feeds.opml"
    secret.write_text("<opml/>")
    reply = await bot.handle(admin("source import", str(secret)))
    assert reply.error and "http(s) address" in reply.title


async def test_a_bad_url_is_one_clear_sentence(tmp_path):
    bot = _bot(tmp_path)
    for bad in ("ftp://example.com/feed", "javascript:alert(1)", "not a url"):
        reply = await bot.handle(admin("source add", bad))
        assert reply.error and "not an http or https address" in reply.title
        assert json.dumps(reply.data)


async def test_a_disabled_source_is_announced_once_in_the_channel_it_was_added_from(
        tmp_path, site):
    bot = _bot(tmp_path, allow_private_networks=True)
    source_id = bot.sources.table.add(f"{site.base}/broken.xml", "Broken", "feed",
                                      platform="slack", channel="C42", added_by="U1")
    now = datetime.now(UTC)
    for hours in (1, 30, 60, 90):
        await bot.sources.poll_due(now + timedelta(hours=hours))
    notices = [p for p in bot.outbox.store.posts() if p["kind"] == "notice"]
    assert len(notices) == 1
    assert (notices[0]["platform"], notices[0]["channel"]) == ("slack", "C42")
    assert f"/source enable {source_id}" in notices[0]["payload"]
