"""Progress of a long command: an adapter that can show it sets a reporter around the request."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar

log = logging.getLogger(__name__)

Reporter = Callable[[str], Awaitable[None]]
# A context variable rather than a Request field: each answer runs in its own task (its own
# context), and the core's handlers keep their one-argument signature.
_reporter: ContextVar[Reporter | None] = ContextVar("newsdesk_progress", default=None)


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Within this block, `report` shows its text to the person who asked."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


async def report(text: str) -> None:
    """Tell the person who asked how far a long command has come; a no-op where nobody can
    be told (the console, the CLI), and never a reason for the command itself to fail."""
    reporter = _reporter.get()
    if reporter is None:
        return
    try:
        await reporter(text)
    except Exception:  # a lost progress line must not cost the answer
        log.warning("progress could not be shown", exc_info=True)
