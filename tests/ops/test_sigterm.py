"""SIGTERM during a poll: `newsdesk run` finishes the batch and its posts, exits 0, and a
restart posts nothing twice."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.models import Request
from tests.fakes.discord_standin import OP_IDENTIFY, DiscordStandIn

ROOT = Path(__file__).resolve().parents[2]
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Herald</title>
<link>http://127.0.0.1/</link><description>News</description>
<item><title>Harbor City votes for Gull Island ferry</title><link>{base}/ferry</link>
<guid>{base}/ferry</guid><pubDate>Tue, 04 Mar 2031 09:00:00 GMT</pubDate>
<description>Harbor City council voted on Tuesday to open a ferry line to Gull Island. Mayor
Mara Quinlan said the first boats would sail in June. "This line brings the island back into
the city," Quinlan said after the vote. Critics said the timetable was too thin for commuters
who cross twice a day, and the harbour master said two boats would not be enough.</description>
</item></channel></rss>"""


class SlowFeed:
    """A feed that takes a few seconds to answer, so a poll is in flight when SIGTERM comes."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.requests = 0
        self.asked = asyncio.Event()
        self.base = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/feed.xml", self._feed)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def _feed(self, request: web.Request) -> web.Response:
        self.requests += 1
        self.asked.set()
        await asyncio.sleep(self.delay_s)
        return web.Response(text=FEED.format(base=self.base),
                            content_type="application/rss+xml")

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def _run(config: Path, tmp_path: Path, token: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--config", str(config), cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": token},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def _stop(proc: asyncio.subprocess.Process) -> str:
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    return err.decode()


def _alerts(standin: DiscordStandIn) -> list[dict]:
    return [m for m in standin.channel_messages.get(standin.channel_id, [])
            if "Quinlan" in json.dumps(m["embeds"])]


@pytest.mark.slow
async def test_sigterm_mid_poll_finishes_the_batch_and_its_alert_then_exits_0(
    tmp_path: Path,
) -> None:
    feed, standin = SlowFeed(delay_s=3.0), DiscordStandIn()
    await feed.start()
    await standin.start()
    store = tmp_path / "news.db"
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(store))))
    reply = await desk.handle(Request(command="alert add", args="Quinlan", platform="discord",
                                      channel=standin.channel_id, user="1", is_admin=True))
    assert not reply.error, reply
    desk.close()
    conn = sqlite3.connect(store)
    conn.execute("insert into sources (url, name, kind, enabled, health) values (?, ?, ?, 1, "
                 "'{}')", (feed.base + "/feed.xml", "Harbor Herald", "feed"))
    conn.commit()
    conn.close()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\npath = "{store}"\n[fetch]\nallow_networks = ["127.0.0.1/32"]\n'
        f'[discord]\nenabled = true\napi_url = "{standin.api_url}"\n'
        f'gateway_url = "{standin.gateway_url}"\nguilds = ["{standin.guild_id}"]\n'
        '[ops]\nshutdown_timeout_s = 40\n')
    try:
        proc = await _run(config, tmp_path, standin.token)
        await asyncio.wait_for(feed.asked.wait(), 60)
        err = await _stop(proc)  # the poll is waiting for the slow feed right now
        assert proc.returncode == 0, err[-2000:]
        assert "Traceback" not in err and standin.token not in err
        conn = sqlite3.connect(store)
        titles = [r[0] for r in conn.execute("select title from articles")]
        conn.close()
        assert titles == ["Harbor City votes for Gull Island ferry"]
        assert len(_alerts(standin)) == 1  # the alert the batch decided went out before exit

        proc = await _run(config, tmp_path, standin.token)
        await standin.wait_for(lambda: len(standin.ops(OP_IDENTIFY)) >= 2, timeout=60)
        await asyncio.sleep(1.0)  # the start-up catch-up and first delivery round
        err = await _stop(proc)
        assert proc.returncode == 0, err[-2000:]
        assert len(_alerts(standin)) == 1
        conn = sqlite3.connect(store)
        assert conn.execute("select count(*) from articles").fetchone()[0] == 1
        conn.close()
    finally:
        await standin.close()
        await feed.close()
