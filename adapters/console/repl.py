"""The interactive console: type slash commands, read answers; posts appear here too."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from adapters.console.render import render_reply
from bot.models import Reply

_HISTORY = Path(os.environ.get("NEWSDESK_HISTORY", Path.home() / ".newsdesk_history"))
_EXIT = {"exit", "quit", "/exit", "/quit", ":q"}


def _setup_history() -> None:
    """Arrow keys and history across sessions where readline exists (not on every platform)."""
    try:
        import readline
    except ImportError:
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(_HISTORY)
    readline.set_history_length(1000)
    import atexit

    def save() -> None:
        with contextlib.suppress(OSError):
            readline.write_history_file(_HISTORY)

    atexit.register(save)


async def run_repl(ask: Callable[[str], Awaitable[Reply]], console: Console | None = None,
                   banner: str = "") -> None:
    """Read commands until EOF or `exit`; each answer is rendered as it comes."""
    console = console or Console()
    _setup_history()
    if banner:
        console.print(Text(banner, style="bold green"))
    console.print(Text("Type /help for the commands, exit to leave.", style="dim"))
    loop = asyncio.get_running_loop()
    while True:
        try:
            line = await loop.run_in_executor(None, input, "newsdesk> ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        line = line.strip()
        if not line:
            continue
        if line.lower() in _EXIT:
            return
        if not line.startswith("/"):
            line = "/" + line
        console.print(render_reply(await ask(line)))


class ConsoleChat:
    """A Chat that shows digests and alerts in the terminal (`[console] enabled = true`)."""

    platform = "console"

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self._next = 0

    async def post(self, channel: str, reply: Reply, *, nonce: str) -> str | None:
        self._next += 1
        self.console.print(Text(f"── post to #{channel} ──", style="magenta"))
        self.console.print(render_reply(reply))
        return str(self._next)

    async def edit(self, channel: str, message_id: str, reply: Reply) -> None:
        self.console.print(Text(f"── update of post {message_id} in #{channel} ──",
                                style="magenta"))
        self.console.print(render_reply(reply))
