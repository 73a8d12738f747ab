"""Digest schedules: `daily 08:00`, `weekdays 07:30`, `every 6h`, cron; when a slot is due."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
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
_MONTH_NUMBERS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
# The Gregorian calendar repeats every 400 years: walking that many days sees every
# combination of day of month, month and weekday a cron expression can ask for.
_CALENDAR_CYCLE_DAYS = 146_097


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
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
        return None


def _looks_like_zone(word: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z_+\-0-9]*(/[A-Za-z0-9_+\-]+)+$", word))


def _clock(text: str, original: str) -> tuple[int, int]:
    match = _TIME.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UserError(f"{original!r} needs a time of day as HH:MM, for example 08:00.")
    return int(match.group(1)), int(match.group(2))


def _number(word: str, low: int, high: int, names: dict[str, int] | None = None) -> int:
    key = word.lower()[:3]
    if names and key in names:
        return names[key]
    if not (word.isascii() and word.isdigit()) or not low <= int(word) <= high:
        raise ValueError(word)
    return int(word)


def _cron_values(field: str, low: int, high: int,
                 names: dict[str, int] | None = None) -> set[int]:
    """The values one cron field stands for ("*/15", "1-5", "mon,wed", "8-18/2"...)."""
    values: set[int] = set()
    for part in field.split(","):
        body, slash, step_text = part.partition("/")
        if slash and not (step_text.isascii() and step_text.isdigit() and int(step_text) > 0):
            raise ValueError(part)
        step = int(step_text) if slash else 1
        if body in ("*", "?"):
            first, last = low, high
        elif "-" in body:
            first_text, last_text = body.split("-", 1)
            first, last = _number(first_text, low, high, names), _number(last_text, low, high,
                                                                         names)
        else:
            first = _number(body, low, high, names)
            last = high if slash else first
        if last < first:
            raise ValueError(part)
        values.update(range(first, last + 1, step))
    return values


def _weekdays(field: str) -> set[int]:
    """Cron weekdays as numbers from Sunday = 0 (7 is Sunday too, so "5-7" is Fri-Sun)."""
    return {d % 7 for d in _cron_values(field, 0, 7, _DAY_NUMBERS)}


def _cron_days(field: str) -> str:
    """Cron weekdays (0 or 7 = Sunday) as day names, which APScheduler reads unambiguously.

    APScheduler 3 numbers weekdays from Monday = 0, unlike cron, so numbers must not pass.
    """
    if field in ("*", "?"):
        return "*"
    return ",".join(_DAY_NAMES[d] for d in sorted(_weekdays(field)))


@dataclass(frozen=True)
class _Cron:
    """A five-field cron expression read into sets of values, as cron itself reads it."""

    minutes: set[int]
    hours: set[int]
    days: set[int]
    months: set[int]
    weekdays: set[int]
    # Vixie cron: when both day fields are restricted (neither starts with "*"), a day
    # matches if EITHER matches ("0 8 1 * 1" is every Monday and every 1st); otherwise both.
    either_day: bool

    @classmethod
    def read(cls, fields: list[str]) -> _Cron:
        minutes, hours, days, months, weekdays = fields
        return cls(_cron_values(minutes, 0, 59), _cron_values(hours, 0, 23),
                   _cron_values(days, 1, 31), _cron_values(months, 1, 12, _MONTH_NUMBERS),
                   _weekdays(weekdays),
                   not days.startswith(("*", "?")) and not weekdays.startswith(("*", "?")))

    def some_date_exists(self) -> bool:
        """Whether a day of month in the set exists in a month in the set (29 February does)."""
        longest = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
        return any(d <= longest.get(m, 31) for m in self.months for d in self.days)

    def fires_on(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        by_date = day.day in self.days
        by_weekday = day.isoweekday() % 7 in self.weekdays
        return by_date or by_weekday if self.either_day else by_date and by_weekday

    def shortest_gap(self) -> timedelta | None:
        """The shortest time between two slots in local clock time; None if it never fires.

        Slots within a day come from the minute and hour sets; between days the gap is
        shortest when two calendar days in a row fire, which one calendar cycle shows.
        """
        first = date(2000, 1, 1)
        fires, consecutive, before = False, False, False
        for offset in range(_CALENDAR_CYCLE_DAYS + 1):
            today = self.fires_on(first + timedelta(days=offset))
            consecutive = consecutive or (today and before)
            fires = fires or today
            before = today
            if consecutive:
                break
        if not fires:
            return None
        times = sorted(h * 60 + m for h in self.hours for m in self.minutes)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        if consecutive:
            gaps.append(24 * 60 - times[-1] + times[0])
        return timedelta(minutes=min(gaps)) if gaps else timedelta(days=1)


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
    fields = rest.split()
    cron = _Cron.read(fields)  # ValueError for anything cron would not read
    minutes, hours, days_of_month, months, weekdays = fields
    clock = {"minute": minutes, "hour": hours, "month": months, "timezone": zone}
    by_weekday = CronTrigger(day_of_week=_cron_days(weekdays), **clock)
    if cron.either_day and not cron.some_date_exists():
        return by_weekday  # "31 2": APScheduler would search for years on every call
    if cron.either_day:
        # APScheduler combines day and day_of_week with AND; cron means OR here.
        return OrTrigger([CronTrigger(day=days_of_month, **clock), by_weekday])
    return CronTrigger(day=days_of_month, day_of_week=_cron_days(weekdays), **clock)


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
            _weekdays(fields[4])
        except ValueError:
            raise UserError(f"The weekday field of {text!r} is not valid (0-7 or mon-sun).") \
                from None
        return "cron " + " ".join(fields)
    raise UserError(f"I can't read {text!r} as a schedule: {_HELP}.")


def _reads_as_schedule(words: list[str]) -> bool:
    try:
        _normalise(" ".join(words))
    except UserError:
        return False
    return True


def parse_schedule(text: str, default_timezone: str) -> DigestSchedule:
    """Read `/schedule digest` arguments; raise UserError with one clear sentence otherwise."""
    words = text.split()
    say_no_news = bool(words) and words[-1].lower() == NO_NEWS_FLAG
    if say_no_news:
        words = words[:-1]
    timezone = default_timezone
    if len(words) > 1 and not re.search(r"[*,]", words[-1]):
        last = words[-1]
        if _zone(last) is not None:
            timezone = words.pop()
        elif _looks_like_zone(last) or _reads_as_schedule(words[:-1]):
            # The schedule is fine without this word, so the word is a time zone gone wrong.
            raise UserError(f"Unknown time zone {last[:60]!r}: use an IANA name such as "
                            f"Europe/Berlin or America/New_York.")
    if not words:
        raise UserError(f"Say when: {_HELP}.")
    spec = _normalise(" ".join(words))
    schedule = DigestSchedule(spec, timezone, say_no_news)
    try:
        schedule.trigger()
    except ValueError:
        raise UserError(f"{' '.join(words)!r} is not a valid cron expression "
                        f"(minute hour day month weekday).") from None
    if spec.startswith("cron "):
        _check_gaps(_Cron.read(spec.split()[1:]), " ".join(words))
    return schedule


def _check_gaps(cron: _Cron, text: str) -> None:
    """Over the whole cron period, not a sample: any two slots at least MIN_GAP apart."""
    gap = cron.shortest_gap()
    if gap is None:
        raise UserError(f"{text!r} never comes round, so no digest would ever be posted.")
    if gap < MIN_GAP:
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
