"""/healthz and /metrics of `newsdesk run`, JSON logs without secrets, over real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.delivery.outbox import iso, reply_to_json
from bot.models import Reply
from bot.ops.health import OUTBOX_LAG_S, Watch
from tests.fakes.discord_standin import OP_IDENTIFY, DiscordStandIn

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def _until(url: str) -> None:
    for _ in range(400):
        try:
            await _get(url)
            return
        except aiohttp.ClientError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"nothing answers at {url}")


async def test_run_serves_health_and_metrics_and_logs_json_without_secrets(
    summit_db: Path, tmp_path: Path
) -> None:
    store = tmp_path / "run.db"
    store.write_bytes(summit_db.read_bytes())
    standin = DiscordStandIn()
    await standin.start()
    port = _free_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\npath = "{store}"\n[discord]\nenabled = true\n'
        f'api_url = "{standin.api_url}"\ngateway_url = "{standin.gateway_url}"\n'
        f'guilds = ["{standin.guild_id}"]\n[ops]\nenabled = true\nport = {port}\n'
        '[log]\nformat = "json"\n')
    secrets = {"DISCORD_TOKEN": standin.token, "SLACK_SIGNING_SECRET": "s3cr3t-signing-value",
               "SLACK_BOT_TOKEN": "xoxb-not-used-but-secret"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "-v", "run", "--config", str(config), cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **secrets},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        await standin.wait_for(lambda: standin.ops(OP_IDENTIFY), timeout=60)
        await _until(base + "/healthz")
        status, body = await _get(base + "/healthz")
        report = json.loads(body)
        assert status == 200, report
        assert report["store"] == "ok" and report["adapters"] == {"discord": "connected"}
        assert report["articles"] == 2 and report["outbox_lag_s"] == 0

        interaction = await standin.invoke("/who")
        await standin.wait_for(lambda: interaction.embeds, timeout=20)
        status, text = await _get(base + "/metrics")
        assert status == 200
        assert "newsdesk_articles_ingested_total 2.0" in text
        assert 'newsdesk_command_seconds_count{command="who"} 1.0' in text
        assert "newsdesk_outbox_lag_seconds 0.0" in text
        # Memory, for an operator leaving it running for months: the process and its workers.
        resident = {line.split()[0]: float(line.split()[1]) for line in text.splitlines()
                    if line.startswith(("process_resident_memory_bytes ",
                                        "newsdesk_resident_memory_bytes "))}
        assert resident["newsdesk_resident_memory_bytes"] >= \
            resident["process_resident_memory_bytes"] > 10e6, resident

        await standin.drop_connection()  # Discord goes away: health says so at once
        for _ in range(100):
            status, body = await _get(base + "/healthz")
            if status == 503:
                break
            await asyncio.sleep(0.02)
        assert status == 503 and "discord is not connected" in json.loads(body)["reasons"]
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
        await standin.close()
    assert proc.returncode == 0
    log = err.decode()
    for secret in secrets.values():
        assert secret not in log, "a secret reached the log"
    lines = [line for line in log.splitlines() if line.startswith("{")]
    assert lines, log[-2000:]
    entries = [json.loads(line) for line in lines]
    assert all({"at", "level", "logger", "message"} <= e.keys() for e in entries)
    assert "Traceback" not in log


def test_a_post_waiting_too_long_makes_health_fail_with_the_reason(tmp_path: Path) -> None:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    try:
        now = datetime(2031, 5, 1, 12, tzinfo=UTC)
        desk.outbox.clock = lambda: now
        watch = Watch(desk.store, desk.outbox, {"slack": object()}, polling=False)
        assert watch.check()[0]
        desk.outbox.store.enqueue(
            platform="slack", channel="C1", kind="alert",
            payload=json.dumps(reply_to_json(Reply("Alert"))), nonce="nd-lag",
            created_at=iso(now - timedelta(seconds=OUTBOX_LAG_S + 60)))
        healthy, report = watch.check()
        assert not healthy and report["outbox_pending"] == 1
        assert any("the oldest post has waited" in r for r in report["reasons"])
        # A post for a platform this bot does not run is not this bot's lag.
        assert Watch(desk.store, desk.outbox, {"discord": object()}, polling=False).check()[0]
    finally:
        desk.close()


def test_a_store_that_cannot_be_read_makes_health_fail(tmp_path: Path) -> None:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    watch = Watch(desk.store, desk.outbox, {}, polling=False)
    desk.close()  # the connection is gone, as after a failed disk
    healthy, report = watch.check()
    assert not healthy and report["store"] == "unreachable"
    assert report["reasons"] == ["the store cannot be read (ProgrammingError)"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_secret_in_a_log_message_is_replaced(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging

    from bot.ops.logs import JsonFormatter, TextFormatter

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-123456789-secret")
    formatter = JsonFormatter() if fmt == "json" else TextFormatter()
    record = logging.LogRecord("newsdesk", logging.WARNING, __file__, 1,
                               "request failed with token %s", ("xoxb-123456789-secret",), None)
    line = formatter.format(record)
    assert "xoxb-123456789-secret" not in line and "[redacted]" in line
