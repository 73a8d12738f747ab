"""Normalisers for periods named around another date: halves, centuries, "the week of", "the
previous Friday"."""

from __future__ import annotations

import re
from datetime import date

from bot.nlp.timex.calendar import (
    find_month,
    find_weekday,
    find_year,
    week_value,
    weekday_near,
    year_for,
)
from bot.nlp.timex.context import Context, Normalised

ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
}
_DAY_AFTER_MONTH_RE = re.compile(r"[A-Za-z.]+\s+(\d{1,2})(?!\d)")


def half(text: str, ctx: Context) -> Normalised | None:
    """ "the first half of 1990" is 1990-H1; a half of a decade keeps the decade's value."""
    lower = text.lower()
    decade = re.search(r"(?:(1[5-9]|20)(\d)0|'(\d)0)s", lower)
    if decade:
        century = decade.group(1) or (
            "19" if 1900 + int(decade.group(3)) * 10 <= ctx.ref.year else "20"
        )
        return "DATE", f"{century}{decade.group(2) or decade.group(3)}", "decade"
    year = find_year(text) or ctx.ref.year
    if "last year" in lower:
        year = ctx.ref.year - 1
    elif "next year" in lower:
        year = ctx.ref.year + 1
    number = 1 if re.search(r"\bfirst\b", lower) else 2
    return "DATE", f"{year:04d}-H{number}", None


def century(text: str, ctx: Context) -> Normalised | None:
    """ "the 20th century" is 19; "this century" and "the past century" span a hundred years."""
    lower = " ".join(text.lower().split())
    if lower.endswith(("this century", "past century", "the current century")):
        return "DURATION", "P100Y", None  # the span of living memory, not a calendar century
    numeric = re.search(r"(\d{1,2})(?:st|nd|rd|th)", lower)
    ordinal = numeric and int(numeric.group(1))
    if not ordinal:
        ordinal = next((n for word, n in ORDINAL_WORDS.items() if f"{word} century" in lower), 0)
    return ("DATE", f"{ordinal - 1:02d}", "century") if ordinal else None


def week_of(text: str, ctx: Context) -> Normalised | None:
    """ "the week of March 6" is the ISO week holding that day; "the weekend of" its weekend."""
    month = find_month(text)
    day_match = _DAY_AFTER_MONTH_RE.search(text[text.lower().index(" of ") :])
    if month is None or day_match is None:
        return None
    day_number = int(day_match.group(1))
    try:
        year = find_year(text) or year_for(ctx.ref, month, day_number, ctx.tense)
        day = date(year, month, day_number)
    except ValueError:
        return None
    suffix = "-WE" if "weekend" in text.lower() else ""
    return "DATE", week_value(day) + suffix, "week"


def anchored_weekday(text: str, ctx: Context) -> Normalised | None:
    """ "the previous Friday" and "the following Monday" count from the date last talked about."""
    weekday = find_weekday(text)
    if weekday is None:
        return None
    base = ctx.anchor or ctx.ref
    lower = text.lower()
    if re.search(r"\b(previous|preceding|prior)\b", lower):
        day = weekday_near(base, weekday, "past", "last")
    else:
        day = weekday_near(base, weekday, "future", "next")
    return "DATE", day.isoformat(), "day"
