"""`newsdesk run`: the enabled adapters, the scheduler and the outbox sender, until a signal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Mapping
from typing import Any

from bot.app import Newsdesk
from bot.config import Settings
from bot.delivery.alerts import queue_alerts
from bot.delivery.outbox import Sender
from bot.delivery.scheduler import Scheduler
from bot.errors import UserError
from bot.ports import Chat

log = logging.getLogger(__name__)
ALERT_CHECK_S = 30  # articles stored by another process (`newsdesk ingest`) are alerted on too
POLL_CHECK_S = 60  # each source keeps its own interval; this is how often due ones are looked for


class Service:
    """The bot's own activity: catch up after a restart, then schedule, alert and deliver."""

    def __init__(self, bot: Newsdesk, chats: Mapping[str, Chat], *, poll: bool = True) -> None:
        self.bot = bot
        self.sender = Sender(bot.outbox, chats)
        self.scheduler = Scheduler(bot.store, bot.outbox)
        self._poll = poll
        self._stop = asyncio.Event()
        self._sender_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Everything decided before a crash goes out once; missed digests coalesce to one."""
        queue_alerts(self.bot.store, self.bot.outbox)
        self.scheduler.start()
        self.scheduler.catch_up()
        await self.sender.deliver_pending()
        self._sender_task = asyncio.create_task(self.sender.run(self._stop))
        self.scheduler.add_interval_job("newsdesk:alerts", ALERT_CHECK_S, self._check_alerts)
        sources = getattr(self.bot, "sources", None)
        if self._poll and sources is not None and hasattr(sources, "poll_due"):
            self.scheduler.add_interval_job("newsdesk:poll", POLL_CHECK_S, sources.poll_due,
                                            run_now=True)

    async def _check_alerts(self) -> None:
        queue_alerts(self.bot.store, self.bot.outbox)

    async def stop(self) -> None:
        self.scheduler.shutdown()
        self._stop.set()
        self.bot.outbox.ring()
        if self._sender_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._sender_task, timeout=10)
            self._sender_task = None


def _enabled(settings: Settings) -> list[str]:
    return [name for name, on in (("console", settings.console.enabled),
                                  ("discord", settings.discord.enabled),
                                  ("slack", settings.slack.enabled)) if on]


async def _start_adapters(settings: Settings, bot: Newsdesk) -> tuple[dict[str, Chat], list[Any]]:
    """The Chat of each enabled platform; SDK adapters are imported only when enabled."""
    chats: dict[str, Chat] = {}
    started: list[Any] = []
    try:
        if settings.console.enabled:
            from adapters.console import ConsoleChat

            chats["console"] = ConsoleChat()
        if settings.discord.enabled:
            from adapters.discord import DiscordAdapter

            discord_adapter = DiscordAdapter(settings.discord, bot.handle,
                                             suggest=bot.suggest_names)
            await discord_adapter.start()
            started.append(discord_adapter)
            chats["discord"] = discord_adapter
        if settings.slack.enabled:
            from adapters.slack import SlackAdapter

            slack_adapter = SlackAdapter(settings.slack, bot.handle)
            await slack_adapter.start()
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


async def run(settings: Settings) -> int:
    """Serve until SIGINT or SIGTERM; 1 when nothing is enabled or an adapter cannot start."""
    enabled = _enabled(settings)
    if not enabled:
        print("newsdesk: no adapter is enabled; set enabled = true under [console], [discord] "
              "or [slack] in the config.", file=sys.stderr)
        return 1
    bot = Newsdesk(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    adapters: list[Any] = []
    service: Service | None = None
    try:
        try:
            chats, adapters = await _start_adapters(settings, bot)
        except UserError as exc:
            print(f"newsdesk: {exc}", file=sys.stderr)
            return 1
        service = Service(bot, chats)
        await service.start()
        print(f"newsdesk: running ({', '.join(enabled)}); Ctrl-C stops.", file=sys.stderr)
        await stop.wait()
        return 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        if service is not None:
            await service.stop()
        await _close(adapters)
        bot.close()
