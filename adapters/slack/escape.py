"""Make text from articles safe for Slack mrkdwn: no markup injection and no pings."""

from __future__ import annotations

import re
from urllib.parse import quote

from bot.bidi import without_direction_controls

# Slack's control characters; escaping them turns <!channel>, <@U123>, <#C1> and
# <url|label> into inert text. Only these three are decoded by Slack, so nothing else.
_CONTROL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Bare words are only linkified with link_names (never set), but a zero-width space after the
# "@" keeps them inert even if a client or a future API default ever parses them.
_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"
_ELLIPSIS = "…"
# Characters a URL may keep inside <url|label>: everything reserved by RFC 3986 except the
# ones that would end the link early ("|", ">") or start a new one ("<").
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_MAX_URL_CHARS = 1000
# Inside <url|label> a "|" is the one separator Slack looks for; a lookalike keeps the label's
# text readable and leaves no doubt where the address ends.
_LABEL_BAR = "\u2223"


def _defuse(text: str) -> str:
    text = without_direction_controls(text)
    return _BROADCAST.sub(lambda m: "@" + _ZERO_WIDTH_SPACE + m.group(1), text)


def escape(text: str) -> str:
    """Escape `&`, `<`, `>` and defuse @here/@channel/@everyone."""
    return _defuse(text).translate(_CONTROL)


def escape_within(text: str, limit: int) -> str:
    """Escape text and cut it to at most `limit` characters, never inside an entity."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    pieces: list[str] = []
    size = 0
    for char in _defuse(text):
        piece = char.translate(_CONTROL)
        if size + len(piece) > limit - len(_ELLIPSIS):
            break
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces).rstrip() + _ELLIPSIS


def safe_url(url: str) -> str | None:
    """The URL ready to sit inside <url|label>, or None when it must not be linked."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None  # javascript:, slack://, mailto: and the like stay plain text
    encoded = quote(url, safe=_URL_SAFE).replace("&", "&amp;")
    return encoded if len(encoded) <= _MAX_URL_CHARS else None


def link(url: str, label: str, limit: int = 300) -> str:
    """A mrkdwn link with an escaped label; just the label when the URL is unfit to link."""
    label_text = escape_within(label.replace("|", _LABEL_BAR), limit) or "link"
    target = safe_url(url)
    return f"<{target}|{label_text}>" if target else label_text


# Slack sends command text with &, <, > as entities, and links as <url> or <url|label>
# (always when the command sets should_escape, sometimes when the client linkifies).
_INCOMING_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")


def unescape_command_text(text: str) -> str:
    """The text of a slash command as the person typed it."""
    text = _INCOMING_LINK.sub(lambda m: m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
