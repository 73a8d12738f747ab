"""Which Slack command stands for which core command, and the core's words in Slack's names."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.models import Reply

# Slack command -> the core's command group it stands for. None: the first word of the text
# names the command (`/newsdesk who putin`). Slack reserves /who for its own member list,
# so the people command is /people on Slack; slack-manifest.yml registers exactly these.
SLASH_COMMANDS: dict[str, str | None] = {
    "/newsdesk": None,
    "/people": "who",
    "/when": "when",
    "/quote": "quote",
    "/summary": "summary",
    "/digest": "digest",
    "/source": "source",
    "/schedule": "schedule",
    "/alert": "alert",
    "/stories": "stories",
    "/story": "story",
    "/person": "person",
}
# Accepted as well, though the manifest cannot register them in an ordinary workspace: a
# workspace (or an Enterprise Grid org) that routes them to the app gets the same answers.
ALSO_ACCEPTED: dict[str, str | None] = {"/who": "who", "/help": "help"}
ACCEPTED: dict[str, str | None] = {**SLASH_COMMANDS, **ALSO_ACCEPTED}

# The core names its commands the same on every platform; these two are spelled
# differently on Slack. Not after a word character or "/", so URLs are left alone.
_SLACK_SPELLING = {
    re.compile(r"(?<![\w/])/who\b"): "/people",
    re.compile(r"(?<![\w/])/help\b"): "/newsdesk",
}


def request_line(slash: str, text: str) -> str:
    """The command line the core understands, from a Slack command and its text."""
    group = ACCEPTED.get(slash.lower())
    line = text.strip() if group is None else f"{group} {text.strip()}".strip()
    return line or "help"


def _respell(text: str) -> str:
    for pattern, name in _SLACK_SPELLING.items():
        text = pattern.sub(name, text)
    return text


def in_slack_names(reply: Reply, command: str) -> Reply:
    """The reply with command names as typed on Slack: in the title and footer (hints like
    "try /who NAME"), and in every line of the help, which is all command names."""
    items = reply.items
    if command == "help":
        items = tuple(replace(i, text=_respell(i.text), detail=_respell(i.detail)) for i in items)
    return replace(reply, title=_respell(reply.title), footer=_respell(reply.footer), items=items)
