"""RSS 0.9x/1.0/2.0 and Atom feeds -> ArticleDrafts, with feedparser; never raises on bad input."""

from __future__ import annotations

import calendar
import html
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from dateutil import parser as date_parser
from lxml import etree

from bot.ingest.limits import cap_draft
from bot.ingest.urls import canonical_url
from bot.models import ArticleDraft

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
}
_YEAR = re.compile(r"\b(1[89]|2[0-9])\d\d\b")
# feedparser flags these but the document itself is fine.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title, kind (feedparser's version, e.g. rss20, atom10) and entries."""

    title: str
    kind: str
    entries: tuple[ArticleDraft, ...]
    link: str = ""


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: paragraphs kept as blank-line-separated blocks."""
    if "<" not in markup:
        return _clean_lines(html.unescape(markup))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return _clean_lines(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n\n" + (element.text or "")
    return _clean_lines(root.text_content())


def _clean_lines(text: str) -> str:
    blocks = re.split(r"\n\s*\n", text)
    cleaned = (" ".join(_SPACES.sub(" ", block).split()) for block in blocks)
    return "\n\n".join(block for block in cleaned if block)


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _published(entry: Any) -> datetime | None:
    """feedparser's parsed date, else a raw string dateutil can read; None when unreadable."""
    # dict.get: feedparser's own get() maps missing keys onto others with a DeprecationWarning.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = _struct_to_datetime(dict.get(entry, key))
        if parsed is not None:
            return parsed
    for key in ("published", "updated", "created", "dc_date"):
        raw = dict.get(entry, key)
        # A string without a year ("Tuesday") would be read as a date near today: refuse it.
        if not isinstance(raw, str) or not _YEAR.search(raw):
            continue
        try:
            parsed_raw = date_parser.parse(raw, fuzzy=True)
        except (ValueError, OverflowError, TypeError):
            continue
        aware: datetime = parsed_raw if parsed_raw.tzinfo else parsed_raw.replace(tzinfo=UTC)
        return aware
    return None


def _entry_text(entry: Any) -> tuple[str, bool]:
    """The entry's text and whether it is only a summary."""
    summary = html_to_text(entry.get("summary", "") or "")
    contents = [html_to_text(c.get("value", "") or "") for c in entry.get("content", []) or []]
    full = max(contents, key=len, default="")
    if full and len(full) >= len(summary):
        return full, False
    return summary, True


def _entry_link(entry: Any, base: str) -> str:
    link = entry.get("link") or ""
    if not link and entry.get("guidislink"):
        link = entry.get("id") or ""
    if not link:
        return ""
    absolute = urljoin(base, link.strip())
    return canonical_url(absolute) if absolute.startswith(("http://", "https://")) else ""


def _to_draft(entry: Any, source: str, base: str) -> ArticleDraft | None:
    title = html_to_text(entry.get("title", "") or "")
    text, summary_only = _entry_text(entry)
    if not title and not text:
        return None
    return cap_draft(ArticleDraft(
        title=title or text[:80],
        text=text,
        published=_published(entry),
        source=source,
        url=_entry_link(entry, base),
        author=html_to_text(entry.get("author", "") or ""),
        summary_only=summary_only,
    ))


def parse_feed(body: bytes | str, url: str = "") -> Feed | None:
    """A feed from its bytes, or None when they are not a feed (an HTML page, garbage)."""
    # feedparser treats a str as a URL or file name to open: always hand it bytes.
    data = body.encode("utf-8", errors="replace") if isinstance(body, str) else body
    headers = {"content-location": url} if url else {}
    try:
        parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    except Exception:  # feedparser is meant not to raise; a bad feed must never crash ingest
        return None
    meta = parsed.get("feed", {})
    base = url or meta.get("link", "")
    title = html_to_text(meta.get("title", "") or "") or urlsplit(url).hostname or "feed"
    drafts = tuple(d for d in (_to_draft(e, title, base) for e in parsed.entries) if d)
    broken = parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _HARMLESS)
    if not drafts and (broken or not parsed.get("version")):
        return None  # a broken or non-feed document; a well-formed empty feed is still a feed
    return Feed(
        title=title,
        kind=parsed.get("version") or "unknown",
        entries=drafts,
        link=meta.get("link", "") or "",
    )
