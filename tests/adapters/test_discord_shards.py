"""Discord sharding (`[discord] shard_count`, `shard_ids`): two `newsdesk run --role bot`
processes, one shard each, split the guilds as Discord routes them; bad shard keys are one
sentence."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.config import from_mapping
from bot.errors import ConfigError
from tests.fakes.discord_standin import OP_IDENTIFY, DiscordStandIn
from tests.test_restarts import ROOT


@pytest.fixture
def store(summit_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "run.db"
    copy.write_bytes(summit_db.read_bytes())
    return copy


async def _start(config: str, path: Path, standin: DiscordStandIn) -> asyncio.subprocess.Process:
    path.write_text(config)
    with path.with_suffix(".log").open("w") as errors:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--role", "bot", "--config", str(path),
            cwd=path.parent, env={**os.environ, "PYTHONPATH": str(ROOT),
                                  "DISCORD_TOKEN": standin.token},
            stdout=asyncio.subprocess.DEVNULL, stderr=errors)


async def test_two_processes_of_one_shard_each_get_only_their_guilds_events(
        store: Path, tmp_path: Path) -> None:
    standin = DiscordStandIn()
    await standin.start()
    base = (f'[storage]\npath = "{store}"\n[discord]\nenabled = true\n'
            f'api_url = "{standin.api_url}"\ngateway_url = "{standin.gateway_url}"\n'
            f'guilds = ["{standin.guild_id}", "{standin.other_guild_id}"]\nshard_count = 2\n')
    procs = []
    try:
        for shard in (0, 1):
            procs.append(await _start(base + f"shard_ids = [{shard}]\n",
                                      tmp_path / f"shard{shard}.toml", standin))
        identified = await standin.wait_for(
            lambda: len(standin.ops(OP_IDENTIFY)) == 2 and standin.ops(OP_IDENTIFY),
            timeout=60)
        assert sorted(tuple(op["d"]["shard"]) for op in identified) == [(0, 2), (1, 2)]
        await standin.wait_for(lambda: all(
            ("GUILD_CREATE", g) in standin.sent_to_shard.get(standin.shard_of(g), [])
            for g in (standin.guild_id, standin.other_guild_id)), timeout=30)
        assert standin.shard_of(standin.guild_id) != standin.shard_of(standin.other_guild_id)
        # A member in each guild asks; only the process running that guild's shard hears it,
        # and each is answered.
        for guild in (standin.guild_id, standin.other_guild_id):
            asked = await standin.invoke("/who", guild=guild)
            await standin.wait_for(lambda asked=asked: asked.embeds, timeout=30)
            assert "Kim Jong-un" in json.dumps(asked.embeds, ensure_ascii=False)
        for shard, events in standin.sent_to_shard.items():
            guilds = {g for _, g in events if g}
            assert guilds and all(standin.shard_of(g) == shard for g in guilds), (shard, events)
            assert ("INTERACTION_CREATE", next(iter(guilds))) in events
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for n, proc in enumerate(procs):
            await asyncio.wait_for(proc.wait(), 30)
            logged = (tmp_path / f"shard{n}.log").read_text()
            assert proc.returncode == 0 and "Traceback" not in logged, logged[-2000:]
            assert standin.token not in logged
        await standin.close()


@pytest.mark.parametrize("discord, said", [
    ({"shard_count": 2, "shard_ids": [2]},
     "Config key discord.shard_ids: '2' is not a shard of 2 (shard ids run from 0 to 1)."),
    ({"shard_count": 2, "shard_ids": ["one"]},
     "Config key discord.shard_ids: 'one' is not a shard of 2 (shard ids run from 0 to 1)."),
    ({"shard_count": 3, "shard_ids": [1, 1]},
     "Config key discord.shard_ids lists shard 1 twice."),
    ({"shard_ids": [1]},
     "Config key discord.shard_ids: '1' is not a shard of 1 (shard ids run from 0 to 0)."),
    ({"shard_count": 1.5}, "Config key discord.shard_count must be a whole number."),
    ({"shard_count": 0}, "Config key discord.shard_count must be greater than 0."),
])
def test_bad_shard_keys_are_one_sentence(discord: dict[str, object], said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_mapping({"discord": discord}, env={})
    assert str(caught.value) == said


def test_shard_keys_are_read() -> None:
    settings = from_mapping({"discord": {"shard_count": 4, "shard_ids": [3, 0]}}, env={})
    assert (settings.discord.shard_count, settings.discord.shards) == (4, [3, 0])
    assert from_mapping({}, env={}).discord.shards is None
