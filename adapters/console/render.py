"""A Reply as readable terminal text (rich Text objects, so article text is never markup)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from bot.models import Reply


def render_reply(reply: Reply) -> Group:
    """Title, one line per item with its citation numbers, the sources, then the footer."""
    parts: list[Text] = []
    if reply.error:
        parts.append(Text(reply.title, style="bold red"))
        return Group(*parts)
    parts.append(Text(reply.title, style="bold"))
    for item in reply.items:
        line = Text("• ")
        line.append(item.text)
        if item.detail:
            line.append(f" — {item.detail}", style="dim")
        if item.cites:
            line.append(" " + "".join(f"[{n + 1}]" for n in item.cites), style="cyan")
        parts.append(line)
    if reply.citations:
        parts.append(Text("Sources", style="bold dim"))
        for n, cite in enumerate(reply.citations, start=1):
            line = Text(f"[{n}] ", style="cyan")
            line.append(cite.title or cite.url or "untitled")
            meta = ", ".join(x for x in (cite.source, cite.published or "") if x)
            if meta:
                line.append(f" — {meta}", style="dim")
            if cite.url:
                line.append(f" {cite.url}", style="underline dim")
            parts.append(line)
    if reply.footer:
        parts.append(Text(reply.footer, style="italic dim"))
    return Group(*parts)


def reply_as_text(reply: Reply) -> str:
    """Plain text of a reply (for logs of posts and for tests)."""
    import io

    from rich.console import Console

    console = Console(width=100, no_color=True, color_system=None, file=io.StringIO())
    console.print(render_reply(reply))
    return console.file.getvalue()  # type: ignore[attr-defined]
