"""The outbox: decided and recorded together, delivered once, retried politely."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.delivery.digest import queue_digest
from bot.delivery.outbox import (
    MAX_ATTEMPTS,
    PostLookup,
    Sender,
    reply_from_json,
    reply_to_json,
    stable_nonce,
)
from bot.models import ArticleDraft, Citation, Reply, ReplyItem

STORY = (
    "The Brackwater library will stay open until midnight during exam season, the city "
    "said on Thursday. Librarian Wen Okafor said students had asked for quiet rooms late "
    "at night. \"We are lending them the building,\" Okafor said. The trial runs for six "
    "weeks and costs less than one street light, the council added."
)


class Chat:
    """A platform stand-in: numbered messages, optionally failing or able to find nonces."""

    platform = "slack"

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.delivered: list[tuple[str, str]] = []  # (channel, nonce)
        self.edits: list[tuple[str, str]] = []  # (message id, last item)

    async def post(self, channel: str, reply: Reply, *, nonce: str) -> str | None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("platform down")
        self.delivered.append((channel, nonce))
        return f"m{len(self.delivered)}"

    async def edit(self, channel: str, message_id: str, reply: Reply) -> None:
        self.edits.append((message_id, reply.items[-1].text if reply.items else ""))


class LookupChat(Chat):
    """A platform where a nonce can be looked up afterwards (as the Slack adapter can)."""

    async def find_posted(self, channel: str, nonce: str) -> str | None:
        for n, (ch, sent) in enumerate(self.delivered, start=1):
            if (ch, sent) == (channel, nonce):
                return f"m{n}"
        return None


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2031, 2, 3, 10, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(tmp_path: Path, clock: Clock) -> Iterator[Newsdesk]:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    desk.outbox.clock = clock
    desk.ingestor.store_drafts([ArticleDraft(
        title="Library opens late for exams", text=STORY, source="Brackwater Daily",
        published=datetime(2031, 2, 2, tzinfo=UTC), url="https://daily.example/library")])
    yield desk
    desk.close()


def _queue(bot: Newsdesk) -> int:
    outbox_id, _ = queue_digest(bot.store, bot.outbox, "slack", "C1")
    assert outbox_id is not None
    return outbox_id


async def test_a_pending_post_is_delivered_once_and_marked_sent(bot: Newsdesk) -> None:
    outbox_id = _queue(bot)
    chat = Chat()
    sender = Sender(bot.outbox, {"slack": chat})
    assert await sender.deliver_pending() == 1
    assert await sender.deliver_pending() == 0
    [(channel, nonce)] = chat.delivered
    row = bot.outbox.store.outbox_row(outbox_id)
    assert channel == "C1" and row["nonce"] == nonce and row["message_id"] == "m1"
    assert row["sent_at"] is not None


async def test_the_post_and_what_it_covers_are_written_together_or_not_at_all(
    bot: Newsdesk, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bot.outbox.store, "set_digest_mark", broken)
    with pytest.raises(RuntimeError):
        queue_digest(bot.store, bot.outbox, "slack", "C1")
    assert bot.outbox.store.posts() == []
    assert bot.outbox.store.channel("slack", "C1")["last_digest_article"] == 0
    monkeypatch.undo()
    outbox_id = _queue(bot)
    covered = bot.store.db.execute(
        "select article_id from digest_items where outbox_id = ?", (outbox_id,)).fetchall()
    assert covered == [(1,)]


async def test_a_post_in_doubt_that_the_platform_has_is_not_posted_again(
    bot: Newsdesk,
) -> None:
    outbox_id = _queue(bot)
    chat = LookupChat()
    assert isinstance(chat, PostLookup)
    # The crash: the platform accepted the post, the bot died before marking it sent.
    row = bot.outbox.store.outbox_row(outbox_id)
    bot.outbox.store.mark_attempt(outbox_id)
    chat.delivered.append(("C1", row["nonce"]))
    await Sender(bot.outbox, {"slack": chat}).deliver_pending()
    assert chat.delivered == [("C1", row["nonce"])]
    assert bot.outbox.store.outbox_row(outbox_id)["message_id"] == "m1"


async def test_a_post_in_doubt_that_never_arrived_goes_out_with_the_same_nonce(
    bot: Newsdesk,
) -> None:
    outbox_id = _queue(bot)
    bot.outbox.store.mark_attempt(outbox_id)
    chat = LookupChat()
    await Sender(bot.outbox, {"slack": chat}).deliver_pending()
    assert chat.delivered == [("C1", bot.outbox.store.outbox_row(outbox_id)["nonce"])]


async def test_a_failing_platform_is_retried_later_then_given_up_on(
    bot: Newsdesk, clock: Clock,
) -> None:
    outbox_id = _queue(bot)
    chat = Chat(failures=MAX_ATTEMPTS)
    sender = Sender(bot.outbox, {"slack": chat})
    await sender.deliver_pending()
    await sender.deliver_pending()
    assert bot.outbox.store.outbox_row(outbox_id)["attempts"] == 1, "not hammered at once"
    for _ in range(MAX_ATTEMPTS * 2):
        clock.at += timedelta(hours=2)
        await sender.deliver_pending()
    row = bot.outbox.store.outbox_row(outbox_id)
    assert row["gave_up_at"] and row["attempts"] == MAX_ATTEMPTS
    assert row["last_error"] == "ConnectionError" and chat.delivered == []


async def test_a_failure_heals_on_the_next_try(bot: Newsdesk, clock: Clock) -> None:
    _queue(bot)
    chat = Chat(failures=1)
    sender = Sender(bot.outbox, {"slack": chat})
    await sender.deliver_pending()
    clock.at += timedelta(minutes=5)
    await sender.deliver_pending()
    assert len(chat.delivered) == 1


async def test_posts_for_a_platform_that_is_not_running_wait_for_it(bot: Newsdesk) -> None:
    outbox_id = _queue(bot)
    await Sender(bot.outbox, {"discord": Chat()}).deliver_pending()
    assert bot.outbox.store.outbox_row(outbox_id)["sent_at"] is None
    chat = Chat()
    await Sender(bot.outbox, {"slack": chat}).deliver_pending()
    assert len(chat.delivered) == 1


def _edit(bot: Newsdesk, original: int, text: str, n: int) -> int | None:
    reply = Reply("Alert", (ReplyItem(text),))
    return bot.outbox.store.enqueue(
        platform="slack", channel="C1", kind="edit", payload=json.dumps(reply_to_json(reply)),
        nonce=stable_nonce("edit", original, n), created_at="2031-02-03T10:00:00+00:00",
        edit_of=original)


async def test_edits_wait_for_their_message_and_only_the_latest_is_applied(
    bot: Newsdesk,
) -> None:
    original = _queue(bot)
    _edit(bot, original, "also covered by 1 outlet", 2)
    _edit(bot, original, "also covered by 2 outlets", 3)
    chat = Chat(failures=1)
    sender = Sender(bot.outbox, {"slack": chat})
    await sender.deliver_pending()
    assert chat.edits == [], "no edit before the message exists"
    bot.outbox.store.mark_failed(original, "x", None, None)  # retry at once
    await sender.deliver_pending()
    assert chat.edits == [("m1", "also covered by 2 outlets")]


async def test_the_same_decision_is_queued_once(bot: Newsdesk) -> None:
    original = _queue(bot)
    assert _edit(bot, original, "also covered by 1 outlet", 2) is not None
    assert _edit(bot, original, "also covered by 1 outlet", 2) is None


def test_a_reply_survives_the_round_trip_through_the_store() -> None:
    reply = Reply("Digest", (ReplyItem("A thing happened", "timeline", (0, 1)),),
                  (Citation("T", "https://x.example/1", "X", "2031-01-01"),
                   Citation("U", "https://y.example/2", "Y", None)),
                  footer="more", data={"stories": [1]})
    assert reply_from_json(json.loads(json.dumps(reply_to_json(reply)))) == reply


def test_nonces_fit_discord_and_are_stable() -> None:
    assert stable_nonce("digest", "slack", "C1", "2031") == \
        stable_nonce("digest", "slack", "C1", "2031")
    assert len(stable_nonce("x")) <= 25
