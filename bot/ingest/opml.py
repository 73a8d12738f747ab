"""OPML import and export of source lists, parsed without entities, DTDs or network access."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import quoteattr

from lxml import etree

from bot.errors import UserError

_NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class BadOpml(UserError):
    """The uploaded file is not an OPML outline of feeds."""


def _parser() -> etree.XMLParser:
    # No entity expansion, no DTD, no network: an uploaded file must not read files or URLs.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )


def parse_opml(data: bytes | str) -> list[tuple[str, str]]:
    """(title, url) of every feed or link outline, in order, each URL once.

    Raise BadOpml when the data is not OPML or lists no http(s) feed.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        root = etree.fromstring(raw, parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        raise BadOpml("The file is not valid OPML (it is not well-formed XML).") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise BadOpml("The file is not OPML (its outermost element is not <opml>).")
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for outline in root.iter("{*}outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url and (outline.get("type") or "").lower() == "link":
            url = (outline.get("url") or "").strip()
        if not url.lower().startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        title = (outline.get("title") or outline.get("text") or "").strip()
        found.append((title or url, url))
    if not found:
        raise BadOpml("The OPML file lists no http or https feeds.")
    return found


def to_opml(
    sources: Iterable[tuple[str, str]],
    *,
    title: str = "newsdesk sources",
    now: datetime | None = None,
) -> str:
    """An OPML 2.0 document listing (title, url) pairs as RSS outlines."""
    created = format_datetime(now or datetime.now(UTC))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title><dateCreated>{created}</dateCreated></head>",
        "  <body>",
    ]
    for name, url in sources:
        label = quoteattr(_clean(name or url))
        link = quoteattr(_clean(url))
        lines.append(f'    <outline type="rss" text={label} title={label} xmlUrl={link}/>')
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _clean(value: str) -> str:
    return _NOT_XML_CHARS.sub("", value)


def _text(value: str) -> str:
    return _clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
