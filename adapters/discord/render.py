"""Reply -> Discord embed, within Discord's embed limits, with article text defused."""

from __future__ import annotations

import re

import discord

from bot.bidi import without_direction_controls
from bot.models import Reply, ReplyItem

# Discord's documented embed limits.
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000

COLOUR_ANSWER = discord.Colour.blurple()
COLOUR_ERROR = discord.Colour.red()
ELLIPSIS = "…"
ZWSP = "\u200b"
MORE_HINT = "More not shown: add a topic or name to narrow it."

# '@everyone', '@here', '<@123>', '<@!123>', '<@&123>': a zero-width space after the '@'
# keeps the text readable while Discord no longer sees a mention.
_MENTION = re.compile(r"@(?=everyone|here|[!&]?\d)")
# Only plain http(s) URLs without characters that would end a masked link early.
_SAFE_URL = re.compile(r"^https?://[^\s()<>\[\]]+$")
# Every character Discord's markdown gives a meaning to, wherever it stands: emphasis, code,
# spoilers, masked links ("[text](url)"), and "<...>" (channel, emoji, timestamp and command
# mentions, suppressed links). A backslash before any of them shows the character as written.
_MARKUP = r"(?P<char>[\\*_~|`\[\]()<>])"
# Markdown that counts only at the start of a line: quotes, headings, subtext, lists ("1. ").
_LINE_START = r"^[ \t]*(?:(?P<lead>[>#-])|\d+(?P<dot>[.)])(?=[ \t]))"
# A bare URL in body text is left whole so Discord still links it; it may not contain a
# bracket, or "https://x](https://evil)" would carry a masked link through.
_BARE_URL = r"(?P<url>https?://[^\s<>\[\]()]*[^\s<>\[\]().,:;\"'])"
_BODY = re.compile(rf"{_BARE_URL}|{_MARKUP}|{_LINE_START}", re.MULTILINE)
_ALL = re.compile(rf"{_MARKUP}|{_LINE_START}", re.MULTILINE)


def defuse(text: str) -> str:
    """Neutralise mention syntax (and direction overrides) so article text pings nobody."""
    return _MENTION.sub("@" + ZWSP, without_direction_controls(text))


def _backslashed(match: re.Match[str]) -> str:
    """A backslash before the one character that carries the markup; URLs pass unchanged."""
    found = match.groupdict()
    if found.get("url"):
        return match.group(0)
    key = next(k for k in ("char", "lead", "dot") if found.get(k))
    at = match.start(key) - match.start()
    return match.group(0)[:at] + "\\" + match.group(0)[at:]


def escape(text: str) -> str:
    """Defuse mentions and escape markdown so article text shows as written (URLs stay links)."""
    return defuse(_BODY.sub(_backslashed, text))


def escape_link_text(text: str) -> str:
    """Article text made safe to stand inside "[...](url)": nothing in it can end the link."""
    return defuse(_ALL.sub(_backslashed, text))


def clip(text: str, limit: int) -> str:
    """Cut text to `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def _cite_marks(item: ReplyItem, reply: Reply) -> str:
    marks = []
    for index in item.cites:
        if 0 <= index < len(reply.citations):
            url = reply.citations[index].url
            number = index + 1
            marks.append(f"[{number}]({url})" if _SAFE_URL.match(url) else f"[{number}]")
    return " ".join(marks)


def _item_line(item: ReplyItem, reply: Reply) -> str:
    # Each part is clipped before escaping so no escape sequence is ever cut in half.
    line = f"**{escape(clip(item.text, 600))}**"
    if item.detail:
        line += f" — {escape(clip(item.detail, 1200))}"
    marks = _cite_marks(item, reply)
    return f"{line} {marks}" if marks else line


def _citation_line(number: int, reply: Reply) -> str:
    citation = reply.citations[number - 1]
    text = clip(citation.title or citation.url, 150)
    link = (f"[{escape_link_text(text)}]({citation.url})" if _SAFE_URL.match(citation.url)
            else escape(text))
    source = escape(clip(citation.source, 60)) if citation.source else ""
    date = f", {citation.published}" if citation.published else ""
    suffix = f" — {source}{date}" if source or date else ""
    return f"`{number}` {link}{suffix}"


def _title(text: str) -> str:
    # An embed title renders emphasis and code but never links, so it needs only the
    # library's escaping (which also keeps "(ref 1a2b3c)" free of backslashes).
    return defuse(discord.utils.escape_markdown(text, ignore_links=True))


def _fitted(text: str, limit: int) -> str:
    """Escaped title within `limit` characters; cut before escaping, so no escape is halved."""
    cut = limit
    while cut > 1:
        shown = _title(clip(text, cut))
        if len(shown) <= limit:
            return shown
        # Escaping at most doubles the text: cutting half the excess converges without
        # overshooting to an empty title.
        cut -= max(1, (len(shown) - limit + 1) // 2)
    return ELLIPSIS


def _fill(lines: list[str], limit: int, separator: str = "\n") -> tuple[str, int]:
    """Join as many whole lines as fit in `limit`; return the text and how many fit."""
    text, used = "", 0
    for line in lines:
        candidate = line if not text else text + separator + line
        if len(candidate) > limit:
            if not text:  # a single line longer than the limit is clipped, not dropped
                return clip(line, limit), 1
            break
        text, used = candidate, used + 1
    return text, used


def render(reply: Reply) -> discord.Embed:
    """Render a Reply as one embed inside every Discord limit; truncation adds a 'see more' hint."""
    colour = COLOUR_ERROR if reply.error else COLOUR_ANSWER
    title = _fitted(reply.title, TITLE_MAX)
    budget = EMBED_TOTAL_MAX - len(title)
    truncated = False

    # Reserve room for the footer first: it carries the 'see more' hint.
    footer_room = min(FOOTER_MAX, 400)
    budget -= footer_room

    item_lines = [_item_line(item, reply) for item in reply.items]
    if reply.error and len(reply.title) > TITLE_MAX:
        item_lines.insert(0, escape(reply.title))
    description, shown = _fill(item_lines, min(DESCRIPTION_MAX, budget))
    truncated |= shown < len(item_lines)
    budget -= len(description)

    embed = discord.Embed(title=title, description=description or None, colour=colour)

    citation_lines = [_citation_line(n, reply) for n in range(1, len(reply.citations) + 1)]
    remaining = citation_lines
    while remaining and len(embed.fields) < FIELDS_MAX:
        name = "Sources" if remaining is citation_lines else "Sources (continued)"
        room = min(FIELD_VALUE_MAX, budget - len(name))
        if room < 80:  # not even one source line fits: stop and say so
            break
        value, used = _fill(remaining, room)
        embed.add_field(name=name, value=value, inline=False)
        budget -= len(name) + len(value)
        remaining = remaining[used:]
    truncated |= bool(remaining)

    footer = defuse(reply.footer)
    if truncated and MORE_HINT not in footer:
        footer = f"{MORE_HINT} {footer}".strip()  # first, so clipping never cuts the hint
    if footer:
        embed.set_footer(text=clip(footer, footer_room))
    return embed
