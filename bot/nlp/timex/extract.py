"""Time expressions (TIMEX3) in an article, normalised against its publication date."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import date, datetime

from spacy.tokens import Doc

from bot.models import TimeMention
from bot.nlp.text import doc_text
from bot.nlp.timex.calendar import find_month, find_year
from bot.nlp.timex.compose import day_offset, second_day
from bot.nlp.timex.context import Context
from bot.nlp.timex.normalize import normalise
from bot.nlp.timex.rules import RULES
from bot.nlp.timex.tense import clause_tense

_TITLE_WORD_RE = re.compile(
    r"(?<=\s)(?-i:Week|Weekend|Month|Year|Day|Night|Morning|Evening|Hours?|Minutes?)\b"
)


_FISCAL_AFTER_RE = re.compile(r"\s+(?:ended|ending|ends|to\s+(?!date)|through)\b", re.IGNORECASE)
_LONG_PERIOD_RE = re.compile(
    r"\b(?:(?:nine|six|twelve|9|6|12)[- ]months?|(?:first|second)\s+half|the\s+year)\b",
    re.IGNORECASE,
)

_ORDINAL_RE = re.compile(r"\b(?:first|second|third|fourth|1st|2nd|3rd|4th)\b")

# A capitalised word that does not open a sentence, then one space.
_NAME_BEFORE_RE = re.compile(r"(?<=[a-z,] )(?-i:([A-Z][a-z]+)) $")


def find_times(doc: Doc, published: date | datetime | None) -> list[TimeMention]:
    """Every date, time, duration and set in doc, with TimeML values resolved against published."""
    if isinstance(published, datetime):
        published = published.date()
    # Without a publication date, values that depend on it are blanked by _without_reference.
    context = Context(ref=published or date(2000, 1, 1))
    mentions: list[TimeMention] = []
    body = doc_text(doc)
    spans = _candidate_spans(body)
    for start, end, rule in spans:
        text = body[start:end]
        if (
            _generic_today(body, end, text)
            or _fate(body, end, text)
            or _title(rule, text)
            or _named_year(rule, body, start, text)
        ):
            continue
        context = replace(context, tense=clause_tense(doc, start, end))
        found = normalise(rule, text, _for_period(body, start, rule, text, context))
        if found is None:
            continue
        if rule == "deictic" and text.lower() == "the year" and not _FISCAL_AFTER_RE.match(
            body, end
        ):
            # "a high for the year", "the first nine months of the year": the current year;
            # "the year ended June 30" stays a length (a fiscal year)
            found = ("DATE", f"{context.ref.year:04d}", "year")
        kind, value, precision = found
        if published is None and kind in ("DATE", "TIME") and value[:1].isdigit():
            value, precision = _without_reference(rule, text, value, precision)
        mention = day_offset(body, TimeMention(start, end, text, kind, value, precision))
        day_after_aside = _day_after_aside(mention, context)
        if day_after_aside is not None:
            clock_end = start + text.index("(")
            while body[clock_end - 1] in " ,":
                clock_end -= 1
            mention = replace(mention, end=clock_end, text=body[start:clock_end])
            mentions.append(mention)
            mention = day_after_aside
        mentions.append(mention)
        context = _remember(context, rule, mention.text, mention.value, precision)
        following = second_day(body, mention)
        if following is not None and not _taken(following, spans):
            mentions.append(following)
    return mentions


def _for_period(body: str, start: int, rule: str, text: str, context: Context) -> Context:
    """ "For the nine months, net rose ... from a year earlier": a comparison in a sentence about
    a period longer than a quarter is with the year before, not with the quarter in focus."""
    if context.quarter is None or rule not in ("ago", "deictic") or "year" not in text.lower():
        return context
    sentence = body[max(body.rfind(". ", 0, start), body.rfind("\n", 0, start), 0) : start]
    if _LONG_PERIOD_RE.search(sentence) is None:
        return context
    return replace(context, quarter=None)


def _day_after_aside(clock: TimeMention, context: Context) -> TimeMention | None:
    """ "10:35 a.m. (0735 GMT) Friday": the aside splits the phrase, so the day is a date of its
    own (the clock already carries it)."""
    close = clock.text.find(")")
    if clock.type != "TIME" or "(" not in clock.text or close == -1:
        return None
    offset = close + 1
    while offset < len(clock.text) and clock.text[offset] in " ,":
        offset += 1
    tail = clock.text[offset:]
    spans = _candidate_spans(tail)
    if len(spans) != 1 or spans[0][:2] != (0, len(tail)):
        return None
    found = normalise(spans[0][2], tail, context)
    if found is None:
        return None
    start = clock.start + offset
    return TimeMention(start, clock.end, tail, found[0], found[1], found[2])


def _taken(mention: TimeMention, spans: list[tuple[int, int, str]]) -> bool:
    return any(start < mention.end and mention.start < end for start, end, _ in spans)


def _remember(context: Context, rule: str, text: str, value: str, precision: str | None) -> Context:
    """Keep what later anaphora ("that day", "later that year", "a year earlier") refer back to."""
    if not value[:4].isdigit():
        return context
    if precision == "day" and rule in ("date", "weekday", "holiday", "relday"):
        context = replace(context, anchor=date.fromisoformat(value[:10]))
    if precision in ("day", "month") and rule in ("date", "month_year", "month", "relday"):
        context = replace(context, month=date(int(value[:4]), int(value[5:7]), 1))
    if rule in ("date", "month_year", "year"):
        context = replace(context, year=int(value[:4]))
    if precision == "quarter" and _reported_quarter(rule, text, value, context):
        context = replace(context, quarter=value)
    return context


def _reported_quarter(rule: str, text: str, value: str, context: Context) -> bool:
    """Whether a quarter becomes the one "a year ago" and "the latest quarter" refer to: earnings
    news reports its most recent closed quarter; an earlier one ("after a flat second quarter")
    or "the 1988 period" is a comparison. Fiscal quarters do not follow the calendar, so the last
    one named wins."""
    lower = text.lower()
    if rule == "quarter" and _ORDINAL_RE.search(lower) is None:
        return False
    if rule != "quarter" and "year" in lower:
        return False
    if not _quarter_over(value, context.ref) and context.tense != "past":
        return False  # a forecast; results already reported for a running quarter are fiscal
    return context.quarter is None or "fiscal" in lower or value > context.quarter


def _quarter_over(value: str, ref: date) -> bool:
    """A quarter still running at publication ("a fourth-quarter charge" in November) is a
    forecast; results compared "a year ago" are those of a quarter already closed."""
    year, number = int(value[:4]), int(value[6])
    return (year, number) < (ref.year, (ref.month - 1) // 3 + 1)


def _without_reference(
    rule: str, text: str, value: str, precision: str | None
) -> tuple[str, str | None]:
    """What is left of a value when there is no publication date to resolve it against."""
    if rule in ("year", "decade", "month_year") or (rule == "date" and find_year(text)):
        return value, precision
    if rule in ("date", "month", "holiday"):
        return "XXXX" + value[4:], precision  # the month and day are written; the year is not
    return "XXXX-XX-XX", None


def _generic_today(text: str, end: int, matched: str) -> bool:
    """ "today's youth" means nowadays in general, which news annotation leaves out."""
    return matched.lower() == "today" and text.startswith("'s", end)


def _fate(text: str, end: int, matched: str) -> bool:
    """ "the future of the company" is its fate, not a time: TimeML leaves it out."""
    return matched.lower().endswith("future") and text.startswith(" of ", end)


def _title(rule: str, matched: str) -> bool:
    """ "This Week", "Good Morning America": a capitalised unit after the first word names a
    programme or a work, not a time (holidays such as "Election Day" are matched separately)."""
    return rule != "holiday" and _TITLE_WORD_RE.search(matched) is not None


def _named_year(rule: str, text: str, start: int, matched: str) -> bool:
    """ "Orion 1980", "Euro 2000": a bare year right after a name is part of that name."""
    if rule != "year" or not matched.isdigit():
        return False
    before = _NAME_BEFORE_RE.search(text, max(0, start - 30), start)
    return before is not None and find_month(before.group(1)) is None


def _candidate_spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping rule matches: the longest wins, then the rule listed first."""
    found: list[tuple[int, int, int, str]] = []
    for order, rule in enumerate(RULES):
        for match in rule.pattern.finditer(text):
            start, end = match.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            if end > start:
                found.append((start, end, order, rule.name))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[tuple[int, int, str]] = []
    # taken spans never overlap, so sorted by start their ends are sorted too: the one span
    # that starts last before `end` is the only one that can overlap (log time, not a scan)
    starts: list[int] = []
    ends: list[int] = []
    for start, end, _, name in found:
        k = bisect.bisect_left(starts, end)
        if k == 0 or ends[k - 1] <= start:
            starts.insert(k, start)
            ends.insert(k, end)
            taken.append((start, end, name))
    taken.sort()
    return taken
