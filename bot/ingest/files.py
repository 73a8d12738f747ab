"""Local article files: front-matter .md/.txt, .jsonl, and feed or HTML files by content."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dateutil import parser as dateparser

from bot.errors import NotAnArticle, UserError
from bot.ingest.limits import cap_draft, cap_line, clean_text, looks_like_language
from bot.models import ArticleDraft

ARTICLE_SUFFIXES = {".md", ".markdown", ".txt", ".jsonl", ".html", ".htm", ".xml", ".rss",
                    ".atom", ".rdf"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_KNOWN_KEYS = {"title", "published", "source", "url", "author", "date"}
# Real offsets run from -12:00 to +14:00; anything past a day is not a time zone.
_MAX_OFFSET = timedelta(hours=18)
_BAD_OFFSET = timedelta(days=2)


def parse_date(value: object, *, field: str = "published", name: str = "") -> datetime | None:
    """A publication date from front matter or JSON; None when absent; NotAnArticle when bad.

    The message names the file (name) when given: "a.md: the published date ... is not valid."
    """
    if value is None or value == "":
        return None
    where = f"{name}: the" if name else "The"
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    else:
        text = str(value).strip()
        shown = cap_line(clean_text(text), 40)
        try:
            parsed = dateparser.isoparse(text)
        except (ValueError, OverflowError):
            try:
                parsed = dateparser.parse(text)
            except (ValueError, OverflowError, TypeError):
                raise NotAnArticle(f"{where} {field} date {shown!r} is not valid.") from None
        if parsed.year < 1900 or parsed.year > 2200:
            raise NotAnArticle(f"{where} {field} date {shown!r} is not valid (the year is out "
                              f"of range).")
    try:
        # dateutil accepts offsets like +25:00 that datetime refuses later, far from here.
        offset = parsed.utcoffset()
    except ValueError:
        offset = _BAD_OFFSET
    if offset is not None and abs(offset) > _MAX_OFFSET:
        shown = cap_line(clean_text(str(value)), 40)
        raise NotAnArticle(f"{where} {field} date {shown!r} is not valid "
                           f"(its time zone offset is impossible).")
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
    if not looks_like_language(text):
        raise NotAnArticle(f"{name} is not an article (its text is not words of a language).")
    title = meta.get("title") or _first_line(text)
    published = parse_date(meta.get("published") or meta.get("date"), name=name)
    return cap_draft(ArticleDraft(title=title, text=text, published=published,
                                  source=meta.get("source", ""), url=meta.get("url", ""),
                                  author=meta.get("author", "")))


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0].strip().lstrip("# ").strip()
    return line[:120]


def jsonl_draft(line: str, where: str) -> ArticleDraft:
    """One .jsonl line as a draft; NotAnArticle naming the line (where) otherwise."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # 100k nested "[" overflow the parser's stack
        raise NotAnArticle(f"{where} is not valid JSON.") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) \
            or not record["text"].strip():
        raise NotAnArticle(f"{where} has no \"text\".")
    text = clean_text(record["text"])
    if not looks_like_language(text):
        raise NotAnArticle(f"{where} is not an article (its text is not words of a language).")
    fields = {key: record.get(key) for key in ("title", "source", "url", "author")}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str | int | float):
            raise NotAnArticle(f"{where}: \"{key}\" is not a string.")
    return cap_draft(ArticleDraft(
        title=str(fields["title"] or _first_line(text)),
        text=text,
        published=parse_date(record.get("published"), name=where),
        source=str(fields["source"] or ""),
        url=str(fields["url"] or ""),
        author=str(fields["author"] or ""),
    ))


def jsonl_items(raw: str, name: str) -> Iterator[ArticleDraft | NotAnArticle]:
    """One article per line ({"title", "text", "published", "source", "url", "author"}), or
    the reason a line is not one: a bad line costs only itself."""
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield jsonl_draft(line, f"{name} line {number}")
        except NotAnArticle as exc:
            yield exc


def parse_jsonl(raw: str, name: str) -> Iterator[ArticleDraft]:
    """The articles of a .jsonl text; raise NotAnArticle at the first bad line."""
    for item in jsonl_items(raw, name):
        if isinstance(item, NotAnArticle):
            raise item
        yield item


def _looks_like_feed(head: str) -> bool:
    return bool(re.search(r"<(rss|feed|rdf:RDF)\b", head[:2000], re.IGNORECASE))


def _looks_like_html(head: str) -> bool:
    return bool(re.search(r"<(!doctype html|html|body|article)\b", head[:4000], re.IGNORECASE))


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, name: str) -> str:
    """A file's text: UTF-8, or UTF-16/32 by their byte order mark, else Latin-1."""
    for bom, encoding in _BOMS:  # UTF-32 first: its LE mark starts with UTF-16's
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise NotAnArticle(f"{name} is not an article (it is not valid "
                                   f"{encoding.upper().removesuffix('-SIG')} text).") from None
    if b"\x00" in data[:4096]:
        raise NotAnArticle(f"{name} is not an article (binary file).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older files in Windows-1252 or Latin-1; noise decodes too, and is refused later
        # as not language.
        return data.decode("latin-1")


def read_items(path: Path) -> Iterator[ArticleDraft | NotAnArticle]:
    """Every article in one local file, and for a .jsonl the reason each bad line was skipped.

    Raise UserError when the file as a whole cannot be read or holds no article.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder; give the folder to ingest instead.") from None
    except OSError:
        raise UserError(f"{path} cannot be read.") from None
    raw = decode(data, name)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        found = False
        for item in jsonl_items(raw, name):
            found = True
            yield item
        if not found:
            raise NotAnArticle(f"{name} holds no articles.")
        return
    if suffix in {".xml", ".rss", ".atom", ".rdf"} or _looks_like_feed(raw):
        from bot.ingest.feeds import parse_feed  # only feeds and pages need feedparser/trafilatura

        feed = parse_feed(data, path.resolve().as_uri())
        if feed is None or not feed.entries:
            raise NotAnArticle(f"{name} is not a feed with articles.")
        yield from feed.entries
        return
    if suffix in {".html", ".htm"} or _looks_like_html(raw):
        from bot.ingest.pages import parse_page

        yield parse_page(data, path.resolve().as_uri())
        return
    if suffix not in {".md", ".markdown", ".txt"}:
        raise NotAnArticle(f"{name} is not an article file (.md, .txt, .jsonl, .html or a feed).")
    yield parse_front_matter(raw, name)


def read_file(path: Path, problems: list[str] | None = None) -> list[ArticleDraft]:
    """Every article in one local file; NotAnArticle with a clear reason otherwise.

    With a problems list, each bad line of a .jsonl is added to it (one sentence naming the
    line) and the file's good lines are returned; without one, the first bad line is raised.
    """
    drafts: list[ArticleDraft] = []
    for item in read_items(path):
        if isinstance(item, NotAnArticle):
            if problems is None:
                raise item
            problems.append(str(item))
        else:
            drafts.append(item)
    return drafts


def iter_paths(path: Path) -> Iterator[Path]:
    """A file itself, or the article files of a folder (recursively, in name order)."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in ARTICLE_SUFFIXES \
                    and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child
    else:
        yield path
