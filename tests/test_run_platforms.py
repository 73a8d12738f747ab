"""`newsdesk run` as a process, configured only through config.toml and the environment,
answering /who over the real Slack and Discord wire protocols of the local stand-ins."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.fakes.discord_standin import OP_IDENTIFY, DiscordStandIn
from tests.fakes.slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def store(summit_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "run.db"
    copy.write_bytes(summit_db.read_bytes())
    return copy


@asynccontextmanager
async def _run(config: str, tmp_path: Path, env: dict[str, str]) -> AsyncIterator[None]:
    path = tmp_path / "config.toml"
    path.write_text(config)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--config", str(path), cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        yield
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
        stderr = err.decode()
        assert "Traceback" not in stderr, stderr[-2000:]
        for secret in env.values():
            assert secret not in stderr, "a secret reached the log"


async def _until_listening(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


async def test_slack_who_through_newsdesk_run(store: Path, tmp_path: Path) -> None:
    standin = SlackStandIn()
    await standin.start()
    port = _free_port()
    config = (f'[storage]\npath = "{store}"\n[slack]\nenabled = true\nmode = "http"\n'
              f'host = "127.0.0.1"\nport = {port}\napi_url = "{standin.api_url}"\n')
    env = {"SLACK_BOT_TOKEN": standin.bot_token, "SLACK_SIGNING_SECRET": standin.signing_secret}
    try:
        async with _run(config, tmp_path, env):
            await _until_listening(port)
            sent = await standin.send_command(f"http://127.0.0.1:{port}/slack/events", "/who")
            assert sent.status == 200 and sent.acked_in_time
            answers = await standin.wait_for(lambda: standin.responses, timeout_s=20)
            shown = json.dumps(answers[0], ensure_ascii=False)
            assert "Kim Jong-un" in shown and "Vladimir Putin" in shown
    finally:
        await standin.close()


async def test_discord_who_through_newsdesk_run(store: Path, tmp_path: Path) -> None:
    standin = DiscordStandIn()
    await standin.start()
    config = (f'[storage]\npath = "{store}"\n[discord]\nenabled = true\n'
              f'api_url = "{standin.api_url}"\ngateway_url = "{standin.gateway_url}"\n'
              f'guilds = ["{standin.guild_id}"]\n')
    try:
        async with _run(config, tmp_path, {"DISCORD_TOKEN": standin.token}):
            await standin.wait_for(lambda: standin.guild_id in standin.commands, timeout=30)
            # A member can use the commands once the bot's gateway session is live.
            await standin.wait_for(lambda: standin.ops(OP_IDENTIFY), timeout=30)
            interaction = await standin.invoke("/who")
            await standin.wait_for(lambda: interaction.embeds, timeout=20)
            shown = json.dumps(interaction.embeds, ensure_ascii=False)
            assert "Kim Jong-un" in shown and "Vladimir Putin" in shown
    finally:
        await standin.close()
