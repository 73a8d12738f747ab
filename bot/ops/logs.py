"""Log setup for every command: text or JSON lines, tracebacks only on request, no secrets."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

# The environment variables that hold secrets (bot.config reads the same ones).
SECRET_VARS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")
NOISY = ("discord", "slack_bolt", "slack_sdk", "apscheduler", "aiohttp", "trafilatura")
REDACTED = "[redacted]"


def _secrets() -> list[str]:
    # Very short values would blank out ordinary words; real tokens are long.
    return [v for v in (os.environ.get(name, "") for name in SECRET_VARS) if len(v) >= 8]


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def _debug() -> bool:
    return bool(os.environ.get("NEWSDESK_DEBUG"))


class TextFormatter(logging.Formatter):
    """One line per record; tracebacks only with NEWSDESK_DEBUG=1; secrets replaced."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.secrets = _secrets()

    def format(self, record: logging.LogRecord) -> str:
        if not _debug():
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None,
                                            "exc_text": None})
        return redact(super().format(record), self.secrets)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: at, level, logger, message (and error, with details on)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets = _secrets()

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            if _debug():
                entry["traceback"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False), self.secrets)


def setup(verbose: bool, fmt: str = "text") -> None:
    """Configure the root logger, unless something (a test runner) already did."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    # Third-party libraries log request details at INFO; keep them out unless asked.
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.INFO if verbose else logging.WARNING)
