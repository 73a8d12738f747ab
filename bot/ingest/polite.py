"""Per-host politeness for the poller: few requests at once and a pause between them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit


class HostLimiter:
    """At most `per_host` requests in flight to one host, starts at least `min_delay_s` apart.

    `clock` and `sleep` are injectable so tests can check the pauses without waiting.
    """

    def __init__(
        self,
        per_host: int = 2,
        min_delay_s: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_host = per_host
        self.min_delay_s = min_delay_s
        self._clock = clock
        self._sleep = sleep
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._starts: dict[str, asyncio.Lock] = {}
        self._last_start: dict[str, float] = {}

    @staticmethod
    def host_of(url: str) -> str:
        try:
            return (urlsplit(url).hostname or url).lower()
        except ValueError:
            return url

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """Hold a request slot for the URL's host while the body of the `async with` runs."""
        host = self.host_of(url)
        semaphore = self._slots.setdefault(host, asyncio.Semaphore(self.per_host))
        start_lock = self._starts.setdefault(host, asyncio.Lock())
        async with semaphore:
            # Starts are serialised per host so two waiters cannot both skip the pause.
            async with start_lock:
                last = self._last_start.get(host)
                if last is not None:
                    wait = last + self.min_delay_s - self._clock()
                    if wait > 0:
                        await self._sleep(wait)
                self._last_start[host] = self._clock()
            yield
