"""Direct quotations in an article and who said them, from one spaCy Doc."""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

from bot.models import QuoteMention
from bot.nlp.quotes.cues import Attribution, CueFinder
from bot.nlp.quotes.marks import MarkedSpan, find_marked_spans, paragraphs
from bot.nlp.quotes.orgs import OrgIndex
from bot.nlp.quotes.people import PeopleIndex
from bot.nlp.text import doc_text

# "WALLACE: Let's start..." in a transcript: the label names the speaker.
_TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):\s")


def find_quotes(doc: Doc) -> list[QuoteMention]:
    """Direct quotations in `doc` (quote marks excluded from the spans) with speaker and cue."""
    text = doc_text(doc)
    spans = [s for s in find_marked_spans(text) if not s.nested]
    quoted = sorted(
        (s.open_at, (s.close_at if s.close_at is not None else s.end) + 1) for s in spans
    )
    starts = [a for a, _ in quoted]

    def is_quoted(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and quoted[i][0] <= offset < quoted[i][1]

    people = PeopleIndex(doc, is_quoted)
    cues = CueFinder(doc, spans, people, OrgIndex(doc, is_quoted), paragraphs(text))
    found: list[QuoteMention] = []
    previous: tuple[MarkedSpan, Attribution] | None = None
    for span in spans:
        words = len(text[span.start : span.end].split())
        attribution = _transcript_speaker(text, span, people, cues) or cues.attribute(span)
        if attribution is None and previous is not None and cues.continues(previous[0], span):
            attribution = previous[1]
        if attribution is None or (words <= 2 and not attribution.is_speech):
            continue  # scare quotes, titles and unattributed text
        previous = (span, attribution)
        found.append(
            QuoteMention(
                start=span.start,
                end=span.end,
                text=text[span.start : span.end],
                speaker=attribution.speaker,
                cue=attribution.cue,
                speaker_span=attribution.span,
            )
        )
    return found


def _transcript_speaker(
    text: str, span: MarkedSpan, people: PeopleIndex, cues: CueFinder
) -> Attribution | None:
    if not cues.opens_paragraph(span):
        return None
    label = _TRANSCRIPT_LABEL.match(text, span.start)
    if label is None:
        return None
    key = label.group(1).split()[-1].lower()
    if key in people.people:
        return Attribution(":", people.best_name(key, span.start), None, True)
    return Attribution(":", label.group(1).title(), None, True)
