"""Canonical URLs: one spelling per article, so the same story is stored once."""

from __future__ import annotations

import pytest

from bot.ingest.urls import canonical_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTPS://News.Example.COM/World/Story", "https://news.example.com/World/Story"),
        ("https://news.example.com:443/a", "https://news.example.com/a"),
        ("http://news.example.com:80/a", "http://news.example.com/a"),
        ("http://news.example.com:8080/a", "http://news.example.com:8080/a"),
        ("https://news.example.com/a#comments", "https://news.example.com/a"),
        ("https://news.example.com", "https://news.example.com/"),
        ("https://news.example.com./a", "https://news.example.com/a"),
        ("https://user:secret@news.example.com/a", "https://news.example.com/a"),
        (
            "https://news.example.com/a?utm_source=x&utm_medium=rss&UTM_Campaign=y",
            "https://news.example.com/a",
        ),
        (
            "https://news.example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=home",
            "https://news.example.com/a",
        ),
        ("https://news.example.com/a?b=2&a=1&utm_term=z", "https://news.example.com/a?a=1&b=2"),
        ("https://news.example.com/a?id=7&page=", "https://news.example.com/a?id=7&page="),
        ("  https://news.example.com/a  ", "https://news.example.com/a"),
    ],
)
def test_spellings_of_one_article_share_a_url(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


def test_the_path_keeps_its_case_because_servers_may_care() -> None:
    assert canonical_url("https://a.example/News/Item") != canonical_url(
        "https://a.example/news/item"
    )


@pytest.mark.parametrize("given", ["", "not a url", "mailto:desk@example.com", "/relative/a"])
def test_non_web_addresses_pass_through(given: str) -> None:
    assert canonical_url(given) == given
