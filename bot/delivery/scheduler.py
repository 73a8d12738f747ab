"""APScheduler wiring: digest jobs rebuilt from the store, and interval jobs such as polling.

The store, not APScheduler, is the record of what ran: each schedule's `last_run_at` moves
in the same transaction as the digest it queued (bot.delivery.digest.run_due). APScheduler
only says *when* to look, so its jobs live in memory and are rebuilt from the store at start
and on every change; a slot missed while the bot was down is found by `catch_up()` at start
and posted once (coalesced), and a job that fires late or twice finds nothing left to do.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import digest
from bot.delivery.outbox import Outbox
from bot.delivery.schedules import DigestSchedule
from bot.ports import Store

log = logging.getLogger(__name__)
DIGEST_JOB = "digest:"
WATCH_S = 60  # how often schedules changed by another process (the CLI) are noticed


class Scheduler:
    """One AsyncIOScheduler for digests and the bot's interval jobs."""

    def __init__(self, store: Store, outbox: Outbox,
                 aps: AsyncIOScheduler | None = None) -> None:
        self.store = store
        self.outbox = outbox
        self.aps = aps or AsyncIOScheduler(timezone=UTC)
        self._seen: tuple[Any, ...] = ()
        outbox.on_schedules_changed(self.rebuild)

    def start(self) -> None:
        """Start (inside the running event loop) with the jobs the store describes."""
        self.aps.start()
        self.rebuild()
        self.add_interval_job("newsdesk:schedules", WATCH_S, self._watch)

    def shutdown(self) -> None:
        if self.aps.running:
            self.aps.shutdown(wait=False)

    def catch_up(self) -> list[int]:
        """Queue the digests whose time passed while the bot was down: one per channel."""
        queued = digest.run_due(self.store, self.outbox)
        if queued:
            log.info("queued %d digest(s) missed while the bot was down", len(queued))
        return queued

    def rebuild(self) -> None:
        """Replace every digest job by the schedules in the store."""
        for job in self.aps.get_jobs():
            if job.id.startswith(DIGEST_JOB):
                job.remove()
        rows = self.outbox.store.all_schedules()
        for row in rows:
            try:
                trigger = DigestSchedule(row["spec"], row["timezone"]).trigger()
            except (ValueError, KeyError):
                log.warning("schedule of %s %s cannot be read; skipped",
                            row["platform"], row["channel"])
                continue
            self.aps.add_job(
                self._fire, trigger, id=f"{DIGEST_JOB}{row['platform']}:{row['channel']}",
                args=(row["platform"], row["channel"]), coalesce=True, max_instances=1,
                misfire_grace_time=None, replace_existing=True)
        self._seen = self.outbox.store.schedules_fingerprint()
        log.info("digest jobs rebuilt: %d schedule(s)", len(rows))

    def digest_jobs(self) -> dict[tuple[str, str], datetime | None]:
        """(platform, channel) -> the next run time APScheduler has for it."""
        return {tuple(job.args): job.next_run_time for job in self.aps.get_jobs()  # type: ignore[misc]
                if job.id.startswith(DIGEST_JOB)}

    def add_interval_job(self, name: str, seconds: float,
                         coroutine_fn: Callable[[], Awaitable[Any]], *,
                         run_now: bool = False) -> None:
        """Run `coroutine_fn` every `seconds` (source polling uses this); never two at once."""
        kwargs: dict[str, Any] = {"next_run_time": datetime.now(UTC)} if run_now else {}
        self.aps.add_job(coroutine_fn, IntervalTrigger(seconds=seconds), id=name,
                         replace_existing=True, coalesce=True, max_instances=1, **kwargs)

    async def _fire(self, platform: str, channel: str) -> None:
        try:
            digest.run_due(self.store, self.outbox, only=(platform, channel))
        except Exception:
            log.exception("digest for %s %s failed; the next check retries", platform, channel)

    async def _watch(self) -> None:
        """Safety net: schedules changed elsewhere, and slots a late or lost job missed."""
        if self.outbox.store.schedules_fingerprint() != self._seen:
            self.rebuild()
        digest.run_due(self.store, self.outbox)
