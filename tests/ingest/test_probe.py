"""Probing a URL on a real server on 127.0.0.1: feed, article page, unchanged, or neither."""

from __future__ import annotations

import pytest

from bot.errors import NotAnArticle
from bot.ingest.probe import probe
from tests.ingest.conftest import NewsServer
from tests.ingest.support import LOOPBACK_ONLY, assert_one_sentence


async def test_a_feed_url_is_found_as_a_feed_with_its_articles(news_server: NewsServer) -> None:
    found = await probe(news_server.url("/atom"), LOOPBACK_ONLY)
    assert found.kind == "feed" and found.title == "Harbor Town Gazette"
    assert len(found.articles) == 2


async def test_an_article_url_is_found_as_a_page(news_server: NewsServer) -> None:
    found = await probe(news_server.url("/article"), LOOPBACK_ONLY)
    assert found.kind == "page"
    assert found.title == "Regional rail strike ends after three days"
    assert found.articles[0].source == "Northfield Post"


async def test_an_unchanged_feed_is_found_unchanged(news_server: NewsServer) -> None:
    found = await probe(news_server.url("/etag"), LOOPBACK_ONLY, etag='"v1"')
    assert found.kind == "unchanged" and found.articles == ()


async def test_a_page_that_is_neither_says_it_is_not_an_article(news_server: NewsServer) -> None:
    with pytest.raises(NotAnArticle) as caught:
        await probe(news_server.url("/malformed"), LOOPBACK_ONLY)
    assert "is not an article" in str(caught.value)
    assert_one_sentence(str(caught.value))
