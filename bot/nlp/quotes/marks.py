"""Find the spans between double quotation marks, paragraph by paragraph, skipping boilerplate."""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“«„"
CLOSERS = "”»"
STRAIGHT = '"'

# Lines that are page furniture, not article prose: they never carry quotations.
_BOILERPLATE = re.compile(
    r"""^\s*(?:
        advertisement\s*$
      | (?:read|see|watch|click|follow|sign\ up|subscribe|related|more)\b[^.]{0,60}(?::|here\b)
      | by\ [A-Z][\w.'’-]+(?:\ [A-Z][\w.'’-]+){0,3}\s*(?:,[^.]{0,60})?$
      | (?:photo|image|video|file\ photo)\s*[:|]
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A photo caption ends with a credit: "... on April 25. /Reuters Photo", "(AP Photo/Jane Doe)".
_CAPTION_CREDIT = re.compile(
    r"(?:/\s*[\w .&-]{0,40}\b(?:photo|photos|images|pictures)\b\.?"
    r"|\((?:[\w .&-]{0,40}\b)?(?:photo|photos|images)\b[^)]{0,60}\)\.?"
    r"|\b(?:getty images|photo credit:?[^.]*))\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MarkedSpan:
    """Text between a pair of quotation marks (marks excluded), or from an unclosed mark to the
    end of its paragraph."""

    start: int
    end: int
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset of the closing mark; None when the paragraph ended first
    paragraph: int  # index of the paragraph (line) it sits in
    nested: bool = False  # inside another quotation


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def is_boilerplate(line: str) -> bool:
    """True for page furniture: "Advertisement", "Read more: ...", bylines, photo captions."""
    return bool(_BOILERPLATE.match(line) or _CAPTION_CREDIT.search(line.rstrip()))


def _opens_here(text: str, i: int, line_start: int) -> bool:
    """Whether a straight mark at i opens a quotation: it starts a word after space or a bracket."""
    before = text[i - 1] if i > line_start else " "
    return before.isspace() or before in "([{—–-:/" or before in OPENERS


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_marked_spans(text: str) -> list[MarkedSpan]:
    """Every quoted stretch of text outside boilerplate lines, in text order."""
    found: list[MarkedSpan] = []
    for index, (line_start, line_end) in enumerate(paragraphs(text)):
        if not is_boilerplate(text[line_start:line_end]):
            found += _spans_in_line(text, index, line_start, line_end)
    found.sort(key=lambda span: (span.start, -span.end))
    return found


def _spans_in_line(text: str, index: int, line_start: int, line_end: int) -> list[MarkedSpan]:
    found: list[MarkedSpan] = []
    stack: list[tuple[str, int]] = []  # (kind of opening mark, its offset)

    def emit(open_at: int, close_at: int | None, end: int) -> None:
        start, stop = _trimmed(text, open_at + 1, end)
        if stop > start:
            found.append(MarkedSpan(start, stop, open_at, close_at, index, bool(stack)))

    for i in range(line_start, line_end):
        ch = text[i]
        if ch in OPENERS:
            stack.append(("curly", i))
        elif ch in CLOSERS:
            if stack:
                _, open_at = stack.pop()
                emit(open_at, i, i)
            elif i + 1 < line_end and text[i + 1].isalpha() and _opens_here(text, i, line_start):
                stack.append(("curly", i))  # a closing mark typed where an opening one belongs
        elif ch == STRAIGHT:
            if i > line_start and text[i - 1].isdigit() and not stack:
                continue  # inches: 6'2"
            if stack and stack[-1][0] == "straight":
                _, open_at = stack.pop()
                emit(open_at, i, i)
            elif not stack or _opens_here(text, i, line_start):
                stack.append(("straight", i))
            else:  # a straight mark closing a curly one: mixed marks, close it
                _, open_at = stack.pop()
                emit(open_at, i, i)
    # An unclosed quotation runs to the end of the paragraph (news style for quotes that go on
    # in the next paragraph); only the outermost one is kept.
    if stack:
        _, open_at = stack[0]
        stack.clear()
        emit(open_at, None, line_end)
    return found
