"""Feeds fetched from a real server on 127.0.0.1 become articles a reader would recognise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.ingest.feeds import html_to_text, parse_feed
from bot.ingest.fetch import fetch
from tests.ingest.conftest import NewsServer
from tests.ingest.support import DATA, LOOPBACK_ONLY


async def feed_at(server: NewsServer, path: str):  # type: ignore[no-untyped-def]
    result = await fetch(server.url(path), LOOPBACK_ONLY)
    return parse_feed(result.body, result.url)


async def test_rss2_entries_keep_title_date_author_and_full_text(news_server: NewsServer) -> None:
    feed = await feed_at(news_server, "/rss")
    assert feed.title == "Riverton Daily News" and feed.kind == "rss20"
    first, second = feed.entries
    assert first.title == "City council approves new bike lanes on Main Street"
    assert first.published == datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
    assert first.author == "Dana Whitfield"
    assert first.source == "Riverton Daily News"
    assert first.url == "https://riverton.example/news/bike-lanes"  # utm_* removed
    assert not first.summary_only  # content:encoded is the full text
    assert '"This is a safer street for everyone," said council member Alma Ortiz.' in first.text
    assert "<p>" not in first.text and "alert(1)" not in first.text
    assert second.summary_only
    assert second.text.endswith("the library board said & staff agreed.")
    assert second.url == "https://riverton.example/news/library-hours"  # fragment dropped


async def test_atom_entries_are_read_with_their_time_zone(news_server: NewsServer) -> None:
    feed = await feed_at(news_server, "/atom")
    assert feed.kind == "atom10" and feed.title == "Harbor Town Gazette"
    bridge, ferry = feed.entries
    assert bridge.published == datetime(2024, 5, 14, 6, 15, tzinfo=UTC)
    assert bridge.text.startswith("The harbor bridge reopened to traffic on Tuesday morning")
    assert "\n\nEngineers replaced two expansion joints." in bridge.text
    assert bridge.author == "Sam Keller" and not bridge.summary_only
    assert ferry.text == "Extra sailings start on June 1." and ferry.summary_only
    assert ferry.published == datetime(2024, 5, 13, 10, 0, tzinfo=UTC)  # from <updated>


async def test_rdf_feeds_are_read(news_server: NewsServer) -> None:
    feed = await feed_at(news_server, "/rdf")
    assert feed.kind == "rss10" and feed.title == "Valley Courier"
    (entry,) = feed.entries
    assert entry.title == "Orchard harvest starts early after warm spring"
    assert entry.published == datetime(2024, 5, 12, 7, 0, tzinfo=UTC)


async def test_rss_091_feeds_are_read(news_server: NewsServer) -> None:
    feed = await feed_at(news_server, "/rss091")
    assert feed.kind.startswith("rss09")
    assert feed.entries[0].url == "https://lakeside.example/swimming-season"
    assert feed.entries[0].published is None


async def test_relative_links_resolve_against_the_feed_url(news_server: NewsServer) -> None:
    feed = await feed_at(news_server, "/feeds/relative.xml")
    urls = [entry.url for entry in feed.entries]
    assert urls == [
        news_server.url("/stories/school-fair.html"),
        news_server.url("/feeds/stories/elm-avenue.html"),
        news_server.url("/archive/market.html"),  # ?ref=homepage removed
    ]


async def test_odd_dates_are_read_or_left_empty(news_server: NewsServer) -> None:
    feed = await feed_at(news_server, "/feeds/relative.xml")
    fair, road, market = feed.entries
    assert fair.published == datetime(2024, 5, 11, 14, 5, tzinfo=UTC)
    assert road.published is None  # "sometime on Tuesday"
    assert market.published is None  # 31 February, 25:61
    assert market.title == "Farmers market moves indoors"


async def test_a_malformed_feed_with_no_readable_entry_is_not_a_feed(
    news_server: NewsServer,
) -> None:
    assert await feed_at(news_server, "/malformed") is None


@pytest.mark.parametrize("path", ["/article", "/login"])
async def test_an_html_page_is_not_a_feed(news_server: NewsServer, path: str) -> None:
    assert await feed_at(news_server, path) is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\x01\x02\xff",
        (DATA / "garbage.bin").read_bytes(),
        b"<rss",
        b'{"json": 1}',
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Caf\u00e9</title></channel></rss>",
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><rss>&b;</rss>',
    ],
)
def test_bad_bytes_never_crash_the_parser(body: bytes | str) -> None:
    feed = parse_feed(body, "https://example.com/feed")
    assert feed is None or feed.entries == ()


def test_a_string_is_parsed_as_content_never_opened_as_a_url_or_file() -> None:
    assert parse_feed("/etc/passwd") is None
    assert parse_feed("http://127.0.0.1:1/feed") is None


def test_a_well_formed_empty_feed_is_a_feed_with_no_articles() -> None:
    body = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>"
    feed = parse_feed(body, "https://quiet.example/rss")
    assert feed is not None and feed.title == "Quiet" and feed.entries == ()


def test_html_becomes_paragraphs_of_plain_text() -> None:
    markup = "<div><p>One &amp; two.</p><script>x()</script><p>Three<br>four</p></div>"
    assert html_to_text(markup) == "One & two.\n\nThree\n\nfour"
