"""DiscordAdapter: discord.py client, slash commands in, embeds out (implements bot.ports.Chat)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands

from adapters.discord.commands import Suggest, build_tree
from adapters.discord.render import render
from bot import progress
from bot.commands import CommandSpec
from bot.config import DiscordSettings
from bot.dispatch import answer_safely
from bot.errors import ConfigError, UserError
from bot.models import Reply, Request

# Answers ready within this long go in the interaction callback itself; slower ones are
# deferred first (Discord drops an interaction not answered within 3 seconds).
ANSWER_DIRECTLY_S = 1.5
log = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Reply]]

NO_PINGS = discord.AllowedMentions.none()
NONCE_MAX = 25  # Discord accepts message nonces of at most 25 characters
# How far back an in-doubt post is looked for: Discord lists at most 100 messages a request.
LOOKUP_PAGES, LOOKUP_PAGE = 5, 100
MARKER = "ref "


def _refusal(spec: CommandSpec) -> Reply:
    return Reply.error_reply(
        f"Only members with the Manage Server permission can use /{spec.name}."
    )


def _marker(nonce: str) -> str:
    """What the embed footer of a post ends with, so the post can be found again later."""
    return MARKER + _message_nonce(nonce)


def _marked(embed: discord.Embed, nonce: str) -> discord.Embed:
    footer = embed.footer.text or ""
    embed.set_footer(text=f"{footer} · {_marker(nonce)}" if footer else _marker(nonce))
    return embed


def _message_nonce(nonce: str) -> str:
    """The core's nonce, or a stable digest of it when it is longer than Discord allows."""
    if len(nonce) <= NONCE_MAX:
        return nonce
    return hashlib.sha256(nonce.encode()).hexdigest()[:NONCE_MAX]


class _Endpoints:
    """Points discord.py at the configured REST and gateway bases, and back on close.

    discord.py has no per-client option for these: every REST call builds its URL from the
    class attribute `discord.http.Route.BASE`, and the gateway falls back to
    `DiscordWebSocket.DEFAULT_GATEWAY` (a plain Client never asks GET /gateway/bot; an
    invalidated session also returns there). A connector with a custom resolver could only
    rename hosts, not switch https to the http of a proxy or a local test stand-in. So the
    adapter sets both class attributes; this makes one Discord adapter per process.
    """

    def __init__(self, settings: DiscordSettings) -> None:
        self._base = settings.api_url.rstrip("/")
        self._gateway = yarl.URL(settings.gateway_url)
        self._saved: tuple[str, yarl.URL] | None = None

    def apply(self) -> None:
        if self._saved is None:
            self._saved = (
                discord.http.Route.BASE,
                discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
            )
        discord.http.Route.BASE = self._base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._gateway

    def restore(self) -> None:
        if self._saved is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None


async def _nothing() -> None:
    """A worker's setup hook: the commands are synced by the bot processes."""


class DiscordAdapter:
    """Serves the command table as Discord slash commands and posts digests and alerts."""

    platform = "discord"

    def __init__(
        self, settings: DiscordSettings, handle: Handler, *, guild_ready_timeout_s: float = 2.0,
        suggest: Suggest | None = None,
    ) -> None:
        self._settings = settings
        self._handle = handle
        self._endpoints = _Endpoints(settings)
        options: dict[str, Any] = {
            # Slash commands need no privileged intents; guilds keeps channel objects resolvable.
            "intents": discord.Intents(guilds=True), "allowed_mentions": NO_PINGS,
            "guild_ready_timeout": guild_ready_timeout_s}
        if settings.shard_count > 1 or settings.shard_ids:
            # Discord routes each guild's events to shard (guild_id >> 22) % shard_count:
            # processes running different shard_ids split the guilds between them.
            self.client: discord.Client = discord.AutoShardedClient(
                shard_count=settings.shard_count, shard_ids=settings.shards, **options)
        else:
            self.client = discord.Client(**options)
        self.tree = build_tree(self.client, self._run_command, suggest)
        self.tree.error(self._on_tree_error)
        self.client.setup_hook = self._sync_commands  # type: ignore[method-assign]
        self._runner: asyncio.Task[None] | None = None
        self._listening = True  # False: a worker's adapter, posting through REST only

    # ---- lifecycle ----

    async def start(self, *, listen: bool = True) -> None:
        """Log in, sync the commands, connect the gateway; return once the bot is ready.

        listen=False (`newsdesk run --role worker`): log in over REST and stop there. Posts,
        edits and the history lookup are REST calls with the bot token; no gateway session
        is opened and the commands are not synced, so workers and bot processes can run side
        by side with any number of each.
        """
        if not self._settings.token:
            raise ConfigError("DISCORD_TOKEN is not set: put the bot token in the environment.")
        self._listening = listen
        if not listen:
            self.client.setup_hook = _nothing  # type: ignore[method-assign]
        self._endpoints.apply()
        try:
            await self.client.login(self._settings.token)
        except discord.LoginFailure:
            await self.close()
            raise ConfigError("Discord refused the token in DISCORD_TOKEN.") from None
        except (discord.HTTPException, OSError) as exc:
            await self.close()
            raise UserError(
                f"Cannot reach Discord at {self._settings.api_url} ({type(exc).__name__})."
            ) from None
        if not listen:
            log.info("discord: posting over REST as %s (no gateway here)", self.client.user)
            return
        self._runner = asyncio.create_task(self.client.connect(reconnect=True))
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait({self._runner, ready}, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            await self.close()
            raise UserError("The Discord gateway closed before the bot was ready.")
        log.info("discord: ready as %s", self.client.user)

    @property
    def connected(self) -> bool:
        """Whether the gateway session is up (for /healthz); a worker's: logged in over REST."""
        if not self._listening:
            return self.client.user is not None and not self.client.is_closed()
        if isinstance(self.client, discord.AutoShardedClient):
            shards = self.client.shards  # every shard this process runs has its session up
            return self.client.is_ready() and not self.client.is_closed() and bool(shards) \
                and not any(shard.is_closed() for shard in shards.values())
        ws = self.client.ws
        return self.client.is_ready() and not self.client.is_closed() and ws is not None \
            and bool(getattr(ws, "open", False))

    async def run_forever(self) -> None:
        """Serve until the gateway connection ends for good or close() is called."""
        if self._runner is None:
            await self.start()
        assert self._runner is not None
        await self._runner

    async def close(self) -> None:
        await self.client.close()
        if self._runner is not None:
            # The connection is going away on purpose: how it ends does not matter.
            with contextlib.suppress(discord.DiscordException, OSError, asyncio.CancelledError):
                await self._runner
            self._runner = None
        self._endpoints.restore()

    async def _sync_commands(self) -> None:
        """Register the commands: per configured guild (visible at once), else globally."""
        if self._settings.guilds:
            for guild_id in self._settings.guilds:
                guild = discord.Object(id=int(guild_id))
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("discord: synced %d commands to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("discord: synced %d global commands", len(synced))

    # ---- commands in ----

    async def _run_command(
        self, interaction: discord.Interaction[Any], spec: CommandSpec, values: list[str | None]
    ) -> None:
        is_admin = interaction.permissions.manage_guild
        if spec.admin and not is_admin:
            # default_member_permissions hides these, but server admins can override that per
            # role or channel, so the permission is checked again here.
            await interaction.response.send_message(
                embed=render(_refusal(spec)), ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        request = Request(
            command=spec.name,
            args=" ".join(v.strip() for v in values if v and v.strip()),
            platform=self.platform,
            channel=str(interaction.channel_id or ""),
            user=str(interaction.user.id),
            is_admin=is_admin,
            # Each server is its own community: its sources, answers and channels.
            tenant=str(interaction.guild_id) if interaction.guild_id else "default",
        )
        deferring = asyncio.Lock()
        progress_shown = False

        async def defer() -> None:
            async with deferring:  # progress and the 1.5 s deadline may both want to defer
                if not interaction.response.is_done():
                    # Admin output is for the admin alone (as on Slack): known before the answer.
                    await interaction.response.defer(thinking=True, ephemeral=spec.admin)

        async def show_progress(text: str) -> None:
            nonlocal progress_shown
            await defer()
            await interaction.edit_original_response(embed=render(Reply.text(text)))
            progress_shown = True

        answer = asyncio.ensure_future(self._answer(spec, request, show_progress))
        try:
            # Most answers take milliseconds: they go straight into the interaction callback.
            # One that may outlast Discord's 3-second window is deferred, then followed up.
            reply = await asyncio.wait_for(asyncio.shield(answer), ANSWER_DIRECTLY_S)
        except TimeoutError:
            await defer()
            reply = await answer
        private = spec.admin or reply.error
        if not interaction.response.is_done():
            await interaction.response.send_message(embed=render(reply),
                                                    allowed_mentions=NO_PINGS, ephemeral=private)
            return
        if progress_shown and not (reply.error and not spec.admin):
            # The progress message becomes the answer.
            await interaction.edit_original_response(embed=render(reply),
                                                     allowed_mentions=NO_PINGS)
            return
        if reply.error and not spec.admin:
            # An error goes to the member alone: the public "thinking" message goes away.
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
        await interaction.followup.send(embed=render(reply), allowed_mentions=NO_PINGS,
                                        ephemeral=private)

    async def _answer(self, spec: CommandSpec, request: Request,
                      show_progress: progress.Reporter) -> Reply:
        with progress.reporting(show_progress):
            return await answer_safely(self._handle, request)

    async def _on_tree_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        ref = secrets.token_hex(3)
        log.error("discord: interaction failed ref=%s", ref, exc_info=error)
        reply = Reply.error_reply(f"Something went wrong on our side (ref {ref}).")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(embed=render(reply), allowed_mentions=NO_PINGS,
                                                ephemeral=True)
            else:
                await interaction.response.send_message(
                    embed=render(reply), ephemeral=True, allowed_mentions=NO_PINGS
                )
        except discord.HTTPException:
            log.warning("discord: could not report failure ref=%s", ref)

    # ---- posts out (bot.ports.Chat) ----

    async def post(self, channel: str, reply: Reply, *, nonce: str) -> str | None:
        """Post a digest or alert; the nonce makes a retried post land only once.

        Discord honours the nonce for a few minutes only, so the embed footer carries it as
        well: `find_posted` finds the post by it after a longer outage.
        """
        target = self.client.get_partial_messageable(int(channel))
        message = await target.send(
            embed=_marked(render(reply), nonce), nonce=_message_nonce(nonce),
            allowed_mentions=NO_PINGS,
        )
        return str(message.id)

    async def find_posted(self, channel: str, nonce: str) -> str | None:
        """The id of a recent post of ours whose footer carries this nonce (outbox.PostLookup).

        Reads the channel's newest messages (needs Read Message History); without that
        permission the answer is None and the nonce alone guards against a repeat.
        """
        marker = _marker(nonce)
        me = self.client.user.id if self.client.user else None
        before: int | None = None
        for _ in range(LOOKUP_PAGES):
            try:
                page = await self.client.http.logs_from(int(channel), LOOKUP_PAGE, before=before)
            except discord.HTTPException as exc:
                log.warning("discord: history of %s not readable (%s): an interrupted post may "
                            "repeat", channel, exc.status)
                return None
            for message in page:
                if me is not None and str(message["author"]["id"]) != str(me):
                    continue
                for embed in message.get("embeds") or []:
                    footer: dict[str, Any] = dict(embed.get("footer") or {})
                    if str(footer.get("text", "")).endswith(marker):
                        return str(message["id"])
            if len(page) < LOOKUP_PAGE:
                return None
            before = int(page[-1]["id"])
        return None

    async def edit(self, channel: str, message_id: str, reply: Reply) -> None:
        target = self.client.get_partial_messageable(int(channel))
        await target.get_partial_message(int(message_id)).edit(
            embed=render(reply), allowed_mentions=NO_PINGS
        )
