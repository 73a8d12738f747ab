"""A strict local stand-in of Discord (REST /api/v10 + websocket gateway) on 127.0.0.1.

The unmodified discord.py client talks to it over real HTTP and a real websocket. It checks
what Discord checks (Bot token auth, the 3-second interaction deadline, one answer per
interaction, message nonces) and records every call so tests can await what happened:
`await standin.wait_for(lambda: ...)` instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

T = TypeVar("T")

API_PREFIX = "/api/v10"
HEARTBEAT_INTERVAL_MS = 41250
ACK_DEADLINE_S = 3.0
# Discord answers a repeated nonce with the earlier message only for a few minutes.
NONCE_WINDOW_S = 300.0
EPHEMERAL = 1 << 6
TIMESTAMP = "2019-04-27T08:00:00.000000+00:00"

# Discord's gateway opcodes.
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_RESUME = 0, 1, 2, 6
OP_RECONNECT, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = 7, 9, 10, 11

_snowflakes = itertools.count(1_100_000_000_000_000_000)


def snowflake() -> str:
    return str(next(_snowflakes))


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py parses a body only when Content-Type is exactly application/json.
    # aiohttp's content_type= would add '; charset=utf-8', so the header is set whole.
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"code": code, "message": message}, status=status)


@dataclass
class Call:
    """One REST request as the stand-in received it."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    status: int = 0


CALL_KEY = web.RequestKey("call", Call)


@dataclass
class Interaction:
    """An interaction the stand-in dispatched, and the answers it got."""

    id: str
    token: str
    created_at: float
    responses: list[dict[str, Any]] = field(default_factory=list)  # callback bodies
    followups: list[dict[str, Any]] = field(default_factory=list)  # webhook messages
    edits: list[dict[str, Any]] = field(default_factory=list)  # @original edits
    original_deleted: bool = False  # DELETE of @original (a deferred "thinking" message)

    @property
    def acknowledged(self) -> bool:
        return bool(self.responses)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Every message body the user saw for this interaction, in order."""
        shown = [r.get("data") or {} for r in self.responses if r.get("type") == 4]
        return shown + self.edits + self.followups

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return [embed for message in self.messages for embed in message.get("embeds") or []]


class DiscordStandIn:
    """Discord's REST API and gateway for one bot in two guilds, one text channel each
    (`guild_id`/`channel_id`, and `other_guild_id`/`other_channel_id`)."""

    def __init__(
        self,
        *,
        token: str = "standin-bot-token",
        ack_deadline_s: float = ACK_DEADLINE_S,
        clock: Callable[[], float] = time.monotonic,
        nonce_window_s: float = NONCE_WINDOW_S,
    ) -> None:
        self.token = token
        self.ack_deadline_s = ack_deadline_s
        self.nonce_window_s = nonce_window_s
        self.clock = clock
        self.app_id = snowflake()
        self.guild_id = snowflake()
        self.channel_id = snowflake()
        # A second server the bot is in: another community, with its own channel. Its id is
        # one shard further (Discord routes a guild to shard (id >> 22) % shard_count), so
        # with two shards each guild has a shard of its own.
        self.other_guild_id = str(int(self.guild_id) + (1 << 22))
        self.other_channel_id = snowflake()
        self.owner_id = snowflake()
        self.calls: list[Call] = []
        self.gateway_received: list[dict[str, Any]] = []  # every op the client sent
        self.connections = 0
        self.commands: dict[str | None, list[dict[str, Any]]] = {}  # guild id (None: global)
        self.interactions: dict[str, Interaction] = {}
        self.channel_messages: dict[str, list[dict[str, Any]]] = {}
        self._nonces: dict[tuple[str, str], tuple[dict[str, Any], float]] = {}  # (msg, at)
        self._rate_limit_next: list[tuple[str, str]] = []  # (method, path regex)
        self._changed = asyncio.Condition()
        self._ws: web.WebSocketResponse | None = None  # the newest socket
        self._ws_request: web.Request | None = None
        self._session_ws: web.WebSocketResponse | None = None  # identified or resumed: live
        # Sharded sessions (IDENTIFY with "shard": [id, count]): shard id -> its live socket,
        # and every dispatch each shard's socket was sent, as (event, guild id).
        self._shards: dict[int, web.WebSocketResponse] = {}
        self.shard_count = 0
        self.sent_to_shard: dict[int, list[tuple[str, str | None]]] = {}
        self.resume_gate = asyncio.Event()  # clear() holds RESUMEs back until set()
        self.resume_gate.set()
        self._session_id: str | None = None
        self._seq = 0
        self._sent_events: list[dict[str, Any]] = []  # dispatches, replayed on RESUME
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # ---- lifecycle ----

    async def start(self) -> None:
        app = web.Application(middlewares=[self._record_and_authorise])
        app.router.add_get("/gateway", self._gateway_socket)
        r = app.router
        r.add_get(API_PREFIX + "/users/@me", self._get_me)
        r.add_get(API_PREFIX + "/oauth2/applications/@me", self._get_application)
        r.add_get(API_PREFIX + "/gateway", self._get_gateway)
        r.add_get(API_PREFIX + "/gateway/bot", self._get_gateway_bot)
        r.add_put(API_PREFIX + "/applications/{app}/commands", self._put_commands)
        r.add_put(API_PREFIX + "/applications/{app}/guilds/{guild}/commands", self._put_commands)
        r.add_post(API_PREFIX + "/interactions/{id}/{token}/callback", self._callback)
        r.add_post(API_PREFIX + "/webhooks/{app}/{token}", self._followup)
        r.add_patch(API_PREFIX + "/webhooks/{app}/{token}/messages/@original", self._edit_original)
        r.add_delete(API_PREFIX + "/webhooks/{app}/{token}/messages/@original",
                     self._delete_original)
        r.add_post(API_PREFIX + "/channels/{channel}/messages", self._create_message)
        r.add_get(API_PREFIX + "/channels/{channel}/messages", self._list_messages)
        r.add_patch(API_PREFIX + "/channels/{channel}/messages/{message}", self._edit_message)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/gateway"

    # ---- waiting and inspection ----

    @property
    def session_id(self) -> str | None:
        return self._session_id

    @property
    def seq(self) -> int:
        """The sequence number of the last dispatch sent."""
        return self._seq

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Wait until predicate() is truthy (re-checked on every recorded event); return it."""

        async def until() -> T:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(until(), timeout)

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and re.fullmatch(pattern, c.path)]

    def ops(self, op: int) -> list[dict[str, Any]]:
        return [m for m in self.gateway_received if m.get("op") == op]

    @staticmethod
    def pings(message: dict[str, Any]) -> list[str]:
        """Whom Discord would notify for a message: content mentions its allowed_mentions permit.

        Mentions inside embeds never notify anyone on Discord, so only the content counts.
        """
        content = message.get("content") or ""
        allowed = message.get("allowed_mentions")
        parse = {"everyone", "users", "roles"} if allowed is None else set(allowed.get("parse", []))
        users = set(allowed.get("users", [])) if allowed else set()
        roles = set(allowed.get("roles", [])) if allowed else set()
        found = re.findall(r"@(?:everyone|here)", content) if "everyone" in parse else []
        found += [u for u in re.findall(r"<@!?(\d+)>", content) if "users" in parse or u in users]
        found += [r for r in re.findall(r"<@&(\d+)>", content) if "roles" in parse or r in roles]
        return found

    def rate_limit_next(self, method: str, pattern: str) -> None:
        """Answer the next matching REST call with 429 and a short Retry-After."""
        self._rate_limit_next.append((method, pattern))

    # ---- REST ----

    @web.middleware
    async def _record_and_authorise(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        body = None
        if request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        call = Call(
            request.method, request.path.removeprefix(API_PREFIX), dict(request.query), body
        )
        self.calls.append(call)
        request[CALL_KEY] = call
        response = await self._answer(request, call, handler)
        call.status = response.status
        await self._notify()
        return response

    async def _answer(self, request: web.Request, call: Call, handler: Any) -> web.StreamResponse:
        # Interaction callbacks and webhooks are authorised by their token in the path.
        needs_bot_auth = not call.path.startswith(("/interactions/", "/webhooks/"))
        if needs_bot_auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return _error(401, 0, "401: Unauthorized")
        for index, (method, pattern) in enumerate(self._rate_limit_next):
            if method == call.method and re.fullmatch(pattern, call.path):
                del self._rate_limit_next[index]
                retry_after = 0.05
                # discord.py trusts a 429 only when it comes through Discord's proxy (Via).
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": retry_after,
                        "global": False,
                    },
                    status=429,
                    headers={
                        "Retry-After": str(retry_after),
                        "Via": "1.1 google",
                        "X-RateLimit-Scope": "user",
                    },
                )
        return await handler(request)

    # Discord payloads below stay hand-wrapped (fmt: off): one field group per line.
    # fmt: off
    def _user(self, user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
        return {"id": user_id, "username": name, "discriminator": "0", "global_name": name,
                "avatar": None, "bot": bot, "public_flags": 0}
    # fmt: on

    @property
    def bot_user(self) -> dict[str, Any]:
        return self._user(self.app_id, "newsdesk", bot=True)

    async def _get_me(self, request: web.Request) -> web.Response:
        return _json({**self.bot_user, "flags": 0, "mfa_enabled": False, "verified": True})

    # fmt: off
    async def _get_application(self, request: web.Request) -> web.Response:
        return _json({
            "id": self.app_id, "name": "newsdesk", "description": "", "icon": None,
            "bot_public": True, "bot_require_code_grant": False,
            "owner": self._user(self.owner_id, "owner"), "verify_key": "0" * 64, "flags": 0,
            "summary": "", "team": None, "rpc_origins": [],
        })
    # fmt: on

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url})

    # fmt: off
    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": {
            "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
    # fmt: on

    async def _put_commands(self, request: web.Request) -> web.Response:
        guild = request.match_info.get("guild")
        if request.match_info["app"] != self.app_id:
            return _error(403, 50001, "Missing Access")
        payload = request[CALL_KEY].body or []
        stored = []
        for command in payload:
            item = {**command, "id": snowflake(), "application_id": self.app_id, "version": "1"}
            if guild:
                item["guild_id"] = guild
            stored.append(item)
        self.commands[guild] = stored
        return _json(stored)

    # fmt: off
    def _message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": snowflake(), "channel_id": channel_id, "type": 0, "author": self.bot_user,
            "content": body.get("content") or "", "embeds": body.get("embeds") or [],
            "attachments": [], "mentions": [], "mention_roles": [], "mention_everyone": False,
            "pinned": False, "tts": False, "timestamp": TIMESTAMP, "edited_timestamp": None,
            "flags": body.get("flags") or 0, "components": [], "nonce": body.get("nonce"),
            "allowed_mentions": body.get("allowed_mentions"),
        }
    # fmt: on

    async def _create_message(self, request: web.Request) -> web.Response:
        channel = request.match_info["channel"]
        body = request[CALL_KEY].body or {}
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > 25:
            return _error(400, 50035, "Invalid Form Body (nonce longer than 25)")
        earlier = self._nonces.get((channel, str(nonce)))
        if nonce is not None and body.get("enforce_nonce") and earlier is not None \
                and self.clock() - earlier[1] <= self.nonce_window_s:
            return _json(earlier[0])  # Discord returns the earlier message
        message = self._message(channel, body)
        self.channel_messages.setdefault(channel, []).append(message)
        if nonce is not None:
            self._nonces[(channel, str(nonce))] = (message, self.clock())
        return _json(message)

    async def _list_messages(self, request: web.Request) -> web.Response:
        """GET /channels/{id}/messages: newest first, `limit` (1-100, default 50), `before`.

        As on Discord, listed messages carry no nonce: it only comes back when posting.
        """
        channel = request.match_info["channel"]
        try:
            limit = int(request.query.get("limit", "50"))
        except ValueError:
            return _error(400, 50035, "Invalid Form Body (limit)")
        if not 1 <= limit <= 100:
            return _error(400, 50035, "Invalid Form Body (limit must be 1-100)")
        messages = list(reversed(self.channel_messages.get(channel, [])))
        if "before" in request.query:
            before = int(request.query["before"])
            messages = [m for m in messages if int(m["id"]) < before]
        if "after" in request.query:
            after = int(request.query["after"])
            messages = [m for m in messages if int(m["id"]) > after]
        return _json([{**m, "nonce": None} for m in messages[:limit]])

    async def _edit_message(self, request: web.Request) -> web.Response:
        channel, message_id = request.match_info["channel"], request.match_info["message"]
        body = request[CALL_KEY].body or {}
        for message in self.channel_messages.get(channel, []):
            if message["id"] == message_id:
                message.update(
                    {
                        k: v
                        for k, v in body.items()
                        if k in ("content", "embeds", "allowed_mentions")
                    }
                )
                message["edited_timestamp"] = TIMESTAMP
                return _json(message)
        return _error(404, 10008, "Unknown Message")

    # ---- interactions ----

    def _interaction_for(self, request: web.Request) -> Interaction | None:
        found = self.interactions.get(request.match_info.get("id", ""))
        if found is None:  # webhooks name the interaction by token only
            token = request.match_info["token"]
            found = next((i for i in self.interactions.values() if i.token == token), None)
        if found is None or found.token != request.match_info["token"]:
            return None
        return found

    async def _callback(self, request: web.Request) -> web.Response:
        interaction = self._interaction_for(request)
        if interaction is None or self.clock() - interaction.created_at > self.ack_deadline_s:
            return _error(404, 10062, "Unknown interaction")
        if interaction.acknowledged:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        body = request[CALL_KEY].body or {}
        interaction.responses.append(body)
        if request.query.get("with_response") not in ("1", "true"):
            return web.Response(status=204)
        return _json(
            self._callback_answer(interaction, body.get("type", 0), body.get("data") or {})
        )

    async def _followup(self, request: web.Request) -> web.Response:
        interaction = self._interaction_for(request)
        if interaction is None or not interaction.acknowledged:
            return _error(404, 10015, "Unknown Webhook")
        body = request[CALL_KEY].body or {}
        interaction.followups.append(body)
        if request.query.get("wait") not in ("true", "1"):
            return web.Response(status=204)
        return _json(self._message(self.channel_id, body))

    async def _edit_original(self, request: web.Request) -> web.Response:
        interaction = self._interaction_for(request)
        if interaction is None or not interaction.acknowledged:
            return _error(404, 10015, "Unknown Webhook")
        body = request[CALL_KEY].body or {}
        interaction.edits.append(body)
        return _json(self._message(self.channel_id, body))

    async def _delete_original(self, request: web.Request) -> web.Response:
        interaction = self._interaction_for(request)
        if interaction is None or not interaction.acknowledged:
            return _error(404, 10015, "Unknown Webhook")
        interaction.original_deleted = True
        return web.Response(status=204)

    # fmt: off
    def _member(self, user_id: str, permissions: int) -> dict[str, Any]:
        return {"user": self._user(user_id, f"member{user_id[-4:]}"), "roles": [],
                "joined_at": TIMESTAMP, "deaf": False, "mute": False, "flags": 0,
                "permissions": str(permissions), "nick": None, "avatar": None}

    def _channel_of(self, guild_id: str) -> str:
        return self.other_channel_id if guild_id == self.other_guild_id else self.channel_id

    def _channel(self, guild_id: str | None = None) -> dict[str, Any]:
        guild_id = guild_id or self.guild_id
        return {"id": self._channel_of(guild_id), "type": 0, "guild_id": guild_id,
                "name": "news",
                "position": 0, "permission_overwrites": [], "nsfw": False, "parent_id": None,
                "topic": None, "last_message_id": None, "rate_limit_per_user": 0}
    # fmt: on

    async def invoke(
        self,
        command: str,
        options: dict[str, str] | None = None,
        *,
        user_id: str | None = None,
        permissions: int = 0,
        typing: str | None = None,
        guild: str | None = None,
    ) -> Interaction:
        """Dispatch INTERACTION_CREATE for '/who' or '/source add' as typed by a member.

        typing: the option the member is still typing (its value so far is in options); the
        interaction is then an autocomplete request (type 4), answered with choices (type 8).
        """
        parts = command.lstrip("/").split()
        guild = guild or self.guild_id  # guild: which server the member typed it in
        scope = guild if guild in self.commands else None
        registered = {c["name"]: c for c in self.commands.get(scope, [])}
        if parts[0] not in registered:
            raise LookupError(f"/{parts[0]} was never synced")
        values: list[dict[str, Any]] = [
            {"type": 3, "name": k, "value": v, **({"focused": True} if k == typing else {})}
            for k, v in (options or {}).items()]
        data: dict[str, Any] = {
            "id": registered[parts[0]]["id"],
            "name": parts[0],
            "type": 1,
            "options": values,
        }
        if len(parts) == 2:
            data["options"] = [{"type": 1, "name": parts[1], "options": values}]
        if scope:
            data["guild_id"] = scope
        interaction = Interaction(
            id=snowflake(), token=f"itoken-{snowflake()}", created_at=self.clock()
        )
        self.interactions[interaction.id] = interaction
        member = self._member(user_id or snowflake(), permissions)
        payload = self._interaction_create(interaction, data, member, guild)
        if typing is not None:
            payload["type"] = 4  # APPLICATION_COMMAND_AUTOCOMPLETE
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction

    # ---- gateway ----

    def shard_of(self, guild_id: str) -> int:
        """The shard Discord sends a guild's events to."""
        return (int(guild_id) >> 22) % self.shard_count

    async def dispatch(self, event: str, data: dict[str, Any],
                       ws: web.WebSocketResponse | None = None) -> None:
        """Send a DISPATCH now, or keep it for the RESUME replay while the client is away.

        With sharded sessions, a guild's event goes to the socket of the guild's shard only
        (ws: to this socket, as READY is).
        """
        self._seq += 1
        message = {"op": OP_DISPATCH, "t": event, "s": self._seq, "d": data}
        if self.shard_count or ws is not None:
            guild = data.get("guild_id") or (data.get("id") if event == "GUILD_CREATE" else None)
            shard = self.shard_of(guild) if guild and ws is None else None
            target = ws or self._shards.get(shard)  # type: ignore[arg-type]
            for shard_id, socket in self._shards.items():
                if socket is target:
                    self.sent_to_shard.setdefault(shard_id, []).append((event, guild))
            if target is not None and not target.closed:
                with contextlib.suppress(ConnectionError):
                    await target.send_str(json.dumps(message))
            return
        self._sent_events.append(message)
        ws = self._session_ws
        if ws is not None and not ws.closed:
            with contextlib.suppress(ConnectionError):  # the client is away: RESUME replays it
                await ws.send_str(json.dumps(message))

    async def drop_connection(self) -> None:
        """Cut the gateway connection the way a network failure does (no close handshake)."""
        transport = self._ws_request.transport if self._ws_request is not None else None
        if transport is not None:
            transport.abort()

    async def send_reconnect(self) -> None:
        """Op 7 RECONNECT: Discord asking the client to reconnect and resume."""
        if self._ws is not None:
            await self._ws.send_str(json.dumps({"op": OP_RECONNECT, "d": None}))

    async def _gateway_socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws, self._ws_request = ws, request
        self.connections += 1
        await ws.send_str(
            json.dumps({"op": OP_HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
        )
        await self._notify()
        async for frame in ws:
            if frame.type is not WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            self.gateway_received.append(message)
            await self._notify()
            await self._on_gateway_message(ws, message)
        if self._session_ws is ws:
            self._session_ws = None
        for shard_id, socket in list(self._shards.items()):
            if socket is ws:
                del self._shards[shard_id]
        await self._notify()
        return ws

    async def _on_gateway_message(self, ws: web.WebSocketResponse, message: dict[str, Any]) -> None:
        op, data = message.get("op"), message.get("d")
        if op == OP_HEARTBEAT:
            await ws.send_str(json.dumps({"op": OP_HEARTBEAT_ACK, "d": None}))
        elif op == OP_IDENTIFY:
            if data.get("token") != self.token:
                await ws.close(code=4004, message=b"Authentication failed.")
                return
            self._session_id = f"session-{snowflake()}"
            if data.get("shard"):
                await self._identify_shard(ws, data["shard"])
                return
            self._session_ws = ws
            await self.dispatch("READY", self._ready())
            await self.dispatch("GUILD_CREATE", self._guild())
            await self.dispatch("GUILD_CREATE", self._guild(self.other_guild_id))
        elif op == OP_RESUME:
            await self.resume_gate.wait()
            if data.get("token") != self.token or data.get("session_id") != self._session_id:
                await ws.send_str(json.dumps({"op": OP_INVALID_SESSION, "d": False}))
                return
            # Dispatches made while the client was away are replayed, then the socket is live.
            for missed in self._sent_events:
                if missed["s"] > (data.get("seq") or 0):
                    await ws.send_str(json.dumps(missed))
            self._session_ws = ws
            await self.dispatch("RESUMED", {})

    async def _identify_shard(self, ws: web.WebSocketResponse, shard: list[int]) -> None:
        """A sharded session: READY and GUILD_CREATE for the guilds of this shard only."""
        shard_id, self.shard_count = int(shard[0]), int(shard[1])
        self._shards[shard_id] = ws
        mine = [g for g in (self.guild_id, self.other_guild_id)
                if self.shard_of(g) == shard_id]
        ready = self._ready()
        ready["shard"] = [shard_id, self.shard_count]
        ready["guilds"] = [{"id": g, "unavailable": True} for g in mine]
        await self.dispatch("READY", ready, ws)
        for guild in mine:
            await self.dispatch("GUILD_CREATE", self._guild(guild), ws)

    # fmt: off
    def _guild(self, guild_id: str | None = None) -> dict[str, Any]:
        guild_id = guild_id or self.guild_id
        everyone = {"id": guild_id, "name": "@everyone", "permissions": "0", "position": 0,
                    "color": 0, "hoist": False, "managed": False, "mentionable": False}
        return {
            "id": guild_id, "name": "Newsroom" if guild_id == self.guild_id else "Other club",
            "icon": None, "owner_id": self.owner_id,
            "unavailable": False, "member_count": 2, "large": False, "roles": [everyone],
            "channels": [self._channel(guild_id)], "members": [], "threads": [], "emojis": [],
            "stickers": [], "features": [], "voice_states": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
            "joined_at": TIMESTAMP, "premium_tier": 0, "preferred_locale": "en-US",
        }

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10, "user": self.bot_user, "session_id": self._session_id,
            "resume_gateway_url": self.gateway_url, "application": {"id": self.app_id, "flags": 0},
            "guilds": [{"id": self.guild_id, "unavailable": True},
                       {"id": self.other_guild_id, "unavailable": True}],
            "private_channels": [],
            "relationships": [], "presences": [],
        }

    def _interaction_create(self, interaction: Interaction, data: dict[str, Any],
                            member: dict[str, Any], guild: str | None = None) -> dict[str, Any]:
        guild = guild or self.guild_id
        return {
            "id": interaction.id, "application_id": self.app_id, "type": 2, "data": data,
            "token": interaction.token, "version": 1, "guild_id": guild,
            "channel_id": self._channel_of(guild), "channel": self._channel(guild),
            "member": member,
            "app_permissions": str((1 << 10) | (1 << 11) | (1 << 14) | (1 << 16)),
            "locale": "en-US", "guild_locale": "en-US", "entitlements": [], "context": 0,
            "authorizing_integration_owners": {"0": guild},
            "attachment_size_limit": 8 * 1024 * 1024,  # discord.py requires it
        }

    def _callback_answer(self, interaction: Interaction, kind: int,
                         data: dict[str, Any]) -> dict[str, Any]:
        message = self._message(self.channel_id, data)
        # discord.py builds an InteractionMessage from this and needs interaction_metadata.user.
        message["interaction_metadata"] = {
            "id": interaction.id, "type": 2, "user": self._user(self.owner_id, "member"),
            "authorizing_integration_owners": {}}
        return {
            "interaction": {"id": interaction.id, "type": 2, "response_message_id": message["id"],
                            "response_message_loading": kind == 5,
                            "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL)},
            "resource": {"type": kind, "message": message},
        }
    # fmt: on
