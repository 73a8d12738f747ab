"""/healthz and /metrics: what a supervisor and Prometheus ask a running bot, over HTTP."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.delivery.outbox import Outbox, iso
from bot.ops import metrics
from bot.ports import Store

log = logging.getLogger(__name__)
POLL_STALE_S = 15 * 60  # polling checks every minute; a round of slow sources may take minutes
OUTBOX_LAG_S = 15 * 60  # retries back off from 15 s; a post this late means a platform is down


def _age_s(now: datetime, at: str | None) -> float:
    if not at:
        return 0.0
    try:
        return max(0.0, (now - datetime.fromisoformat(at)).total_seconds())
    except ValueError:
        return 0.0


@dataclass
class Watch:
    """The running bot as health sees it; the runner tells it when a poll round ends."""

    store: Store
    outbox: Outbox
    adapters: Mapping[str, Any] = field(default_factory=dict)
    polling: bool = True
    delivering: bool = True  # False for `run --role bot`: the workers post, and are judged
    started_at: float = field(default_factory=time.monotonic)
    last_poll_at: float | None = None

    def polled(self) -> None:
        self.last_poll_at = time.monotonic()
        metrics.POLLS.inc()

    def poll_age_s(self) -> float:
        return -1.0 if self.last_poll_at is None else time.monotonic() - self.last_poll_at

    def outbox_lag(self) -> tuple[int, float]:
        """(posts waiting for an enabled platform, age in seconds of the oldest one due)."""
        now = self.outbox.now()
        rows = [r for r in self.outbox.store.pending(iso(now), limit=500)
                if r["platform"] in self.adapters]
        return len(rows), (_age_s(now, rows[0]["created_at"]) if rows else 0.0)

    def snapshot(self) -> dict[str, float]:
        pending, lag_s = self.outbox_lag()
        return {"articles": float(self.store.count_articles()), "pending": float(pending),
                "lag_s": lag_s, "poll_age_s": self.poll_age_s()}

    def check(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, the report): every check with its value, and the reasons it is not."""
        reasons: list[str] = []
        report: dict[str, Any] = {}
        try:
            report["articles"] = self.store.count_articles()
            report["store"] = "ok"
        except Exception as exc:  # noqa: BLE001 - the finding itself
            report["store"] = "unreachable"
            reasons.append(f"the store cannot be read ({type(exc).__name__})")
        adapters = {}
        for name, adapter in self.adapters.items():
            connected = bool(getattr(adapter, "connected", True))
            adapters[name] = "connected" if connected else "disconnected"
            if not connected:
                # An adapter may say why (Slack: socket closed, token refused...).
                why = getattr(adapter, "disconnected_reason", None)
                reasons.append(f"{name} is not connected" + (f": {why}" if why else ""))
        report["adapters"] = adapters
        age = self.poll_age_s()
        report["last_poll_age_s"] = None if age < 0 else round(age, 1)
        waited = time.monotonic() - self.started_at
        if self.polling and (age > POLL_STALE_S or (age < 0 and waited > POLL_STALE_S)):
            reasons.append("no poll has finished for "
                           f"{int(age if age >= 0 else waited)} s")
        if report["store"] == "ok":
            pending, lag_s = self.outbox_lag()
            report["outbox_pending"], report["outbox_lag_s"] = pending, round(lag_s, 1)
            if self.delivering and lag_s > OUTBOX_LAG_S:
                reasons.append(f"the oldest post has waited {int(lag_s)} s")
        report["status"] = "ok" if not reasons else "failing"
        report["reasons"] = reasons
        return not reasons, report


class OpsServer:
    """A small aiohttp server on [ops] host:port with /healthz and /metrics."""

    def __init__(self, watch: Watch, host: str, port: int) -> None:
        self.watch = watch
        self.host, self.port = host, port
        self._runner: web.AppRunner | None = None
        self._collector = metrics.StoreCollector(watch.snapshot)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            from bot.errors import ConfigError

            raise ConfigError(f"Cannot serve /healthz on {self.host}:{self.port} "
                              f"({exc.strerror or type(exc).__name__}); change [ops] port.") \
                from None
        metrics.register_store(self._collector)
        log.info("ops: /healthz and /metrics on http://%s:%s", self.host, self.port)

    @property
    def bound_port(self) -> int:
        if self._runner is None or not self._runner.addresses:
            return self.port
        return int(self._runner.addresses[0][1])

    async def close(self) -> None:
        metrics.unregister_store(self._collector)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        healthy, report = self.watch.check()
        return web.Response(status=200 if healthy else 503, text=json.dumps(report),
                            content_type="application/json")

    async def _metrics(self, request: web.Request) -> web.Response:
        from prometheus_client import CONTENT_TYPE_LATEST

        return web.Response(body=metrics.exposition(),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})
