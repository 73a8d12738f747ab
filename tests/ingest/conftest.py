"""A real aiohttp server on 127.0.0.1 serving the fixture feeds, pages and misbehaving routes."""

from __future__ import annotations

import asyncio
import functools
import gzip
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from tests.ingest.support import DATA


@functools.cache
def gzip_bomb() -> bytes:
    """50 MB of zeros that travel as about 50 kB."""
    return gzip.compress(b"\0" * 50_000_000, compresslevel=9)


@dataclass
class NewsServer:
    """The running server: its base URL and what it saw."""

    base: str
    user_agents: list[str] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path


def _file(name: str, content_type: str) -> web.Response:
    return web.Response(body=(DATA / name).read_bytes(), content_type=content_type)


def _app(server: NewsServer) -> web.Application:
    routes = web.RouteTableDef()

    @web.middleware
    async def record(request: web.Request, handler):  # type: ignore[no-untyped-def]
        server.user_agents.append(request.headers.get("User-Agent", ""))
        server.hits[request.path] = server.hits.get(request.path, 0) + 1
        return await handler(request)

    @routes.get("/rss")
    async def rss(request: web.Request) -> web.Response:
        return _file("rss20.xml", "application/rss+xml")

    @routes.get("/atom")
    async def atom(request: web.Request) -> web.Response:
        return _file("atom.xml", "application/atom+xml")

    @routes.get("/rdf")
    async def rdf(request: web.Request) -> web.Response:
        return _file("rdf.xml", "application/rdf+xml")

    @routes.get("/rss091")
    async def rss091(request: web.Request) -> web.Response:
        return _file("rss091.xml", "text/xml")

    @routes.get("/feeds/relative.xml")
    async def relative(request: web.Request) -> web.Response:
        return _file("relative_odd_dates.xml", "application/rss+xml")

    @routes.get("/malformed")
    async def malformed(request: web.Request) -> web.Response:
        return _file("malformed.xml", "application/rss+xml")

    @routes.get("/article")
    async def article(request: web.Request) -> web.Response:
        return _file("article.html", "text/html")

    @routes.get("/login")
    async def login(request: web.Request) -> web.Response:
        return _file("not_article.html", "text/html")

    @routes.get("/etag")
    async def etag(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304, headers={"ETag": '"v1"'})
        response = _file("rss20.xml", "application/rss+xml")
        response.headers["ETag"] = '"v1"'
        return response

    @routes.get("/lastmod")
    async def lastmod(request: web.Request) -> web.Response:
        stamp = "Tue, 14 May 2024 10:00:00 GMT"
        if request.headers.get("If-Modified-Since") == stamp:
            return web.Response(status=304)
        response = _file("atom.xml", "application/atom+xml")
        response.headers["Last-Modified"] = stamp
        return response

    @routes.get("/gzip-feed")
    async def gzip_feed(request: web.Request) -> web.Response:
        body = gzip.compress((DATA / "rss20.xml").read_bytes())
        return web.Response(
            body=body, headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
        )

    @routes.get("/deflate-feed")
    async def deflate_feed(request: web.Request) -> web.Response:
        raw = request.query.get("raw") == "1"
        packer = zlib.compressobj(wbits=-15 if raw else 15)
        body = packer.compress((DATA / "atom.xml").read_bytes()) + packer.flush()
        return web.Response(
            body=body,
            headers={"Content-Encoding": "deflate", "Content-Type": "application/atom+xml"},
        )

    @routes.get("/bomb")
    async def bomb(request: web.Request) -> web.Response:
        return web.Response(
            body=gzip_bomb(),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"},
        )

    @routes.get("/brotli")
    async def brotli(request: web.Request) -> web.Response:
        return web.Response(body=b"\x1b\x00\x00", headers={"Content-Encoding": "br"})

    @routes.get("/endless")
    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        chunk = b"<item>" + b"x" * 65_536 + b"</item>"
        # "Forever" for the client; bounded here so a broken client cannot keep the test running.
        for _ in range(2_000):
            try:
                await response.write(chunk)
            except (ConnectionResetError, RuntimeError):
                break
        return response

    @routes.get("/declared-big")
    async def declared_big(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 2_000_000, content_type="text/html")

    @routes.get("/slow")
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(10)
        return _file("rss20.xml", "application/rss+xml")

    @routes.get("/slow-body")
    async def slow_body(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        await response.write(b"<?xml version='1.0'?><rss version='2.0'>")
        await asyncio.sleep(10)
        return response

    @routes.get("/error")
    async def error(request: web.Request) -> web.Response:
        return web.Response(status=500, text="Internal Server Error: stack trace with secrets")

    @routes.get("/forbidden")
    async def forbidden(request: web.Request) -> web.Response:
        return web.Response(status=403)

    @routes.get("/loop-a")
    async def loop_a(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop-b")

    @routes.get("/loop-b")
    async def loop_b(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop-a")

    @routes.get("/hop/{n}")
    async def hop(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound("/rss" if n == 0 else f"/hop/{n - 1}")

    @routes.get("/moved")
    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("rss?utm_source=moved")

    @routes.get("/to")
    async def to(request: web.Request) -> web.Response:
        # Only ever an address the guard must refuse before any connection is made.
        raise web.HTTPFound(request.query["target"])

    @routes.get("/user-agent")
    async def user_agent(request: web.Request) -> web.Response:
        return web.Response(text=request.headers.get("User-Agent", ""))

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    return app


@pytest.fixture
async def news_server() -> AsyncIterator[NewsServer]:
    server = NewsServer(base="")
    runner = web.AppRunner(_app(server), shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    server.base = f"http://{host}:{port}"
    yield server
    await runner.cleanup()
