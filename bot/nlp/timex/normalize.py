"""The normaliser: turns one matched time expression into a TimeML type, value and precision."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.nlp.timex.calendar import (
    day_value,
    duration_value,
    find_month,
    find_weekday,
    find_year,
    holiday_date,
    month_value,
    parse_number,
    quarter_of,
    shift,
    value_at_unit,
    week_value,
    weekday_near,
    year_for,
)
from bot.nlp.timex.context import Context, Normalised
from bot.nlp.timex.lexicon import (
    DECADE_WORDS,
    HOLIDAYS,
    NUMBER_WORDS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    SET_WORDS,
    VAGUE_COUNTS,
    VAGUE_REFS,
    WEEKDAYS,
)
from bot.nlp.timex.periods import anchored_weekday, century, half, week_of

_UNIT_RE = re.compile(
    r"(second|minute|hour|day|night|weekend|week|month|quarter|year|decade|centur(?:y|ie)"
    r"|millenni(?:um|a))s?\b",
    re.IGNORECASE,
)
_CLOCK_RE = re.compile(
    r"(\d{1,2})(?::(\d\d))?\s*(a\.?m|p\.?m|o'clock|in the (\w+))?", re.IGNORECASE
)
_DAY_RE = re.compile(r"(?<![\d:])([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])")
_PART_RE = re.compile(
    r"(mid[- ]?afternoon|morning|afternoon|evening|night|overnight|midday)", re.IGNORECASE
)
# "nineteen ninety-four": the second half of a spelled year may be ten to nineteen.
_SPELLED_TENS = {w: int(n) for w, n in NUMBER_WORDS.items() if 10 <= n <= 19}
_BACKWARD = ("last", "previous", "preceding", "prior", "latest", "most recent", "past")
_FORWARD = ("next", "following", "coming")


# "N units later" measured from an event: clock units always, calendar ones when no date precedes.
_CLOCK_UNITS = ("second", "minute", "hour")
_SHORT_UNITS = ("day", "night", "week")
# "Friday night", "Tuesday morning": news annotation mostly resolves these to the day itself, and a
# timeline wants the day; afternoons and evenings keep their part of day.
_DAY_LIKE_PARTS = ("TNI", "TMO")


def _part_suffix(text: str) -> str:
    match = _PART_RE.search(text)
    return "T" + PARTS_OF_DAY[match.group(1).lower().replace("-", " ")] if match else ""


def _spelled_year(text: str) -> int | None:
    words = re.findall(r"[a-z]+", text.lower())
    if "thousand" in words:
        rest = parse_number(
            " ".join(w for w in words if w not in ("the", "year", "two", "thousand"))
        )
        return 2000 + int(rest or 0)
    if not words or words[0] not in ("nineteen", "eighteen"):
        return None
    century = 1900 if words[0] == "nineteen" else 1800
    tail = [w for w in words[1:] if w not in ("hundred", "and")]
    if len(tail) == 1 and tail[0] in _SPELLED_TENS:
        return century + _SPELLED_TENS[tail[0]]
    return century + int(parse_number(" ".join(tail)) or 0)


def _the_year(text: str) -> int | None:
    spelled = re.search(r"(?:nineteen|eighteen|the year two).*", text, re.IGNORECASE)
    return find_year(text) or (_spelled_year(spelled.group(0)) if spelled else None)


def _clock(text: str, ctx: Context) -> Normalised | None:
    lower = text.lower()
    day = _day_in(text, ctx) or ctx.anchor or ctx.ref
    if "noon" in lower or "midday" in lower:
        return "TIME", f"{day_value(day)}T12:00", "time"
    if "midnight" in lower:
        return "TIME", f"{day_value(day)}T24:00", "time"
    match = _CLOCK_RE.search(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    marker = (match.group(3) or "").lower()
    if (marker.startswith("p") or match.group(4) in ("afternoon", "evening")) and hour < 12:
        hour += 12
    if marker.startswith("a") and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return "TIME", f"{day_value(day)}T{hour:02d}:{minute:02d}", "time"


def _day_in(text: str, ctx: Context) -> date | None:
    """The day a clock time is attached to ("5 p.m. Friday", "noon yesterday", "10 a.m. Nov. 6")."""
    lower = text.lower()
    weekday = find_weekday(text)
    if weekday is not None:
        return weekday_near(ctx.ref, weekday, ctx.tense)
    for word, offset in (("yesterday", -1), ("tomorrow", 1), ("today", 0), ("tonight", 0)):
        if word in lower:
            return ctx.ref + timedelta(days=offset)
    month = re.search(r"(?-i:[A-Z][a-z]{2})", text)  # the hour comes before the month name
    found = _date(text[month.start() :], ctx) if month else None
    return date.fromisoformat(found[1]) if found and found[2] == "day" else None


def _date(text: str, ctx: Context) -> Normalised | None:
    iso = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", text)
    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", text)
    try:
        if iso:
            return "DATE", day_value(date(*map(int, iso.groups()))), "day"
        if numeric:
            month, day_number, year = map(int, numeric.groups())
            year += 1900 if year < 100 and year > 30 else 2000 if year < 100 else 0
            return "DATE", day_value(date(year, month, day_number)), "day"
        named_month = find_month(text)
        without_year = re.sub(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", " ", text)
        day_match = _DAY_RE.search(without_year)
        if named_month is None or day_match is None:
            return None
        day_number = int(day_match.group(1))
        written = find_year(text) or year_for(ctx.ref, named_month, day_number, ctx.tense)
        return "DATE", day_value(date(written, named_month, day_number)), "day"
    except ValueError:
        return None


def _month_year(text: str, ctx: Context) -> Normalised | None:
    month = find_month(text)
    lower = text.lower()
    year = _the_year(text)
    if year is None:
        year = ctx.ref.year + (-1 if "last year" in lower else 1 if "next year" in lower else 0)
    return ("DATE", month_value(year, month), "month") if month else None


def _month(text: str, ctx: Context) -> Normalised | None:
    month = find_month(text)
    if month is None:
        return None
    lower = text.lower()
    if lower.startswith("last"):
        # the month just gone is "last month"; "last February" written in March is a year back
        year = ctx.ref.year if month < ctx.ref.month - 1 else ctx.ref.year - 1
    elif lower.startswith("next"):
        year = ctx.ref.year if month > ctx.ref.month else ctx.ref.year + 1
    elif lower.startswith("this"):
        year = ctx.ref.year
    else:
        year = year_for(ctx.ref, month, None, ctx.tense)
    return "DATE", month_value(year, month), "month"


def _quarter(text: str, ctx: Context) -> Normalised | None:
    lower = text.lower()
    ordinal = re.search(r"(first|second|third|fourth|1st|2nd|3rd|4th)", lower)
    year = find_year(text)
    if not ordinal:  # "the 1988 quarter": the quarter in focus, in that year
        focus = _period("latest", ctx)
        return ("DATE", f"{year:04d}{focus[1][4:]}", "quarter") if year and focus else None
    number = ORDINALS[ordinal.group(1)]
    if year is None:
        year = ctx.ref.year
        if "last year" in lower or "year-earlier" in lower or "year-ago" in lower:
            year -= 1
        elif "next year" in lower:
            year += 1
        elif "half" not in lower and number > quarter_of(ctx.ref) and ctx.tense == "past":
            year -= 1
    if "half" in lower:
        return "DATE", f"{year:04d}-H{min(number, 2)}", None
    return "DATE", f"{year:04d}-Q{number}", "quarter"


def _decade(text: str, ctx: Context) -> Normalised | None:
    digits = re.search(r"(\d{4}|'\d0|\d0)", text)
    if digits:
        found = digits.group(1).lstrip("'")
        if len(found) == 2:
            found = ("20" if 2000 + int(found) <= ctx.ref.year else "19") + found
        return "DATE", found[:3], "decade"
    for word, tens in DECADE_WORDS.items():
        if word in text.lower():
            return "DATE", f"19{tens}", "decade"
    return None


def _year(text: str, ctx: Context) -> Normalised | None:
    year = _the_year(text)
    return ("DATE", f"{year:04d}", "year") if year else None


def _weekday(text: str, ctx: Context) -> Normalised | None:
    weekday = find_weekday(text)
    if weekday is None:
        return None
    modifier = re.match(r"(this past|this coming|last|next|past|this|coming)\b", text.lower())
    word = modifier.group(1) if modifier else ""
    tense = "future" if "coming" in word else ctx.tense
    day = weekday_near(ctx.ref, weekday, tense, word)
    suffix = _part_suffix(text)
    if suffix and suffix not in _DAY_LIKE_PARTS:
        return "TIME", day_value(day) + suffix, "time"
    return "DATE", day_value(day), "day"


def _relday(text: str, ctx: Context) -> Normalised | None:
    lower = text.lower()
    offset = 0
    if "yesterday" in lower or lower.startswith("last"):
        offset = -1
    elif "tomorrow" in lower:
        offset = 1
    if "day before" in lower:
        offset -= 1
    elif "day after" in lower:
        offset += 1
    day = ctx.ref + timedelta(days=offset)
    suffix = _part_suffix(text) or ("TNI" if "tonight" in lower else "")
    if suffix:
        return "TIME", day_value(day) + suffix, "time"
    return "DATE", day_value(day), "day"


def _ago(text: str, ctx: Context) -> Normalised | None:
    lower = text.lower()
    unit = _UNIT_RE.search(text)
    if not unit:
        return None
    count = parse_number(lower[: unit.start()])
    if count is not None and "and a half" in lower[unit.end() :]:
        count += 0.5
    backward = re.search(r"\b(ago|earlier|before|back)\b", lower) is not None
    if count is None or any(f"{word} " in lower for word in VAGUE_COUNTS):
        if re.search(r"\b(ago|from now|hence)\b", lower) is None:
            # "a few days later" counts from a date the text gives, not from now: only its length
            return "DURATION", duration_value(None, unit.group(1)), None
        return "DATE", "PAST_REF" if backward else "FUTURE_REF", None
    if backward and whole_year(count, unit.group(1)) and ctx.quarter:
        return "DATE", _year_before(ctx.quarter), "quarter"  # results compared with a year ago
    deictic = re.search(r"\b(ago|from now|hence|back)\b", lower) is not None
    short = unit.group(1).lower() in _CLOCK_UNITS or (
        unit.group(1).lower() in _SHORT_UNITS and ctx.anchor is None
    )
    if not deictic and short:
        # "an hour later", or "three days later" with no date written before: it counts from an
        # event, not from the calendar, so TimeML keeps only its length
        return "DURATION", duration_value(count, unit.group(1)), None
    base = ctx.ref if deictic or ctx.anchor is None else ctx.anchor
    whole = int(count)
    moved = shift(base, -whole if backward else whole, unit.group(1))
    value, precision = value_at_unit(moved, unit.group(1))
    return "DATE", value, precision


def whole_year(count: float, unit: str) -> bool:
    return count == 1 and unit.lower().startswith("year")


def _year_before(quarter: str) -> str:
    return f"{int(quarter[:4]) - 1:04d}{quarter[4:]}"


def _deictic(text: str, ctx: Context) -> Normalised | None:
    lower = " ".join(text.lower().split())
    if lower in ("year-end", "year's end", "the end of the year", "year end", "around year end"):
        return "DATE", f"{ctx.ref.year:04d}", "year"
    if re.fullmatch(r"(?:the )?past (decade|century)", lower):
        # "over the past decade" is the ten years up to now, like "the past ten years"
        return "DURATION", "P10Y" if lower.endswith("decade") else "P100Y", None
    if lower in ("year-earlier", "year-ago"):
        if ctx.quarter:
            return "DATE", _year_before(ctx.quarter), "quarter"
        return "DATE", f"{ctx.ref.year - 1:04d}", "year"
    unit = lower.split()[-1]
    determiner = re.search(
        r"\b(this past|this coming|this|last|next|that|same|following|previous|preceding|prior"
        r"|current|latest|most recent|past|coming|year-earlier|year-ago|first|final|full)\b",
        lower,
    )
    word = determiner.group(1).removeprefix("this ") if determiner else "the"
    if word == "full" and unit == "year":
        return "DATE", f"{ctx.ref.year:04d}", "year"  # "the full year" is this year, whole
    if unit in SEASONS:
        return _season_relative(word, SEASONS[unit], ctx)
    if unit in ("morning", "afternoon", "evening", "night", "day"):
        if word in ("the", "this", "current"):
            return None  # "the day", "the night" name no particular day
        return _day_relative(word, unit, ctx)
    if unit == "period":
        return _period(word, ctx)
    if unit == "weekend":
        return _weekend(word, ctx)
    if word in ("year-earlier", "year-ago"):
        return _period(word, ctx)
    if word == "the" and unit == "year":
        return "DURATION", "P1Y", None
    if unit == "quarter" and word in ("the", "latest", "most recent", "that", "same"):
        return _period("latest", ctx)  # the quarter being reported on
    step = -1 if word in _BACKWARD else 1 if word in _FORWARD else 0
    base = (
        ctx.anchor
        if word in ("that", "same", "following", "previous", "preceding") and ctx.anchor
        else ctx.ref
    )
    if unit == "month" and word in ("that", "same", "following", "previous", "preceding"):
        base = ctx.month or base  # "In March ... The following month": April
    if (
        unit == "year"
        and word in ("that", "same", "following", "previous", "preceding")
        and ctx.year
    ):
        base = date(ctx.year, 6, 30)
    if word in ("first", "final"):
        return None
    value, precision = value_at_unit(shift(base, step, unit), unit)
    return "DATE", value, precision if precision != "century" else None


def _period(word: str, ctx: Context) -> Normalised | None:
    """A reporting period ("the year-ago quarter", "the latest period"): the quarter in focus."""
    previous = shift(ctx.ref, -1, "quarter")
    quarter = ctx.quarter or f"{previous.year:04d}-Q{quarter_of(previous)}"
    if word in ("year-earlier", "year-ago"):
        return "DATE", _year_before(quarter), "quarter"
    if word in ("latest", "most recent", "same", "current"):
        return "DATE", quarter, "quarter"
    return None


def _day_relative(word: str, unit: str, ctx: Context) -> Normalised | None:
    base = ctx.anchor or ctx.ref
    if word in ("this", "current", "the"):
        base = ctx.ref
    step = -1 if word in _BACKWARD else 1 if word in _FORWARD else 0
    day = base + timedelta(days=step)
    if unit == "day":
        return "DATE", day_value(day), "day"
    return "TIME", day_value(day) + _part_suffix(unit), "time"


def _weekend(word: str, ctx: Context) -> Normalised:
    saturday = weekday_near(
        ctx.ref, 5, ctx.tense, "next" if word in _FORWARD else "last" if word in _BACKWARD else ""
    )
    if word == "this" and ctx.ref.weekday() < 5:
        saturday = weekday_near(ctx.ref, 5, "future")
    return "DATE", week_value(saturday) + "-WE", "week"


def _season_relative(word: str, code: str, ctx: Context) -> Normalised:
    start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    year = ctx.ref.year
    if word in _BACKWARD and start + 3 > ctx.ref.month:
        year -= 1
    elif word in _FORWARD and start <= ctx.ref.month:
        year += 1
    elif word in ("the", "that") and ctx.tense == "past" and start > ctx.ref.month:
        year -= 1
    return "DATE", f"{year:04d}-{code}", None


def _season(text: str, ctx: Context) -> Normalised | None:
    code = next(c for word, c in SEASONS.items() if word in text.lower())
    year = _the_year(text)
    if year is None:
        return _season_relative("the", code, ctx)
    return "DATE", f"{year:04d}-{code}", None


def _holiday(text: str, ctx: Context) -> Normalised | None:
    lower = text.lower()
    name = next((n for n in sorted(HOLIDAYS, key=len, reverse=True) if n in lower), None)
    if name is None:
        return None
    tense = (
        "past" if lower.startswith("last") else "future" if lower.startswith("next") else ctx.tense
    )
    this_year = holiday_date(HOLIDAYS[name], ctx.ref.year)
    year = year_for(ctx.ref, this_year.month, this_year.day, tense)
    day = holiday_date(HOLIDAYS[name], year)
    if lower.endswith(" week"):
        return "DATE", week_value(day), "week"  # "Easter week": the week the holiday falls in
    return "DATE", day_value(day), "day"


def _duration(text: str, ctx: Context) -> Normalised | None:
    lower = text.lower()
    if lower.startswith(("decades", "centuries")):
        return "DURATION", "PXE" if lower.startswith("decades") else "PXC", None
    unit = _UNIT_RE.search(text)
    if not unit or (unit.group(0)[0].isupper() and text[0].isdigit()):
        return None  # "60 Minutes", "48 Hours" are programme titles
    head = lower[: unit.start()]
    vague = any(re.search(rf"\b{word}\b", head) for word in VAGUE_COUNTS)
    ranged = re.search(r"(\S+)\s+(?:to|or|-)\s+\S+\s*$", head)
    if ranged and parse_number(ranged.group(1)) is not None:
        head = head[: ranged.end(1)]  # "two to three weeks" counts as its lower bound
    count = None if vague else parse_number(head)
    if count is not None and "and a half" in lower[unit.end() :]:
        count += 0.5  # "an hour and a half"
    if not vague and count is None:
        count = (
            None if unit.group(0).lower().endswith("s") and not head.strip() else 1
        )  # "for years"
    if (
        count == 1
        and unit.group(1).lower() in ("second", "quarter")
        and head.strip() in ("a", "an")
    ):
        return None  # "a second round", "a quarter of the staff" are not durations
    return "DURATION", duration_value(count, unit.group(1)), None


def _set_word(text: str, ctx: Context) -> Normalised | None:
    return "SET", SET_WORDS[text.lower()], None


def _set_phrase(text: str, ctx: Context) -> Normalised | None:
    weekday = find_weekday(text)
    if weekday is not None:
        return "SET", f"XXXX-WXX-{weekday + 1}{_part_suffix(text)}", None
    month = find_month(text) if re.match(r"(every|each|per)\s", text, re.IGNORECASE) else None
    if month is not None:
        return "SET", f"XXXX-{month:02d}", None
    part = _part_suffix(text)
    if part:
        return "SET", f"XXXX-XX-XX{part}", None
    unit = _UNIT_RE.search(text)
    other = 2 if "other" in text.lower() else 1
    return ("SET", duration_value(other, unit.group(1)), None) if unit else None


def _vague(text: str, ctx: Context) -> Normalised | None:
    return "DATE", VAGUE_REFS[" ".join(text.lower().split())], None


HANDLERS: dict[str, Callable[[str, Context], Normalised | None]] = {
    "half": half,
    "century": century,
    "week_of": week_of,
    "anchored_weekday": anchored_weekday,
    "clock": _clock,
    "date": _date,
    "month_year": _month_year,
    "month": _month,
    "quarter": _quarter,
    "decade": _decade,
    "year": _year,
    "weekday": _weekday,
    "relday": _relday,
    "ago": _ago,
    "deictic": _deictic,
    "season": _season,
    "holiday": _holiday,
    "duration": _duration,
    "set_word": _set_word,
    "set_phrase": _set_phrase,
    "vague": _vague,
}


def normalise(rule: str, text: str, ctx: Context) -> Normalised | None:
    """TimeML (type, value, precision) of text matched by `rule`, or None when it is no timex."""
    return HANDLERS[rule](text, ctx)


__all__ = ["Context", "Normalised", "normalise", "WEEKDAYS"]
