"""`newsdesk db copy`: SQLite -> PostgreSQL -> SQLite keeps every row and every answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.cli import main
from bot.config import Settings
from bot.delivery.outbox import reply_to_json
from storage.backend import open_configured

QUESTIONS = ("/who", "/who putin", "/when", "/quote Putin", "/quote kim", "/summary vladivostok",
             "/stories", "/story 1", "/digest", "/alert list", "/schedule show")


def _answers(target: str) -> dict[str, object]:
    desk = Newsdesk(Settings(), store=open_configured(target))
    try:
        return {q: reply_to_json(asyncio.run(desk.ask(q, platform="slack", channel="C1",
                                                      full=True))) for q in QUESTIONS}
    finally:
        desk.close()


def _counts(target: str) -> dict[str, int]:
    store = open_configured(target)
    try:
        return {t: int(store.db.execute(f"select count(*) from {t}").fetchone()[0])
                for t in ("articles", "stories", "people", "person_aliases", "quotes", "events",
                          "sources", "schedules", "alerts", "outbox", "digest_items")}
    finally:
        store.close()


@pytest.fixture
def summit_with_channels(summit_bot: Newsdesk) -> str:
    """The demo store with a source, a schedule, an alert and a posted digest."""
    bot = summit_bot
    asyncio.run(bot.ask("/schedule digest daily 08:00 Europe/Paris", platform="slack",
                        channel="C1"))
    asyncio.run(bot.ask("/alert add Putin", platform="slack", channel="C1"))
    asyncio.run(bot.ask("/digest post", platform="slack", channel="C1"))
    bot.sources.table.add("https://feeds.example/rss", "Example", "rss")
    path = bot.store.path
    bot.close()
    return path


def test_a_copy_to_postgresql_and_back_keeps_every_row_and_answer(
        summit_with_channels: str, pg_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = _answers(summit_with_channels)
    counts = _counts(summit_with_channels)
    assert main(["db", "copy", "--db", summit_with_channels, "--to", pg_url]) == 0
    said = capsys.readouterr().out
    assert "every table's row count matches" in said and "2 articles" in said
    assert _counts(pg_url) == counts
    assert _answers(pg_url) == before
    back = str(tmp_path / "back.db")
    assert main(["db", "copy", "--db", back, "--from", pg_url]) == 0
    assert _counts(back) == counts
    assert _answers(back) == before


def test_new_rows_after_a_copy_get_new_ids_and_a_second_copy_is_refused(
        summit_with_channels: str, pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "copy", "--db", summit_with_channels, "--to", pg_url]) == 0
    store = open_configured(pg_url)
    try:
        assert store.new_story("after the copy", "2031-01-01") > 2
    finally:
        store.close()
    capsys.readouterr()
    assert main(["db", "copy", "--db", summit_with_channels, "--to", pg_url]) == 1
    err = capsys.readouterr().err
    assert "is not empty" in err and "Traceback" not in err
    assert main(["db", "copy", "--db", summit_with_channels]) == 1
    assert "Say where to copy" in capsys.readouterr().err


def test_db_backup_of_a_postgresql_store_points_to_pg_dump_and_db_copy(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://newsdesk@127.0.0.1:1/none"
    assert main(["db", "backup", str(tmp_path / "b.db"), "--db", url]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists()
