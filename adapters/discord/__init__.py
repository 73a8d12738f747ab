"""Discord adapter: slash commands to the core, replies and posts as embeds (discord.py)."""

from adapters.discord.client import DiscordAdapter

__all__ = ["DiscordAdapter"]
