"""Candidate name spans from spaCy's entities, cleaned and sorted into people and organisations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc, Token

from bot.nlp.name_words import NAME_PARTICLES, ROLE_WORDS
from bot.nlp.names import name_key, name_words, surname_keys
from bot.nlp.people.tables import (
    CITIES,
    COUNTRY_ABBREVIATIONS,
    MEDIA_HEADS,
    NEWS_AGENCIES,
    NOT_NAMES,
    ORG_HEADS,
    ORG_PLACE_NOUNS,
    PLACE_NOUNS,
    PLATFORMS,
    TITLE_PREFIXES,
    word_set,
)

_QUOTES_BEFORE = frozenset("\"'\u201c\u2018")
_QUOTES_AFTER = frozenset("\"'\u201d\u2019")
POSSESSIVES = frozenset(("'s", "\u2019s", "'", "\u2019"))
_REPORT_VERBS = word_set("reported reports reporting")
_NOT_AFTER_NEWS = word_set("conference release briefing")
_LOCATIVE = word_set(
    "in into inside outside at to from toward towards visit visits visiting visited"
)
_DASHES = frozenset(("-", "--", "\u2013", "\u2014", "\u2015"))
_TITLE_FILLERS = word_set("and of the in on at for a to with")
_MAX_TITLE_TOKENS = 8


@dataclass
class Candidate:
    """One cleaned entity span: token range, the text as written and what it is taken for."""

    start: int
    end: int
    kind: str  # "person" | "org"
    text: str
    start_char: int
    end_char: int
    full_text: str = ""  # an organisation's full name when this is its acronym ("NWS")


def _fold(text: str) -> str:
    return " ".join(name_words(text))


def is_title(token_text: str) -> bool:
    word = token_text.lower().rstrip(".")
    return word in TITLE_PREFIXES or word in ROLE_WORDS


def clean_span(doc: Doc, start: int, end: int, label: str) -> tuple[int, int] | None:
    """Trim an entity to the name: no 'the', title, possessive or stray punctuation."""
    if label == "PERSON":  # "Erik [ten Hag]", "[ten Hag] said": the model stops at a particle
        while end + 1 < len(doc) and doc[end].lower_ in NAME_PARTICLES and _capital(doc[end + 1]):
            end += 2
        if start > 0 and doc[start - 1].is_lower and doc[start - 1].lower_ in NAME_PARTICLES:
            start -= 1
    # Leading lower-case words ("the", "state Department") and a sentence-initial
    # common noun or gerund ("Golfer Rory McIlroy", "Injecting Clinton") are not the name.
    while start < end and (
        doc[start].is_punct
        or doc[start].is_space
        or (doc[start].is_lower and not _particle_before_name(doc, start, end))
        or doc[start].lower_ == "the"
        or (label == "PERSON" and end - start > 2 and doc[start].pos_ in ("NOUN", "VERB"))
        or (label == "PERSON" and doc[start].tag_ == "VBG" and end - start > 1)
    ):
        start += 1
    for i in range(start + 1, end):  # "World Health Organization (WHO", 'Robert "Bobby'
        if doc[i].text == "(" or doc[i].is_quote:
            end = i
            break
    while end > start and (
        doc[end - 1].is_punct
        or doc[end - 1].is_space
        or doc[end - 1].text in POSSESSIVES
        or any(ch.isdigit() for ch in doc[end - 1].text)  # "Liverpool 2-1"
    ):
        end -= 1
    if label == "PERSON" and end - start > 1:
        # "President Macron", "Texas Governor Greg Abbott": the name is after the title.
        titles = [i for i in range(start, end - 1) if is_title(doc[i].text)]
        if titles and doc[titles[-1]].text[:1].isupper():
            start = titles[-1] + 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return (start, end) if start < end else None


def _capital(token: Token) -> bool:
    return token.text[:1].isupper() and token.is_alpha


def _particle_before_name(doc: Doc, start: int, end: int) -> bool:
    return doc[start].lower_ in NAME_PARTICLES and start + 1 < end and _capital(doc[start + 1])


def after_title(doc: Doc, start: int) -> bool:
    """'Chancellor [Olaf Scholz]', 'champion [Novak Djokovic]': a title right before the span."""
    return start > 0 and is_title(doc[start - 1].text)


def _looks_like_person_name(doc: Doc, start: int, end: int) -> bool:
    tokens = doc[start:end]
    return (
        2 <= len(tokens) <= 4
        and all(_capital(t) or t.text == "-" for t in tokens)
        and not ({t.lower_ for t in tokens} & ORG_HEADS)
    )


def is_nickname(doc: Doc, start: int, end: int) -> bool:
    """In quotes, or 'so-called': a nickname or label, not a name."""
    # Neighbouring characters from tokens: doc.text would rebuild the whole text per call.
    before = doc[start - 1].text[-1:] if start > 0 and not doc[start - 1].whitespace_ else ""
    after = doc[end].text[:1] if end < len(doc) and not doc[end - 1].whitespace_ else ""
    if before in _QUOTES_BEFORE and after in _QUOTES_AFTER:
        return True
    if _in_quoted_title(doc, start, end):
        return True
    preceding = doc[max(0, start - 4) : start].text.lower()
    return "so-called" in preceding or "so called" in preceding


def _in_quoted_title(doc: Doc, start: int, end: int) -> bool:
    """'on Fox News's "Fox and Friends."', 'NBC's "Nightly News"': a short quoted run of
    capitalised words is the title of a show, book or film, not a name inside it."""
    opening = next(
        (i for i in range(start - 1, max(-1, start - _MAX_TITLE_TOKENS), -1) if doc[i].is_quote),
        None,
    )
    closing = next(
        (i for i in range(end, min(len(doc), end + _MAX_TITLE_TOKENS)) if doc[i].is_quote), None
    )
    if opening is None or closing is None or closing - opening - 1 > _MAX_TITLE_TOKENS:
        return False
    if doc[opening].text not in _QUOTES_BEFORE or doc[closing].text not in _QUOTES_AFTER:
        return False
    inside = [t for t in doc[opening + 1 : closing] if not t.is_punct]
    words = [t for t in inside if t.lower_ not in _TITLE_FILLERS]
    return len(inside) >= 2 and all(t.text[:1].isupper() for t in words) and not any(
        t.pos_ in ("VERB", "AUX") for t in inside
    )


def in_prose(doc: Doc, start: int) -> bool:
    """The token sits in a real sentence (a verb and some words), not a line of page links."""
    sentence = doc[start].sent
    return len(sentence) >= 5 and any(t.pos_ in ("VERB", "AUX") for t in sentence)


def is_non_name(text: str) -> bool:
    """Page furniture ('Photo', 'Advertisement'), lower-case words, numbers."""
    words = name_words(text)
    if not words or not any(ch.isupper() for ch in text) or any(ch.isdigit() for ch in text):
        return True
    if "/" in text:  # a photo credit, 'Getty/Instagram': furniture when every part is
        parts = [name_words(part) for part in text.split("/")]
        if all(p and all(w in NOT_NAMES or w in PLATFORMS for w in p) for p in parts):
            return True
    return len(words) == 1 and words[0] in NOT_NAMES or all(w in NOT_NAMES for w in words)


def is_agency_name(text: str) -> bool:
    return _fold(text) in NEWS_AGENCIES


def in_agency_context(doc: Doc, start: int, end: int) -> bool:
    """'X reported', 'X news agency', 'news agency X', 'according to X', '/X Photo'."""
    after = [t.lower_ for t in doc[end : end + 2]]
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    if after[:1] == ["news"] and after[1:] not in ([w] for w in _NOT_AFTER_NEWS):
        return True
    if after[:1] in (["agency"], ["photo"]) or after[:1] and after[0] in _REPORT_VERBS:
        return True
    if before[-2:] in (["news", "agency"], ["according", "to"]) or before[-1:] == ["agency"]:
        return True
    return bool(before[-1:] and (before[-1] in _REPORT_VERBS or before[-1] == "/"))


def place_names(doc: Doc) -> set[str]:
    """Folded names of places in this article, and well-known cities."""
    found = {_fold(e.text) for e in doc.ents if e.label_ in ("GPE", "LOC")}
    return found | CITIES


def classify(
    doc: Doc,
    label: str,
    start: int,
    end: int,
    places: set[str],
    known_people: KnownPeople,
    org_texts: set[str],
) -> str | None:
    """'person', 'org' or None (not a name we keep) for a cleaned entity span.

    `known_people` maps each folded PERSON text of the article to its words' keys; a span that
    equals one of them, or one's surname, is a person whatever the model's label.
    """
    text = doc[start:end].text
    folded = _fold(text)
    if is_nickname(doc, start, end) or is_non_name(text):
        return None
    key = name_key(text)
    single = len(name_words(text)) == 1
    matches_person = folded in known_people or (
        single and key in known_people.keys_of_all
    )
    if folded in PLATFORMS:  # "posted on Twitter"; alone on a line it is a share button
        return "org" if in_prose(doc, start) else None
    last = name_words(text)[-1]
    if label in ("GPE", "LOC", "NORP", "FAC"):
        if is_agency_name(text):
            return "org"
        # "the Chicago Tribune" (FAC), "Drudge Report": a paper, not a building or a place.
        if not single and (last in MEDIA_HEADS or label == "FAC" and last in ORG_HEADS):
            return "org"
        # "news agency Bernama", "Interfax reported": a name the model took for a nationality
        # or a place is the outlet when the text says so (never a known place or a person).
        # ("Malaysian news agency" is a nationality before the agency: only a proper noun
        # named by the agency, or one that reports, is the outlet.)
        if single and label in ("NORP", "FAC") and doc[start].pos_ == "PROPN" \
                and folded not in places and not matches_person \
                and in_agency_context(doc, start, end) \
                and [t.lower_ for t in doc[end:end + 1]] != ["news"]:
            return "org"
        return "person" if matches_person and folded not in CITIES else None
    if is_agency_name(text):
        return "org"
    if label == "PERSON":
        if single and not matches_person and in_agency_context(doc, start, end):
            return "org"
        if text.isupper() and len(text) > 1:  # an abbreviation is never a person
            return "org" if folded in org_texts and folded not in COUNTRY_ABBREVIATIONS else None
        if folded in places and not matches_person:
            return None
        if name_words(text)[-1] in PLACE_NOUNS:
            return None  # "Wembley Stadium"
        if name_words(text)[-1] in ORG_HEADS and not after_title(doc, start):
            return "org"  # "Manchester United", "Tolvanen Group"
        return "person"
    # ORG: the model often tags a person's surname ORG ("Trump administration").
    if folded in COUNTRY_ABBREVIATIONS or folded in places:
        return None
    if not single and place_or_title(doc, start, end):
        return None  # "on Capitol Hill", "visiting the Oval Office": where, not who
    if _after_dash(doc, start) and _looks_like_person_name(doc, start, end):
        return "person"  # '... a dictator." -- Ana Ruiz': the one quoted signs the line
    if matches_person and (single or folded in known_people):
        return "person"
    if after_title(doc, start) and _looks_like_person_name(doc, start, end):
        return "person"
    return "org"


def place_or_title(doc: Doc, start: int, end: int) -> bool:
    """'Capitol Hill', 'in the Oval Office', NBC's "Nightly News": not an organisation."""
    last = doc[end - 1].lower_
    if last in ORG_PLACE_NOUNS or last == "office" and _after_locative(doc, start):
        return True
    return _in_quoted_title(doc, start, end)


def _after_locative(doc: Doc, start: int) -> bool:
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ in _LOCATIVE


def _after_dash(doc: Doc, start: int) -> bool:
    i = start - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i < 0 or doc[i].text not in _DASHES:
        return False
    before = doc[i - 1] if i > 0 else None  # the dash opens a line or follows the quote
    return before is None or before.is_space or before.is_quote or before.text in ".!?"


class KnownPeople(dict[str, set[str]]):
    """Folded full name -> its words' keys, for the article's PERSON spans."""

    @cached_property
    def keys_of_all(self) -> set[str]:
        """Every word key of every known name: one look-up per entity, not a scan of names."""
        return set().union(*self.values())


def known_people(doc: Doc) -> KnownPeople:
    """Folded full names (and surnames) of the article's PERSON spans, for relabelling."""
    found = KnownPeople()
    for ent in doc.ents:
        titled_org = ent.label_ == "ORG" and after_title(doc, ent.start)
        if ent.label_ != "PERSON" and not titled_org:
            continue
        span = clean_span(doc, ent.start, ent.end, "PERSON")
        if span is None or titled_org and not _looks_like_person_name(doc, *span):
            continue
        text = doc[span[0] : span[1]].text
        if is_nickname(doc, *span) or is_non_name(text) or is_agency_name(text):
            continue
        words = name_words(text)
        if len(words) > 1:
            found[" ".join(words)] = surname_keys(text)
    return found
