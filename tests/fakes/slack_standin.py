"""A stand-in of Slack on 127.0.0.1 that speaks its wire protocol, strictly, and records all.

It plays both sides Slack plays for an app:
- the caller: signed slash-command POSTs to the app's request URL, and `slash_commands`
  envelopes over a Socket Mode websocket, each with a 3-second ack deadline (as Slack has);
- the server: the Web API at `api_url` (auth.test, chat.postMessage, chat.update,
  chat.postEphemeral, users.info, apps.connections.open), checking the bearer token and the
  Block Kit limits, answering 429 + Retry-After on request; and the response_url endpoint.

Tests wait with `await standin.wait_for(predicate)`, never with sleeps.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import web

T = TypeVar("T")
ACK_DEADLINE_S = 3.0  # Slack shows the user "operation_timeout" after this


@dataclass
class ApiCall:
    """One Web API request as the stand-in received it."""

    method: str
    args: dict[str, Any]
    token: str
    status: int  # the HTTP status answered (429 when rate limited)
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class CommandResult:
    """What Slack saw of one slash command it sent: the ack, or its absence."""

    status: int | None  # HTTP status (http mode); 200 for an acked envelope (socket mode)
    body: str = ""
    acked_in_time: bool = False  # acknowledged within Slack's 3-second budget
    response_url: str = ""


@dataclass
class SlackStandIn:
    """Start with `await standin.start()`; stop with `await standin.close()`."""

    bot_token: str = "xoxb-standin-bot-token"
    signing_secret: str = "standin-signing-secret"
    app_token: str = "xapp-standin-app-token"
    team_id: str = "T0STANDIN"
    # A second workspace the app is installed in (an org-wide install): another community.
    other_team_id: str = "T0OTHER"
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[ApiCall] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # bodies sent to response_url
    acks: list[dict[str, Any]] = field(default_factory=list)  # Socket Mode acks received
    socket_connections: int = 0

    def __post_init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.history_scope = True  # False: conversations.history answers missing_scope
        self._refused_channels: dict[str, str] = {}
        self._rate_limits: dict[str, tuple[int, float | None]] = {}  # method -> (s, until)
        self._tickets: set[str] = set()
        self._response_urls_expired = False
        self._socket: web.WebSocketResponse | None = None
        self._pending_acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.socket_outage = False  # True: new Socket Mode connections are refused (503)

    # ---- lifecycle and addresses ----

    async def start(self) -> None:
        app = web.Application()
        app.add_routes(
            [
                web.post("/api/{method}", self._api),
                web.get("/api/{method}", self._api),
                web.post("/respond/{id}", self._respond),
                web.get("/socket", self._socket_endpoint),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    @property
    def socket_connected(self) -> bool:
        return self._socket is not None and not self._socket.closed

    # ---- what tests set up and read ----

    def rate_limit(self, method: str, retry_after_s: int = 1) -> None:
        """Answer the next call to `method` with 429, and every call until Retry-After ends."""
        self._rate_limits[method] = (retry_after_s, None)

    async def drop_socket(self) -> None:
        """Close the Socket Mode connection from Slack's side and refuse new ones until
        socket_outage is set False again, as during a Slack incident."""
        self.socket_outage = True
        if self._socket is not None:
            await self._socket.close()

    def refuse_channel(self, channel: str, error: str = "not_in_channel") -> None:
        self._refused_channels[channel] = error

    def expire_response_urls(self) -> None:
        """Answer every response_url with 404 expired_url, as Slack does after 30 minutes."""
        self._response_urls_expired = True

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def posted(self) -> list[dict[str, Any]]:
        """Arguments of every chat.postMessage that Slack accepted."""
        return [call.args for call in self.calls_to("chat.postMessage") if call.ok]

    async def wait_for(self, predicate: Callable[[], T], timeout_s: float = 5.0) -> T:
        """Wait until predicate() is truthy (re-checked on every recorded event); return it."""
        async with self._changed:
            return await asyncio.wait_for(self._changed.wait_for(predicate), timeout_s)

    async def _record(self, records: list[Any], item: Any) -> None:
        async with self._changed:
            records.append(item)
            self._changed.notify_all()

    # ---- Slack as the caller: slash commands ----

    def sign(self, body: bytes, timestamp: int, secret: str | None = None) -> str:
        base = b"v0:" + str(timestamp).encode() + b":" + body
        key = (secret or self.signing_secret).encode()
        return "v0=" + hmac.new(key, base, hashlib.sha256).hexdigest()

    def command_payload(self, command: str, text: str, user: str, channel: str,
                        team: str | None = None) -> dict[str, str]:
        number = next(self._ids)
        # Slack sends the typed text with its control characters as entities.
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return {
            "token": "deprecated-verification-token",
            "team_id": team or self.team_id,
            "team_domain": "standin",
            "channel_id": channel,
            "channel_name": "news",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0STANDIN",
            "is_enterprise_install": "false",
            "response_url": f"{self.base_url}/respond/{number}",
            "trigger_id": f"{number}.trigger",
        }

    async def send_command(
        self,
        request_url: str,
        command: str,
        text: str = "",
        *,
        user: str = "U0READER",
        channel: str = "C0NEWS",
        timestamp: int | None = None,
        secret: str | None = None,
        team: str | None = None,
    ) -> CommandResult:
        """POST a signed slash command as Slack does; sign exactly the bytes sent."""
        payload = self.command_payload(command, text, user, channel, team)
        body = urlencode(payload).encode()
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(stamp),
            "X-Slack-Signature": self.sign(body, stamp, secret),
        }
        timeout = aiohttp.ClientTimeout(total=ACK_DEADLINE_S)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(request_url, data=body, headers=headers) as response,
            ):
                answer = await response.text()
                return CommandResult(
                    response.status, answer, response.status == 200, payload["response_url"]
                )
        except TimeoutError:
            return CommandResult(None, "", False, payload["response_url"])

    async def send_socket_command(
        self, command: str, text: str = "", *, user: str = "U0READER", channel: str = "C0NEWS",
        team: str | None = None,
    ) -> CommandResult:
        """Send a `slash_commands` envelope over the connected websocket and await its ack."""
        if not self.socket_connected:
            raise AssertionError("no Socket Mode connection to send the command over")
        assert self._socket is not None
        envelope_id = f"envelope-{next(self._ids)}"
        payload = self.command_payload(command, text, user, channel, team)
        ack: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending_acks[envelope_id] = ack
        await self._socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": payload,
            }
        )
        try:
            await asyncio.wait_for(ack, ACK_DEADLINE_S)
        except TimeoutError:
            return CommandResult(None, "", False, payload["response_url"])
        finally:
            self._pending_acks.pop(envelope_id, None)
        return CommandResult(200, json.dumps(ack.result()), True, payload["response_url"])

    async def refresh_socket(self) -> None:
        """Ask the app to move to a new connection, as Slack does every few hours."""
        assert self._socket is not None
        await self._socket.send_json({"type": "disconnect", "reason": "refresh_requested"})

    # ---- Slack as the server: Web API, response_url, Socket Mode ----

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if raw and request.content_type == "application/json":
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw.decode()))
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""
        status, headers, answer = self._answer_api(method, args, token)
        await self._record(self.calls, ApiCall(method, args, token, status, answer))
        return web.json_response(answer, status=status, headers=headers)

    def _answer_api(
        self, method: str, args: dict[str, Any], token: str
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        limited = self._rate_limited(method)
        if limited is not None:
            return 429, {"Retry-After": str(limited)}, {"ok": False, "error": "ratelimited"}
        expected = self.app_token if method == "apps.connections.open" else self.bot_token
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        if token != expected:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        answer = getattr(self, "_api_" + method.replace(".", "_"), None)
        if answer is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        return 200, {}, answer(args)

    def _rate_limited(self, method: str) -> int | None:
        """Retry-After seconds when this call must be refused, else None."""
        if method not in self._rate_limits:
            return None
        seconds, until = self._rate_limits[method]
        now = time.monotonic()
        if until is None:
            self._rate_limits[method] = (seconds, now + seconds)
            return seconds
        if now < until:  # a client that retries early is refused again, as Slack does
            return max(1, round(until - now))
        del self._rate_limits[method]
        return None

    def _api_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://standin.slack.test/",
            "team": "Stand-in",
            "user": "newsdesk",
            "team_id": self.team_id,
            "user_id": "U0BOT",
            "bot_id": "B0BOT",
            "is_enterprise_install": False,
        }

    def _api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user", ""))
        if user_id not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": {"id": user_id, "team_id": self.team_id, **self.users[user_id]}}

    def _api_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        ticket = f"ticket-{next(self._ids)}"
        self._tickets.add(ticket)
        return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/socket?ticket={ticket}"}

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._store_message(args, new=True)

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._store_message(args, new=False)

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        problem = self._message_problem(args) or (
            "user_not_found" if not args.get("user") else None
        )
        if problem:
            return {"ok": False, "error": problem}
        return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}

    def _store_message(self, args: dict[str, Any], *, new: bool) -> dict[str, Any]:
        problem = self._message_problem(args)
        if problem:
            return {"ok": False, "error": problem}
        channel = str(args["channel"])
        if new:
            ts = f"1700000000.{next(self._ts):06d}"
        else:
            ts = str(args.get("ts", ""))
            if (channel, ts) not in self._messages:
                return {"ok": False, "error": "message_not_found"}
        message = {"ts": ts, "text": args.get("text", ""), "blocks": _blocks_of(args)}
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        if new and metadata:
            message["metadata"] = metadata
        elif not new:
            message.update({k: v for k, v in self._messages[(channel, ts)].items()
                            if k == "metadata"})
        self._messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _api_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; metadata only with include_all_metadata, and only with history scope."""
        if not self.history_scope:
            return {"ok": False, "error": "missing_scope", "needed": "channels:history"}
        channel = str(args.get("channel", ""))
        limit = int(args.get("limit", 100))
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = sorted((m for (c, _), m in self._messages.items() if c == channel),
                       key=lambda m: m["ts"], reverse=True)[:limit]
        messages = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
                    for m in found]
        return {"ok": True, "messages": messages, "has_more": False}

    def _message_problem(self, args: dict[str, Any]) -> str | None:
        channel = str(args.get("channel", ""))
        if not channel:
            return "channel_not_found"
        if channel in self._refused_channels:
            return self._refused_channels[channel]
        if not args.get("text") and not args.get("blocks"):
            return "no_text"
        return block_problem(_blocks_of(args))

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self._response_urls_expired:
            return web.Response(status=404, text="expired_url")
        problem = block_problem(body.get("blocks") or [])
        if problem:
            return web.Response(status=400, text=problem)
        await self._record(self.responses, {"url": str(request.url), **body})
        return web.Response(text="ok")

    async def _socket_endpoint(self, request: web.Request) -> web.StreamResponse:
        if self.socket_outage:
            return web.Response(status=503, text="service unavailable")
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.Response(status=401, text="invalid ticket")
        self._tickets.discard(ticket)  # a ticket opens one connection, as on Slack
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async with self._changed:
            self._socket = ws
            self.socket_connections += 1
            self._changed.notify_all()
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "connection_info": {"app_id": "A0STANDIN"},
                "debug_info": {"host": "standin"},
            }
        )
        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            await self._record(self.acks, data)
            future = self._pending_acks.get(str(data.get("envelope_id")))
            if future is not None and not future.done():
                future.set_result(data)
        return ws


def _blocks_of(args: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def block_problem(blocks: list[dict[str, Any]]) -> str | None:
    """Slack's Block Kit limits as an error code, or None when the blocks are valid."""
    if len(blocks) > 50:
        return "invalid_blocks"
    for block in blocks:
        kind = block.get("type")
        text = block.get("text") or {}
        if kind == "header" and (
            text.get("type") != "plain_text" or not 0 < len(text.get("text", "")) <= 150
        ):
            return "invalid_blocks"
        if kind == "section" and not 0 < len(text.get("text", "")) <= 3000:
            return "invalid_blocks"
        if kind == "context":
            elements = block.get("elements") or []
            if not 0 < len(elements) <= 10:
                return "invalid_blocks"
            if any(len(e.get("text", "")) > 3000 for e in elements):
                return "invalid_blocks"
        if kind not in ("header", "section", "context", "divider"):
            return "invalid_blocks"
    return None
