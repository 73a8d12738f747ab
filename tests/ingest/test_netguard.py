"""The SSRF guard: every spelling of a private address is refused, before and at connect time."""

from __future__ import annotations

import dataclasses
import socket

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.config import FetchSettings
from bot.errors import FetchError
from bot.ingest.fetch import fetch, make_session
from bot.ingest.netguard import AddressNotAllowed, NetworkGuard, literal_address
from tests.ingest.conftest import NewsServer
from tests.ingest.support import LOOPBACK_ONLY, assert_one_sentence

DEFAULTS = FetchSettings(timeout_s=2)

PRIVATE_SPELLINGS = [
    "http://127.0.0.1/",
    "http://2130706433/",  # decimal
    "http://0177.0.0.1/",  # octal
    "http://0x7f.1/",  # hex, short
    "http://0x7f000001/",
    "http://127.1/",  # short form
    "http://127.0.0.1./",  # trailing dot
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "http://user:pass@127.0.0.1:8080/feed",
    "HTTP://127.0.0.1/",
]


@pytest.mark.parametrize("url", PRIVATE_SPELLINGS)
async def test_every_spelling_of_a_private_address_is_refused(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch(url, DEFAULTS)
    assert caught.value.reason == "not_allowed"
    assert_one_sentence(str(caught.value))
    assert "pass" not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/feed",
        "gopher://x/",
        "javascript:alert(1)",
        "/relative/path",
    ],
)
async def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch(url, DEFAULTS)
    assert caught.value.reason == "not_allowed"
    assert_one_sentence(str(caught.value))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("news.example.com", None),
        ("1e100.net", None),
        ("256.1.1.1", None),
    ],
)
def test_legacy_spellings_read_as_the_address_they_reach(host: str, expected: str | None) -> None:
    found = literal_address(host)
    assert (str(found) if found else None) == expected


def test_public_addresses_are_allowed() -> None:
    guard = NetworkGuard(DEFAULTS)
    for address in ("93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946"):
        assert guard.allows(address), address


def test_an_exempt_network_covers_only_itself() -> None:
    guard = NetworkGuard(dataclasses.replace(DEFAULTS, allow_networks=("10.1.0.0/16",)))
    assert guard.allows("10.1.2.3")
    assert guard.allows("::ffff:10.1.2.3")
    assert not guard.allows("10.2.0.1")
    assert not guard.allows("127.0.0.1")
    assert not guard.allows("169.254.169.254")


class StubDns(AbstractResolver):
    """DNS that answers from a script: each lookup of a name takes the next answer."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.lookups = 0

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.lookups += 1
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        queue = self.answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        return None


async def test_a_name_resolving_to_an_exempt_address_is_fetched(news_server: NewsServer) -> None:
    port = news_server.base.rsplit(":", 1)[1]
    dns = StubDns({"feeds.example": ["127.0.0.1"]})
    async with make_session(LOOPBACK_ONLY, resolver=dns) as session:
        result = await fetch(f"http://feeds.example:{port}/rss", LOOPBACK_ONLY, session=session)
    assert result.status == 200 and dns.lookups == 1


async def test_a_name_resolving_to_a_private_address_is_refused_at_connect(
    news_server: NewsServer,
) -> None:
    port = news_server.base.rsplit(":", 1)[1]
    dns = StubDns({"feeds.example": ["127.0.0.1"]})
    async with make_session(DEFAULTS, resolver=dns) as session:
        with pytest.raises(FetchError) as caught:
            await fetch(f"http://feeds.example:{port}/rss", DEFAULTS, session=session)
    assert caught.value.reason == "not_allowed"
    assert str(caught.value).startswith("newsdesk does not fetch from feeds.example because")
    assert_one_sentence(str(caught.value))
    assert news_server.hits == {}


async def test_a_name_that_does_not_resolve_is_a_failed_request() -> None:
    async with make_session(DEFAULTS, resolver=StubDns({})) as session:
        with pytest.raises(FetchError) as caught:
            await fetch("http://gone.example/rss", DEFAULTS, session=session)
    assert caught.value.reason == "failed_requests"
    assert str(caught.value) == "Could not connect to gone.example."


async def test_dns_rebinding_between_two_connections_is_caught(news_server: NewsServer) -> None:
    # The first answer is allowed; the same name then rebinds to another loopback address.
    port = news_server.base.rsplit(":", 1)[1]
    dns = StubDns({"feeds.example": ["127.0.0.1", "127.0.0.2"]})
    async with make_session(LOOPBACK_ONLY, resolver=dns) as session:
        first = await fetch(f"http://feeds.example:{port}/rss", LOOPBACK_ONLY, session=session)
    assert first.status == 200
    async with make_session(LOOPBACK_ONLY, resolver=dns) as session:
        with pytest.raises(FetchError) as caught:
            await fetch(f"http://feeds.example:{port}/atom", LOOPBACK_ONLY, session=session)
    assert caught.value.reason == "not_allowed"
    assert news_server.hits.get("/atom") is None


async def test_localhost_through_the_real_resolver_is_refused(news_server: NewsServer) -> None:
    port = news_server.base.rsplit(":", 1)[1]
    with pytest.raises(FetchError) as caught:
        await fetch(f"http://localhost:{port}/rss", DEFAULTS)
    assert caught.value.reason == "not_allowed"
    assert news_server.hits == {}


async def test_the_connector_itself_refuses_a_literal_private_address(
    news_server: NewsServer,
) -> None:
    # Below fetch()'s own URL check: the session's socket factory refuses the address too.
    async with make_session(DEFAULTS) as session:
        with pytest.raises(aiohttp.ClientConnectorError) as caught:
            await session.get(news_server.url("/rss"))
    assert isinstance(caught.value.os_error, AddressNotAllowed)
    assert news_server.hits == {}


async def test_only_guarded_sessions_are_accepted(news_server: NewsServer) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(TypeError):
            await fetch(news_server.url("/rss"), LOOPBACK_ONLY, session=session)
    assert news_server.hits == {}
