"""Time expressions (TIMEX3) in an article, normalised against its publication date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from spacy.tokens import Doc, Token

from bot.models import TimeMention
from bot.nlp.timex_calendar import find_year
from bot.nlp.timex_normalize import Context, normalise
from bot.nlp.timex_rules import RULES

_DEADLINE_WORDS = {"until", "till", "by"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "going"}
_PAST_TAGS = {"VBD"}


def find_times(doc: Doc, published: date | datetime | None) -> list[TimeMention]:
    """Every date, time, duration and set in doc, with TimeML values resolved against published."""
    if isinstance(published, datetime):
        published = published.date()
    # Without a publication date, values that depend on it are blanked by _without_reference.
    context = Context(ref=published or date(2000, 1, 1))
    mentions: list[TimeMention] = []
    for start, end, rule in _candidate_spans(doc.text):
        text = doc.text[start:end]
        if _generic_today(doc.text, end, text):
            continue
        context = replace(context, tense=_clause_tense(doc, start, end))
        found = normalise(rule, text, context)
        if found is None:
            continue
        kind, value, precision = found
        if published is None and kind in ("DATE", "TIME") and value[:1].isdigit():
            value, precision = _without_reference(rule, text, value, precision)
        mentions.append(TimeMention(start, end, text, kind, value, precision))
        context = _remember(context, rule, text, value, precision)
    return mentions


def _remember(context: Context, rule: str, text: str, value: str, precision: str | None) -> Context:
    """Keep what later anaphora ("that day", "later that year", "a year earlier") refer back to."""
    if not value[:4].isdigit():
        return context
    if precision == "day" and rule in ("date", "weekday", "holiday", "relday"):
        context = replace(context, anchor=date.fromisoformat(value[:10]))
    if rule in ("date", "month_year", "year"):
        context = replace(context, year=int(value[:4]))
    if precision == "quarter" and (rule == "quarter" or "year" not in text.lower()):
        context = replace(context, quarter=value)
    return context


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
    for start, end, _, name in found:
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, name))
    taken.sort()
    return taken


def _clause_tense(doc: Doc, start: int, end: int) -> str | None:
    """'past', 'future' or None for the clause a time expression sits in, read from the parse."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    if doc.text.startswith("'s", end):
        return None  # "Wednesday's ruling" names a day by what happened on it, whatever the verb
    if span[0].i > 0 and doc[span[0].i - 1].lower_ in _DEADLINE_WORDS:
        return "future"  # "until 9 a.m. Tuesday", "by Jan. 14" set a deadline
    verb: Token = span.root
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    return _verb_tense(verb)


def _verb_tense(verb: Token) -> str | None:
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    perfect = any(aux.lower_ in ("have", "has", "had") for aux in auxiliaries)
    for aux in auxiliaries:
        if aux.lower_ in _FUTURE_AUX:
            return "future"
        if aux.tag_ == "MD" and aux.lower_ != "could":  # "would meet Friday" looks ahead...
            return "past" if perfect else "future"  # ...unless "would have met"
    if any(aux.tag_ in _PAST_TAGS for aux in auxiliaries) or verb.tag_ in _PAST_TAGS:
        return "past"
    if any(aux.lower_ in ("has", "have") for aux in auxiliaries):
        return "past"
    if any(aux.tag_ == "TO" for aux in auxiliaries) and not perfect:
        return "future"  # "plans to meet Friday", "was set to resume Monday"
    if verb.tag_ == "VBG" and any(aux.tag_ in ("VBZ", "VBP") for aux in auxiliaries):
        return "future"  # "is meeting Friday" is a plan
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return None
