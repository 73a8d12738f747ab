"""Protocols the core needs from the outside: a Store of articles, a SourceRegistry, a Chat.

`storage/` implements the first two on SQLite and `adapters/` the last; the core never imports
an SDK or the database library. (The digest and alert bookkeeping, storage.channels, is the
one store the core still names directly.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from bot.models import Analysis, ArticleDraft, PersonMention, Reply, SourceRef, StoredPerson

# Picks, among stored candidates, the one an article's person is (None: someone new).
PersonMatcher = Callable[[PersonMention, Sequence[StoredPerson]], StoredPerson | None]
# Normalises a name for matching ("Jean Luc Picard" and "Jean-Luc Picard" give one key).
KeyFn = Callable[[str], str]


class Store(Protocol):
    """Articles, their analysis and the people across them."""

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

    # writing
    def find_article(self, canonical_url: str, content_hash: str) -> dict[str, Any] | None: ...

    def save_article(
        self, draft: ArticleDraft, *, canonical_url: str, content_hash: str,
        analysis: Analysis, key: KeyFn, match: PersonMatcher, source_id: int | None = None,
        story_id: int | None = None, replace_id: int | None = None,
        fingerprint: bytes | None = None, backfill: bool = False,
    ) -> int: ...

    def recent_fingerprints(self, limit: int) -> list[tuple[int, bytes]]: ...

    # reading
    def count_articles(self) -> int: ...

    def article(self, article_id: int) -> dict[str, Any] | None: ...

    def search_articles(self, topic: str, limit: int = 500) -> list[int]: ...

    def recent_articles(self, limit: int = 200) -> list[int]: ...

    def people_by_ids(self, ids: Sequence[int]) -> list[StoredPerson]: ...

    def people_in(self, article_ids: Sequence[int] | None,
                  limit: int = 25) -> list[StoredPerson]: ...

    def persons_named(self, query: str, key: KeyFn, limit: int = 10) -> list[StoredPerson]: ...

    def articles_of_person(self, person_id: int, limit: int = 200) -> list[int]: ...

    def names_like(self, prefix: str, limit: int = 25) -> list[str]: ...

    def events_in(self, article_ids: Sequence[int], limit: int = 400) -> list[dict[str, Any]]: ...

    def quotes_in(self, article_ids: Sequence[int] | None, *, person_ids: Sequence[int] = (),
                  words: str = "", limit: int = 200) -> list[dict[str, Any]]: ...

    def sentences_in(self, article_ids: Sequence[int]) -> list[dict[str, Any]]: ...

    def refs(self, article_ids: Iterable[int]) -> dict[int, SourceRef]: ...


class SourceRegistry(Protocol):
    """The sources admins added and their health; `add` raises SourceExists for a known URL."""

    def add(self, url: str, name: str, kind: str, *, platform: str = "", channel: str = "",
            added_by: str = "", health: str | None = None) -> int: ...

    def get(self, source_id: int) -> dict[str, Any] | None: ...

    def all(self) -> list[dict[str, Any]]: ...

    def update(self, source_id: int, **values: Any) -> None: ...

    def remove(self, source_id: int) -> bool: ...

    def article_count(self, source_id: int) -> int: ...


class Chat(Protocol):
    """Where the bot posts on its own (digests and alerts)."""

    platform: str

    async def post(self, channel: str, reply: Reply, *, nonce: str) -> str | None:
        """Post a reply to a channel; return the platform's message id when it gives one."""
        ...

    async def edit(self, channel: str, message_id: str, reply: Reply) -> None:
        """Replace an earlier post (for "also covered by N outlets")."""
        ...
