"""Alerts: a watched person or phrase in a new article is posted once per story and channel."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.delivery.outbox import Sender, reply_from_json
from bot.ingest.files import read_file
from bot.models import ArticleDraft
from bot.nlp.names import name_key
from tests.conftest import DEMO_DIR


class RecordingChat:
    """A Chat that keeps what it was asked to post and edit."""

    platform = "slack"

    def __init__(self) -> None:
        self.posts: list[tuple[str, str, str]] = []  # (channel, nonce, title)
        self.edits: list[tuple[str, str, list[str]]] = []  # (channel, message id, item texts)
        self.messages: dict[str, list[str]] = {}

    async def post(self, channel: str, reply, *, nonce: str) -> str | None:  # type: ignore[no-untyped-def]
        message_id = f"m{len(self.posts) + 1}"
        self.posts.append((channel, nonce, reply.title))
        self.messages[message_id] = [i.text for i in reply.items]
        return message_id

    async def edit(self, channel: str, message_id: str, reply) -> None:  # type: ignore[no-untyped-def]
        self.edits.append((channel, message_id, [i.text for i in reply.items]))
        self.messages[message_id] = [i.text for i in reply.items]


def _posts(bot: Newsdesk, kind: str) -> list[dict]:
    return bot.outbox.store.posts(kind)


# ------------------------------------------------------- the summit (demo) coverage


def _copies_of_the_cgtn_story() -> tuple[ArticleDraft, ArticleDraft]:
    [original] = read_file(DEMO_DIR / "2019-04-27-kim-returns-home.md")
    first = replace(original, title="DPRK leader returns from Russia", source="Outlet One",
                    url="https://one.example/dprk-leader-returns")
    second = replace(original, title="Kim back in Pyongyang after Russia trip",
                     source="Outlet Two", url="https://two.example/kim-back")
    return first, second


async def test_an_alert_fires_once_per_story_and_later_copies_edit_it(
    summit_bot: Newsdesk,
) -> None:
    bot = summit_bot
    added = await bot.ask("/alert add Kim Jong-un", platform="slack", channel="C1")
    assert "Kim Jong-un" in added.title and not added.error
    await bot.ask("/alert add Kim Jong-il", platform="slack", channel="C2")
    first, second = _copies_of_the_cgtn_story()
    chat = RecordingChat()
    sender = Sender(bot.outbox, {"slack": chat})

    bot.after_ingest(bot.ingestor.store_drafts([first]).added)
    await sender.deliver_pending()
    # The copy writes "Kim Jong Un" and a bare "Kim": both are the watched person.
    assert [(c, t) for c, _, t in chat.posts] == [("C1", "Alert: Kim Jong-un")]
    message = chat.messages["m1"]
    assert message[0] == "DPRK leader returns from Russia"
    who = next(line for line in message if line.startswith("Who: "))
    assert name_key("Kim Jong-un") in {name_key(n) for n in who[5:].split(", ")}

    bot.after_ingest(bot.ingestor.store_drafts([second]).added)
    await sender.deliver_pending()
    assert len(chat.posts) == 1, "a second outlet's copy is not a second alert"
    assert chat.edits[-1][:2] == ("C1", "m1")
    # The copies joined the summit's story, which Efe and CGTN already carried.
    assert chat.edits[-1][2][-1].startswith("Also covered by 3 outlets")
    assert "Outlet Two" in chat.edits[-1][2][-1] and "CGTN" in chat.edits[-1][2][-1]
    # Kim Jong Un's father is another person with the same surname: his watch stays quiet.
    assert not any(channel == "C2" for channel, _, _ in chat.posts)


# ---------------------------------------------------------------- made-up news

BRIDGE = (
    "Engineers closed the Old Mill bridge in Larkford on Wednesday after divers found cracks "
    "in two of its piers. Transport minister Odile Farrant said repairs would take months. "
    "\"Nobody crosses that bridge until it is safe,\" Farrant said at the riverbank. Buses "
    "will run a detour through Wexley until the bridge reopens, adding twenty minutes to "
    "the trip for about nine thousand commuters."
)
FESTIVAL = (
    "Larkford's lantern festival drew a record crowd on Saturday night, organisers said. "
    "Festival director Paulo Brandt said forty thousand visitors walked the river route. "
    "\"The town has never been this bright,\" Brandt said as the last lanterns were lit. "
    "Traders along the quay reported their busiest night of the year."
)


def _draft(text: str, title: str, source: str) -> ArticleDraft:
    return ArticleDraft(title=title, text=text, published=datetime(2031, 6, 4, tzinfo=UTC),
                        source=source, url=f"https://{source.lower()}.example/{abs(hash(title))}")


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Newsdesk]:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    yield desk
    desk.close()


def _ingest(bot: Newsdesk, *drafts: ArticleDraft, backfill: bool = False) -> None:
    report = bot.ingestor.store_drafts(list(drafts), backfill=backfill)
    if not backfill:
        bot.after_ingest(report.added)


async def test_a_phrase_alert_fires_for_articles_with_those_words(bot: Newsdesk) -> None:
    await bot.ask("/alert add bridge repairs", platform="slack", channel="C1")
    _ingest(bot, _draft(FESTIVAL, "Lantern festival breaks record", "Quayside"))
    assert _posts(bot, "alert") == []
    _ingest(bot, _draft(BRIDGE, "Old Mill bridge closed", "Larkford Post"))
    [post] = _posts(bot, "alert")
    reply = reply_from_json(json.loads(post["payload"]))
    assert reply.title == "Alert: bridge repairs"
    assert reply.citations[0].source == "Larkford Post"
    assert any("Nobody crosses that bridge" in i.text for i in reply.items)


async def test_words_in_quotes_must_appear_together(bot: Newsdesk) -> None:
    await bot.ask('/alert add "bridge repairs"', platform="slack", channel="C1")
    await bot.ask('/alert add "repairs would take months"', platform="slack", channel="C2")
    _ingest(bot, _draft(BRIDGE, "Old Mill bridge closed", "Larkford Post"))
    assert [p["channel"] for p in _posts(bot, "alert")] == ["C2"]


async def test_a_person_alert_fires_for_the_surname_alone_once_the_person_is_known(
    bot: Newsdesk,
) -> None:
    await bot.ask("/alert add Paulo Brandt", platform="slack", channel="C1")
    _ingest(bot, _draft(FESTIVAL, "Lantern festival breaks record", "Quayside"))
    assert len(_posts(bot, "alert")) == 1
    listed = await bot.ask("/alert list", platform="slack", channel="C1")
    assert listed.items[0].detail == "person: Paulo Brandt"


async def test_alerts_are_only_for_articles_stored_after_them(bot: Newsdesk) -> None:
    _ingest(bot, _draft(BRIDGE, "Old Mill bridge closed", "Larkford Post"))
    await bot.ask("/alert add Odile Farrant", platform="slack", channel="C1")
    bot.after_ingest([])
    assert _posts(bot, "alert") == []


async def test_a_sources_first_fetch_sets_off_no_alert(bot: Newsdesk) -> None:
    await bot.ask("/alert add bridge", platform="slack", channel="C1")
    _ingest(bot, _draft(BRIDGE, "Old Mill bridge closed", "Larkford Post"), backfill=True)
    bot.after_ingest([])
    assert _posts(bot, "alert") == []


async def test_two_watches_in_one_channel_share_one_post_per_story(bot: Newsdesk) -> None:
    await bot.ask("/alert add Odile Farrant", platform="slack", channel="C1")
    await bot.ask("/alert add bridge", platform="slack", channel="C1")
    await bot.ask("/alert add bridge", platform="slack", channel="C2")
    _ingest(bot, _draft(BRIDGE, "Old Mill bridge closed", "Larkford Post"))
    assert sorted(p["channel"] for p in _posts(bot, "alert")) == ["C1", "C2"]


async def test_alert_remove_stops_it_and_list_shows_whats_left(bot: Newsdesk) -> None:
    await bot.ask("/alert add bridge", platform="slack", channel="C1")
    await bot.ask("/alert add lantern", platform="slack", channel="C1")
    removed = await bot.ask("/alert remove 1", platform="slack", channel="C1")
    assert removed.title == "Alert 1 removed."
    listed = await bot.ask("/alert list", platform="slack", channel="C1")
    assert [i.text for i in listed.items] == ["2: lantern"]
    _ingest(bot, _draft(BRIDGE, "Old Mill bridge closed", "Larkford Post"))
    assert _posts(bot, "alert") == []


@pytest.mark.parametrize(("line", "says"), [
    ("/alert remove two", "alert number"),
    ("/alert remove 99", "no alert 99"),
    ("/alert add !!!", "needs a name or words"),
])
async def test_bad_alert_commands_get_one_clear_sentence(bot: Newsdesk, line: str,
                                                         says: str) -> None:
    reply = await bot.ask(line, platform="slack", channel="C1")
    assert reply.error and says in reply.title


async def test_an_alert_in_another_channel_cannot_be_removed_from_here(bot: Newsdesk) -> None:
    await bot.ask("/alert add bridge", platform="slack", channel="C1")
    reply = await bot.ask("/alert remove 1", platform="slack", channel="C2")
    assert reply.error
    assert len((await bot.ask("/alert list", platform="slack", channel="C1")).items) == 1
