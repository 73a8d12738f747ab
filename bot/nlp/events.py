"""Dated events: for each time expression, the clause (or event noun) it governs and its people."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from bot.models import EventMention, PersonMention, TimeMention
from bot.nlp.name_words import word_set
from bot.nlp.text import SpanSet

_DATED_PRECISIONS = {"day", "month", "year", "week", "time", "quarter"}
_MAX_WORDS = 36
# Dependents after the verb that start another clause: another event, not this one.
_OTHER_CLAUSES = {"advcl", "parataxis", "ccomp", "conj", "relcl", "acl"}
_DATELINE = re.compile(  # "WASHINGTON, March 12 (Xinhua) --", "INDEPENDENCE, MO. (AP)--"
    r"^[A-Z][A-Z .'-]{1,40}(?:,[A-Z .'-]{0,20})?(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([A-Za-z]+\))?\s*(?:--|—|_)\s*(?=[A-Z])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?…])")
_REPEATED_PUNCT = re.compile(r"([,;:])\s*([,.;:])")


def _anchor(tokens: Span) -> Token | None:
    """What the time expression dates: the verb it attaches to, or an event noun on the way.

    "met on Thursday" dates the meeting (verb); "the summit in Singapore in June 2018" dates
    the summit (a noun reached through prepositions before any verb).
    """
    token: Token = tokens.root
    inside = range(tokens.start, tokens.end)
    # "since 2011, when X met Y": the clause hanging on the date is what happened then.
    for child in token.children:
        if child.dep_ == "relcl" and child.pos_ in ("VERB", "AUX") \
                and any(t.lower_ in ("when", "where") for t in child.children):
            return child
    for _ in range(8):
        if token.i not in inside:
            if token.pos_ in ("VERB", "AUX"):
                return token
            # A subject's date dates its clause ("activities on Friday ... were cancelled").
            if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("pobj", "dobj", "attr",
                                                                   "appos"):
                return token
        if token.head.i == token.i:
            break
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def _phrase_text(anchor: Token, exclude: Span, skip_spans: SpanSet, dates: SpanSet) -> str:
    """The anchor's phrase without quotes, a leading "On Thursday, " or later clauses that
    carry dates of their own (those are other events; "although ..." is part of this one)."""
    skip: set[int] = {t.i for t in anchor.subtree if skip_spans.contains(t.idx)}
    for child in anchor.children:
        inside = any(exclude.start <= t.i < exclude.end for t in child.subtree)
        # `dates` holds this event's own date too, but a child holding it is `inside`
        dated = not inside and any(dates.contains(t.idx) for t in child.subtree)
        if child.dep_ in _OTHER_CLAUSES and child.i > anchor.i and not inside and dated:
            skip.update(t.i for t in child.subtree)
        if inside and child.i < anchor.i and child.dep_ in ("prep", "npadvmod") \
                and max(t.i for t in child.subtree) < anchor.i:
            skip.update(t.i for t in child.subtree)
    sent = anchor.sent
    keep = [t for t in anchor.subtree
            if t.i not in skip and sent.start <= t.i < sent.end]
    cut = len(keep) > _MAX_WORDS
    keep = keep[:_MAX_WORDS]
    while keep and (keep[0].is_punct or keep[0].dep_ in ("cc", "mark")
                    or keep[0].lower_ in ("when", "where")):
        keep.pop(0)
    while keep and (keep[-1].is_punct or keep[-1].dep_ in ("cc", "mark", "prep")):
        keep.pop()
    text = "".join(t.text_with_ws for t in keep).strip()
    text = _REPEATED_PUNCT.sub(r"\2", _SPACE_BEFORE_PUNCT.sub(r"\1", text))
    if cut:
        text += "…"
    return text[:1].upper() + text[1:]


MIN_WORDS = 5  # shorter lines ("Ended Sept. 30", "Played on Friday") do not say what happened
# A line starting with one of these hangs on a sentence it does not show ("Which had ...",
# "And the talks ..."): it is not a clause a reader can take on its own.
CONNECTIVES = word_set("""
and but or nor so yet which who whom whose that when where while whereas because although though
if unless as then also plus however meanwhile moreover furthermore than whether either neither
both thus hence therefore instead
""")


def readable(text: str) -> bool:
    """Whether a timeline line stands on its own: MIN_WORDS words or more, not starting with
    a connective or a relative pronoun."""
    words = text.split()
    first = words[0].lower().strip("\"“‘'(,") if words else ""
    return len(words) >= MIN_WORDS and first not in CONNECTIVES


_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
_RELATIVES = {"which", "who", "that", "whom"}


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in _SUBJECTS), None)


def _noun_phrase(head: Token) -> str:
    """The noun with its determiners and modifiers before it ("the nuclear tests")."""
    start = min([t.left_edge.i for t in head.lefts if not t.is_punct], default=head.i)
    return head.doc[start : head.i + 1].text


def _as_clause(anchor: Token, text: str) -> str | None:
    """A timeline line that reads as a clause: a verb's phrase with its subject. A relative
    clause gets its noun for "which" ("Which had condemned" -> "The council had condemned"),
    a second verb the subject of the first ("Worsened on Thursday" -> "Talks worsened on
    Thursday"); a verb with no subject to find ("Carried out since 2006") is left out.
    Event nouns ("the summit in June") stand as they are."""
    if anchor.pos_ not in ("VERB", "AUX"):
        return text
    subject = _subject(anchor)
    if subject is not None and subject.lower_ in _RELATIVES and anchor.dep_ == "relcl":
        if subject.i != anchor.left_edge.i and text.split()[:1] != [subject.text.title()]:
            return text
        named = _noun_phrase(anchor.head)
        rest = text.split(" ", 1)[1] if " " in text else ""
        return f"{named[:1].upper()}{named[1:]} {rest}".strip()
    if subject is not None:
        return text
    verb = anchor
    while verb.dep_ == "conj" and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head
        subject = _subject(verb)
        if subject is not None and subject.lower_ not in _RELATIVES:
            named = _noun_phrase(subject)
            return f"{named[:1].upper()}{named[1:]} {text[:1].lower()}{text[1:]}"
    return None


def find_events(
    doc: Doc,
    times: Sequence[TimeMention],
    people: Sequence[PersonMention],
    skip_spans: Sequence[tuple[int, int]] = (),
) -> list[EventMention]:
    """One event per dated time expression that governs a clause or an event noun.

    skip_spans (boilerplate, direct quotes) hold no events: a date inside a quote is
    relative to when the speaker spoke, which the article does not always say.
    """
    events: list[EventMention] = []
    skip = SpanSet(skip_spans)
    dates = SpanSet((t.start, t.end) for t in times)
    person_spans = sorted((s, e, k) for k, p in enumerate(people) if p.kind == "person"
                          for s, e in p.mentions)
    person_starts = [s for s, _, _ in person_spans]
    for time in times:
        if time.type not in ("DATE", "TIME") or (time.precision or "") not in _DATED_PRECISIONS:
            continue
        if skip.overlaps(time.start, time.end):
            continue
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        anchor = _anchor(span)
        if anchor is None:
            continue
        text = _phrase_text(anchor, span, skip, dates)
        text = _as_clause(anchor, text)
        if text is not None:
            # One line, without the wire's dateline ("WASHINGTON, March 12 (Xinhua) --").
            text = _DATELINE.sub("", " ".join(text.split()), count=1)
            text = text[:1].upper() + text[1:]
        if text is None or not readable(text):
            continue
        first, last = anchor.left_edge, anchor.right_edge
        start, end = first.idx, last.idx + len(last)
        lo, hi = bisect.bisect_left(person_starts, start), bisect.bisect_left(person_starts, end)
        found = sorted({k for _, e, k in person_spans[lo:hi] if e <= end})
        names = tuple(people[k].name for k in found)
        events.append(EventMention(time=time, text=text, people=names,
                                   sentence_start=anchor.sent.start_char))
    return events
