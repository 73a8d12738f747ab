"""What a time expression is resolved against (Context) and what normalising it gives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.nlp.timex.calendar import Tense


@dataclass(frozen=True)
class Context:
    """What a value is resolved against: the publication date, the clause's tense, the last date."""

    ref: date
    tense: Tense = None
    anchor: date | None = None  # the last day-precise date mentioned before, for "that day"
    quarter: str | None = None  # the last quarter mentioned ("2019-Q1"), for "a year earlier"
    year: int | None = None  # the last year written out, for "later that year"
    month: date | None = None  # the last month (or day) named, for "the following month"


# type, value, precision
Normalised = tuple[str, str, str | None]
