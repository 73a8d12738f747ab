"""Digest schedules: `daily 08:00`, `weekdays 07:30`, `every 6h`, cron; when a slot is due."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.errors import UserError

MIN_GAP = timedelta(minutes=5)  # a digest more often than this is a flood, not a digest
NO_NEWS_FLAG = "always"  # trailing word: post a one-line "no news" rather than nothing
_HELP = ("use daily 08:00, weekdays 07:30, every 6h or a cron expression such as "
         "'30 7 * * 1-5', optionally followed by a time zone such as Europe/Berlin")
_TIME = re.compile(r"^(?:at\s+)?(\d{1,2})[:.](\d{2})$")
_EVERY = re.compile(r"^every\s+(\d+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)$")
_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DAY_NUMBERS = {name: i for i, name in enumerate(_DAY_NAMES)}


@dataclass(frozen=True)
class DigestSchedule:
    """A channel's digest schedule: a normalised spec and the IANA zone it is read in."""

    spec: str  # "daily 08:00" | "weekdays 07:30" | "every 6h" | "cron 30 7 * * 1-5"
    timezone: str
    say_no_news: bool = False

    def trigger(self, anchor_at: datetime | None = None) -> BaseTrigger:
        """The APScheduler trigger; `anchor_at` places uneven intervals (default: the epoch)."""
        return _trigger(self.spec, ZoneInfo(self.timezone), anchor_at)

    def describe(self) -> str:
        text = self.spec.removeprefix("cron ")
        if self.spec.startswith("cron "):
            text = f"cron '{text}'"
        return f"{text} ({self.timezone})"


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _looks_like_zone(word: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z_+\-0-9]*(/[A-Za-z0-9_+\-]+)+$", word))


def _clock(text: str, original: str) -> tuple[int, int]:
    match = _TIME.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UserError(f"{original!r} needs a time of day as HH:MM, for example 08:00.")
    return int(match.group(1)), int(match.group(2))


def _cron_days(field: str) -> str:
    """Cron weekdays (0 or 7 = Sunday) as day names, which APScheduler reads unambiguously.

    APScheduler 3 numbers weekdays from Monday = 0, unlike cron, so numbers must not pass.
    """
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()

    def number(word: str) -> int:
        word = word.lower()[:3]
        value = _DAY_NUMBERS.get(word)
        if value is None:
            if not word.isdigit() or int(word) > 7:
                raise ValueError(word)
            value = int(word) % 7
        return value

    for part in field.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(part)
        if body == "*":
            first, last = 0, 6
        elif "-" in body:
            low, high = body.split("-", 1)
            first, last = number(low), number(high)
            if high.strip() == "7":
                last = 7  # "5-7" is Friday to Sunday
        else:
            first = last = number(body)
            if step_text:
                last = 6
        if last < first:
            raise ValueError(part)
        days.update(d % 7 for d in range(first, last + 1, step))
    return ",".join(_DAY_NAMES[d] for d in sorted(days))


def _trigger(spec: str, zone: ZoneInfo, anchor_at: datetime | None) -> BaseTrigger:
    kind, _, rest = spec.partition(" ")
    if kind in ("daily", "weekdays"):
        hour, minute = (int(x) for x in rest.split(":"))
        days = "mon-fri" if kind == "weekdays" else "*"
        return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=zone)
    if kind == "every":
        seconds = int(rest[:-1]) * {"m": 60, "h": 3600, "d": 86400}[rest[-1]]
        # Intervals that divide a day (or an hour) keep to the clock across DST changes:
        # every 6h means 00, 06, 12 and 18 local time, not six hours after it was set.
        if rest.endswith("h") and 24 % int(rest[:-1]) == 0:
            return CronTrigger(hour=f"*/{rest[:-1]}", minute=0, timezone=zone)
        if rest.endswith("m") and 60 % int(rest[:-1]) == 0:
            return CronTrigger(minute=f"*/{rest[:-1]}", timezone=zone)
        if rest == "1d":
            return CronTrigger(hour=0, minute=0, timezone=zone)
        start = anchor_at or datetime(1970, 1, 1, tzinfo=zone)
        return IntervalTrigger(seconds=seconds, start_date=start, timezone=zone)
    minutes, hours, days_of_month, months, weekdays = rest.split()
    return CronTrigger(minute=minutes, hour=hours, day=days_of_month, month=months,
                       day_of_week=_cron_days(weekdays), timezone=zone)


def _normalise(text: str) -> str:
    words = text.lower().split()
    head = words[0] if words else ""
    if head in ("daily", "weekdays"):
        hour, minute = _clock(" ".join(words[1:]), text)
        return f"{head} {hour:02d}:{minute:02d}"
    if head == "every":
        match = _EVERY.match(" ".join(words))
        if not match:
            raise UserError(f"{text!r} needs an interval such as 'every 6h' or 'every 30m'.")
        count, unit = int(match.group(1)), match.group(2)[0]
        seconds = count * {"m": 60, "h": 3600, "d": 86400}[unit]
        if seconds < MIN_GAP.total_seconds() or seconds > 31 * 86400:
            raise UserError("A digest interval must be between 5 minutes and 31 days.")
        return f"every {count}{unit}"
    fields = text.split()
    if len(fields) == 5 and not any(c.isalpha() for c in "".join(fields[:3])):
        try:
            _cron_days(fields[4])
        except ValueError:
            raise UserError(f"The weekday field of {text!r} is not valid (0-7 or mon-sun).") \
                from None
        return "cron " + " ".join(fields)
    raise UserError(f"I can't read {text!r} as a schedule: {_HELP}.")


def parse_schedule(text: str, default_timezone: str) -> DigestSchedule:
    """Read `/schedule digest` arguments; raise UserError with one clear sentence otherwise."""
    words = text.split()
    say_no_news = bool(words) and words[-1].lower() == NO_NEWS_FLAG
    if say_no_news:
        words = words[:-1]
    timezone = default_timezone
    if len(words) > 1 and (_looks_like_zone(words[-1]) or _zone(words[-1])) \
            and not re.search(r"[*,]", words[-1]):
        if _zone(words[-1]) is None:
            raise UserError(f"Unknown time zone {words[-1]!r}: use an IANA name such as "
                            f"Europe/Berlin or America/New_York.")
        timezone = words.pop()
    if not words:
        raise UserError(f"Say when: {_HELP}.")
    spec = _normalise(" ".join(words))
    schedule = DigestSchedule(spec, timezone, say_no_news)
    try:
        trigger = schedule.trigger()
    except ValueError:
        raise UserError(f"{' '.join(words)!r} is not a valid cron expression "
                        f"(minute hour day month weekday).") from None
    _check_gaps(trigger, ' '.join(words))
    return schedule


def _check_gaps(trigger: BaseTrigger, text: str) -> None:
    times: list[datetime] = []
    after = datetime(2030, 1, 1, tzinfo=ZoneInfo("UTC"))
    for _ in range(4):
        slot = next_slot(trigger, after)
        if slot is None:
            break
        times.append(slot)
        after = slot
    if not times:
        raise UserError(f"{text!r} never comes round, so no digest would ever be posted.")
    if any(b - a < MIN_GAP for a, b in zip(times, times[1:], strict=False)):
        raise UserError(f"{text!r} is too often: digests can come at most every 5 minutes.")


# ------------------------------------------------------------------ due slots


def next_slot(trigger: BaseTrigger, after: datetime) -> datetime | None:
    """The first slot strictly after `after`."""
    return trigger.get_next_fire_time(None, after + timedelta(microseconds=1))


_WINDOWS = (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32),
            timedelta(days=367))


def due_slot(trigger: BaseTrigger, last_run_at: datetime, now: datetime) -> datetime | None:
    """The latest slot in (last_run_at, now], or None: missed slots coalesce into the last one."""
    first = next_slot(trigger, last_run_at)
    if first is None or first > now:
        return None
    slot = first
    # Jump close to `now` before walking, so a long downtime does not mean walking every slot.
    for window in _WINDOWS:
        candidate = next_slot(trigger, max(last_run_at, now - window))
        if candidate is not None and candidate <= now:
            slot = candidate
            break
    while True:
        following = next_slot(trigger, slot)
        if following is None or following > now:
            return slot
        slot = following
