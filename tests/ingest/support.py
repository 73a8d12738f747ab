"""Assertions shared by the ingest tests."""

from __future__ import annotations

from pathlib import Path

from bot.config import FetchSettings

DATA = Path(__file__).parent / "data"
# The test server is on 127.0.0.1: exempt exactly that address, as a deployment would an intranet.
LOOPBACK_ONLY = FetchSettings(timeout_s=5, max_bytes=1_000_000, allow_networks=("127.0.0.1/32",))


def assert_one_sentence(message: str) -> None:
    """What a chat user sees: one line, one sentence, no exception text."""
    assert message and "\n" not in message
    assert message.endswith("."), message
    assert ". " not in message.rstrip("."), message
    for leak in ("Traceback", "Error(", "errno", "Exception", "secrets"):
        assert leak not in message, message
