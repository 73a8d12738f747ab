"""`newsdesk run --role bot|worker` as processes over one PostgreSQL store: the bot process
answers over the Discord gateway and never polls; the worker polls, reads, alerts and posts
over Discord's REST API without opening a gateway session."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import psycopg
import pytest
from aiohttp import web

from tests.fakes.discord_standin import OP_IDENTIFY, DiscordStandIn
from tests.test_restarts import ROOT

MANAGE_GUILD = 1 << 5
FIRST = ("Harbor City votes for Gull Island ferry",
         "Harbor City council voted on Tuesday to open a ferry line to Gull Island. Mayor Mara "
         "Quinlan said the first boats would sail in June. \"This line brings the island back "
         "into the city,\" Quinlan said after the vote.")
LATER = ("Port workers strike",
         "Dock workers at the Harbor City port walked out on Friday over night shifts. Union "
         "leader Aldo Marchetti said the strike would last three days. \"We keep this port "
         "running and we want to sleep,\" Marchetti told the crowd.")


class Feed:
    """An RSS feed on 127.0.0.1 that counts every request made to it."""

    def __init__(self) -> None:
        self.stories = [FIRST]
        self.requests = 0
        self.base = ""
        self._runner: web.AppRunner | None = None

    def _rss(self) -> str:
        items = "".join(
            f"<item><title>{title}</title><link>{self.base}/story/{n}</link>"
            f"<guid>{self.base}/story/{n}</guid>"
            f"<pubDate>Fri, 0{n + 1} Mar 2030 08:00:00 GMT</pubDate>"
            f"<description>{title}.</description>"
            f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
            for n, (title, text) in enumerate(self.stories))
        return ('<?xml version="1.0"?><rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                f"<title>Harbor Herald</title><link>{self.base}/</link><description>x"
                f"</description>{items}</channel></rss>")

    async def start(self) -> None:
        async def any_path(request: web.Request) -> web.Response:
            self.requests += 1
            return web.Response(text=self._rss(), content_type="application/rss+xml")

        app = web.Application()
        app.router.add_get("/{tail:.*}", any_path)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def _config(path: Path, pg_url: str, standin: DiscordStandIn | None) -> Path:
    text = (f'[storage]\nurl = "{pg_url}"\n'
            "[fetch]\nallow_private_networks = true\npoll_interval_s = 1\n")
    if standin is not None:
        text += (f'[discord]\nenabled = true\napi_url = "{standin.api_url}"\n'
                 f'gateway_url = "{standin.gateway_url}"\nguilds = ["{standin.guild_id}"]\n')
    else:
        text += "[console]\nenabled = true\n"
    path.write_text(text)
    return path


@asynccontextmanager
async def _running(config: Path, role: str, env: dict[str, str]) -> AsyncIterator[None]:
    log = config.parent / f"{role}.log"
    with log.open("w") as errors:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--role", role, "--config", str(config),
            cwd=config.parent, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stdout=asyncio.subprocess.DEVNULL, stderr=errors)
    try:
        yield
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 60)
        stderr = log.read_text()
        assert proc.returncode == 0, stderr[-2000:]
        assert "Traceback" not in stderr, stderr[-2000:]
        assert f"running as {role}" in stderr, stderr[-2000:]
        for secret in env.values():
            assert secret not in stderr, "a secret reached the log"


def _stored(pg_url: str) -> int:
    with psycopg.connect(pg_url) as conn:
        return int(conn.execute("select count(*) from articles").fetchone()[0])


async def _who(standin: DiscordStandIn) -> str:
    interaction = await standin.invoke("/who")
    await standin.wait_for(lambda: interaction.embeds, timeout=30)
    return json.dumps(interaction.embeds, ensure_ascii=False)


async def test_worker_ingests_and_posts_while_the_bot_process_answers_and_never_polls(
        pg_url: str, tmp_path: Path) -> None:
    feed, standin = Feed(), DiscordStandIn()
    await feed.start()
    await standin.start()
    env = {"DISCORD_TOKEN": standin.token}
    config = _config(tmp_path / "config.toml", pg_url, standin)
    try:
        # The feed is served by this event loop: the CLI runs beside it, not blocking it.
        added = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "sources", "add", f"{feed.base}/feed.xml",
            "--config", str(config), cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(added.communicate(), 180)
        assert added.returncode == 0, out.decode()[-2000:]
        first_fetch = feed.requests
        async with _running(config, "bot", env):
            await standin.wait_for(lambda: standin.ops(OP_IDENTIFY), timeout=60)
            alert = await standin.invoke("/alert add", {"words": "Aldo Marchetti"},
                                         permissions=MANAGE_GUILD)
            await standin.wait_for(lambda: alert.embeds, timeout=30)
            assert "Alert 1" in json.dumps(alert.embeds)
            shown = await _who(standin)
            assert "Mara Quinlan" in shown and "Marchetti" not in shown
            # The source is due every second: a process that polled would have by now.
            feed.stories = [FIRST, LATER]
            await asyncio.sleep(4)
            assert feed.requests == first_fetch, "the bot process polled a source"

            async with _running(_config(tmp_path / "worker.toml", pg_url, standin),
                                "worker", env):
                posted = await standin.wait_for(
                    lambda: standin.channel_messages.get(standin.channel_id), timeout=120)
                assert feed.requests > first_fetch
                assert _stored(pg_url) == 2
                assert "Marchetti" in json.dumps(posted, ensure_ascii=False)
                # The bot process answers from what the worker stored.
                assert "Aldo Marchetti" in await _who(standin)
        # One gateway session and one command sync: the bot process's; the worker posted
        # over REST alone.
        assert standin.connections == 1
        assert len(standin.calls_to("PUT", r".*/commands")) == 1
        assert len(standin.channel_messages[standin.channel_id]) == 1
    finally:
        await standin.close()
        await feed.close()


@pytest.mark.parametrize("role, said", [
    ("chef", "--role must be bot, worker or all, not 'chef'."),
    ("bot", "--role bot answers chat commands, but neither [discord] nor [slack] is enabled"),
])
def test_a_role_that_cannot_run_is_one_sentence(pg_url: str, tmp_path: Path, role: str,
                                                said: str) -> None:
    config = _config(tmp_path / "config.toml", pg_url, None)
    done = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--role", role,
                           "--config", str(config)], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
                          check=False)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"newsdesk: {said}" + (
        "" if said.endswith(".") else " in the config.")]
