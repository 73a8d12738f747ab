"""The Slack adapter: slash commands over HTTP or Socket Mode, posts and edits via the Web API."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.admins import AdminCheck
from adapters.slack.escape import unescape_command_text
from adapters.slack.render import SlackMessage, render
from adapters.slack.routing import ACCEPTED, in_slack_names, request_line
from bot import progress
from bot.commands import BY_NAME, split_command
from bot.config import SlackSettings
from bot.dispatch import answer_safely
from bot.errors import ConfigError, UserError
from bot.models import Reply, Request

log = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Reply]]

EVENTS_PATH = "/slack/events"
# Answers the whole channel may want to see; everything else (admin output, previews, help,
# errors) goes only to the person who asked.
_SHARED_ANSWERS = frozenset({"who", "when", "quote", "summary"})
_RATE_LIMIT_RETRIES = 3
_PROGRESS_MESSAGES = 3
_CLOSE_GRACE_S = 5.0
# Web API errors that mean the bot token no longer works: the bot cannot post until an admin acts.
_TOKEN_REFUSED = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked",
                            "token_expired", "team_disabled"})


class SlackPostError(UserError):
    """Slack refused a post or an edit; the message says why in one sentence."""


def _explain(error: str, channel: str) -> str:
    if error in ("not_in_channel", "channel_not_found"):
        return (
            f"Slack could not post to channel {channel} ({error}): invite the bot to the "
            "channel with /invite, which private channels always need."
        )
    if error in ("invalid_auth", "not_authed", "token_revoked", "account_inactive"):
        return f"Slack refused the bot token ({error}): check SLACK_BOT_TOKEN."
    return f"Slack refused the message for channel {channel} ({error})."


def _retry_handlers() -> list[Any]:
    return [
        AsyncConnectionErrorRetryHandler(),
        AsyncRateLimitErrorRetryHandler(max_retry_count=_RATE_LIMIT_RETRIES),
    ]


class SlackAdapter:
    """Implements bot.ports.Chat for Slack and serves the slash commands to `handle`."""

    platform = "slack"
    # How often Socket Mode pings Slack; a dead connection is found and replaced within a few
    # of these (slack_sdk's default).
    PING_INTERVAL_S = 10.0

    def __init__(self, settings: SlackSettings, handle: Handler) -> None:
        self._settings = settings
        self._handle = handle
        base_url = settings.api_url if settings.api_url.endswith("/") else settings.api_url + "/"
        self._client = AsyncWebClient(
            token=settings.bot_token or None,
            base_url=base_url,
            retry_handlers=_retry_handlers(),
        )
        self._admins = AdminCheck(self._client, settings.admins)
        self._answers: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._token_refused: str | None = None  # the Web API's error while the token fails
        self._listening = True  # False: a worker's adapter, posting through the Web API only

    # ---- lifecycle ----

    async def start(self, *, listen: bool = True) -> None:
        """Check the tokens, then serve /slack/events (http) or connect over Socket Mode.

        listen=False (`newsdesk run --role worker`): check the bot token and stop there;
        posts and edits go through the Web API, which needs no socket and no signing secret.
        """
        self._listening = listen
        if listen:
            self._check_secrets()
        elif not self._settings.bot_token:
            raise ConfigError("SLACK_BOT_TOKEN is not set: a worker posts with the bot token.")
        app = self._build_app() if listen else None
        try:
            identity = await self._client.auth_test()
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            raise ConfigError(f"Slack refused SLACK_BOT_TOKEN ({error}).") from None
        except (aiohttp.ClientError, TimeoutError):
            raise ConfigError(
                f"The Slack API at {self._settings.api_url} could not be reached "
                "(config key slack.api_url)."
            ) from None
        if app is None:
            log.info("Slack: posting through the Web API as %s (no commands here)",
                     identity.get("user"))
        elif self._settings.mode == "socket":
            await self._connect_socket(app)
            log.info("Slack: connected over Socket Mode as %s", identity.get("user"))
        else:
            await self._serve_http(app)
            log.info(
                "Slack: serving %s on %s:%s as %s",
                EVENTS_PATH,
                self._settings.host,
                self.http_port,
                identity.get("user"),
            )

    async def close(self) -> None:
        """Let answers in flight finish briefly, then disconnect."""
        if self._answers:
            _, pending = await asyncio.wait(set(self._answers), timeout=_CLOSE_GRACE_S)
            for task in pending:
                task.cancel()
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def connected(self) -> bool:
        """Whether the bot can hear commands and post (for /healthz)."""
        return self.disconnected_reason is None

    @property
    def disconnected_reason(self) -> str | None:
        """Why the bot cannot hear commands or post right now, or None when it can.

        Socket Mode: the websocket is open and answers pings (slack_sdk reconnects on its own;
        until it has, the bot hears nothing). HTTP mode: /slack/events is being served. Both:
        the last Web API call did not refuse the bot token.
        """
        if self._token_refused is not None:
            return f"Slack refuses the bot token ({self._token_refused})"
        if not self._listening:
            return None  # a worker only posts: the token is all it needs
        if self._settings.mode == "socket":
            client = self._socket.client if self._socket is not None else None
            if client is None or client.closed:
                return "Socket Mode is not started"
            session = client.current_session
            if client.stale or session is None or session.closed:
                return "the Socket Mode connection is closed"
            # As slack_sdk's own check: no pong for 4 ping intervals is a dead connection.
            last = client.last_ping_pong_time
            if last is not None and time.time() - last >= client.ping_interval * 4:
                return "the Socket Mode connection answers no pings"
            return None
        if self._runner is None or not self._runner.addresses:
            return f"{EVENTS_PATH} is not being served"
        return None

    def _api_answered(self, error: str | None = None) -> None:
        """Note what a Web API call said about the bot token (None: the call succeeded)."""
        if error in _TOKEN_REFUSED:
            if self._token_refused is None:
                log.warning("Slack refuses the bot token (%s): posts fail until it is fixed",
                            error)
            self._token_refused = error
        elif error is None:
            self._token_refused = None

    @property
    def http_port(self) -> int | None:
        """The port actually bound in http mode (useful when the config says port 0)."""
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    def _check_secrets(self) -> None:
        if not self._settings.bot_token:
            raise ConfigError("Slack is enabled but SLACK_BOT_TOKEN is not set.")
        if self._settings.mode == "http" and not self._settings.signing_secret:
            raise ConfigError("Slack http mode needs SLACK_SIGNING_SECRET to be set.")
        if self._settings.mode == "socket" and not self._settings.app_token:
            raise ConfigError("Slack socket mode needs SLACK_APP_TOKEN (xapp-...) to be set.")

    def _build_app(self) -> AsyncApp:
        app = AsyncApp(
            name="newsdesk",
            client=self._client,
            signing_secret=self._settings.signing_secret,
            # Socket Mode envelopes come over an authenticated websocket and are not signed.
            request_verification_enabled=self._settings.mode == "http",
            logger=log,
        )
        pattern = re.compile("^(" + "|".join(re.escape(c) for c in ACCEPTED) + ")$")

        async def on_command(ack: AsyncAck, command: dict[str, Any]) -> None:
            # Ack at once (Slack gives up after 3 s) and answer through response_url later.
            await ack()
            task = asyncio.create_task(self._answer_safely(command))
            self._answers.add(task)
            task.add_done_callback(self._answers.discard)

        app.command(pattern)(on_command)
        return app

    async def _serve_http(self, app: AsyncApp) -> None:
        async def events(request: web.Request) -> web.Response:
            bolt_response = await app.async_dispatch(await to_bolt_request(request))
            return await to_aiohttp_response(bolt_response)

        web_app = web.Application()
        web_app.add_routes([web.post(EVENTS_PATH, events)])
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._settings.host, self._settings.port)
        await site.start()

    async def _connect_socket(self, app: AsyncApp) -> None:
        try:
            opened = await self._client.apps_connections_open(app_token=self._settings.app_token)
        except SlackApiError as exc:
            error = exc.response.get("error")
            raise ConfigError(
                f"Slack refused SLACK_APP_TOKEN ({error}): it needs the "
                "connections:write scope and Socket Mode turned on."
            ) from None
        self._socket = AsyncSocketModeHandler(
            app, self._settings.app_token, web_client=self._client,
            ping_interval=self.PING_INTERVAL_S,
        )
        # Reuse the URL we just opened instead of asking Slack for a second one.
        self._socket.client.wss_uri = opened["url"]
        await self._socket.connect_async()  # type: ignore[no-untyped-call]

    # ---- slash commands ----

    async def _answer_safely(self, payload: dict[str, Any]) -> None:
        try:
            await self._answer(payload)
        except Exception:  # a background task: nobody else would see the failure
            log.exception("Slack answer to %r failed", payload.get("command"))

    async def _answer(self, payload: dict[str, Any]) -> None:
        slash = str(payload.get("command", ""))
        text = unescape_command_text(str(payload.get("text", "")))
        name, args = split_command(request_line(slash, text))
        user = str(payload.get("user_id", ""))
        channel = str(payload.get("channel_id", ""))
        is_admin = await self._admins.is_admin(user)
        spec = BY_NAME.get(name)
        if spec is not None and spec.admin and not is_admin:
            reply = Reply.error_reply(
                f"`/{name}` is for admins only: workspace admins and owners, and the users "
                "listed under [slack] admins in the bot's config."
            )
        else:
            request = Request(
                command=name,
                args=args,
                platform=self.platform,
                channel=channel,
                user=user,
                is_admin=is_admin,
                # Each workspace is its own community: its sources, answers and channels.
                tenant=str(payload.get("team_id") or "") or "default",
            )
            shown = 0

            async def show_progress(text: str) -> None:
                # A response_url takes five messages: a few for progress, one for the answer.
                nonlocal shown
                if shown < _PROGRESS_MESSAGES:
                    shown += 1
                    await self._respond(payload, render(Reply.text(text)), shared=False)

            with progress.reporting(show_progress):
                reply = await self._run(request)
        shared = name in _SHARED_ANSWERS and not reply.error
        await self._respond(payload, render(in_slack_names(reply, name)), shared=shared)

    async def _run(self, request: Request) -> Reply:
        return await answer_safely(self._handle, request)

    async def _respond(
        self, payload: dict[str, Any], message: SlackMessage, *, shared: bool
    ) -> None:
        body = {
            **message.as_kwargs(),
            "response_type": "in_channel" if shared else "ephemeral",
            "unfurl_links": False,
            "unfurl_media": False,
        }
        response_url = payload.get("response_url")
        if response_url:
            webhook = AsyncWebhookClient(str(response_url), retry_handlers=_retry_handlers())
            try:
                sent = await webhook.send_dict(body)
                if sent.status_code == 200:
                    return
                log.warning("Slack response_url answered %s; posting instead", sent.status_code)
            except Exception:  # the fallback below still gets the answer out
                log.warning("Slack response_url failed; posting instead", exc_info=True)
        channel = str(payload.get("channel_id", ""))
        try:
            if shared:
                await self._client.chat_postMessage(
                    channel=channel, **message.as_kwargs(), unfurl_links=False, unfurl_media=False
                )
            else:
                await self._client.chat_postEphemeral(
                    channel=channel, user=str(payload.get("user_id", "")), **message.as_kwargs()
                )
        except SlackApiError as exc:
            log.warning(
                "Slack answer could not be delivered: %s",
                _explain(str(exc.response.get("error")), channel),
            )

    # ---- bot.ports.Chat ----

    async def post(self, channel: str, reply: Reply, *, nonce: str) -> str | None:
        """chat.postMessage; returns the message ts. 429s are retried after Retry-After."""
        message = render(in_slack_names(reply, ""))
        try:
            response = await self._client.chat_postMessage(
                channel=channel,
                **message.as_kwargs(),
                unfurl_links=False,
                unfurl_media=False,
                # The nonce rides along so a post can be recognised after a restart.
                metadata={"event_type": "newsdesk_post", "event_payload": {"nonce": nonce}},
            )
        except SlackApiError as exc:
            self._api_answered(str(exc.response.get("error")))
            raise SlackPostError(_explain(str(exc.response.get("error")), channel)) from None
        except (aiohttp.ClientError, TimeoutError):
            raise SlackPostError(f"Slack could not be reached to post to {channel}.") from None
        self._api_answered()
        ts = response.get("ts")
        return str(ts) if ts else None

    async def find_posted(self, channel: str, nonce: str) -> str | None:
        """The ts of a recent post of ours that carries this nonce (outbox.PostLookup).

        Slack has no idempotency key, so after a crash between posting and recording it the
        outbox asks here first. Without the history scopes the answer is None and the post
        is sent again: at least once rather than exactly once.
        """
        try:
            response = await self._client.conversations_history(
                channel=channel, limit=100, include_all_metadata=True)
        except SlackApiError as exc:
            self._api_answered(str(exc.response.get("error")))
            log.warning("Slack history not readable in %s (%s): an interrupted post may repeat",
                        channel, exc.response.get("error"))
            return None
        except (aiohttp.ClientError, TimeoutError):
            return None
        self._api_answered()
        for message in response.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("nonce") == nonce:
                return str(message.get("ts") or "") or None
        return None

    async def edit(self, channel: str, message_id: str, reply: Reply) -> None:
        """chat.update of an earlier post."""
        try:
            await self._client.chat_update(
                channel=channel, ts=message_id, **render(in_slack_names(reply, "")).as_kwargs()
            )
        except SlackApiError as exc:
            self._api_answered(str(exc.response.get("error")))
            raise SlackPostError(_explain(str(exc.response.get("error")), channel)) from None
        except (aiohttp.ClientError, TimeoutError):
            raise SlackPostError(f"Slack could not be reached to edit in {channel}.") from None
        self._api_answered()
