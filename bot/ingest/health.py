"""Source health as pure functions: backoff after failures, disabling, and how to say so."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot.errors import FetchError, NotAnArticle, UserError
from bot.ops import metrics

MAX_INTERVAL_S = 24 * 3600
DISABLE_AFTER_FAILURES = 10
DISABLE_AFTER_SPAN_S = 24 * 3600
# Failures that retrying will not fix by itself: give up sooner.
HOPELESS_REASONS = {"not_allowed", "bad_format"}
DISABLE_HOPELESS_AFTER = 3
_TIMES = ("failing_since", "last_failure_at", "last_success_at", "next_poll_at")


@dataclass(frozen=True)
class SourceHealth:
    """What the poller knows about one source; status is ok, failing or disabled."""

    status: str = "ok"
    failures: int = 0  # consecutive
    failing_since: datetime | None = None
    last_failure_at: datetime | None = None
    last_success_at: datetime | None = None
    reason: str | None = None  # FetchError reason code of the last failure
    message: str | None = None  # its one-sentence message, safe to show
    interval_s: int = 0  # the poll interval now in force (0: not polled yet)
    next_poll_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes as ISO 8601 strings."""
        data = asdict(self)
        for key in _TIMES:
            data[key] = data[key].isoformat() if data[key] is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceHealth:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in _TIMES:
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)


def _reason_and_message(error: UserError | str) -> tuple[str, str]:
    if isinstance(error, FetchError):
        return error.reason, str(error)
    if isinstance(error, NotAnArticle):
        return "bad_format", str(error)
    if isinstance(error, UserError):
        return "failed_requests", str(error)
    return error, _DEFAULT_MESSAGES.get(error, "The source could not be read.")


_DEFAULT_MESSAGES = {
    "not_allowed": "The address is on a private or local network.",
    "too_large": "The response was larger than the size limit.",
    "timeout": "The site did not answer in time.",
    "not_found": "The page was not found.",
    "http_error": "The site answered with an HTTP error.",
    "bad_format": "The response was neither a feed nor an article.",
    "failed_requests": "The site could not be reached.",
    "redirect_loop": "The site redirected too many times.",
}


def backoff_interval_s(base_interval_s: int, failures: int) -> int:
    """The poll interval after `failures` consecutive failures: doubling, capped at a day."""
    if failures <= 0:
        return base_interval_s
    return min(MAX_INTERVAL_S, base_interval_s * (1 << min(failures, 32)))


def after_failure(
    state: SourceHealth, error: UserError | str, now: datetime, *, base_interval_s: int
) -> SourceHealth:
    """The state after a failed poll; `error` is the exception raised or a reason code."""
    reason, message = _reason_and_message(error)
    metrics.fetch_failed(reason)
    failures = state.failures + 1
    since = state.failing_since or now
    interval = backoff_interval_s(base_interval_s, failures)
    hopeless = reason in HOPELESS_REASONS and failures >= DISABLE_HOPELESS_AFTER
    persistent = (
        failures >= DISABLE_AFTER_FAILURES and (now - since).total_seconds() >= DISABLE_AFTER_SPAN_S
    )
    disabled = state.status == "disabled" or hopeless or persistent
    return replace(
        state,
        status="disabled" if disabled else "failing",
        failures=failures,
        failing_since=since,
        last_failure_at=now,
        reason=reason,
        message=message,
        interval_s=interval,
        next_poll_at=None if disabled else now + timedelta(seconds=interval),
    )


def after_success(state: SourceHealth, now: datetime, *, base_interval_s: int) -> SourceHealth:
    """The state after a good poll (a 304 counts): back to the normal interval."""
    return SourceHealth(
        status="ok",
        last_success_at=now,
        interval_s=base_interval_s,
        next_poll_at=now + timedelta(seconds=base_interval_s),
    )


def enabled(state: SourceHealth, now: datetime, *, base_interval_s: int) -> SourceHealth:
    """The state after an admin re-enables a source: polled at once, failures forgotten."""
    return SourceHealth(
        last_success_at=state.last_success_at, interval_s=base_interval_s, next_poll_at=now
    )


def is_due(state: SourceHealth, now: datetime) -> bool:
    """True when the poller should fetch this source now."""
    if state.status == "disabled":
        return False
    return state.next_poll_at is None or state.next_poll_at <= now


def span_text(seconds: float) -> str:
    """A rough human duration: "45 minutes", "3 hours", "7 days"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}" + ("" if count == 1 else "s")
    return "less than a minute"


def describe(state: SourceHealth, source_id: int | str, now: datetime) -> str:
    """One sentence on a source's health for /source list and /source check."""
    if state.status == "ok":
        if state.last_success_at is None:
            return "Not polled yet."
        return f"OK; last fetched {span_text((now - state.last_success_at).total_seconds())} ago."
    cause = (state.message or "The source could not be read.").rstrip(". ")
    since = state.failing_since or state.last_failure_at or now
    count = f"{state.failures} failure" + ("" if state.failures == 1 else "s")
    over = span_text(
        (now - since).total_seconds()
        if state.status == "failing"
        else ((state.last_failure_at or now) - since).total_seconds()
    )
    if state.status == "disabled":
        return f"{cause}; disabled after {count} over {over}; /source enable {source_id} to retry."
    retry = ""
    if state.next_poll_at is not None:
        wait = max(0.0, (state.next_poll_at - now).total_seconds())
        retry = f"; next try in {span_text(wait)}" if wait >= 60 else "; next try shortly"
    return f"{cause}; failing for {over} ({count}){retry}."
