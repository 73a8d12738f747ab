"""Lines of page furniture (ads, captions, bylines, "Read more") that are not the story."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Each pattern matches a whole line (after stripping) that carries no reported fact.
_LINE_PATTERNS = [
    r"advertisement|advertising|sponsored( content)?|promoted",
    r"(read|see|watch|listen)\s+(more|also|next)\b.*",
    r"(read|see|watch|listen|related( articles?| stories| coverage| content)?)\s*:.*",
    r"related( articles?| stories| coverage| content)?",
    r"(share|tweet|email|print)( this( article| story)?)?( on \w+)?",
    r"(sign up|subscribe)\b.*",
    # A byline: "By Jane Doe", "By Jane Doe and John Roe, Reuters"; never "By Friday, ..."
    r"by [A-Z][\w'.-]+(\s+[A-Z][\w'.-]+){1,3}(\s*(,|and|\||-)\s*[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*)*)*",
    r"\((with )?(inputs|reporting|additional reporting|writing|editing) (from|by)\b.*\)?",
    r"(\()?(cover|photo|file photo|image|picture|video|credit|source)\s*:.*",
    r"(copyright|©|\(c\)).*",
    r"(this (story|article) (was|has been)|editor'?s note|correction:).*",
    r"(click|tap) here\b.*",
    r"(follow|like) us\b.*",
]
_LINE = re.compile(r"^\s*(?:" + "|".join(_LINE_PATTERNS) + r")\s*$", re.IGNORECASE)
# Captions end with a credit: "... on May 3. /AP Photo", "(Photo: AP)", "Getty Images".
_CREDIT = re.compile(
    r"(/\s*[\w .&-]{1,40}\b(photo|image|video|file)s?\s*\)?\s*$)"
    r"|(\((photo|image|picture|credit)s?\s*:?[^)]{0,60}\)\s*$)"
    r"|(\b(getty images|afp photo|ap photo|reuters photo|via reuters)\b[^.]{0,40}$)"
    r"|(\bepa[-/]\S*[^.]{0,40}$)",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    """True for a line that is page furniture rather than part of the story."""
    stripped = line.strip()
    if not stripped:
        return False
    return bool(_LINE.match(stripped) or _CREDIT.search(stripped))


def boilerplate_spans(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of the furniture lines of a text."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if is_boilerplate(line):
            yield offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
