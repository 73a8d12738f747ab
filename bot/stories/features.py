"""What one article brings to story clustering: headline, title+lead words, entities, dates."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from bot.models import Analysis, ArticleDraft
from bot.nlp.names import name_key
from bot.nlp.summary import STOP_WORDS

LEAD_WORDS = 60  # title plus about the first two sentences: what a report is about
HEADLINE_CHARS = 140
TOP_PEOPLE = 6
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d{3,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])")
# Dateline and agency boilerplate carry no story ("NAIROBI, Kenya (AP) _", "(Xinhua) --").
_DATELINE = re.compile(r"^[^a-z]{2,60}?(\((AP|Reuters|AFP|Xinhua|UPI)\)|\(\w+\))?\s*(_|--|—|-)\s+")
# Words of news style that every story uses; they would make unrelated leads look alike.
_NEWS_TEXT = """
said says told according reported report reports news today yesterday tomorrow monday tuesday
wednesday thursday friday saturday sunday week weeks year years month months day days time
new first last latest officials official people percent mr mrs ms dr am pm
"""
_NEWS_WORDS = frozenset(_NEWS_TEXT.split())


# Capitalised words that name no one: calendar words and company-name endings.
_NOT_NAMES_TEXT = """
january february march april may june july august september october november december jan feb
mar apr jun jul aug sep sept oct nov dec inc corp co cos ltd plc llc group company corporation
holdings association partners president minister chairman chief executive officer the
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


@dataclass(frozen=True)
class Features:
    """An article as the story index sees it."""

    headline: str  # its title, or its first sentence when the title is missing or an id
    terms: dict[str, int]  # title+lead word counts (stemmed lightly, no stop words)
    entities: tuple[str, ...]  # canonical people/organisations and proper names (keys)
    dates: tuple[str, ...]  # day-precise dates the article mentions (ISO)
    seen: str  # the article's date (published, else ingested): ISO day


def looks_like_headline(title: str) -> bool:
    """A real headline has words; a file name or a wire id ("APW19980807.0261") does not."""
    title = title.strip()
    return bool(title) and (" " in title or not any(c.isdigit() for c in title))


def first_sentence(text: str, limit: int = HEADLINE_CHARS) -> str:
    body = _DATELINE.sub("", " ".join(text.split()), count=1)
    sentence = _SENTENCE_END.split(body, maxsplit=1)[0] if body else ""
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def headline_of(title: str, text: str) -> str:
    return title.strip() if looks_like_headline(title) else first_sentence(text)


def _stem(word: str) -> str:
    """A light stem so 'bombings' meets 'bomb' and 'concluded' meets 'concludes'."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def lead_terms(title: str, text: str, names: frozenset[str] = frozenset()) -> Counter[str]:
    """Content words of the headline and the lead (the headline counts twice): what happened.

    Words of names are left to the entities, so two stories that share a mayor and a city
    but not an event do not read alike.
    """
    body = _DATELINE.sub("", " ".join(text[:2000].split()), count=1)
    lead = " ".join(body.split()[:LEAD_WORDS])
    headline = title if looks_like_headline(title) else ""
    counts: Counter[str] = Counter()
    for weight, part in ((2, headline), (1, lead)):
        for raw in _WORD.findall(part):
            word = raw.lower().removesuffix("'s").strip("'-")
            if len(word) < 3 or word in STOP_WORDS or word in _NEWS_WORDS or word in names:
                continue
            counts[_stem(word)] += weight
    return counts


def _is_name_word(word: str) -> bool:
    low = word.lower()
    return (len(word) > 1 and word[0].isupper() and not word.isupper()
            and low not in STOP_WORDS and low not in _NEWS_WORDS and low not in _NOT_NAMES)


def _proper_names(text: str) -> list[str]:
    """Runs of capitalised words inside sentences ("Harbor City", "Kenya"): the places and
    names the NER pass does not list as people or organisations. A sentence's first word
    is capitalised anyway and starts no run."""
    names: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        run: list[str] = []
        for word in [*sentence.split()[1:], "."]:
            clean = word.strip(".,;:!?\"'“”‘’()[]").removesuffix("'s").removesuffix("’s")
            if clean and _is_name_word(clean):
                run.append(clean.lower())
            if not (clean and _is_name_word(clean)) or clean != word.strip("\"'“”‘’()[]"):
                if run:
                    names.append(" ".join(run))
                run = []
    return names


def article_features(draft: ArticleDraft, analysis: Analysis, ingested: datetime) -> Features:
    """Everything the clusterer needs from one article; no second NLP pass."""
    body = _DATELINE.sub("", " ".join(draft.text[:2000].split()), count=1)
    lead = " ".join(body.split()[:LEAD_WORDS])
    headline = headline_of(draft.title, draft.text)
    # The people an article is about are the ones it names most, not everyone it quotes.
    people = sorted((p for p in analysis.people if p.name), key=lambda p: -len(p.mentions))
    entities = {"p:" + name_key(p.name) for p in people[:TOP_PEOPLE]}
    person_words = {w.lower() for p in analysis.people for n in (p.name, *p.aliases)
                    for w in re.findall(r"[\w'-]+", n)}
    runs = _proper_names(lead + ". " + (draft.title if looks_like_headline(draft.title)
                                        else ""))
    # A run that is a listed person's name is that person already (one name, one key).
    entities |= {"w:" + run for run in runs if not set(run.split()) <= person_words}
    name_words = frozenset(person_words | {w for run in runs for w in run.split()})
    dates = sorted({t.value[:10] for t in analysis.times
                    if t.precision == "day" and re.match(r"^\d{4}-\d{2}-\d{2}$", t.value[:10])})
    when = draft.published or ingested
    seen = when.date().isoformat() if isinstance(when, datetime) else when.isoformat()
    return Features(headline, dict(lead_terms(draft.title, draft.text, name_words)),
                    tuple(sorted(entities)), tuple(dates[:12]), seen)


def days_between(a: str, b: str) -> int:
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
