"""The SSRF guard: which addresses newsdesk may connect to, checked before and at connect time."""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from bot.config import FetchSettings
from bot.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# NAT64 (RFC 6052) embeds an IPv4 address in its last 32 bits; reaching it reaches that address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class AddressNotAllowed(OSError):
    """Raised inside the connector when a resolved address is refused.

    An OSError so aiohttp and aiohappyeyeballs carry it unchanged; its text is constant so that
    several refused addresses collapse into one error of this type.
    """

    def __init__(self) -> None:
        super().__init__(errno.EACCES, "address not allowed by the network guard")


def _parse_ipv4_part(part: str) -> int | None:
    """One part of a legacy inet_aton spelling: decimal, octal (leading 0) or hex (0x)."""
    if not part:
        return None
    try:
        if part[:2].lower() == "0x":
            return int(part[2:], 16) if len(part) > 2 else 0
        if len(part) > 1 and part[0] == "0":
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Read the spellings inet_aton accepts (127.1, 0177.0.0.1, 0x7f.1, 2130706433)."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_parse_ipv4_part(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    # The last part fills every byte the earlier parts did not.
    last_bits = 8 * (5 - len(values))
    if any(v > 255 for v in values[:-1]) or values[-1] >= 1 << last_bits:
        return None
    value = 0
    for v in values[:-1]:
        value = value << 8 | v
    value = value << last_bits | values[-1]
    return ipaddress.IPv4Address(value)


def literal_address(host: str) -> IPAddress | None:
    """The IP address a URL host spells, in any spelling, or None when the host is a name."""
    host = host.strip().strip("[]").rstrip(".")
    host = host.split("%", 1)[0]  # IPv6 zone id: fe80::1%eth0
    if not host:
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if ":" in host:
        return None
    return _legacy_ipv4(host.lower())


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address reaches through mapping, 6to4, NAT64 or compat forms."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _is_public(ip: IPAddress) -> bool:
    return not (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


class NetworkGuard:
    """Decides whether an address may be connected to, from the fetch settings."""

    def __init__(self, settings: FetchSettings) -> None:
        self.allow_all = settings.allow_private_networks
        self.allowed: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(cidr, strict=False) for cidr in settings.allow_networks
        )

    def _exempt(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.allowed)

    def allows(self, ip: IPAddress | str) -> bool:
        """True when newsdesk may connect to this address."""
        if self.allow_all:
            return True
        if isinstance(ip, str):
            try:
                ip = ipaddress.ip_address(ip.split("%", 1)[0])
            except ValueError:
                return False
        embedded = _embedded_ipv4(ip)
        candidates = [ip] if embedded is None else [ip, embedded]
        if any(self._exempt(c) for c in candidates):
            return True
        return all(_is_public(c) for c in candidates)

    def check_host(self, host: str) -> None:
        """Refuse a URL host that spells a refused IP address; names are checked at connect."""
        ip = literal_address(host)
        if ip is not None and not self.allows(ip):
            raise FetchError(refusal_message(host), "not_allowed")

    def socket_factory(self, addr_info: tuple[Any, ...]) -> socket.socket:
        """aiohttp socket factory: the last check, on the very address about to be connected."""
        family, type_, proto, _, sockaddr = addr_info
        if not self.allows(str(sockaddr[0])):
            raise AddressNotAllowed()
        return socket.socket(family=family, type=type_, proto=proto)


def refusal_message(host: str) -> str:
    """The one sentence a user sees when an address is refused."""
    host = host.rstrip(".")[:100] or "that address"
    return f"newsdesk does not fetch from {host} because it is a private or local network address."


class GuardedResolver(AbstractResolver):
    """A resolver that refuses a name when any of its addresses is refused (DNS rebinding too)."""

    def __init__(self, guard: NetworkGuard, inner: AbstractResolver | None = None) -> None:
        self.guard = guard
        self.inner = inner if inner is not None else DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        if not _all_allowed(self.guard, (r["host"] for r in results)):
            raise AddressNotAllowed()
        return results

    async def close(self) -> None:
        await self.inner.close()


def _all_allowed(guard: NetworkGuard, addresses: Iterable[str]) -> bool:
    return all(guard.allows(address) for address in addresses)
