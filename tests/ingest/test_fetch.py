"""Fetching from a real server on 127.0.0.1: what arrives, and what a user is told when it fails."""

from __future__ import annotations

import dataclasses

import pytest

from bot.errors import FetchError
from bot.ingest.feeds import parse_feed
from bot.ingest.fetch import USER_AGENT, fetch, make_session
from tests.ingest.conftest import NewsServer
from tests.ingest.support import LOOPBACK_ONLY, assert_one_sentence


async def refused(url: str, settings=LOOPBACK_ONLY, **kwargs) -> FetchError:  # type: ignore[no-untyped-def]
    with pytest.raises(FetchError) as caught:
        await fetch(url, settings, **kwargs)
    assert_one_sentence(str(caught.value))
    return caught.value


async def test_a_feed_arrives_whole_with_its_validators(news_server: NewsServer) -> None:
    result = await fetch(news_server.url("/etag"), LOOPBACK_ONLY)
    assert result.status == 200 and not result.not_modified
    assert result.etag == '"v1"'
    assert result.content_type == "application/rss+xml"
    feed = parse_feed(result.body, result.url)
    assert feed is not None and feed.title == "Riverton Daily News"


async def test_an_unchanged_feed_is_reported_not_modified_by_etag(news_server: NewsServer) -> None:
    result = await fetch(news_server.url("/etag"), LOOPBACK_ONLY, etag='"v1"')
    assert result.not_modified and result.status == 304 and result.body == b""


async def test_an_unchanged_feed_is_reported_not_modified_by_date(news_server: NewsServer) -> None:
    first = await fetch(news_server.url("/lastmod"), LOOPBACK_ONLY)
    assert first.last_modified == "Tue, 14 May 2024 10:00:00 GMT"
    again = await fetch(
        news_server.url("/lastmod"), LOOPBACK_ONLY, last_modified=first.last_modified
    )
    assert again.not_modified


async def test_requests_carry_the_newsdesk_user_agent(news_server: NewsServer) -> None:
    result = await fetch(news_server.url("/user-agent"), LOOPBACK_ONLY)
    assert result.body.decode() == USER_AGENT
    assert USER_AGENT == "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)"


@pytest.mark.parametrize("path", ["/gzip-feed", "/deflate-feed", "/deflate-feed?raw=1"])
async def test_compressed_feeds_are_decoded(news_server: NewsServer, path: str) -> None:
    result = await fetch(news_server.url(path), LOOPBACK_ONLY)
    feed = parse_feed(result.body, result.url)
    assert feed is not None and len(feed.entries) == 2


async def test_a_gzip_bomb_is_refused_as_too_large(news_server: NewsServer) -> None:
    error = await refused(news_server.url("/bomb"))
    assert error.reason == "too_large"
    assert "1 MB" in str(error)


async def test_an_endless_response_is_cut_off_as_too_large(news_server: NewsServer) -> None:
    error = await refused(news_server.url("/endless"))
    assert error.reason == "too_large"


async def test_a_response_declared_too_big_is_refused(news_server: NewsServer) -> None:
    assert (await refused(news_server.url("/declared-big"))).reason == "too_large"


async def test_an_unknown_content_encoding_is_a_bad_format(news_server: NewsServer) -> None:
    assert (await refused(news_server.url("/brotli"))).reason == "bad_format"


async def test_a_slow_server_times_out(news_server: NewsServer) -> None:
    quick = dataclasses.replace(LOOPBACK_ONLY, timeout_s=0.3)
    error = await refused(news_server.url("/slow"), quick)
    assert error.reason == "timeout"
    assert "0.3 seconds" in str(error)


async def test_a_body_that_stalls_times_out(news_server: NewsServer) -> None:
    quick = dataclasses.replace(LOOPBACK_ONLY, timeout_s=0.3)
    assert (await refused(news_server.url("/slow-body"), quick)).reason == "timeout"


async def test_a_server_error_names_the_status_not_the_body(news_server: NewsServer) -> None:
    error = await refused(news_server.url("/error"))
    assert error.reason == "http_error"
    assert "HTTP 500" in str(error)


async def test_a_forbidden_page_is_an_http_error(news_server: NewsServer) -> None:
    assert "HTTP 403" in str(await refused(news_server.url("/forbidden")))


async def test_a_missing_page_is_not_found(news_server: NewsServer) -> None:
    assert (await refused(news_server.url("/no-such-feed"))).reason == "not_found"


async def test_redirects_are_followed_to_the_final_url(news_server: NewsServer) -> None:
    result = await fetch(news_server.url("/hop/3"), LOOPBACK_ONLY)
    assert result.url == news_server.url("/rss")
    moved = await fetch(news_server.url("/moved"), LOOPBACK_ONLY)
    assert moved.url.startswith(news_server.url("/rss"))


async def test_more_than_five_redirects_are_refused(news_server: NewsServer) -> None:
    error = await refused(news_server.url("/hop/6"))
    assert error.reason == "redirect_loop"
    assert news_server.hits.get("/rss") is None


async def test_a_redirect_loop_is_refused(news_server: NewsServer) -> None:
    assert (await refused(news_server.url("/loop-a"))).reason == "redirect_loop"


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.2/rss",
        "http://[::1]/rss",
        "http://0x7f.2/",
        "file:///etc/passwd",
    ],
)
async def test_a_redirect_to_a_refused_address_is_not_followed(
    news_server: NewsServer, target: str
) -> None:
    # The server on 127.0.0.1/32 is allowed; the hop it points to is not.
    error = await refused(news_server.url("/to?target=") + target)
    assert error.reason == "not_allowed"


async def test_the_loopback_server_is_refused_without_an_exemption(
    news_server: NewsServer,
) -> None:
    strict = dataclasses.replace(LOOPBACK_ONLY, allow_networks=())
    error = await refused(news_server.url("/rss"), strict)
    assert error.reason == "not_allowed"
    assert news_server.hits == {}


async def test_allow_private_networks_lifts_the_guard(news_server: NewsServer) -> None:
    open_settings = dataclasses.replace(
        LOOPBACK_ONLY, allow_networks=(), allow_private_networks=True
    )
    result = await fetch(news_server.url("/rss"), open_settings)
    assert result.status == 200


async def test_a_shared_session_serves_several_fetches(news_server: NewsServer) -> None:
    async with make_session(LOOPBACK_ONLY) as session:
        for path in ("/rss", "/atom", "/rdf"):
            result = await fetch(news_server.url(path), LOOPBACK_ONLY, session=session)
            assert parse_feed(result.body, result.url) is not None


async def test_a_closed_port_is_a_failed_request(news_server: NewsServer) -> None:
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = await refused(f"http://127.0.0.1:{port}/rss")
    assert error.reason == "failed_requests"
