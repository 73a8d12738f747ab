"""Article pages fetched from a real server on 127.0.0.1: main text and metadata, or a refusal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.errors import NotAnArticle
from bot.ingest.fetch import fetch
from bot.ingest.pages import parse_page
from tests.ingest.conftest import NewsServer
from tests.ingest.support import DATA, LOOPBACK_ONLY, assert_one_sentence


async def test_an_article_page_gives_its_text_and_metadata(news_server: NewsServer) -> None:
    result = await fetch(news_server.url("/article?utm_campaign=spring"), LOOPBACK_ONLY)
    article = parse_page(result.body, result.url)
    assert article.title == "Regional rail strike ends after three days"
    assert article.author == "Priya Raman"
    assert article.source == "Northfield Post"
    assert article.published == datetime(2024, 3, 8, 17, 45, tzinfo=timezone(timedelta(hours=1)))
    assert article.url == news_server.url("/article")
    assert not article.summary_only
    assert article.text.startswith("Trains across the northern region will run a normal")
    assert '"We listened to each other and found a fair way forward,"' in article.text
    # Navigation, byline and footer are not part of the story.
    for chrome in ("Home", "Copyright", "All rights reserved"):
        assert chrome not in article.text
    assert article.text.count("\n\n") >= 4  # paragraphs kept apart


async def test_a_login_page_is_not_an_article(news_server: NewsServer) -> None:
    result = await fetch(news_server.url("/login"), LOOPBACK_ONLY)
    with pytest.raises(NotAnArticle) as caught:
        parse_page(result.body, result.url)
    assert "is not an article" in str(caught.value)
    assert "127.0.0.1" in str(caught.value)
    assert_one_sentence(str(caught.value))


@pytest.mark.parametrize(
    "markup",
    [
        "",
        "   ",
        b"",
        "<html></html>",
        b"\xff\xfe\x00\x01",
        (DATA / "rss20.xml").read_bytes(),
        "<html><body><ul>"
        + "<li><a href='/a'>Headline about something</a></li>" * 40
        + "</ul></body></html>",
    ],
)
def test_pages_without_an_article_say_so_in_one_sentence(markup: str | bytes) -> None:
    with pytest.raises(NotAnArticle) as caught:
        parse_page(markup, "https://news.example/section")
    assert "not an article" in str(caught.value)
    assert_one_sentence(str(caught.value))


def test_a_page_read_from_a_file_takes_its_canonical_url() -> None:
    article = parse_page(
        (DATA / "article.html").read_text(encoding="utf-8"),
        (DATA / "article.html").resolve().as_uri(),
    )
    assert article.url == "https://northfield.example/transport/rail-strike-ends"
    assert article.published is not None and article.published.date().isoformat() == "2024-03-08"
