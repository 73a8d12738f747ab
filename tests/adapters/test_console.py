"""The console adapter: the REPL behind `newsdesk demo`, and posts shown in the terminal."""

from __future__ import annotations

import os
import subprocess
import sys

from adapters.console import ConsoleChat, render_reply
from adapters.console.render import reply_as_text
from bot.models import Citation, Reply, ReplyItem


def test_the_demo_console_answers_typed_commands_and_explains_unknown_ones(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "NEWSDESK_HISTORY": str(tmp_path / "h")}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo"],
        input="/who\n/help\n/frobnicate\nquote putin\nexit\n",
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Vladimir Putin" in out
    assert "/when hanoi" in out, "help lists an example per command"
    assert "Unknown command /frobnicate" in out
    assert "step by step" in out, "a command typed without its slash still works"
    assert "Traceback" not in out + done.stderr


def test_article_text_with_markup_is_shown_literally():
    reply = Reply("Quotes", (ReplyItem("[bold]not bold[/bold] @everyone", cites=(0,)),),
                  (Citation("A [red]title", "https://example.com/a", "Example"),))
    text = reply_as_text(reply)
    assert "[bold]not bold[/bold] @everyone" in text
    assert "[1] A [red]title" in text


async def test_posts_appear_in_the_terminal(capsys):
    chat = ConsoleChat()
    message_id = await chat.post("news", Reply("Digest", (ReplyItem("Storm hits coast"),)),
                                 nonce="n1")
    out = capsys.readouterr().out
    assert "post to #news" in out and "Storm hits coast" in out
    assert message_id


def test_an_error_reply_is_one_line():
    reply = Reply.error_reply("Unknown command /x. Type /help for the commands.")
    assert reply_as_text(reply).strip() == "Unknown command /x. Type /help for the commands."
    assert render_reply(reply)
