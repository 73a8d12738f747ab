"""The pattern table: one compiled regex per kind of time expression, built from the lexicon."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlp.timex.lexicon import DECADE_WORDS, HOLIDAYS, SET_WORDS, VAGUE_COUNTS, VAGUE_REFS
from bot.nlp.timex.periods import ORDINAL_WORDS


def _alt(words: object) -> str:
    """Regex alternation of words, longest first so the regex prefers the longest reading."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


# Month and weekday names are matched case-sensitively ("may", "march", "sun" are words too).
MONTH = (
    r"(?-i:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|Apr(?:il|\.)?|June?\.?|July?\.?"
    r"|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?|May)"
)
# A bare "May" reads as the month only after a word that introduces a date; "the March" is a walk.
MONTH_ALONE = (
    r"(?-i:Jan(?:uary|\.)|Feb(?:ruary|\.)|(?<!the\s)(?<!a\s)March(?!\s+(?:for|on|against|of\s+the)\b)|Mar\.|Apr(?:il|\.)|June|July"
    r"|Aug(?:ust|\.)|Sept(?:ember|\.)|Sep\.|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.)"
    r"|(?:(?<=in )|(?<=of )|(?<=since )|(?<=until )|(?<=last )|(?<=next )|(?<=early )"
    r"|(?<=late )|(?<=mid-)|(?<=this )|(?<=through ))May)"
)
WEEKDAY = r"(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d%])"
YEAR = r"(?<![\d$£€.,:/])(?<!\d-)(?:1[5-9]\d\d|20\d\d)(?![\d%]|,\d|\.\d|\s+percent)"
SMALL = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen"
)
TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUM = (
    rf"(?:\d+(?:\.\d+)?(?:\s+1/2)?"
    rf"|(?:{TENS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    rf"|{SMALL}|a\s+hundred|hundreds|a\s+dozen|dozens|a\s+couple\s+of|a\s+couple|half\s+an?|an?)"
    r"(?:\s+and\s+a\s+half)?"
)
COUNT = rf"(?:{NUM}|{_alt(VAGUE_COUNTS)})"
UNIT = (
    r"(?:second|minute|hour|day|night|week|month|quarter|year|decade|centur(?:y|ie)"
    r"|millenni(?:um|a))"
)
PREMOD = (
    r"(?:about|nearly|almost|some|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|over"
    r"|roughly|approximately|around|up\s+to|only|just|another|an\s+additional|no\s+more\s+than"
    r"|no\s+less\s+than|upwards\s+of|barely|exactly|the\s+better\s+part\s+of)"
)
EDGE = (
    r"(?:(?:early|late|mid)-?|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of"
    r"|the\s+start\s+of)"
)
PART = r"(?:morning|afternoon|evening|night)"
CLOCK = (
    r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b|o'clock)|\d{1,2}:\d\d(?=\s*(?:EST|EDT|GMT))"
    r"|(?<!high\s)noon|midnight|midday|\d{1,2}\s+in\s+the\s+(?:morning|afternoon|evening))"
)
ZONE = r"(?:\s+(?-i:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET)|\s+local\s+time)?"
SPELLED_YEAR = (
    rf"(?:nineteen|eighteen)[- ](?:hundred[- ](?:and[- ])?)?"
    rf"(?:(?:{TENS})(?:[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen)"
)
DETERMINER = (
    r"(?:this\s+past|this\s+coming|this|last|next|that|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+preceding"
    r"|the\s+prior|the\s+current|the\s+latest|the\s+most\s+recent|the\s+past|the\s+last"
    r"|the\s+coming|the\s+year-earlier|the\s+year-ago|the\s+first|the\s+final|the\s+full|the)"
)


@dataclass(frozen=True)
class Rule:
    """One kind of time expression: its name (the normaliser's key) and compiled pattern."""

    name: str
    pattern: re.Pattern[str]


def _capitalised(phrase: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in phrase.split())


def _rule(name: str, *alternatives: str) -> Rule:
    body = "|".join(f"(?:{a})" for a in alternatives)
    return Rule(name, re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE))


# Order breaks ties between equally long matches: earlier rules win.
RULES: tuple[Rule, ...] = (
    _rule(
        "clock",
        rf"(?:(?:about|around|at\s+about|approximately)\s+)?{CLOCK}{ZONE}"
        rf"(?:(?:\s+\([^()]{{1,24}}\))?,?\s+(?:{WEEKDAY}|yesterday|today|tomorrow|tonight|{MONTH}\s+{DAY}(?:,\s+{YEAR})?))?",
        rf"(?:noon|midnight|midday)\s+{WEEKDAY}",
    ),
    _rule(
        "date",
        rf"(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY}(?:,?\s+{YEAR})?",
        rf"(?:{WEEKDAY},?\s+)?(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTH}(?:,?\s+{YEAR})?",
        r"(?:1[5-9]|20)\d\d-[01]\d-[0-3]\d",
        r"[01]?\d/[0-3]?\d/(?:\d\d)?\d\d",
    ),
    _rule(
        "month_year",
        rf"(?:{EDGE}\s*)?{MONTH}(?:\s+of)?,?\s+(?:{YEAR}|{SPELLED_YEAR}|(?:this|last|next)\s+year)",
    ),
    _rule("month", rf"(?:(?:{EDGE}|last|next|this|that)\s*)?{MONTH_ALONE}(?!\s*\d)"),
    _rule(
        "quarter",
        r"(?:(?:the|its|this\s+year's|next\s+year's|last\s+year's)\s+)?"
        rf"(?:(?:{YEAR}|fiscal|calendar"
        rf"|year-earlier|year-ago)\s+)*(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ]"
        rf"(?:fiscal[- ])?(?:quarter|half)"
        rf"(?:\s+of\s+(?:fiscal\s+)?(?:{YEAR}|this\s+year|last\s+year|next\s+year))?",
        rf"the\s+{YEAR}\s+(?:fiscal\s+)?(?:quarter|period)",
    ),
    _rule(
        "half",
        r"the\s+(?:first|second|last|latter)\s+half\s+of\s+"
        rf"(?:{YEAR}|(?:this|last|next|the)\s+year|the\s+(?:(?:1[5-9]|20)\d0|')\d?0?'?s)",
    ),
    _rule(
        "century",
        rf"(?:the\s+)?(?:{EDGE}\s*)?(?:\d{{1,2}}(?:st|nd|rd|th)|{_alt(ORDINAL_WORDS)})[- ]century",
        r"(?:this|the\s+past|the\s+current)\s+century",
    ),
    _rule("week_of", rf"the\s+(?:week|weekend)\s+of\s+{MONTH}\s+{DAY}(?:,?\s+{YEAR})?"),
    _rule("anchored_weekday", rf"the\s+(?:previous|preceding|prior|following|next)\s+{WEEKDAY}"),
    _rule(
        "decade",
        rf"(?:the\s+)?(?:{EDGE}\s*)?(?:(?:1[5-9]|20)\d0|')\d?0?'?s",
        rf"(?:the\s+)?(?:{EDGE}\s*)?(?:nineteen[- ])?(?:{_alt(DECADE_WORDS)})",
    ),
    _rule(
        "year",
        rf"(?:(?:{EDGE}|fiscal|calendar|the\s+year|the\s+fiscal\s+year|post-|pre-)\s*)?{YEAR}",
        rf"(?:the\s+year\s+)?{SPELLED_YEAR}",
        r"the\s+year\s+two\s+thousand(?:\s+and\s+\w+)?",
    ),
    _rule(
        "weekday",
        rf"(?:(?:last|next|this|coming|past|early|late|this\s+past|this\s+coming)\s+)?{WEEKDAY}(?:\s+{PART})?",
    ),
    _rule(
        "relday",
        rf"(?:(?:early|late|earlier|later)\s+)?(?:the\s+day\s+(?:before|after)\s+)?"
        rf"(?:yesterday|today|tomorrow|tonight)(?:\s+{PART})?",
        rf"(?:(?:early|late|earlier|later)\s+)?(?:this|last|tomorrow|yesterday)\s+{PART}",
        r"overnight|(?:mid[- ]?)afternoon(?:\s+yesterday|\s+today)?|midday",
    ),
    _rule(
        "ago",
        rf"(?:{PREMOD}\s+)?{COUNT}\s+(?:more\s+)?{UNIT}s?(?:\s+and\s+a\s+half)?\s+(?:ago|earlier|later|from\s+now|hence|back"
        r"|before(?=\s*[.,;])|after(?=\s*[.,;]))",
    ),
    _rule(
        "deictic",
        rf"(?:(?:{EDGE}|earlier|later|late|early)\s+)?{DETERMINER}\s+(?:fiscal\s+)?"
        r"(?:week|weekend|month|year|quarter|decade|century|spring|summer|fall|autumn|winter"
        r"|day|morning|afternoon|evening|night|period)",
        r"year-(?:earlier|ago|end)|year's\s+end|(?:the\s+)?end\s+of\s+the\s+year|(?:around\s+)?year\s+end",
    ),
    _rule(
        "season",
        rf"(?:the\s+)?(?:{EDGE}\s*)?(?:spring|summer|autumn|winter|fall)(?:\s+of)?\s+"
        rf"(?:{YEAR}|{SPELLED_YEAR})",
        r"(?<=in\s)(?:spring|summer|autumn|winter)",
        r"the\s+(?:early|late)\s+(?:spring|summer|autumn|winter|fall)",
    ),
    _rule(
        "holiday",
        rf"(?:(?:last|next|this)\s+)?(?-i:{_alt(_capitalised(h) for h in HOLIDAYS)})(?:\s+week)?",
    ),
    _rule(
        "duration",
        rf"(?:the\s+)?(?:(?:first|last|past|next|coming|previous|latest|final|following|remaining"
        rf"|initial|full|entire|whole)\s+)?(?:{PREMOD}\s+)?{COUNT}(?:\s+(?:to|or|-)\s+{NUM})?\s+"
        rf"(?:(?:more|additional|full|straight|consecutive|long|trading|business|calendar)\s+)?"
        rf"{UNIT}s?(?:\s+or\s+so|\s+and\s+a\s+half)?(?![- ]old\b)",  # "52 years old": an age
        rf"(?:\d+|{TENS}|{SMALL}|{TENS}-(?:one|two|three|four|five|six|seven|eight|nine))-{UNIT}"
        r"(?!s?-old)(?:-long)?",  # "a 6-year-old" is an age, not a time expression
        r"(?:day|week|month|year|decade)-long|(?:decades|centuries)(?:-long|-old)?",
        r"(?<=for\s)(?:years|months|weeks|days|decades|hours)",
    ),
    _rule("set_word", _alt(SET_WORDS)),
    _rule(
        "set_phrase",
        rf"(?:every|each|per)\s+(?:other\s+)?(?:{UNIT}|{WEEKDAY}|{MONTH}|{PART})",
        r"(?:(?<=\d\s)|(?<=million\s)|(?<=billion\s)|(?<=percent\s)|(?<=dollars\s)|(?<=cents\s))"
        r"a\s+(?:year|month|week|day)(?!\s+(?:ago|earlier|later|before|after))",
        rf"(?:once|twice|(?:{SMALL})\s+times)\s+a\s+(?:year|month|week|day)",
        rf"{WEEKDAY}s(?:\s+{PART}s?)?",
    ),
    _rule("vague", _alt(VAGUE_REFS)),
)
