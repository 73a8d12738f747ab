"""Size limits every article draft passes through where it is made: text length and fields."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.bidi import without_direction_controls
from bot.config import IngestSettings
from bot.models import ArticleDraft

# The end of a shortened article says so, in the text every answer and digest quotes from.
TRUNCATED_MARK = "[…]"
# Fields are one line in every reply; these are far above any real headline or byline.
MAX_TITLE_CHARS = 300
MAX_SOURCE_CHARS = 200
MAX_AUTHOR_CHARS = 200
MAX_URL_CHARS = 2_000
# spaCy refuses texts of this many characters or more (error E088).
SPACY_MAX_CHARS = 1_000_000

_settings = IngestSettings()
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def configure(settings: IngestSettings) -> None:
    """Use these limits from now on (the core calls this with the [ingest] config section)."""
    global _settings
    _settings = settings


def current() -> IngestSettings:
    return _settings


def clean_text(text: str) -> str:
    """Text that SQLite and spaCy can take: lone surrogates and control characters replaced."""
    # A lone surrogate (from JSON "\ud800" or a char reference) cannot be encoded as UTF-8.
    text = without_direction_controls(_LONE_SURROGATE.sub("\ufffd", text))
    return _CONTROL.sub(" ", text) if _CONTROL.search(text) else text


def cap_text(text: str, max_chars: int) -> tuple[str, bool]:
    """The text cut to at most max_chars (mark included) at a paragraph end; True if cut."""
    if len(text) <= max_chars:
        return text, False
    room = max(1, max_chars - len(TRUNCATED_MARK) - 2)
    head = text[:room]
    # The last paragraph break that keeps at least half the room; else a sentence end;
    # else a space; a text with none of these (one 50 MB "word") is cut where it must be.
    cut = head.rfind("\n\n")
    if cut < room // 2:
        cut = head.rfind("\n")
    if cut < room // 2:
        cut = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
        cut = cut + 1 if cut >= room // 2 else -1
    if cut < room // 2:
        cut = head.rfind(" ")
    if cut < room // 2:
        cut = room
    return head[:cut].rstrip() + "\n\n" + TRUNCATED_MARK, True


def cap_line(value: str, max_chars: int) -> str:
    """A one-line field cut at a word boundary with an ellipsis when too long."""
    if len(value) <= max_chars:
        return value
    head = value[: max_chars - 1]
    space = head.rfind(" ")
    return (head[:space] if space >= max_chars // 2 else head).rstrip() + "…"


def cap_draft(draft: ArticleDraft, settings: IngestSettings | None = None) -> ArticleDraft:
    """The draft within every limit: text at most max_article_chars, fields at sane lengths."""
    limit = min((settings or _settings).max_article_chars, SPACY_MAX_CHARS - 1)
    text, _ = cap_text(clean_text(draft.text), limit)
    url = clean_text(draft.url).strip()
    capped = replace(
        draft,
        text=text,
        title=cap_line(clean_text(draft.title), MAX_TITLE_CHARS),
        source=cap_line(clean_text(draft.source), MAX_SOURCE_CHARS),
        author=cap_line(clean_text(draft.author), MAX_AUTHOR_CHARS),
        # A cut address leads nowhere: an absurdly long one is dropped, not shortened.
        url=url if len(url) <= MAX_URL_CHARS else "",
    )
    return draft if capped == draft else capped


_WORDLIKE = re.compile(r"^\W{0,3}[^\W\d_]{1,30}(?:['’-][^\W\d_]{1,30})?\W{0,3}$")
# Scores, prices and tables are numbers, not noise: "38", "2-1", "$4.5bn", "12:30".
_NUMBERLIKE = re.compile(r"^\W{0,3}\d[\d.,:/-]{0,14}[^\W\d_]{0,3}\W{0,3}$")


def looks_like_language(text: str) -> bool:
    """Whether a text reads as words rather than noise (random bytes decoded as Latin-1).

    Looks at the first 20,000 characters: most space-separated tokens must be words of
    letters, and control characters must be rare.
    """
    sample = text[:20_000]
    tokens = sample.split()
    if not tokens:
        return False
    controls = len(re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", sample))
    if controls > max(2, len(sample) // 200):
        return False
    words = sum(1 for token in tokens if _WORDLIKE.match(token) or _NUMBERLIKE.match(token))
    return words >= 0.4 * len(tokens)
