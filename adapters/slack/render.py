"""Reply -> Slack message: Block Kit within Slack's limits, plus the plain `text` fallback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.slack.escape import escape_within, link
from bot.models import Citation, Reply, ReplyItem

# Slack's documented limits for messages built from blocks.
MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_CONTEXT_CHARS = 2000
# The fallback shows in notifications and screen readers; Slack cuts message text at 40k,
# but a notification only needs the gist.
MAX_FALLBACK_CHARS = 3000
_MAX_CITES_PER_ITEM = 5
_MAX_CITATION_BLOCKS = 3
_MAX_BOLD_CHARS = 80  # names and short labels; long quotes stay plain

Block = dict[str, Any]


@dataclass(frozen=True)
class SlackMessage:
    """What chat.postMessage, chat.update and a response_url take."""

    text: str
    blocks: list[Block]

    def as_kwargs(self) -> dict[str, Any]:
        # Slack refuses an empty blocks list; the text alone is a valid message.
        return {"text": self.text, "blocks": self.blocks} if self.blocks else {"text": self.text}


def _mrkdwn(text: str) -> Block:
    # verbatim: Slack must not auto-link channel names, URLs or mentions in our text.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(text)]}


def _header(title: str) -> Block:
    text = escape_within(title, MAX_HEADER_CHARS)
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": False}}


def _cite_marks(item: ReplyItem, citations: tuple[Citation, ...]) -> str:
    marks = []
    for index in item.cites[:_MAX_CITES_PER_ITEM]:
        if 0 <= index < len(citations):
            marks.append(link(citations[index].url, f"[{index + 1}]"))
    return (" " + "".join(marks)) if marks else ""


def _item_line(item: ReplyItem, citations: tuple[Citation, ...]) -> str:
    """One bullet line: the text (bold when it is a short name with a detail), cites, detail."""
    marks = _cite_marks(item, citations)
    room = MAX_SECTION_CHARS - len(marks) - 4
    text = escape_within(item.text, room // 2 if item.detail else room)
    # Bold only what cannot break the markup: no "*" inside and no space at either end.
    if item.detail and len(text) <= _MAX_BOLD_CHARS and "*" not in text and text == text.strip():
        text = f"*{text}*"
    line = "• " + text + marks
    if item.detail:
        line += " — " + escape_within(item.detail, MAX_SECTION_CHARS - len(line) - 3)
    return line


def _packed(lines: list[str], limit: int) -> list[tuple[str, int]]:
    """Lines joined into as few texts as the character limit allows, with their line counts."""
    packed: list[tuple[str, int]] = []
    for line in lines:
        if packed and len(packed[-1][0]) + 1 + len(line) <= limit:
            packed[-1] = (packed[-1][0] + "\n" + line, packed[-1][1] + 1)
        else:
            packed.append((line, 1))
    return packed


def _citation_line(number: int, citation: Citation) -> str:
    parts = [f"[{number}] " + link(citation.url, citation.title or citation.url)]
    if citation.source:
        parts.append(escape_within(citation.source, 100))
    if citation.published:
        parts.append(escape_within(citation.published, 40))
    return " · ".join(parts)


def _citation_blocks(citations: tuple[Citation, ...]) -> list[Block]:
    """Numbered source lines, packed into at most a few sections."""
    lines = [_citation_line(n, c) for n, c in enumerate(citations, start=1)]
    packed = _packed(lines, MAX_SECTION_CHARS)
    return [_section(text) for text, _ in packed[:_MAX_CITATION_BLOCKS]]


def _fallback(reply: Reply) -> str:
    lines = [reply.title] + ["• " + item.text for item in reply.items]
    if reply.footer:
        lines.append(reply.footer)
    return escape_within("\n".join(line for line in lines if line), MAX_FALLBACK_CHARS)


def render(reply: Reply) -> SlackMessage:
    """Render a Reply as Block Kit; everything from the Reply is treated as untrusted text."""
    head: list[Block] = []
    if reply.error:
        head.append(_section(":warning: " + escape_within(reply.title, MAX_SECTION_CHARS - 10)))
    elif reply.title:
        head.append(_header(reply.title))
    tail: list[Block] = []
    if reply.citations:
        tail.append({"type": "divider"})
        tail.extend(_citation_blocks(reply.citations))
    if reply.footer:
        tail.append(_context(escape_within(reply.footer, MAX_CONTEXT_CHARS)))

    room = MAX_BLOCKS - len(head) - len(tail)
    packed = _packed([_item_line(i, reply.citations) for i in reply.items], MAX_SECTION_CHARS)
    if len(packed) > room:
        kept = packed[: room - 1]  # keep one block to say that some lines were left out
        left_out = len(reply.items) - sum(count for _, count in kept)
        item_blocks = [_section(text) for text, _ in kept]
        item_blocks.append(_context(f"…and {left_out} more not shown."))
    else:
        item_blocks = [_section(text) for text, _ in packed]
    blocks = head + item_blocks + tail
    return SlackMessage(text=_fallback(reply) or "(empty reply)", blocks=blocks)
