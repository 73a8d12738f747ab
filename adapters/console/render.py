"""A Reply as readable terminal text (rich Text objects, so article text is never markup)."""

from __future__ import annotations

import re

from rich.console import Group
from rich.text import Text

from bot.bidi import without_direction_controls
from bot.models import Reply

# Terminal control characters (ESC starts colour changes, screen clears and OSC 8 hyperlinks
# that show one text and open another address); rich passes them through, so they go here.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """Article text with nothing a terminal would act on: only newlines and tabs remain."""
    return _CONTROL.sub("", without_direction_controls(text))


def render_reply(reply: Reply) -> Group:
    """Title, one line per item with its citation numbers, the sources, then the footer."""
    parts: list[Text] = []
    if reply.error:
        parts.append(Text(_plain(reply.title), style="bold red"))
        return Group(*parts)
    parts.append(Text(_plain(reply.title), style="bold"))
    for item in reply.items:
        line = Text("• ")
        line.append(_plain(item.text))
        if item.detail:
            line.append(f" — {_plain(item.detail)}", style="dim")
        if item.cites:
            line.append(" " + "".join(f"[{n + 1}]" for n in item.cites), style="cyan")
        parts.append(line)
    if reply.citations:
        parts.append(Text("Sources", style="bold dim"))
        for n, cite in enumerate(reply.citations, start=1):
            line = Text(f"[{n}] ", style="cyan")
            line.append(_plain(cite.title or cite.url or "untitled"))
            meta = _plain(", ".join(x for x in (cite.source, cite.published or "") if x))
            if meta:
                line.append(f" — {meta}", style="dim")
            if cite.url:
                line.append(f" {_plain(cite.url)}", style="underline dim")
            parts.append(line)
    if reply.footer:
        parts.append(Text(_plain(reply.footer), style="italic dim"))
    return Group(*parts)


def reply_as_text(reply: Reply) -> str:
    """Plain text of a reply (for logs of posts and for tests)."""
    import io

    from rich.console import Console

    console = Console(width=100, no_color=True, color_system=None, file=io.StringIO())
    console.print(render_reply(reply))
    return console.file.getvalue()  # type: ignore[attr-defined]
