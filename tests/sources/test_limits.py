"""The poller under hostile feeds: huge items, failing items, racing polls, long feeds, secrets."""

from __future__ import annotations

import asyncio
import base64
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from bot.app import Newsdesk
from bot.config import IngestSettings
from bot.ingest import probe as probe_module
from bot.ingest.limits import TRUNCATED_MARK
from tests.local_site import admin, local_site, site_bot

PARAGRAPH = (
    "The regional water board voted on Tuesday to raise reservoir levels ahead of the dry "
    "season, its chair Maria Olsen said after a four-hour meeting. Farmers had asked for the "
    "change for months, arguing that the current rules left too little water for irrigation "
    "in late summer."
)
TOPICS = ("bridge", "school", "harbour", "library", "railway", "market", "hospital", "park",
          "airport", "museum", "stadium", "tunnel")


def _story(n: int) -> str:
    """A short distinct article: each number gets words of its own, so no two are copies."""
    topic = TOPICS[n % len(TOPICS)]
    return (f"<p>Story {n}: the city council approved the {topic} plan number {n} on Monday "
            f"after a long debate about its cost of {n * 7 + 3} million.</p>"
            f"<p>Councillor {['Ana', 'Ben', 'Carl', 'Dora'][n % 4]} Lind said work on the "
            f"{topic} would start in spring and end within {n % 5 + 2} years.</p>")


def _item(n: int, body: str, day: int | None = None, base: str = "http://news.invalid") -> str:
    day = n if day is None else day
    stamp = (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=day)).strftime(
        "%a, %d %b %Y %H:%M:%S GMT")
    return (f"<item><title>Story {n}</title><link>{base}/story/{n}</link>"
            f"<guid>{base}/story/{n}</guid><pubDate>{stamp}</pubDate>"
            f"<description><![CDATA[{body}]]></description></item>")


def _rss(items: list[str], title: str = "Council News") -> str:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://news.invalid/</link><description>x</description>"
            f"{''.join(items)}</channel></rss>")


HUGE_BODY = "".join(f"<p>{PARAGRAPH} Paragraph {i}.</p>" for i in range(4_100))  # ~1.2 MB


@dataclass
class Feeds:
    base: str = ""
    bodies: dict[str, str] = field(default_factory=dict)
    requests: list[web.Request] = field(default_factory=list)
    # Feeds held back until this many feed requests have arrived (to make polls overlap).
    hold_until: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def feeds() -> AsyncIterator[Feeds]:
    state = Feeds()

    async def serve(request: web.Request) -> web.Response:
        state.requests.append(request)
        if len(state.requests) >= state.hold_until:
            state.arrived.set()
        await asyncio.wait_for(state.arrived.wait(), 5)
        name = request.match_info["name"]
        if name not in state.bodies:
            return web.Response(status=404)
        etag = f'"{hash(state.bodies[name])}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(text=state.bodies[name], content_type="application/rss+xml",
                            headers={"ETag": etag})

    async def page(request: web.Request) -> web.Response:
        name = f"story/{request.match_info['n']}"
        if name not in state.bodies:
            return web.Response(status=404)
        return web.Response(text=state.bodies[name], content_type="text/html")

    async with local_site([web.get("/story/{n}", page), web.get("/{name}", serve)]) as state.base:
        yield state


def _bot(tmp_path, **ingest) -> Newsdesk:
    return site_bot(tmp_path, fetch={"timeout_s": 10}, ingest=IngestSettings(**ingest))


def _titles(bot: Newsdesk) -> list[str]:
    return sorted(r["title"] for r in bot.store._rows("select title from articles"))


async def test_a_huge_item_is_cut_at_a_paragraph_and_the_rest_of_the_feed_is_stored(
        tmp_path, feeds):
    feeds.bodies["feed.xml"] = _rss([_item(1, _story(1)), _item(2, HUGE_BODY),
                                     _item(3, _story(3))])
    assert len(feeds.bodies["feed.xml"]) > 1_200_000
    bot = _bot(tmp_path, max_article_chars=20_000)
    reply = await bot.handle(admin("source add", f"{feeds.base}/feed.xml"))
    assert not reply.error, reply.title
    assert "3 new articles stored" in reply.items[0].text
    assert _titles(bot) == ["Story 1", "Story 2", "Story 3"]
    (huge,) = bot.store._rows("select text from articles where title = 'Story 2'")
    assert len(huge["text"]) <= 20_000
    assert huge["text"].endswith("\n\n" + TRUNCATED_MARK)
    # Cut between paragraphs: the last kept paragraph is whole.
    assert huge["text"].removesuffix("\n\n" + TRUNCATED_MARK).endswith(".")
    checked = await bot.handle(admin("source check", "1"))
    assert "ok" in (await bot.handle(admin("source list"))).items[0].detail, checked.title


async def test_a_huge_page_behind_a_summary_only_item_is_cut_too(tmp_path, feeds):
    feeds.bodies["feed.xml"] = _rss([_item(n, f"<p>Summary {n} of the council story.</p>",
                                           base=feeds.base) for n in (1, 2)])
    feeds.bodies["story/1"] = (f"<html><head><title>Story 1</title></head><body><article>"
                               f"<h1>Story 1</h1>{HUGE_BODY}</article></body></html>")
    assert len(feeds.bodies["story/1"]) > 1_200_000
    bot = _bot(tmp_path, max_article_chars=20_000)
    reply = await bot.handle(admin("source add", f"{feeds.base}/feed.xml"))
    assert not reply.error, reply.title
    rows = {r["title"]: r for r in bot.store._rows("select title, text, summary_only "
                                                    "from articles")}
    assert rows["Story 1"]["summary_only"] == 0, "the full text replaced the summary"
    assert len(rows["Story 1"]["text"]) <= 20_000
    assert rows["Story 1"]["text"].endswith(TRUNCATED_MARK)
    assert rows["Story 2"]["summary_only"] == 1


async def test_an_item_that_cannot_be_analysed_costs_only_itself(tmp_path, feeds, monkeypatch):
    from storage.sqlite_store import SqliteStore

    real = SqliteStore.save_article

    def fragile(self, draft, **kwargs):  # type: ignore[no-untyped-def]
        if "POISON" in draft.text:  # stands in for any bug we may yet have on odd input
            raise ValueError("boom")
        return real(self, draft, **kwargs)

    # The analysis runs in a worker process; the save, in this one, is where a patch reaches.
    monkeypatch.setattr(SqliteStore, "save_article", fragile)
    feeds.bodies["feed.xml"] = _rss([_item(1, _story(1)), _item(2, "<p>POISON pill.</p>"),
                                     _item(3, _story(3))])
    bot = _bot(tmp_path)
    reply = await bot.handle(admin("source add", f"{feeds.base}/feed.xml"))
    assert not reply.error, reply.title
    assert _titles(bot) == ["Story 1", "Story 3"]
    assert any("“Story 2”" in item.text and "could not be" in item.text for item in reply.items)
    feeds.bodies["feed.xml"] = _rss([_item(n, _story(n)) for n in (1, 3, 4)]
                                    + [_item(2, "<p>POISON pill.</p>")])
    outcome = await bot.sources.poll_one(bot.sources.table.get(1), datetime.now(UTC))
    assert outcome.startswith("1 new of 4 articles; 1 skipped"), outcome
    assert "Story 4" in _titles(bot)
    state = bot.sources.table.get(1)["health"]
    assert '"status": "ok"' in state, "the source's health was saved"


async def test_two_sources_polled_at_once_store_a_shared_item_once(tmp_path, feeds):
    shared = [_item(n, _story(n)) for n in (1, 2, 3)]
    feeds.bodies["a.xml"] = _rss([*shared, _item(10, _story(10))], "Outlet A")
    feeds.bodies["b.xml"] = _rss([*shared, _item(20, _story(20))], "Outlet B")
    bot = _bot(tmp_path)
    a = bot.sources.table.add(f"{feeds.base}/a.xml", "A", "feed")
    b = bot.sources.table.add(f"{feeds.base}/b.xml", "B", "feed")
    feeds.hold_until = 2  # both feeds answer together: both polls read the store before saving
    report = await bot.sources.poll_due(datetime.now(UTC))
    assert report.polled == 2 and report.failed == 0
    assert _titles(bot) == ["Story 1", "Story 10", "Story 2", "Story 20", "Story 3"]
    counts = {s: bot.sources.table.article_count(s) for s in (a, b)}
    assert sum(counts.values()) == 5 and min(counts.values()) >= 1
    for source in (a, b):
        assert '"status": "ok"' in bot.sources.table.get(source)["health"]


async def test_a_long_feed_is_read_newest_first_a_capped_number_per_poll(tmp_path, feeds):
    # 25 items, listed oldest first, so "newest first" is not just the feed's order.
    feeds.bodies["feed.xml"] = _rss([_item(n, _story(n)) for n in range(1, 26)])
    bot = _bot(tmp_path, max_items_per_poll=10)
    reply = await bot.handle(admin("source add", f"{feeds.base}/feed.xml"))
    assert "10 new articles stored" in reply.items[0].text
    assert "15 older items" in reply.items[1].text
    assert _titles(bot) == sorted(f"Story {n}" for n in range(16, 26))
    row = bot.sources.table.get(1)
    outcome = await bot.sources.poll_one(row, datetime.now(UTC))
    assert outcome == "10 new of 25 articles; 5 more are read at the next polls.", outcome
    assert _titles(bot) == sorted(f"Story {n}" for n in range(6, 26))
    # The feed has not changed, but five items wait: the poll must not be told "not modified".
    assert "If-None-Match" not in feeds.requests[-1].headers
    outcome = await bot.sources.poll_one(bot.sources.table.get(1), datetime.now(UTC))
    assert outcome == "5 new of 25 articles.", outcome
    assert bot.store.count_articles() == 25
    outcome = await bot.sources.poll_one(bot.sources.table.get(1), datetime.now(UTC))
    assert outcome == "not modified since the last poll."


async def test_feeds_are_parsed_in_a_worker_thread_not_on_the_event_loop(
        tmp_path, feeds, monkeypatch):
    threads: list[str] = []
    real = probe_module.parse_feed

    def spy(body, url=""):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real(body, url)

    monkeypatch.setattr(probe_module, "parse_feed", spy)
    feeds.bodies["feed.xml"] = _rss([_item(1, _story(1))])
    bot = _bot(tmp_path)
    loop_thread = threading.current_thread().name
    await bot.handle(admin("source add", f"{feeds.base}/feed.xml"))
    assert threads and all(name != loop_thread for name in threads)


async def test_a_feed_is_polled_as_added_with_its_credentials_and_query(tmp_path, feeds):
    feeds.bodies["private.xml"] = _rss([_item(1, _story(1))], "Private")
    bot = _bot(tmp_path)
    url = feeds.base.replace("http://", "http://reader:s3cret@") + \
        "/private.xml?ref=main&token=abc123"
    reply = await bot.handle(admin("source add", url))
    assert not reply.error, reply.title
    await bot.sources.poll_one(bot.sources.table.get(1), datetime.now(UTC) + timedelta(hours=1))
    for request in feeds.requests:
        assert request.query.get("ref") == "main" and request.query.get("token") == "abc123"
        expected = "Basic " + base64.b64encode(b"reader:s3cret").decode()
        assert request.headers.get("Authorization") == expected
    listed = await bot.handle(admin("source list"))
    shown = repr(listed)
    assert "s3cret" not in shown and "abc123" not in shown


async def test_a_source_named_by_its_address_never_shows_its_secrets(tmp_path, feeds):
    bot = _bot(tmp_path)
    notices: list[str] = []
    bot.sources.notify = lambda told: notices.extend(message for _, message in told)
    # What an OPML outline without a title leaves: the address, tokens included, as its name.
    url = "http://user:hunter2@10.0.0.1/gone.xml?api_key=XYZ987&page=2"  # refused: private
    source_id = bot.sources.table.add(url, url, "feed")
    listed = await bot.handle(admin("source list"))
    assert "hunter2" not in repr(listed) and "XYZ987" not in repr(listed)
    assert "page=2" in listed.items[0].text
    now = datetime.now(UTC)
    for hours in (1, 30, 60, 90):
        await bot.sources.poll_due(now + timedelta(hours=hours))
    assert notices and f"Source {source_id}" in notices[0]
    assert all("hunter2" not in n and "XYZ987" not in n for n in notices)


async def test_a_bug_after_the_source_is_committed_never_turns_add_into_an_error(
        tmp_path, feeds, monkeypatch):
    from bot.sources import Sources

    async def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug in the full-text step")  # stands in for any bug there

    monkeypatch.setattr(Sources, "_fetch_full_texts", broken)
    feeds.bodies["feed.xml"] = _rss([_item(1, _story(1))])
    bot = _bot(tmp_path)
    reply = await bot.handle(admin("source add", f"{feeds.base}/feed.xml"))
    assert not reply.error and reply.title.startswith("Added source 1"), reply.title
    assert "next poll tries again" in " ".join(item.text for item in reply.items)
    outcome = await bot.sources.poll_one(bot.sources.table.get(1), datetime.now(UTC))
    assert "error on our side" in outcome
    state = bot.sources.table.get(1)["health"]
    assert '"status": "failing"' in state, "the poll's failure was recorded: it backs off"
