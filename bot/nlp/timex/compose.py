"""Time expressions built on a neighbouring one: "the day before Tuesday", "April 24 and 25"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.models import TimeMention

# "the day before last Tuesday's hearing": one day off a day the text names.
_DAY_OFFSET_RE = re.compile(r"(?i)\b(the\s+)?day\s+(before|after)\s+$")
# "on April 24 and 25": the second day borrows the month (and year) of the first. The day must
# end the phrase, so "May 5 and 6 others" or "June 3 and 40 percent" stay out.
_SECOND_DAY_RE = re.compile(
    r"\s+(?:and|or|to)\s+((?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?)"
    r"(?=\s*[.,;:)]|\s+(?:in|at|on|when|as|and|but|with|before|after|to)\b)"
)


def day_offset(body: str, mention: TimeMention) -> TimeMention:
    """mention widened to "the day before/after" it names, when the text says so."""
    if mention.precision != "day" or not mention.value[:4].isdigit():
        return mention
    found = _DAY_OFFSET_RE.search(body, max(0, mention.start - 20), mention.start)
    if found is None:
        return mention
    step = -1 if found.group(2).lower() == "before" else 1
    day = date.fromisoformat(mention.value[:10]) + timedelta(days=step)
    text = body[found.start() : mention.end]
    return TimeMention(found.start(), mention.end, text, "DATE", day.isoformat(), "day")


def second_day(body: str, mention: TimeMention) -> TimeMention | None:
    """The "25" of "April 24 and 25", as a date of its own; None when there is none."""
    if mention.precision != "day" or not re.fullmatch(r"\d{4}-\d\d-\d\d", mention.value):
        return None
    if not mention.text[-1:].isdigit() and not mention.text.endswith(("st", "nd", "rd", "th")):
        return None  # "the 24th of April and 25": not this shape
    found = _SECOND_DAY_RE.match(body, mention.end)
    if found is None:
        return None
    number = int(re.match(r"\d+", found.group(1)).group(0))  # type: ignore[union-attr]
    first = date.fromisoformat(mention.value)
    if number <= first.day:
        return None  # "April 24 and 3" is no range of days
    try:
        day = first.replace(day=number)
    except ValueError:
        return None
    start, end = found.span(1)
    return TimeMention(start, end, body[start:end], "DATE", day.isoformat(), "day")
