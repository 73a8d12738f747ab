"""Calendar arithmetic and TimeML value formatting for the time-expression normaliser."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import MO, TH, TU, relativedelta

from bot.nlp.timex.lexicon import MONTHS, NUMBER_WORDS, UNITS, WEEKDAYS

# Direction a clause points in: "past", "future", or None (present or unknown).
Tense = str | None

_MONTH_RE = re.compile(
    r"(?-i:(January|Jan\.?|February|Feb\.?|March|Mar\.|April|Apr\.?|May|June?|July?|August|Aug\.?"
    r"|September|Sept?\.?|October|Oct\.?|November|Nov\.?|December|Dec\.?))(?![a-z])"
)
_WEEKDAY_RE = re.compile(r"(?-i:(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)")
_YEAR_RE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_NUMBER_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|[a-z]+", re.IGNORECASE)


def day_value(d: date) -> str:
    return d.isoformat()


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_value(d: date) -> str:
    iso_year, week, _ = d.isocalendar()
    return f"{iso_year:04d}-W{week:02d}"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def find_month(text: str) -> int | None:
    match = _MONTH_RE.search(text)
    return MONTHS[match.group(1).lower().rstrip(".")] if match else None


def find_weekday(text: str) -> int | None:
    match = _WEEKDAY_RE.search(text)
    return WEEKDAYS[match.group(0).lower()] if match else None


def find_year(text: str) -> int | None:
    match = _YEAR_RE.search(text)
    return int(match.group(1)) if match else None


def parse_number(text: str) -> float | None:
    """Value of a count such as "twenty four", "2 1/2", "a couple of", "half an"; None if vague."""
    text = text.lower().replace("-", " ")
    if "1/2" in text or "and a half" in text:
        base = parse_number(text.replace("1/2", "").replace("and a half", "")) or 0
        return base + 0.5
    total = 0.0
    seen = False
    for token in _NUMBER_TOKEN_RE.findall(text):
        if token[0].isdigit():
            total += float(token)
            seen = True
        elif token in ("hundred", "hundreds", "thousand"):
            total = max(total, 1) * NUMBER_WORDS[token.rstrip("s")]
            seen = True
        elif token == "half":
            total = total + 0.5 if seen else 0.5
            seen = True
        elif token in NUMBER_WORDS and token not in ("a", "an"):
            total += NUMBER_WORDS[token]
            seen = True
    if not seen and re.search(r"\ban?\b", text):
        return 1.0
    return total if seen else None


def unit_code(word: str) -> tuple[str, bool]:
    """TimeML unit letter of a unit word in any number ("years" -> ("Y", False))."""
    word = word.lower().rstrip("s")
    return UNITS.get(word, UNITS.get(word + "y", ("X", False)))


_CALENDAR_FINER = {"Y": (12, "M"), "D": (24, "H")}  # half a unit, written in the next unit down
_CLOCK_FINER = {"H": (60, "M"), "M": (60, "S")}


def duration_value(count: float | None, unit: str) -> str:
    letter, is_clock = unit_code(unit)
    prefix = "PT" if is_clock else "P"
    if letter == "WE":
        letter, count = "D", (count or 1) * 2
    if letter in ("E", "C") and count is not None:  # "two decades" reads P20Y in news annotation
        letter, count = "Y", count * (10 if letter == "E" else 100)
    if count is None:
        return f"{prefix}X{letter}"
    if count != int(count):
        whole = int(count)
        finer = (_CLOCK_FINER if is_clock else _CALENDAR_FINER).get(letter)
        if finer and count - whole == 0.5:
            sub_prefix = "T" if letter == "D" else ""
            head = f"{prefix}{whole}{letter}" if whole else prefix
            return f"{head}{sub_prefix}{finer[0] // 2}{finer[1]}"
        return f"{prefix}{count:g}{letter}"
    return f"{prefix}{int(count)}{letter}"


def shift(d: date, count: int, unit: str) -> date:
    letter, _ = unit_code(unit)
    steps = {
        "D": relativedelta(days=count),
        "W": relativedelta(weeks=count),
        "WE": relativedelta(weeks=count),
        "M": relativedelta(months=count),
        "Q": relativedelta(months=3 * count),
        "Y": relativedelta(years=count),
        "E": relativedelta(years=10 * count),
        "C": relativedelta(years=100 * count),
    }
    return d + steps.get(letter, relativedelta())


def value_at_unit(d: date, unit: str) -> tuple[str, str]:
    """The TimeML value of the period of size `unit` containing d, and its precision."""
    letter, is_clock = unit_code(unit)
    if is_clock or letter == "D":
        return day_value(d), "day"
    if letter in ("W", "WE"):
        return week_value(d), "week"
    if letter == "M":
        return month_value(d.year, d.month), "month"
    if letter == "Q":
        return f"{d.year:04d}-Q{quarter_of(d)}", "quarter"
    if letter == "E":
        return f"{d.year // 10:03d}", "decade"
    if letter == "C":
        return f"{d.year // 100:02d}", "century"
    return f"{d.year:04d}", "year"


def weekday_near(ref: date, weekday: int, tense: Tense, modifier: str = "") -> date:
    """The weekday meant relative to ref: back for the past, ahead for the future."""
    ahead = (weekday - ref.weekday()) % 7
    if modifier == "next":
        return ref + timedelta(days=ahead or 7)
    if modifier in ("last", "past", "this past"):
        return ref - timedelta(days=(7 - ahead) % 7 or 7)
    if ahead == 0:
        return ref
    if tense in ("future", "present"):  # "talks begin Monday" is a plan
        return ref + timedelta(days=ahead)
    return ref - timedelta(days=7 - ahead)


def year_for(ref: date, month: int, day: int | None, tense: Tense) -> int:
    """Year of a month (and day) written without one: back for the past, ahead for the future,
    else the nearest such date to ref."""
    candidates = {
        year: date(year, month, min(day or 15, 28))
        for year in (ref.year - 1, ref.year, ref.year + 1)
    }
    if day is None and month == ref.month:
        return ref.year
    if day is not None and abs((candidates[ref.year] - ref).days) <= 31:
        return ref.year  # a day within a month of publication is this year's, whatever the tense
    if tense == "past" and day is None and 0 < month - ref.month <= 1:
        return ref.year  # next month, even in a past-tense report, is mostly this year's
    if tense == "past":
        return max(
            year
            for year, d in candidates.items()
            if d <= ref or (day is None and d.month == ref.month)
        )
    if tense == "future":
        return min(year for year, d in candidates.items() if d >= ref)
    return min(candidates, key=lambda year: abs((candidates[year] - ref).days))


def holiday_date(name: str | tuple[int, int], year: int) -> date:
    if isinstance(name, tuple):
        return date(year, name[0], name[1])
    if name == "easter":
        return easter(year)
    if name == "thanksgiving":
        return date(year, 11, 1) + relativedelta(weekday=TH(4))
    if name == "election":  # US general elections: the Tuesday after the first Monday of November
        return date(year, 11, 2) + relativedelta(weekday=TU(1))
    if name == "labor":
        return date(year, 9, 1) + relativedelta(weekday=MO(1))
    return date(year, 5, 31) + relativedelta(weekday=MO(-1))
