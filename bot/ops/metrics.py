"""Prometheus metrics of one `newsdesk run`, in a registry of its own (served at /metrics)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.ops.process_memory import tree_rss_bytes

REGISTRY = CollectorRegistry(auto_describe=True)
FETCH_FAILURES = Counter("newsdesk_fetch_failures", "Failed source fetches, by reason.",
                         ["reason"], registry=REGISTRY)
COMMAND_SECONDS = Histogram("newsdesk_command_seconds", "Time to answer a chat command.",
                            ["command"], registry=REGISTRY,
                            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
POSTED = Counter("newsdesk_posts", "Posts delivered to a platform, by kind (digest, alert, "
                 "notice).", ["kind"], registry=REGISTRY)
POLLS = Counter("newsdesk_polls", "Completed rounds of polling the due sources.",
                registry=REGISTRY)
ProcessCollector(registry=REGISTRY)  # process_resident_memory_bytes etc. of this process


class TreeMemoryCollector(Collector):
    """This process and its NLP worker processes together: what the bot costs the machine
    (process_resident_memory_bytes counts the main process alone)."""

    def collect(self) -> Iterator[Any]:
        rss = tree_rss_bytes(os.getpid())
        if rss is not None:  # no /proc (not Linux): nothing rather than a wrong 0
            yield GaugeMetricFamily("newsdesk_resident_memory_bytes",
                                    "Resident memory of the bot process and its NLP workers.",
                                    value=rss)


REGISTRY.register(TreeMemoryCollector())


def fetch_failed(reason: str) -> None:
    FETCH_FAILURES.labels(reason or "failed").inc()


def posted(kind: str) -> None:
    POSTED.labels(kind or "post").inc()


def timed(handle: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
    """A command handler that records how long each answer took."""

    async def timed_handle(request: Any) -> Any:
        started = time.perf_counter()
        try:
            return await handle(request)
        finally:
            name = str(getattr(request, "command", "") or "?").split(" ", 1)[0][:32]
            COMMAND_SECONDS.labels(name).observe(time.perf_counter() - started)

    return timed_handle


class StoreCollector(Collector):
    """Figures read from the store at each scrape, so they count every process's work."""

    def __init__(self, snapshot: Callable[[], dict[str, float]]) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterator[Any]:
        try:
            figures = self._snapshot()
        except Exception:  # noqa: BLE001 - an unreachable store shows in /healthz, not here
            return
        yield CounterMetricFamily("newsdesk_articles_ingested",
                                  "Articles stored (by this bot and by `newsdesk ingest`).",
                                  value=figures["articles"])
        yield GaugeMetricFamily("newsdesk_outbox_pending", "Posts decided but not yet delivered.",
                                value=figures["pending"])
        yield GaugeMetricFamily("newsdesk_outbox_lag_seconds",
                                "Age of the oldest post due and not yet delivered.",
                                value=figures["lag_s"])
        yield GaugeMetricFamily("newsdesk_last_poll_age_seconds",
                                "Seconds since polling the due sources last finished "
                                "(-1: not yet).", value=figures["poll_age_s"])


def register_store(collector: StoreCollector) -> None:
    REGISTRY.register(collector)


def unregister_store(collector: StoreCollector) -> None:
    with contextlib.suppress(KeyError):
        REGISTRY.unregister(collector)


def exposition() -> bytes:
    return generate_latest(REGISTRY)
