"""Checks on sources from outside: URLs, OPML imports, and names shown without disguise."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from bot.config import FetchSettings
from bot.errors import UserError
from bot.ingest.netguard import (
    AddressNotAllowed,
    GuardedResolver,
    NetworkGuard,
    literal_address,
    refusal_message,
)
from bot.models import Reply, ReplyItem

# /source import: name lookups at once, the longest one may take, refusals listed.
IMPORT_LOOKUPS = 16
IMPORT_LOOKUP_S = 5.0
REFUSALS_SHOWN = 10


def check_url(url: str) -> str:
    """The URL, trimmed, when it is a well-formed http(s) address; else one clear sentence."""
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # both raise ValueError on a malformed address
    except ValueError:
        raise UserError(f"That URL is not valid: {url[:80]!r}.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise UserError(f"{url[:80]!r} is not an http or https address.")
    return url


def _script(char: str) -> str:
    """The script a letter is written in ("LATIN", "CYRILLIC"...), from its Unicode name."""
    name = unicodedata.name(char, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO")):
        return "CJK"  # Han, kana and Hangul are written together
    return name.split(" ", 1)[0]


def _ascii_host(host: str) -> str:
    labels = []
    for label in host.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append(label.encode("idna").decode("ascii"))
        except UnicodeError:
            labels.append("xn--" + label.encode("punycode").decode("ascii"))
    return ".".join(labels)


_HOSTNAME = re.compile(r"(?<![\w.-])((?:[\w-]+\.)+[\w-]+)")


def shown_name(name: str) -> str:
    """A source name as shown: a host name that mixes scripts ("аррӏе.com", Cyrillic posing
    as Latin) appears in punycode, so a lookalike of a known site cannot pass for it."""
    def host(match: re.Match[str]) -> str:
        text = match.group(1)
        scripts = {_script(c) for c in text if c.isalpha()}
        return _ascii_host(text) if len(scripts) > 1 else text

    return name if name.isascii() else _HOSTNAME.sub(host, name)


def read_local(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise UserError(f"Cannot read {str(path)[:80]!r} ({exc.strerror}).") from None
    if len(data) > max_bytes:
        raise UserError(f"{path.name} is larger than {max_bytes:,} bytes (config key "
                        f"fetch.max_bytes), too large for an OPML file.")
    return data


async def _refusal(url: str, guard: NetworkGuard, resolver: GuardedResolver,
                   gate: asyncio.Semaphore) -> str | None:
    """Why the fetch guard would refuse this feed, checked now rather than at its first poll."""
    try:
        host = urlsplit(check_url(url)).hostname or ""
        guard.check_host(host)  # literal addresses in any spelling
    except UserError as exc:
        return str(exc)
    if literal_address(host) is not None:
        return None
    async with gate:
        try:
            await asyncio.wait_for(resolver.resolve(host, 0), IMPORT_LOOKUP_S)
        except AddressNotAllowed:
            return refusal_message(host)
        except (OSError, TimeoutError, ValueError):  # ValueError: a name IDNA cannot encode
            return None  # unknown today, perhaps known tomorrow: the poller will say
    return None


async def refusals(urls: list[str], settings: FetchSettings) -> dict[str, str]:
    """url -> reason, for every URL the fetch guard would refuse (private, local, malformed)."""
    guard = NetworkGuard(settings)
    resolver = GuardedResolver(guard)
    gate = asyncio.Semaphore(IMPORT_LOOKUPS)
    try:
        reasons = await asyncio.gather(*(_refusal(u, guard, resolver, gate) for u in urls))
    finally:
        await resolver.close()
    return {url: reason for url, reason in zip(urls, reasons, strict=True) if reason}


def import_summary(added: list[int], existing: int, refused: list[dict]) -> Reply:
    """One message for the whole import, however many feeds it named."""
    notes = [f"{existing} already there"] if existing else []
    if refused:
        notes.append(f"{len(refused)} refused")
    items = tuple(ReplyItem(f"Refused: {r['name']}", r["reason"])
                  for r in refused[:REFUSALS_SHOWN])
    more = len(refused) - REFUSALS_SHOWN
    return Reply(
        f"Imported {len(added)} feed{'s' * (len(added) != 1)}"
        + (f" ({', '.join(notes)})" if notes else "")
        + "; they are read at the next poll.", items,
        footer=f"{more} more refused feeds not shown." if more > 0 else "",
        data={"added": added, "skipped": existing, "refused": refused})
