"""Protocols the core needs from the outside: a Chat to post to. The Store port is in storage.

Adapters implement `Chat`; the core never imports an SDK.
"""

from __future__ import annotations

from typing import Protocol

from bot.models import Reply


class Chat(Protocol):
    """Where the bot posts on its own (digests and alerts)."""

    platform: str

    async def post(self, channel: str, reply: Reply, *, nonce: str) -> str | None:
        """Post a reply to a channel; return the platform's message id when it gives one."""
        ...

    async def edit(self, channel: str, message_id: str, reply: Reply) -> None:
        """Replace an earlier post (for "also covered by N outlets")."""
        ...
