"""Careless or hostile command arguments get one clear sentence, in chat and on the CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.cli import main
from bot.config import Settings, StorageSettings

HUGE = "99999999999999999999"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def bot(tmp_path: Path) -> Newsdesk:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    yield desk
    desk.close()


@pytest.fixture
def db(summit_db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "cli.db"
    copy.write_bytes(summit_db.read_bytes())
    return str(copy)


# ------------------------------------------------------------------------ chat


@pytest.mark.parametrize(("line", "says"), [
    (f"/source remove {HUGE}", "There is no source 99999999999999999999"),
    (f"/source check {HUGE}", "There is no source"),
    (f"/source enable #{HUGE}", "There is no source"),
    (f"/source remove {HUGE * 3}", "There is no source"),
    (f"/alert remove {HUGE}", "There is no alert 99999999999999999999"),
    ("/source remove ²", "is not a source number"),  # a digit to str.isdigit, not to int()
    ("/alert remove ³", "needs the alert number"),
    ("/source add http://[::1/feed", "That URL is not valid"),
    ("/source add http://example.com:99999/feed", "That URL is not valid"),
    ("/source import http://[::1/feeds.opml", "That URL is not valid"),
])
async def test_a_bad_number_or_address_is_one_clear_sentence(bot: Newsdesk, line: str,
                                                             says: str) -> None:
    reply = await bot.ask(line, platform="slack", channel="C1")

    assert reply.error and says in reply.title, reply.title
    assert "went wrong" not in reply.title


async def test_a_lookalike_host_name_is_listed_in_punycode(bot: Newsdesk) -> None:
    for name in ("аррӏе.com", "https://аррӏе.com/feed", "Новости BBC", "bücher.de news"):
        bot.sources.table.add(f"https://feeds.example/{len(name)}", name, "feed")

    listed = await bot.ask("/source list")

    shown = [item.text for item in listed.items]
    assert shown[0] == "1. xn--80ak6aa92e.com (feed)"  # Cyrillic posing as "apple.com"
    assert shown[1] == "2. https://xn--80ak6aa92e.com/feed (feed)"
    assert shown[2] == "3. Новости BBC (feed)"  # words in two scripts are no host name
    assert shown[3] == "4. bücher.de news (feed)"  # one script: shown as written
    assert listed.data[0]["name"] == "xn--80ak6aa92e.com"


# ------------------------------------------------------------------------- CLI


def test_analyze_of_a_malformed_url_says_it_is_not_valid(capsys) -> None:
    code, _, err = run_cli(capsys, "analyze", "http://[::1/x")

    assert code == 1 and "That URL is not valid" in err
    assert "Traceback" not in err and "went wrong" not in err


@pytest.mark.parametrize(("target", "says"), [
    ("missing/folder/sources.opml", "does not exist"),
    (".", "is a folder"),
    ("/dev/full", "the disk is full"),
])
def test_sources_export_to_a_file_that_cannot_be_written_says_why(
        capsys, db, tmp_path, target, says) -> None:
    if target == "/dev/full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    path = target if target.startswith("/") else str(tmp_path / target)

    code, _, err = run_cli(capsys, "sources", "export", "--file", path, "--db", db)

    assert code == 1 and says in err, err
    assert "went wrong" not in err


def test_digest_post_for_a_slack_channel_is_queued_for_slack(capsys, db) -> None:
    desk = Newsdesk(Settings(storage=StorageSettings(path=db)))
    desk.outbox.store.set_schedule("slack", "C0NEWS", "daily 08:00", "UTC",
                                   "2024-01-01T00:00:00+00:00", "U1")
    desk.close()

    code, _, err = run_cli(capsys, "digest", "post", "--channel", "C0NEWS", "--db", db)

    assert code == 0, err
    assert "slack channel C0NEWS" in err
    desk = Newsdesk(Settings(storage=StorageSettings(path=db)))
    posts = desk.outbox.store.posts("digest")
    desk.close()
    assert [(p["platform"], p["channel"]) for p in posts] == [("slack", "C0NEWS")]


def test_digest_post_takes_the_platform_when_given(capsys, db) -> None:
    code, _, err = run_cli(capsys, "digest", "post", "--channel", "123456789",
                           "--platform", "discord", "--db", db)

    assert code == 0, err
    assert "discord channel 123456789" in err
    desk = Newsdesk(Settings(storage=StorageSettings(path=db)))
    posts = desk.outbox.store.posts("digest")
    desk.close()
    assert [(p["platform"], p["channel"]) for p in posts] == [("discord", "123456789")]


def test_digest_post_for_an_unknown_channel_asks_for_the_platform(capsys, db) -> None:
    code, _, err = run_cli(capsys, "digest", "post", "--channel", "C0NOWHERE", "--db", db)

    assert code == 1 and "--platform" in err
    desk = Newsdesk(Settings(storage=StorageSettings(path=db)))
    assert desk.outbox.store.posts("digest") == []
    desk.close()
