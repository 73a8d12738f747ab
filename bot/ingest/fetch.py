"""Fetch one URL safely: guarded addresses, bounded size, time, redirects and decompression."""

from __future__ import annotations

import asyncio
import weakref
import zlib
from dataclasses import dataclass

import aiohttp
from yarl import URL

from bot.config import FetchSettings
from bot.errors import FetchError
from bot.ingest.netguard import (
    AddressNotAllowed,
    GuardedResolver,
    NetworkGuard,
    refusal_message,
)

USER_AGENT = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)"
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
# Sessions whose connector checks every address; fetch() accepts no other.
_GUARDED: weakref.WeakSet[aiohttp.ClientSession] = weakref.WeakSet()
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True)
class FetchResult:
    """What a fetch got: the final URL, the decoded body and the validators for next time."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def make_session(
    settings: FetchSettings, *, resolver: aiohttp.abc.AbstractResolver | None = None
) -> aiohttp.ClientSession:
    """A session whose every connection goes through the network guard.

    `resolver` replaces the system resolver underneath the guard (tests use a stub DNS).
    """
    guard = NetworkGuard(settings)
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(guard, resolver),
        socket_factory=guard.socket_factory,
        use_dns_cache=False,  # each connection resolves and is checked anew
        limit_per_host=4,
    )
    session = aiohttp.ClientSession(
        connector=connector,
        auto_decompress=False,  # decoded here, with a limit on the decompressed size
        headers={"User-Agent": USER_AGENT},
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,  # no proxy from the environment: the guard must see the real peer
    )
    _GUARDED.add(session)
    return session


async def fetch(
    url: str,
    settings: FetchSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    session: aiohttp.ClientSession | None = None,
) -> FetchResult:
    """GET a URL; raise FetchError(message, reason) with one sentence a chat user can read.

    Pass a session from make_session() to reuse connections; its guard is the one built from
    the settings it was made with. Any other session is a programming error (TypeError).
    """
    if session is not None and session not in _GUARDED:
        raise TypeError("fetch() needs a session from make_session(), which guards addresses")
    host = _host_of(url)
    own_session = session is None
    active = session if session is not None else make_session(settings)
    try:
        async with asyncio.timeout(settings.timeout_s):
            return await _follow(url, settings, active, etag, last_modified)
    except TimeoutError:
        raise FetchError(
            f"{host} did not answer within {_seconds(settings.timeout_s)}.", "timeout"
        ) from None
    except FetchError:
        raise
    except aiohttp.ClientConnectorError as exc:
        if _refused(exc):
            raise FetchError(refusal_message(str(exc.host)), "not_allowed") from None
        raise FetchError(f"Could not connect to {host}.", "failed_requests") from None
    except aiohttp.InvalidURL:
        raise FetchError(f"{host} is not a valid web address.", "failed_requests") from None
    except (aiohttp.ClientError, OSError):
        raise FetchError(f"The connection to {host} failed.", "failed_requests") from None
    finally:
        if own_session:
            await active.close()


def _refused(exc: BaseException) -> bool:
    """True when the guard refused the connection, however aiohttp wrapped it."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, AddressNotAllowed):
            return True
        if isinstance(seen, aiohttp.ClientConnectorError) and isinstance(
            seen.os_error, AddressNotAllowed
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _host_of(url: str) -> str:
    try:
        return (URL(url).host or "").rstrip(".")[:100] or "the address"
    except (ValueError, TypeError):
        return "the address"


def _seconds(value: float) -> str:
    return f"{value:g} second" + ("" if value == 1 else "s")


def _checked_url(raw: str, guard: NetworkGuard) -> URL:
    try:
        url = URL(raw)
    except (ValueError, TypeError):
        raise FetchError("That is not a valid web address.", "failed_requests") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise FetchError("newsdesk only fetches http and https addresses.", "not_allowed")
    guard.check_host(url.raw_host or url.host)
    return url.with_fragment(None)


async def _follow(
    raw_url: str,
    settings: FetchSettings,
    session: aiohttp.ClientSession,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    guard = NetworkGuard(settings)
    url = _checked_url(raw_url, guard)
    first_host = url.host or ""
    seen = {str(url)}
    headers = {"Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate", "User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(MAX_REDIRECTS + 1):
        async with session.get(url, headers=headers, allow_redirects=False) as resp:
            if resp.status in _REDIRECTS and "Location" in resp.headers:
                target = _redirect_target(url, resp.headers["Location"], guard)
                if str(target) in seen:
                    raise FetchError(f"{first_host} redirects in a loop.", "redirect_loop")
                seen.add(str(target))
                url = target
                continue
            return await _result(url, resp, settings)
    raise FetchError(f"{first_host} redirected more than {MAX_REDIRECTS} times.", "redirect_loop")


def _redirect_target(current: URL, location: str, guard: NetworkGuard) -> URL:
    try:
        target = current.join(URL(location))
    except (ValueError, TypeError):
        raise FetchError(
            f"{current.host} redirected to an invalid address.", "failed_requests"
        ) from None
    return _checked_url(str(target), guard)


async def _result(url: URL, resp: aiohttp.ClientResponse, settings: FetchSettings) -> FetchResult:
    host = url.host or "the site"
    if resp.status == 304:
        return FetchResult(
            url=str(url),
            status=304,
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
            not_modified=True,
        )
    if resp.status in (404, 410):
        raise FetchError(
            f"{host} answered HTTP {resp.status}: the page was not found.", "not_found"
        )
    if resp.status >= 400 or resp.status < 200:
        raise FetchError(f"{host} answered with HTTP {resp.status}.", "http_error")
    if resp.status in _REDIRECTS:
        raise FetchError(f"{host} redirected without saying where to.", "http_error")
    body = await _read_body(resp, settings.max_bytes, host)
    return FetchResult(
        url=str(url),
        status=resp.status,
        body=body,
        content_type=resp.content_type,
        charset=resp.charset,
        etag=resp.headers.get("ETag"),
        last_modified=resp.headers.get("Last-Modified"),
    )


def _too_large(host: str, max_bytes: int) -> FetchError:
    return FetchError(
        f"The response from {host} is larger than the {_size(max_bytes)} limit.", "too_large"
    )


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


async def _read_body(resp: aiohttp.ClientResponse, max_bytes: int, host: str) -> bytes:
    """Stream the body, decoding as it comes; stop as soon as either size passes the limit."""
    declared = resp.content_length
    if declared is not None and declared > max_bytes:
        raise _too_large(host, max_bytes)
    decoder = _Decoder(resp.headers.get("Content-Encoding", ""), host, max_bytes)
    received = 0
    parts: list[bytes] = []
    async for chunk in resp.content.iter_chunked(_CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise _too_large(host, max_bytes)
        parts.append(decoder.feed(chunk))
    parts.append(decoder.flush())
    return b"".join(parts)


class _Decoder:
    """gzip/deflate decoding that never produces more than the byte budget allows."""

    def __init__(self, encoding: str, host: str, max_bytes: int) -> None:
        self.encoding = encoding.strip().lower()
        self.host = host
        self.budget = max_bytes
        self.produced = 0
        self.may_retry_raw = self.encoding == "deflate"
        if self.encoding in ("", "identity"):
            self.obj = None
        elif self.encoding in ("gzip", "x-gzip", "deflate"):
            # 47 = 32 + 15: accept a gzip or zlib header (servers send either for "deflate").
            self.obj = zlib.decompressobj(47)
        else:
            raise FetchError(
                f"{host} sent the response in an encoding newsdesk cannot read.", "bad_format"
            )

    def _bad(self) -> FetchError:
        return FetchError(f"{self.host} sent a response that could not be decoded.", "bad_format")

    def _count(self, data: bytes) -> bytes:
        self.produced += len(data)
        if self.produced > self.budget:
            raise _too_large(self.host, self.budget)
        return data

    def feed(self, chunk: bytes) -> bytes:
        if self.obj is None:
            return self._count(chunk)
        out: list[bytes] = []
        pending = chunk
        while pending:
            try:
                # max_length bounds the memory one step may take: a bomb stops at budget + 1.
                data = self.obj.decompress(pending, self.budget - self.produced + 1)
            except zlib.error:
                if self.may_retry_raw:
                    # Some servers send raw deflate without the zlib header.
                    self.may_retry_raw = False
                    self.obj = zlib.decompressobj(-15)
                    continue
                raise self._bad() from None
            self.may_retry_raw = False
            out.append(self._count(data))
            pending = self.obj.unconsumed_tail
            if self.obj.eof:
                break  # trailing bytes after the stream are ignored, as browsers do
        return b"".join(out)

    def flush(self) -> bytes:
        if self.obj is None:
            return b""
        try:
            return self._count(self.obj.flush())
        except zlib.error:
            raise self._bad() from None
