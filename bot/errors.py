"""Exceptions of the core, as one tree.

    NewsdeskError
    ├── UserError          expected; str(exc) is one sentence safe to show the person who asked
    │   ├── ConfigError    a bad or unknown config key (the message names the key)
    │   ├── NotAnArticle   input that parses but holds no article
    │   ├── FetchError     a URL could not be fetched (reason code in .reason)
    │   ├── NotAllowed     the request needs admin rights
    │   └── SourceExists   the URL is already a source (.source_id names it)
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
