"""Dated events: for each time expression, the clause it governs and the people in it."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from bot.models import EventMention, PersonMention, TimeMention

_DATED_PRECISIONS = {"day", "month", "year", "week", "time", "quarter"}
_MAX_WORDS = 28
# Clause-level dependents that belong to what happened, not to the frame around it.
_DROP_DEPS = {"punct", "cc", "mark", "advcl", "parataxis", "prep_time"}


def _governing_verb(tokens: Span) -> Token | None:
    """The verb the time expression attaches to (walking up from the expression's root)."""
    token: Token = tokens.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") and token.i not in range(tokens.start, tokens.end):
            return token
        if token.head.i == token.i:
            break
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def _clause_text(doc: Doc, verb: Token, exclude: Span) -> str:
    """The verb's clause, minus trailing subordinate clauses and a leading time phrase."""
    keep: list[Token] = []
    skip: set[int] = set()
    for child in verb.children:
        inside = exclude.start <= child.i < exclude.end or any(
            exclude.start <= t.i < exclude.end for t in child.subtree)
        if child.dep_ in ("advcl", "parataxis", "ccomp", "conj", "relcl") and child.i > verb.i \
                and not inside:
            skip.update(t.i for t in child.subtree)
        # A leading time phrase ("On Thursday, ...") frames the event; the date is shown anyway.
        if inside and child.i < verb.i and child.dep_ in ("prep", "npadvmod") \
                and max(t.i for t in child.subtree) < verb.i:
            skip.update(t.i for t in child.subtree)
    sent = verb.sent
    for token in verb.subtree:
        if token.i in skip or token.i < sent.start or token.i >= sent.end:
            continue
        keep.append(token)
    while keep and (keep[0].is_punct or keep[0].dep_ in ("cc", "mark", "prep")):
        keep.pop(0)
    while keep and (keep[-1].is_punct or keep[-1].dep_ in ("cc", "mark", "prep")):
        keep.pop()
    words = "".join(t.text_with_ws for t in keep[:_MAX_WORDS]).strip()
    if len(keep) > _MAX_WORDS:
        words = words.rstrip(",;:") + "…"
    return words


def find_events(
    doc: Doc,
    times: Sequence[TimeMention],
    people: Sequence[PersonMention],
    skip_spans: Sequence[tuple[int, int]] = (),
) -> list[EventMention]:
    """One event per dated time expression that governs a clause with a verb."""
    events: list[EventMention] = []
    for time in times:
        if time.type not in ("DATE", "TIME") or (time.precision or "") not in _DATED_PRECISIONS:
            continue
        if any(s < time.end and time.start < e for s, e in skip_spans):
            continue
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        verb = _governing_verb(span)
        if verb is None:
            continue
        text = _clause_text(doc, verb, span)
        if len(text.split()) < 3:
            continue
        clause_start = min(t.idx for t in verb.subtree)
        clause_end = max(t.idx + len(t) for t in verb.subtree)
        names = tuple(
            p.name for p in people
            if p.kind == "person" and any(clause_start <= s and e <= clause_end
                                          for s, e in p.mentions)
        )
        events.append(EventMention(time=time, text=text, people=names,
                                   sentence_start=verb.sent.start_char))
    return events
