"""A full disk: one clear sentence, answers go on from what is stored, nothing is lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.errors import StoreFull

STORY = ("---\ntitle: Harbor City votes for Gull Island ferry\npublished: 2031-03-04\n---\n"
         "Harbor City council voted on Tuesday to open a ferry line to Gull Island. Mayor Mara "
         "Quinlan said the first boats would sail in June. \"This line brings the island back "
         "into the city,\" Quinlan said after the vote.\n" + "Critics objected. " * 400)


@pytest.fixture
def full(summit_db: Path, tmp_path: Path) -> Iterator[Newsdesk]:
    """The summit store on a 'disk' that holds exactly what is stored now."""
    copy = tmp_path / "full.db"
    source, target = sqlite3.connect(summit_db), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(copy))))
    conn = bot.store.db.conn
    conn.execute("pragma wal_checkpoint(truncate)")
    pages = conn.execute("pragma page_count").fetchone()[0]
    conn.execute(f"pragma max_page_count = {pages}")
    yield bot
    bot.close()


async def test_ingest_on_a_full_store_says_so_and_keeps_everything(
    full: Newsdesk, tmp_path: Path
) -> None:
    before = full.store.count_articles()
    who_before = (await full.ask("/who")).items
    story = tmp_path / "ferry.md"
    story.write_text(STORY, encoding="utf-8")

    with pytest.raises(StoreFull) as caught:
        full.ingestor.ingest_paths([story])

    assert "cannot grow (the disk is full)" in str(caught.value)
    assert full.store.count_articles() == before
    assert (await full.ask("/who")).items == who_before  # still answering, the same
    found = await full.ask("/who ferry")
    assert "Quinlan" not in str(found.items)  # nothing half-stored either
    conn = full.store.db.conn
    assert conn.execute("pragma quick_check").fetchone()[0] == "ok"


async def test_a_command_that_writes_on_a_full_store_gets_one_sentence(full: Newsdesk) -> None:
    conn = full.store.db.conn
    # Other alerts fill the last free bytes, so the next one needs a page the disk lacks.
    n = 0
    with pytest.raises(sqlite3.OperationalError, match="full"):
        while True:
            n += 1
            conn.execute("insert into alerts (platform, channel, words, created_at) "
                         "values ('slack', 'C-other', ?, '2031-01-01')", (f"words {n}",))
            conn.commit()
    assert n > 1
    reply = await full.ask("/alert add putin")
    assert reply.error
    text = " ".join(i.text for i in reply.items) + reply.title
    assert "disk is full" in text and "went wrong" not in text
    assert not (await full.ask("/who putin")).error


async def test_run_on_a_read_only_store_answers_and_says_why_nothing_is_stored(
    summit_db: Path, tmp_path: Path
) -> None:
    import asyncio
    import os
    import signal
    import sys

    from tests.fakes.discord_standin import OP_IDENTIFY, DiscordStandIn

    store = tmp_path / "ro.db"
    store.write_bytes(summit_db.read_bytes())
    before = store.read_bytes()
    standin = DiscordStandIn()
    await standin.start()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\npath = "file:{store}?mode=ro"\n[discord]\nenabled = true\n'
        f'api_url = "{standin.api_url}"\ngateway_url = "{standin.gateway_url}"\n'
        f'guilds = ["{standin.guild_id}"]\n')
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--config", str(config), cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
             "DISCORD_TOKEN": standin.token},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        await standin.wait_for(lambda: standin.ops(OP_IDENTIFY), timeout=60)
        interaction = await standin.invoke("/who")
        await standin.wait_for(lambda: interaction.embeds, timeout=20)
        assert "Vladimir Putin" in str(interaction.embeds)
        refused = await standin.invoke("/alert add", {"words": "putin"}, permissions=1 << 5)
        await standin.wait_for(lambda: refused.embeds, timeout=20)
        assert "is read-only" in str(refused.embeds)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
        await standin.close()
    log = err.decode()
    assert proc.returncode == 0, log[-2000:]
    assert "Traceback" not in log and "went wrong" not in log
    assert store.read_bytes() == before
