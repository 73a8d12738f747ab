"""The outbox: posts the bot decided to make, stored first, then delivered exactly once.

Deciding to post and recording what the post covers happen in one store transaction (the
digest or alert code writes both through `Outbox.store`). A `Sender` then delivers pending
posts through the Chat of each post's platform and marks them sent.

Exactly once across crashes. Every post carries a nonce fixed when it was queued. Before a
post is handed to the platform its row records the attempt (committed), so after a crash a
row that was attempted but never marked sent is *in doubt*: the platform may have it.
- Discord: discord.py sends the nonce with `enforce_nonce: true`, so Discord itself answers
  a repeated post with the same nonce (within its dedup window of a few minutes) with the
  message it already has. After a longer outage the window is gone: the adapter also puts
  the nonce in the embed footer and finds the post there (`find_posted`, as Slack below).
- Slack has no nonce. The Slack adapter sends the nonce as message metadata; a Chat that can
  look a nonce up (`find_posted`, see `PostLookup`) is asked first, and an in-doubt post that
  is found is marked sent with the message it found, never posted again.
- A Chat with neither (the console) may show an in-doubt post twice after a crash.
Edits are idempotent (they set a message's content), so a repeated edit is harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from bot.errors import StoreError
from bot.models import Citation, Post, Reply, ReplyItem
from bot.ops import metrics
from bot.ports import ChannelLog, Chat

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
MAX_ATTEMPTS = 8
_RETRY_BASE_S = 15
_BATCH = 50


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(at: datetime) -> str:
    """Timestamps are stored in UTC so that they sort as text."""
    return at.astimezone(UTC).isoformat(timespec="seconds")


def stable_nonce(*parts: object) -> str:
    """A nonce that is the same for the same decision (22 characters: within Discord's 25)."""
    text = "|".join(str(p) for p in parts)
    return "nd" + hashlib.sha256(text.encode()).hexdigest()[:20]


def random_nonce() -> str:
    return "nd" + secrets.token_hex(10)


@runtime_checkable
class PostLookup(Protocol):
    """A Chat that can tell whether a post with a nonce reached a channel (see module doc)."""

    async def find_posted(self, channel: str, nonce: str) -> str | None: ...


# ------------------------------------------------------------------ payloads


def reply_to_json(reply: Reply) -> dict[str, Any]:
    return {
        "title": reply.title, "footer": reply.footer, "error": reply.error, "data": reply.data,
        "items": [{"text": i.text, "detail": i.detail, "cites": list(i.cites)}
                  for i in reply.items],
        "citations": [{"title": c.title, "url": c.url, "source": c.source,
                       "published": c.published} for c in reply.citations],
    }


def reply_from_json(data: Mapping[str, Any]) -> Reply:
    return Reply(
        title=data["title"], footer=data.get("footer", ""), error=data.get("error", False),
        data=data.get("data"),
        items=tuple(ReplyItem(i["text"], i.get("detail", ""), tuple(i.get("cites", ())))
                    for i in data.get("items", ())),
        citations=tuple(Citation(c["title"], c["url"], c["source"], c.get("published"))
                        for c in data.get("citations", ())),
    )


def post_of(row: Mapping[str, Any]) -> Post:
    import json

    return Post(id=row["id"], platform=row["platform"], channel=row["channel"],
                reply=reply_from_json(json.loads(row["payload"])), kind=row["kind"],
                nonce=row["nonce"], message_id=row["message_id"])


# -------------------------------------------------------------------- outbox


class Outbox:
    """Channel state plus a doorbell: whoever queues a post rings it, the Sender wakes up."""

    def __init__(self, store: ChannelLog, clock: Clock = utc_now) -> None:
        self.store = store
        self.clock = clock
        self._bell: asyncio.Event | None = None
        self._schedule_listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self.clock()

    def ring(self) -> None:
        if self._bell is not None:
            self._bell.set()

    async def wait(self, timeout_s: float) -> None:
        """Sleep until a post is queued or the timeout passes (the bell needs a running loop)."""
        if self._bell is None:
            self._bell = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._bell.wait(), timeout_s)
        self._bell.clear()

    def on_schedules_changed(self, listener: Callable[[], None]) -> None:
        self._schedule_listeners.append(listener)

    def schedules_changed(self) -> None:
        for listener in self._schedule_listeners:
            listener()


# -------------------------------------------------------------------- sender


class Sender:
    """Delivers pending posts through the Chat of each post's platform, oldest first."""

    def __init__(self, outbox: Outbox, chats: Mapping[str, Chat]) -> None:
        self.outbox = outbox
        self.chats = dict(chats)
        self._warned: set[str] = set()
        # Two deliveries at once would both see the same pending row and post it twice.
        self._lock = asyncio.Lock()

    async def deliver_pending(self) -> int:
        """Deliver what is due now; return how many posts and edits went out."""
        async with self._lock:
            return await self._deliver_pending()

    async def _deliver_pending(self) -> int:
        store = self.outbox.store
        delivered = 0
        # Claimed: where several processes share the store, each post goes to one of them.
        rows = store.claim_pending(iso(self.outbox.now()), limit=_BATCH)
        for row in rows:
            chat = self.chats.get(row["platform"])
            if chat is None:
                if row["platform"] not in self._warned:
                    self._warned.add(row["platform"])
                    log.warning("posts for %s wait: that adapter is not enabled", row["platform"])
                continue
            try:
                if await self._deliver(chat, row):
                    delivered += 1
            except Exception as exc:  # noqa: BLE001 - a platform failure must not stop the rest
                self._failed(row, exc)
        if len(rows) == _BATCH and delivered:
            delivered += await self._deliver_pending()  # a backlog: keep going
        return delivered

    async def _deliver(self, chat: Chat, row: dict[str, Any]) -> bool:
        store = self.outbox.store
        post = post_of(row)
        if row["kind"] == "edit":
            original = store.outbox_row(row["edit_of"])
            if original is None or original["gave_up_at"]:
                store.mark_sent(post.id, iso(self.outbox.now()), None)
                return False
            if not original["sent_at"] or not original["message_id"]:
                return False  # edits wait for their message (order of rows is not enough)
            if store.newer_edit_exists(post.id, row["edit_of"]):
                store.mark_sent(post.id, iso(self.outbox.now()), None)  # superseded
                return False
            await chat.edit(post.channel, original["message_id"], post.reply)
            store.mark_sent(post.id, iso(self.outbox.now()), original["message_id"])
            return True
        if row["attempts"] and isinstance(chat, PostLookup):
            found = await chat.find_posted(post.channel, post.nonce)
            if found is not None:
                log.info("post %s was delivered before a restart; not posting it again", post.id)
                store.mark_sent(post.id, iso(self.outbox.now()), found)
                return False
        # Committed before the platform sees the post: from here until mark_sent the post is
        # in doubt, and a restart checks (PostLookup) or relies on the nonce (Discord).
        store.mark_attempt(post.id)
        message_id = await chat.post(post.channel, post.reply, nonce=post.nonce)
        store.mark_sent(post.id, iso(self.outbox.now()), message_id)
        metrics.posted(row["kind"])
        return True

    def _failed(self, row: dict[str, Any], exc: Exception) -> None:
        attempts = int(row["attempts"]) + 1  # posts counted theirs before trying
        if row["kind"] == "edit":
            self.outbox.store.mark_attempt(row["id"])
        now = self.outbox.now()
        reason = type(exc).__name__
        if attempts >= MAX_ATTEMPTS:
            log.error("giving up on post %s to %s %s after %s attempts (%s)", row["id"],
                      row["platform"], row["channel"], attempts, reason)
            self.outbox.store.mark_failed(row["id"], reason, None, iso(now))
            return
        retry_at = now + timedelta(seconds=_RETRY_BASE_S * 2 ** max(attempts - 1, 0))
        log.warning("post %s to %s %s failed (%s); retrying at %s", row["id"], row["platform"],
                    row["channel"], reason, iso(retry_at))
        self.outbox.store.mark_failed(row["id"], reason, iso(retry_at), None)

    async def run(self, stop: asyncio.Event, poll_s: float = 5.0) -> None:
        """Deliver until `stop` is set; wake when a post is queued, else poll (other processes
        such as `newsdesk digest post` queue posts too)."""
        said = ""
        while not stop.is_set():
            try:
                await self.deliver_pending()
                said = ""
            except StoreError as exc:
                if str(exc) != said:  # a read-only or full store: said once, not every 5 s
                    log.error("posts wait: %s", exc)
                    said = str(exc)
            except Exception:
                log.exception("the outbox sender failed; retrying")
            await self.outbox.wait(poll_s)
