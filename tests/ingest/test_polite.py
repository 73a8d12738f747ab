"""Per-host politeness: few requests at once to one host, with a pause between starts."""

from __future__ import annotations

import asyncio

from bot.ingest.polite import HostLimiter


class FakeClock:
    """Time that moves only when the limiter sleeps, so pauses are checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(round(seconds, 3))
        self.now += seconds


async def test_requests_to_one_host_start_at_least_the_delay_apart() -> None:
    clock = FakeClock()
    limiter = HostLimiter(per_host=1, min_delay_s=2.0, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        async with limiter.slot("https://news.example/rss"):
            clock.now += 0.5  # the request takes half a second
    assert clock.pauses == [1.5, 1.5]


async def test_other_hosts_do_not_wait() -> None:
    clock = FakeClock()
    limiter = HostLimiter(per_host=1, min_delay_s=2.0, clock=clock, sleep=clock.sleep)
    for host in ("a.example", "b.example", "c.example"):
        async with limiter.slot(f"https://{host}/feed"):
            pass
    assert clock.pauses == []


async def test_no_more_than_per_host_requests_run_at_once() -> None:
    limiter = HostLimiter(per_host=2, min_delay_s=0)
    running = 0
    most = 0

    async def request() -> None:
        nonlocal running, most
        async with limiter.slot("https://NEWS.example/a"):
            running += 1
            most = max(most, running)
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            running -= 1

    await asyncio.gather(*(request() for _ in range(6)))
    assert most == 2
