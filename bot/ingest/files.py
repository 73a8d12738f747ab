"""Local article files: front-matter .md/.txt, .jsonl, and feed or HTML files by content."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from dateutil import parser as dateparser

from bot.errors import NotAnArticle, UserError
from bot.models import ArticleDraft

ARTICLE_SUFFIXES = {".md", ".markdown", ".txt", ".jsonl", ".html", ".htm", ".xml", ".rss",
                    ".atom", ".rdf"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_KNOWN_KEYS = {"title", "published", "source", "url", "author", "date"}


def parse_date(value: object, *, field: str = "published") -> datetime | None:
    """A publication date from front matter or JSON; None when absent; UserError when garbled."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    text = str(value).strip()
    try:
        parsed = dateparser.isoparse(text)
    except ValueError:
        try:
            parsed = dateparser.parse(text)
        except (ValueError, OverflowError):
            raise NotAnArticle(f"The {field} date {text[:40]!r} is not a date.") from None
    if parsed.year < 1900 or parsed.year > 2200:
        raise NotAnArticle(f"The {field} date {text[:40]!r} is out of range.")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_front_matter(raw: str, name: str) -> ArticleDraft:
    """An article from text with an optional `---` front matter block of `key: value` lines."""
    meta: dict[str, str] = {}
    body = raw
    match = _FRONT_MATTER.match(raw)
    if match:
        for number, line in enumerate(match.group(1).splitlines(), start=2):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep:
                raise NotAnArticle(f"{name}: front matter line {number} is not 'key: value'.")
            meta[key.strip().lower()] = value.strip().strip("\"'")
        body = raw[match.end():]
    elif re.match(r"\A---[ \t]*\r?\n", raw):
        raise NotAnArticle(f"{name}: the front matter block is not closed by a '---' line.")
    text = body.strip("\ufeff")
    if not text.strip():
        raise NotAnArticle(f"{name} has no article text.")
    title = meta.get("title") or _first_line(text)
    published = parse_date(meta.get("published") or meta.get("date"))
    return ArticleDraft(title=title, text=text, published=published,
                        source=meta.get("source", ""), url=meta.get("url", ""),
                        author=meta.get("author", ""))


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0].strip().lstrip("# ").strip()
    return line[:120]


def parse_jsonl(raw: str, name: str) -> Iterator[ArticleDraft]:
    """One article per line: {"title", "text", "published", "source", "url"}."""
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise NotAnArticle(f"{name} line {number} is not valid JSON.") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) \
                or not record["text"].strip():
            raise NotAnArticle(f"{name} line {number} has no \"text\".")
        text = record["text"]
        yield ArticleDraft(
            title=str(record.get("title") or _first_line(text)),
            text=text,
            published=parse_date(record.get("published")),
            source=str(record.get("source") or ""),
            url=str(record.get("url") or ""),
            author=str(record.get("author") or ""),
        )


def _looks_like_feed(head: str) -> bool:
    return bool(re.search(r"<(rss|feed|rdf:RDF)\b", head[:2000], re.IGNORECASE))


def _looks_like_html(head: str) -> bool:
    return bool(re.search(r"<(!doctype html|html|body|article)\b", head[:4000], re.IGNORECASE))


def read_file(path: Path) -> list[ArticleDraft]:
    """Every article in one local file; NotAnArticle with a clear reason otherwise."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder; give the folder to ingest instead.") from None
    except OSError:
        raise UserError(f"{path} cannot be read.") from None
    if b"\x00" in data[:4096]:
        raise NotAnArticle(f"{name} is not an article (binary file).")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        raw = data.decode("latin-1")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        drafts = list(parse_jsonl(raw, name))
        if not drafts:
            raise NotAnArticle(f"{name} holds no articles.")
        return drafts
    if suffix in {".xml", ".rss", ".atom", ".rdf"} or _looks_like_feed(raw):
        from bot.ingest.feeds import parse_feed  # only feeds and pages need feedparser/trafilatura

        feed = parse_feed(data, path.resolve().as_uri())
        if feed is None or not feed.entries:
            raise NotAnArticle(f"{name} is not a feed with articles.")
        return list(feed.entries)
    if suffix in {".html", ".htm"} or _looks_like_html(raw):
        from bot.ingest.pages import parse_page

        return [parse_page(data, path.resolve().as_uri())]
    if suffix not in {".md", ".markdown", ".txt"}:
        raise NotAnArticle(f"{name} is not an article file (.md, .txt, .jsonl, .html or a feed).")
    return [parse_front_matter(raw, name)]


def iter_paths(path: Path) -> Iterator[Path]:
    """A file itself, or the article files of a folder (recursively, in name order)."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in ARTICLE_SUFFIXES \
                    and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child
    else:
        yield path
