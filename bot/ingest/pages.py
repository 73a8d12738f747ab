"""HTML article pages -> ArticleDraft with trafilatura: main text, title, author, date, site."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from dateutil import parser as date_parser
from lxml import etree

from bot.errors import NotAnArticle
from bot.ingest.limits import cap_draft
from bot.ingest.urls import canonical_url
from bot.models import ArticleDraft

# An article has running prose; a login form, a section front or a video page has not.
MIN_PROSE_WORDS = 50
_PROSE_LINE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]?(\s|$)")
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
    "date",
)


def _place(url: str) -> str:
    host = urlsplit(url).hostname if url else None
    return f"The page at {host}" if host else "The page"


def _prose_words(lines: list[str]) -> int:
    """Words in lines that read like sentences rather than menus or headlines."""
    return sum(
        len(words)
        for line in lines
        if len(words := line.split()) >= _PROSE_LINE_WORDS and _SENTENCE_END.search(line)
    )


def _meta_timestamp(markup: bytes | str) -> datetime | None:
    """The full publication timestamp from meta tags, which trafilatura cuts to a day."""
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and meta.get("content"):
            try:
                value = date_parser.isoparse(meta.get("content", "").strip())
            except (ValueError, OverflowError):
                continue
            aware: datetime = value if value.tzinfo else value.replace(tzinfo=UTC)
            return aware
    return None


def _published(day: str | None, markup: bytes | str) -> datetime | None:
    full = _meta_timestamp(markup)
    if full is not None and (day is None or full.date().isoformat() == day):
        return full
    if not day:
        return None
    try:
        return datetime.fromisoformat(day).replace(tzinfo=UTC)
    except ValueError:
        return None


def parse_page(markup: bytes | str, url: str = "") -> ArticleDraft:
    """The article in an HTML page; raise NotAnArticle when the page holds none."""
    if not markup or not (markup.strip() if isinstance(markup, str) else markup.strip()):
        raise NotAnArticle(f"{_place(url)} is empty, so it is not an article.")
    try:
        doc = trafilatura.bare_extraction(
            markup,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
        )
    except Exception:  # trafilatura on hostile HTML must not take ingest down
        doc = None
    found: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict() if doc else {}
    if not found.get("text"):
        raise NotAnArticle(f"{_place(url)} is not an article (no main text was found).")
    title = str(found.get("title") or "").strip()
    lines = [line.strip() for line in str(found["text"]).splitlines() if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    if _prose_words(lines) < MIN_PROSE_WORDS:
        raise NotAnArticle(f"{_place(url)} is not an article (it has too little running text).")
    # A page read from a file names its web address in <link rel="canonical">: prefer that.
    own_url = str(found.get("url") or "")
    is_web = url.startswith(("http://", "https://"))
    page_url = url if is_web or not own_url.startswith(("http://", "https://")) else own_url
    return cap_draft(ArticleDraft(
        title=title or lines[0][:120],
        text="\n\n".join(lines),
        published=_published(found.get("date"), markup),
        source=str(found.get("sitename") or urlsplit(page_url).hostname or "").strip(),
        url=canonical_url(page_url),
        author=str(found.get("author") or "").strip(),
        summary_only=False,
    ))
