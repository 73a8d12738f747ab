"""OPML import and export of source lists."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import UserError
from bot.ingest.opml import parse_opml, to_opml
from tests.ingest.support import assert_one_sentence

READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Local">
      <outline type="rss" text="Riverton Daily News" xmlUrl="https://riverton.example/rss"/>
      <outline type="rss" title="Harbor Town Gazette" text="HTG" xmlUrl="https://harbor.example/atom"/>
    </outline>
    <outline type="rss" text="Riverton again" xmlUrl="https://riverton.example/rss"/>
    <outline type="link" text="One page" url="https://valley.example/story/orchard-harvest"/>
    <outline type="rss" text="Not web" xmlUrl="file:///etc/passwd"/>
  </body>
</opml>"""


def test_feeds_are_imported_once_each_in_order() -> None:
    assert parse_opml(READER_EXPORT) == [
        ("Riverton Daily News", "https://riverton.example/rss"),
        ("Harbor Town Gazette", "https://harbor.example/atom"),
        ("One page", "https://valley.example/story/orchard-harvest"),
    ]


def test_an_export_imports_back_to_the_same_sources() -> None:
    sources = [
        ("Riverton & Co <News>", "https://riverton.example/rss?a=1&b=2"),
        ('Quote " Feed', "https://q.example/feed"),
    ]
    document = to_opml(sources, now=datetime(2024, 5, 14, tzinfo=UTC))
    assert "Tue, 14 May 2024" in document
    assert parse_opml(document) == sources


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml",
        b"<rss version='2.0'></rss>",
        b"<opml><body></body></opml>",
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml><body><outline text="&x;" xmlUrl="https://a.example/rss"/></body></opml>',
    ],
)
def test_a_bad_file_is_refused_in_one_sentence_or_leaks_nothing(data: bytes) -> None:
    try:
        found = parse_opml(data)
    except UserError as exc:
        assert_one_sentence(str(exc))
    else:
        assert all("root:" not in title for title, _ in found)
