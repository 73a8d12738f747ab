"""The command table: every command's name, arguments, help text and admin flag.

Adapters build their platform's command registry from this table (Discord application
commands, Slack slash commands, console help); `bot.dispatch` maps the names to handlers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArgSpec:
    """One argument; the last argument of a command takes the rest of the line."""

    name: str
    help: str
    required: bool = False


@dataclass(frozen=True)
class CommandSpec:
    """A command as users see it."""

    name: str  # "who", "source add" (group and subcommand separated by one space)
    help: str
    example: str
    admin: bool = False
    args: tuple[ArgSpec, ...] = ()

    @property
    def group(self) -> str:
        return self.name.split(" ", 1)[0]

    @property
    def sub(self) -> str | None:
        parts = self.name.split(" ", 1)
        return parts[1] if len(parts) == 2 else None


_TOPIC = ArgSpec("topic", "Limit to articles about this (words, a name, a place or story:ID)")

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "who",
        "People and organisations in the coverage, with their roles; or one person's card.",
        "/who putin",
        args=(ArgSpec("name", "A person, organisation or topic"),),
    ),
    CommandSpec(
        "person merge",
        "Two entries are one person: the second joins the first.",
        "/person merge Saddam Hussein | Hussein",
        admin=True,
        args=(ArgSpec("people", "The person to keep | the one that is them", required=True),),
    ),
    CommandSpec(
        "person split",
        "Articles writing this spelling are someone else: they become a person of their own.",
        "/person split Saddam Hussein | King Hussein",
        admin=True,
        args=(ArgSpec("person", "The person | the spelling that is someone else",
                      required=True),),
    ),
    CommandSpec("when", "Timeline of dated events, oldest first.", "/when hanoi", args=(_TOPIC,)),
    CommandSpec(
        "quote",
        "Direct quotes with their speaker and the sources that carry them.",
        "/quote putin",
        args=(ArgSpec("query", "A speaker's name or words from the quote"),),
    ),
    CommandSpec(
        "summary", "A short cited summary of the coverage.", "/summary sanctions", args=(_TOPIC,)
    ),
    CommandSpec(
        "stories",
        "Recent stories (one event, many outlets): outlets, articles, first and last seen.",
        "/stories kim",
        args=(_TOPIC,),
    ),
    CommandSpec(
        "story",
        "A story's card: cited summary, timeline, people, quotes, what each outlet added.",
        "/story 12",
        args=(ArgSpec("story", "The story number from /stories (or type words of its title)",
                      required=True),),
    ),
    CommandSpec(
        "story move",
        "Move an article into another story (undo a wrong join).",
        "/story move 31 12",
        admin=True,
        args=(ArgSpec("article", "The article number (from /story ID --json)", required=True),
              ArgSpec("story", "The story it belongs to", required=True)),
    ),
    CommandSpec(
        "story split",
        "Take an article out of its story into a story of its own.",
        "/story split 31",
        admin=True,
        args=(ArgSpec("article", "The article number (from /story ID --json)",
                      required=True),),
    ),
    CommandSpec(
        "digest",
        "What is new in this channel since its last digest (preview).",
        "/digest",
    ),
    CommandSpec(
        "digest why",
        "Which sources were read, how many articles were new, which copies and filters left "
        "out.",
        "/digest why",
    ),
    CommandSpec("digest post", "Post this channel's digest now.", "/digest post", admin=True),
    CommandSpec(
        "source add",
        "Add an RSS/Atom feed or an article page; it is checked at once.",
        "/source add https://example.com/feed.xml World news",
        admin=True,
        args=(
            ArgSpec("url", "The feed or page address (http or https)", required=True),
            ArgSpec("name", "A short name for the source"),
        ),
    ),
    CommandSpec("source list", "Sources and their health.", "/source list", admin=True),
    CommandSpec(
        "source remove",
        "Stop reading a source (its articles stay).",
        "/source remove 3",
        admin=True,
        args=(ArgSpec("id", "The source number from /source list", required=True),),
    ),
    CommandSpec(
        "source check",
        "Fetch a source once now and explain what happened.",
        "/source check 3",
        admin=True,
        args=(ArgSpec("id", "The source number from /source list", required=True),),
    ),
    CommandSpec(
        "source enable",
        "Re-enable a disabled source.",
        "/source enable 3",
        admin=True,
        args=(ArgSpec("id", "The source number from /source list", required=True),),
    ),
    CommandSpec(
        "source import",
        "Import the feeds of an OPML file.",
        "/source import https://example.com/feeds.opml",
        admin=True,
        args=(ArgSpec("url", "Address of the OPML file", required=True),),
    ),
    CommandSpec(
        "source route",
        "Send a source's articles to a channel (this one when none is named); a channel with "
        "routes gets only the sources routed to it.",
        "/source route 3 #world-news",
        admin=True,
        args=(ArgSpec("id", "The source number from /source list", required=True),
              ArgSpec("channel", "The channel (default: this one)")),
    ),
    CommandSpec(
        "source unroute",
        "Stop sending a source to a channel (this one when none is named).",
        "/source unroute 3 #world-news",
        admin=True,
        args=(ArgSpec("id", "The source number from /source list", required=True),
              ArgSpec("channel", "The channel (default: this one)")),
    ),
    CommandSpec(
        "source filter",
        "Narrow a source routed here: include or exclude words, a person or outlet:NAME; "
        "'clear' removes them; alone it shows them.",
        '/source filter 3 include "Kim Jong-un"',
        admin=True,
        args=(ArgSpec("id", "The source number from /source list", required=True),
              ArgSpec("rule", "include WORDS, exclude WORDS (a person, words or "
                              "outlet:NAME), or clear")),
    ),
    CommandSpec(
        "schedule digest",
        "Post a digest here on a schedule: daily 08:00, weekdays 07:30, every 6h or cron.",
        "/schedule digest daily 08:00 Europe/Berlin",
        admin=True,
        args=(ArgSpec("when", "daily HH:MM, weekdays HH:MM, every Nh, or a cron expression "
                      "(optionally followed by a time zone)", required=True),),
    ),
    CommandSpec("schedule off", "Stop this channel's digest schedule.", "/schedule off",
                admin=True),
    CommandSpec("schedule show", "Show this channel's digest schedule.", "/schedule show",
                admin=True),
    CommandSpec(
        "alert add",
        "Alert this channel when a new article mentions a person or phrase.",
        "/alert add Kim Jong-un",
        admin=True,
        args=(ArgSpec("words", "A person's name or a phrase", required=True),),
    ),
    CommandSpec("alert list", "This channel's alerts.", "/alert list", admin=True),
    CommandSpec(
        "alert remove",
        "Remove an alert.",
        "/alert remove 2",
        admin=True,
        args=(ArgSpec("id", "The alert number from /alert list", required=True),),
    ),
    CommandSpec("help", "Commands, with one example each.", "/help"),
)

BY_NAME: dict[str, CommandSpec] = {spec.name: spec for spec in COMMANDS}
GROUPS: frozenset[str] = frozenset(s.group for s in COMMANDS if s.sub is not None)


def split_command(line: str) -> tuple[str, str]:
    """Split '/source add URL name' into ('source add', 'URL name'); unknown names pass through.

    A group name without a known subcommand ('/digest', '/digest foo') resolves to the group's
    own command when it has one, so '/digest foo' is reported as a bad argument, not unknown.
    """
    words = line.strip().lstrip("/").split(None, 2)
    if not words:
        return "", ""
    head = words[0].lower()
    if head in GROUPS and len(words) > 1 and f"{head} {words[1].lower()}" in BY_NAME:
        return f"{head} {words[1].lower()}", words[2] if len(words) > 2 else ""
    return head, " ".join(words[1:])
