"""Corroboration: when several articles' events or quotes are one entry with several sources.

An entry cited to several articles tells the reader that each of them says it, so two reports
join only on evidence that they report the same thing, never on a shared template or a shared
date alone. Pure functions over the rows the store returns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from bot.nlp.name_words import word_set
from bot.nlp.names import name_key, name_words

_PRECISION_OF = {4: "year", 7: "month", 10: "day"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d[\d,.]*\d|\d")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# A capitalised word that is not the first of its line: a name (of a person, place, company).
_NAME = re.compile(r"(?<=[\s(“\"'])([A-Z][\w’'.-]*)")
CONTAINED = 0.8  # share of an entry's content words another report must hold to be the same
_STOP = word_set("""
a an the and or but nor so yet of to in on at by for from with without into onto over under
about after before since until than then that this these those there here it its it's he she
they them their his her him we us our you your i me my mine be is are was were been being am has
have had having do does did done will would shall should can could may might must not no as if
also which who whom whose what when where while why how all any each some such very more most
other said says say told tell just only even still again ago up down out off per via
""")
# Month and weekday names are dates, not actors: "Sept." in two lines is no shared actor.
_CALENDAR = word_set("""
jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july
august september october november december monday tuesday wednesday thursday friday saturday
sunday today yesterday tomorrow
""")


def date_and_precision(value: str, precision: str | None) -> tuple[str, str] | None:
    """Timeline dates are calendar dates: a day, a month or a year (weeks are left out)."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    if precision == "week" or re.match(r"^\d{4}-W\d{2}", value):
        return None
    date = m.group(0)
    return date, _PRECISION_OF.get(len(date), "day")


@functools.lru_cache(maxsize=8192)  # pure; a reply compares each line many times
def numbers(text: str) -> frozenset[str]:
    """The figures a line states, as written without thousands separators ('5,300' -> '5300')."""
    return frozenset(n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text))


@functools.lru_cache(maxsize=8192)  # pure; a reply compares each line many times
def content_words(text: str) -> frozenset[str]:
    """The words that carry a line's meaning: no function words, no figures."""
    return frozenset(w for w in (m.lower().replace("’", "'") for m in _WORD.findall(text))
                     if not w[0].isdigit() and w not in _STOP and len(w) > 1)


@functools.lru_cache(maxsize=8192)  # pure; a reply compares each line many times
def names_in(text: str) -> frozenset[str]:
    """Capitalised words after a line's first word ('Net income of ...' has none)."""
    return frozenset(w.rstrip(".'’").lower() for w in _NAME.findall(text)
                     if w.rstrip(".'’").lower() not in _CALENDAR | _STOP)


def contained(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 1.0


def _actors(row: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(name_key(p) for p in row["people"]) | names_in(row["text"])


def same_event(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two articles' events (rows) may report the same thing, wording aside.

    Same story (the caller groups by date), a shared actor (a template line such as "Net income
    of $5.3 million" has none, so it never joins on its wording), the same people where both
    name people, the same figures, and no name in each that the other lacks.
    """
    story = a.get("story_id")
    if story is None or story != b.get("story_id"):
        return False
    if numbers(a["text"]) != numbers(b["text"]):
        return False
    people_a = {name_key(p) for p in a["people"]}
    people_b = {name_key(p) for p in b["people"]}
    if people_a and people_b and people_a != people_b:
        return False
    names_a, names_b = names_in(a["text"]), names_in(b["text"])
    if (names_a - names_b) and (names_b - names_a):
        return False  # each names someone or something the other does not
    return bool(_actors(a) & _actors(b))


def _said_by_all(line: Mapping[str, Any], members: list[Mapping[str, Any]]) -> bool:
    """Whether each member's line holds the line's content words (at least CONTAINED)."""
    words = content_words(line["text"])
    return all(contained(words, content_words(m["text"])) >= CONTAINED for m in members)


def event_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per reported event: the same event in several articles of one story becomes
    one entry citing each of them (see same_event; a row without its article's `story_id` is
    never corroborated). Oldest first, then the best corroborated."""
    groups: list[dict[str, Any]] = []
    # Candidates by date and story: same_event never joins two stories, so a row is compared
    # only with its own story's entries of that date (not every story's: a person's or a
    # topic's timeline spans many stories, and those comparisons cost the most and join none).
    by_date: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    for row in rows:
        dp = date_and_precision(row["date"] or "", row["precision"])
        if dp is None:
            continue
        date, precision = dp
        for group in by_date.get((date, row.get("story_id")), ()):
            if row["article_id"] in group["article_ids"]:
                continue  # one article's two lines of a date are two events
            members = [*group["_members"], row]
            if not all(same_event(m, row) for m in group["_members"]):
                continue
            # The entry shows a line every member says: the group's, else the new one's.
            shown = next((m for m in (group["_shown"], row) if _said_by_all(m, members)), None)
            if shown is None:
                continue
            group["_members"], group["_shown"], group["text"] = members, shown, shown["text"]
            group["article_ids"].append(row["article_id"])
            group["_people"] |= set(row["people"])
            break
        else:
            group = {"date": date, "precision": precision, "text": row["text"],
                     "article_ids": [row["article_id"]], "position": row["position"],
                     "_members": [row], "_shown": row, "_people": set(row["people"])}
            groups.append(group)
            by_date.setdefault((date, row.get("story_id")), []).append(group)
    for group in groups:
        del group["_members"], group["_shown"]
        group["people"] = sorted(group.pop("_people"))
    groups.sort(key=lambda g: (g["date"], -len(g["article_ids"]), g["position"]))
    return groups


def _speaker(row: Mapping[str, Any]) -> tuple[str, ...]:
    """Who said a quote, comparably: the stored person's name, else the written one (empty:
    unknown)."""
    return tuple(name_words(row.get("person_name") or row.get("speaker") or ""))


def _same_speaker(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Unknown fits anyone; a surname alone fits the full name it ends."""
    if not a or not b or a == b:
        return True
    short, full = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) == 1 and short[0] == full[-1]


def quote_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per quote: the same words (quote_key) by the same speaker, however many
    outlets carry it. A copy whose speaker the extractor could not name joins the entry of
    those words; two different speakers of the same words stay two entries."""
    groups: list[dict[str, Any]] = []
    by_key: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        key = row["quote_key"] or row["text"]
        speaker = _speaker(row)
        fits = [g for g in by_key.get(key, ()) if _same_speaker(g["_speaker"], speaker)]
        if not fits:
            # The trailing comma before a cue ("...," he said) belongs to the sentence around it,
            # and another outlet may end the same words with a comma or a full stop.
            group = {"text": row["text"].strip("\"“”‘’' ").rstrip(",;:."),
                     "speaker": row["person_name"] or row["speaker"],
                     "article_ids": [row["article_id"]], "_speaker": speaker}
            groups.append(group)
            by_key.setdefault(key, []).append(group)
            continue
        group = fits[0]
        if len(speaker) > len(group["_speaker"]):
            group["_speaker"] = speaker
            group["speaker"] = row["person_name"] or row["speaker"]
        if row["article_id"] not in group["article_ids"]:
            group["article_ids"].append(row["article_id"])
    for group in groups:
        del group["_speaker"]
    # The most carried first, then the newest (article ids grow with time).
    return sorted(groups, key=lambda g: (-len(g["article_ids"]), -max(g["article_ids"])))
