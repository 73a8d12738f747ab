"""Exceptions of the core, as one tree.

    NewsdeskError
    ├── UserError          expected; str(exc) is one sentence safe to show the person who asked
    │   ├── ConfigError    a bad or unknown config key (the message names the key)
    │   ├── NotAnArticle   input that parses but holds no article
    │   ├── FetchError     a URL could not be fetched (reason code in .reason)
    │   ├── NotAllowed     the request needs admin rights
    │   ├── SourceExists   the URL is already a source (.source_id names it)
    │   └── StoreError     the store cannot be used as asked (not ours, read-only, full)
    │       ├── NotAStore      the file is not a newsdesk store (never written to)
    │       ├── StoreReadOnly  a write asked of a store opened read-only
    │       └── StoreFull      the disk (or the store's size limit) is full
    └── (anything else is a bug: logged with a reference, never shown)
"""


class NewsdeskError(Exception):
    """Base of every error the core raises on purpose."""


class UserError(NewsdeskError):
    """An expected failure; str(exc) is safe to show to the person who asked."""


class ConfigError(UserError):
    """A config key is unknown or has a bad value; the message names the key."""


class NotAnArticle(UserError):
    """The input was read but holds no article."""


class NotAllowed(UserError):
    """The command is for admins only."""


class FetchError(UserError):
    """A URL could not be fetched; .reason is a short machine code (not_allowed, too_large, ...)."""

    def __init__(self, message: str, reason: str = "failed") -> None:
        super().__init__(message)
        self.reason = reason


class SourceExists(UserError):
    """The URL is already a source; .source_id names it."""

    def __init__(self, source_id: int) -> None:
        super().__init__(f"That address is already source {source_id}.")
        self.source_id = source_id


class StoreError(UserError):
    """The store cannot do what was asked; nothing stored was changed."""


class NotAStore(StoreError):
    """The file named as the store is not a newsdesk store; it is never written to."""


class StoreReadOnly(StoreError):
    """A write was asked of a store that can only be read."""


class StoreFull(StoreError):
    """The disk or the store's size limit is full; the write was rolled back."""


def store_error(exc: BaseException, where: str = "") -> StoreError | None:
    """The StoreError an sqlite3 exception means, or None when it is not about the store itself.

    SQLite's messages are fixed English strings, so they are matched here, in one place.
    """
    import sqlite3

    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    text = str(exc).lower()
    name = f"The store {where}" if where else "The store"
    file = where or "The store"
    if "readonly" in text or "read-only" in text:
        return StoreReadOnly(f"{name} is read-only: nothing was changed.")
    if "disk is full" in text or "database or disk is full" in text:
        return StoreFull(f"{name} cannot grow (the disk is full): nothing was changed; "
                         "free some space and try again.")
    if "malformed" in text or "not a database" in text:
        return NotAStore(f"{file} is not a newsdesk store any more (damaged: {text}); restore "
                         "it from a backup (see Operations in the README).")
    return None
