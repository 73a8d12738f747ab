"""The console adapter: a REPL for `newsdesk demo` and a terminal Chat for `newsdesk run`."""

from adapters.console.render import render_reply
from adapters.console.repl import ConsoleChat, run_repl

__all__ = ["ConsoleChat", "render_reply", "run_repl"]
