"""The app_commands tree, built from the core's command table (bot.commands.COMMANDS).

Groups ("source", "schedule", "alert") become Discord command groups with subcommands.
Discord cannot invoke a group by itself, so a group that is also a command whose subcommands
take nothing ("digest") is one command with an `action` choice instead. Every option is a
string; the adapter joins them, in the table's order, into the request's `args`.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Optional

import discord
from discord import app_commands

from bot.commands import COMMANDS, CommandSpec

# Called for every invocation with the command's spec and its option values in table order.
Runner = Callable[[discord.Interaction[Any], CommandSpec, list[str | None]], Awaitable[None]]
# Names in the coverage that start with what the member typed so far.
Suggest = Callable[[str], Awaitable[list[str]]]
# Options that take a person's or organisation's name, offered names as the member types.
NAME_OPTIONS = {"name", "query"}
# Options that take a story: offered story titles as the member types, the id as the value
# (asked of the same Suggest with a "story:" prefix, answered as "ID<TAB>title").
STORY_OPTIONS = {"story"}
CHOICES_MAX = 25

DESCRIPTION_MAX = 100
# The subcommand that stands for a group's own command (Discord cannot invoke a group).
GROUP_SELF_NAME = "show"
MANAGE_SERVER = discord.Permissions(manage_guild=True)
_GUILD_ONLY = app_commands.AppCommandContext(guild=True)


def _describe(text: str) -> str:
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


def _callback_for(spec: CommandSpec, run: Runner) -> Callable[..., Coroutine[Any, Any, None]]:
    """A callback whose signature declares the spec's options, as discord.py reads them."""

    async def callback(interaction: discord.Interaction[Any], **options: str | None) -> None:
        await run(interaction, spec, [options.get(arg.name) for arg in spec.args])

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for arg in spec.args:
        # Keyword-only so a required option may follow an optional one in the table.
        parameters.append(
            inspect.Parameter(
                arg.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=str if arg.required else Optional[str],  # noqa: UP045 (runtime type)
                default=inspect.Parameter.empty if arg.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        arg.name: _describe(arg.help) for arg in spec.args
    }
    return callback


def _autocomplete(suggest: Suggest) -> Callable[..., Coroutine[Any, Any, list[Any]]]:
    async def complete(interaction: discord.Interaction[Any],
                       current: str) -> list[app_commands.Choice[str]]:
        names = await suggest(current)
        return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names[:CHOICES_MAX]]

    return complete


def _story_autocomplete(suggest: Suggest) -> Callable[..., Coroutine[Any, Any, list[Any]]]:
    async def complete(interaction: discord.Interaction[Any],
                       current: str) -> list[app_commands.Choice[str]]:
        choices = []
        for line in await suggest("story:" + current):
            story_id, _, title = line.partition("\t")
            if story_id.isdigit() and title:
                choices.append(app_commands.Choice(name=title[:100], value=story_id))
        return choices[:CHOICES_MAX]

    return complete


def _command(
    spec: CommandSpec, name: str, run: Runner, parent: app_commands.Group | None = None,
    suggest: Suggest | None = None,
) -> app_commands.Command[Any, ..., None]:
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=name,
        description=_describe(spec.help),
        callback=_callback_for(spec, run),
        parent=parent,
        allowed_contexts=None if parent else _GUILD_ONLY,
    )
    if suggest is not None:
        for arg in spec.args:
            if arg.name in NAME_OPTIONS:
                command.autocomplete(arg.name)(_autocomplete(suggest))
            elif arg.name in STORY_OPTIONS:
                command.autocomplete(arg.name)(_story_autocomplete(suggest))
    if parent is None:
        command.guild_only = True
        if spec.admin:
            command.default_permissions = MANAGE_SERVER
    return command


def _with_action(specs: list[CommandSpec]) -> bool:
    """A group that is a command itself and whose subcommands take nothing ("/digest",
    "/digest why", "/digest post") is one command with an `action` choice, so "/digest" alone
    works on Discord as everywhere else (a group with subcommands cannot be invoked bare)."""
    return any(s.sub is None for s in specs) and all(not s.args for s in specs)


def _action_command(
    name: str, specs: list[CommandSpec], run: Runner
) -> app_commands.Command[Any, ..., None]:
    own = next(s for s in specs if s.sub is None)
    subs = {s.sub: s for s in specs if s.sub is not None}

    async def callback(interaction: discord.Interaction[Any],
                       action: str | None = None) -> None:
        await run(interaction, subs.get(action or "", own), [])

    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        "action": _describe(f"Leave empty for /{name} itself, or: "
                            + ", ".join(f"{sub}" + (" (admins)" if spec.admin else "")
                                        for sub, spec in subs.items())),
    }
    callback.__discord_app_commands_param_choices__ = {  # type: ignore[attr-defined]
        "action": [app_commands.Choice(name=sub, value=sub) for sub in subs],
    }
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=name, description=_describe(own.help), callback=callback,
        allowed_contexts=_GUILD_ONLY,
    )
    command.guild_only = True
    return command


def build_commands(
    run: Runner, suggest: Suggest | None = None
) -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    """Top-level commands and groups for every entry of the command table."""
    top: list[app_commands.Command[Any, ..., None] | app_commands.Group] = []
    members: dict[str, list[CommandSpec]] = {}
    for spec in COMMANDS:
        members.setdefault(spec.group, []).append(spec)

    for group_name, specs in members.items():
        if len(specs) == 1 and specs[0].sub is None:
            top.append(_command(specs[0], group_name, run, suggest=suggest))
            continue
        if _with_action(specs):
            top.append(_action_command(group_name, specs, run))
            continue
        # Discord applies default_member_permissions to a whole top-level command only, so a
        # group is hidden from non-admins only when every subcommand in it is for admins;
        # the run-time check covers the rest (e.g. /digest post).
        all_admin = all(spec.admin for spec in specs)
        subs = ", ".join(spec.sub or GROUP_SELF_NAME for spec in specs)
        group = app_commands.Group(
            name=group_name,
            description=_describe(f"{group_name.capitalize()} commands: {subs}."),
            guild_only=True,
            allowed_contexts=_GUILD_ONLY,
            default_permissions=MANAGE_SERVER if all_admin else None,
        )
        for spec in specs:
            group.add_command(_command(spec, spec.sub or GROUP_SELF_NAME, run, parent=group,
                                       suggest=suggest))
        top.append(group)
    return top


def build_tree(
    client: discord.Client, run: Runner, suggest: Suggest | None = None
) -> app_commands.CommandTree[discord.Client]:
    """A CommandTree holding every command globally; guild syncs copy them per guild."""
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    for command in build_commands(run, suggest):
        tree.add_command(command)
    return tree
