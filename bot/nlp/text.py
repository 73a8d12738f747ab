"""The text of a parsed article, built once per Doc (spaCy joins every token on each access)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.tokens import Doc

_KEY = "newsdesk.text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, kept in the Doc's user data after the first call.

    Extractors read the text per mention; rebuilding it each time made long articles cost
    quadratic time. A parsed Doc is never edited afterwards, so the copy cannot go stale.
    """
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


class SpanSet:
    """Character spans that answer "does anything overlap [start, end)?" in log time.

    Sorted by start with the running maximum of the ends: the spans starting before `end`
    overlap the query exactly when the furthest of their ends passes `start`.
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach: list[int] = []
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self._reach.append(furthest)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span overlaps [start, end) (as `s < end and start < e`)."""
        k = bisect.bisect_left(self._starts, end)
        return k > 0 and self._reach[k - 1] > start

    def contains(self, offset: int) -> bool:
        """Whether a span holds the character at `offset` (as `s <= offset < e`)."""
        k = bisect.bisect_right(self._starts, offset)
        return k > 0 and self._reach[k - 1] > offset
