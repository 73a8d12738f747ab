"""`newsdesk run`: the enabled adapters, the scheduler and the outbox sender, until a signal.

Roles (`--role`) split one bot over several processes sharing a store: `bot` connects the
chat adapters and answers commands, nothing else; `worker` polls, reads (NLP), decides
digests and alerts and delivers the outbox, posting through each platform's REST/Web API
without a gateway or socket; `all` (the default) is both in one process.

SIGTERM (or SIGINT) stops taking new work, lets the poll round and the posts in flight
finish within [ops] shutdown_timeout_s, and exits 0. What is cut off at the timeout is
rolled back (every save is one transaction) and done again after a restart; a post cut off
between attempt and record is found on the platform then (outbox `find_posted`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.app import Newsdesk
from bot.config import Settings
from bot.delivery.alerts import queue_alerts
from bot.delivery.outbox import Sender
from bot.delivery.scheduler import Scheduler
from bot.errors import StoreError, UserError
from bot.ops import metrics
from bot.ops.health import OpsServer, Watch
from bot.ops.heap import freeze_startup_heap
from bot.ports import Chat

log = logging.getLogger(__name__)
ALERT_CHECK_S = 30  # articles stored by another process (`newsdesk ingest`) are alerted on too
POLL_CHECK_S = 60  # each source keeps its own interval; this is how often due ones are looked for
ROLES = ("all", "bot", "worker")


class _InFlight:
    """The interval jobs running right now, so a stop can let them finish."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()

    def track(self, job: Callable[[], Awaitable[Any]],
              done: Callable[[], None] | None = None) -> Callable[[], Awaitable[None]]:
        async def tracked() -> None:
            task = asyncio.current_task()
            if task is not None:
                self.tasks.add(task)
            try:
                await job()
                if done is not None:
                    done()
            except StoreError as exc:
                # A full disk or a read-only store: one line, and the bot goes on answering.
                log.error("%s", exc)
            finally:
                if task is not None:
                    self.tasks.discard(task)

        return tracked

    async def drain(self, timeout_s: float) -> bool:
        """Wait for the running jobs; False when some were still running at the timeout."""
        if not self.tasks:
            return True
        _, pending = await asyncio.wait(set(self.tasks), timeout=timeout_s)
        return not pending


class Service:
    """The bot's own activity: catch up after a restart, then schedule, alert and deliver."""

    def __init__(self, bot: Newsdesk, chats: Mapping[str, Chat], *, poll: bool = True,
                 shutdown_timeout_s: float = 25, on_poll: Callable[[], None] | None = None,
                 ) -> None:
        self.bot = bot
        self.sender = Sender(bot.outbox, chats)
        self.scheduler = Scheduler(bot.store, bot.outbox)
        self._poll = poll
        self._stop = asyncio.Event()
        self._sender_task: asyncio.Task[None] | None = None
        self._jobs = _InFlight()
        self._on_poll = on_poll
        self.shutdown_timeout_s = shutdown_timeout_s

    async def start(self) -> None:
        """Everything decided before a crash goes out once; missed digests coalesce to one.

        A read-only or full store does not stop the start: the bot answers from what it has.
        """
        try:
            queue_alerts(self.bot.store, self.bot.outbox)
            self.scheduler.start()
            self.scheduler.catch_up()
            await self.sender.deliver_pending()
        except StoreError as exc:
            log.error("%s Answering from what is stored; nothing new is stored or posted.", exc)
            if not self.scheduler.aps.running:
                self.scheduler.start()
        self._sender_task = asyncio.create_task(self.sender.run(self._stop))
        self.scheduler.add_interval_job("newsdesk:alerts", ALERT_CHECK_S,
                                        self._jobs.track(self._check_alerts))
        sources = getattr(self.bot, "sources", None)
        if self._poll and sources is not None and hasattr(sources, "poll_due"):
            self.scheduler.add_interval_job("newsdesk:poll", POLL_CHECK_S,
                                            self._jobs.track(sources.poll_due, self._on_poll),
                                            run_now=True)

    async def _check_alerts(self) -> None:
        queue_alerts(self.bot.store, self.bot.outbox)

    async def stop(self) -> None:
        """No new jobs; the running poll round finishes and what it decided is posted, all
        within the timeout. Whatever is left is posted at the next start, once."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.shutdown_timeout_s
        with contextlib.suppress(Exception):  # not started: nothing to pause
            self.scheduler.aps.pause()
        if not await self._jobs.drain(self.shutdown_timeout_s):
            log.warning("stopping: a poll round was still running after %s s; it is rolled "
                        "back and done again at the next start", self.shutdown_timeout_s)
        self.scheduler.shutdown()
        self._stop.set()
        self.bot.outbox.ring()
        if self._sender_task is not None:
            # The sender ends after the delivery it is in; then one last round for the posts
            # the finished jobs queued meanwhile.
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._sender_task,
                                       timeout=max(1.0, deadline - loop.time()))
            self._sender_task = None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._last_round(), max(1.0, deadline - loop.time()))

    async def _last_round(self) -> None:
        try:
            await self.sender.deliver_pending()
        except Exception:
            log.exception("stopping: the last deliveries failed; they go out at the next start")


def _enabled(settings: Settings) -> list[str]:
    return [name for name, on in (("console", settings.console.enabled),
                                  ("discord", settings.discord.enabled),
                                  ("slack", settings.slack.enabled)) if on]


async def _start_adapters(settings: Settings, bot: Newsdesk, *, listen: bool = True,
                          ) -> tuple[dict[str, Chat], list[Any]]:
    """The Chat of each enabled platform; SDK adapters are imported only when enabled.

    listen=False (a worker): the adapters log in to post and edit, and hear nothing.
    """
    chats: dict[str, Chat] = {}
    started: list[Any] = []
    handle = metrics.timed(bot.handle)
    try:
        if settings.console.enabled:
            from adapters.console import ConsoleChat

            chats["console"] = ConsoleChat()
        if settings.discord.enabled:
            from adapters.discord import DiscordAdapter

            discord_adapter = DiscordAdapter(settings.discord, handle,
                                             suggest=bot.suggest_names)
            await discord_adapter.start(listen=listen)
            started.append(discord_adapter)
            chats["discord"] = discord_adapter
        if settings.slack.enabled:
            from adapters.slack import SlackAdapter

            slack_adapter = SlackAdapter(settings.slack, handle)
            await slack_adapter.start(listen=listen)
            started.append(slack_adapter)
            chats["slack"] = slack_adapter
    except BaseException:
        await _close(started)
        raise
    return chats, started


async def _close(adapters: list[Any]) -> None:
    for adapter in reversed(adapters):
        try:
            await adapter.close()
        except Exception:
            log.exception("closing %s failed", type(adapter).__name__)


def role_problem(role: str, settings: Settings) -> str | None:
    """Why this role cannot run with these settings (one sentence), or None."""
    if role not in ROLES:
        return f"--role must be bot, worker or all, not {role[:40]!r}."
    enabled = _enabled(settings)
    if not enabled:
        return ("no adapter is enabled; set enabled = true under [console], [discord] "
                "or [slack] in the config.")
    if role == "bot" and not (settings.discord.enabled or settings.slack.enabled):
        return ("--role bot answers chat commands, but neither [discord] nor [slack] is "
                "enabled in the config.")
    return None


async def run(settings: Settings, role: str = "all") -> int:
    """Serve until SIGINT or SIGTERM; 1 when nothing is enabled or an adapter cannot start."""
    problem = role_problem(role, settings)
    if problem is not None:
        print(f"newsdesk: {problem}", file=sys.stderr)
        return 1
    enabled = _enabled(settings)
    bot = Newsdesk(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    adapters: list[Any] = []
    service: Service | None = None
    ops: OpsServer | None = None
    try:
        try:
            chats, adapters = await _start_adapters(settings, bot, listen=role != "worker")
            watch = Watch(bot.store, bot.outbox, chats, polling=role != "bot",
                          delivering=role != "bot")
            if settings.ops.enabled:
                ops = OpsServer(watch, settings.ops.host, settings.ops.port)
                await ops.start()
        except UserError as exc:
            print(f"newsdesk: {exc}", file=sys.stderr)
            return 1
        if role != "bot":  # a bot process answers; the workers poll, decide and post
            service = Service(bot, chats, shutdown_timeout_s=settings.ops.shutdown_timeout_s,
                              on_poll=watch.polled)
            await service.start()
        freeze_startup_heap()  # started: what lives now lives on (bot/ops/heap.py)
        shown = "" if role == "all" else f" as {role}"
        print(f"newsdesk: running{shown} ({', '.join(enabled)}); Ctrl-C stops.",
              file=sys.stderr)
        await stop.wait()
        print("newsdesk: stopping: finishing the current work.", file=sys.stderr)
        return 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        if service is not None:
            await service.stop()
        if ops is not None:
            await ops.close()
        await _close(adapters)
        bot.close()
