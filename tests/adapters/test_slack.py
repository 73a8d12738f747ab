"""The Slack adapter end to end: real slack-bolt over HTTP and Socket Mode against a stand-in."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from adapters.slack import SlackAdapter, SlackPostError
from bot.config import SlackSettings
from bot.errors import ConfigError
from bot.models import Citation, Reply, ReplyItem, Request
from tests.fakes.slack_standin import CommandResult, SlackStandIn

Handler = Callable[[Request], Awaitable[Reply]]

READER = "U0READER"
WORKSPACE_ADMIN = "U0WSADMIN"
WORKSPACE_OWNER = "U0OWNER"
CONFIG_ADMIN = "U0CFGADMIN"


def _summit_stub(request: Request) -> Reply:
    """A core answer for the tests about the adapter itself (routing, rights, posting)."""
    return Reply(
        title="People in the coverage",
        items=(
            ReplyItem("Kim Jong-un", "Chairman of North Korea · 14 mentions in 2 sources", (0, 1)),
            ReplyItem("Vladimir Putin", "President of Russia · 9 mentions in 2 sources", (0,)),
        ),
        citations=(
            Citation(
                "Kim concludes Russia trip",
                "https://news.example/kim-trip",
                "Example News",
                "2019-04-26",
            ),
            Citation(
                "Kim returns home", "https://news.example/kim-home", "Other Wire", "2019-04-27"
            ),
        ),
        footer="/people NAME shows one person's card.",
    )


@dataclass
class RecordingHandler:
    """The core as the adapter sees it: records requests; can be held to make answers slow."""

    answer: Handler
    requests: list[Request] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.release.set()

    async def __call__(self, request: Request) -> Reply:
        self.requests.append(request)
        await self.release.wait()
        return await self.answer(request)


@dataclass
class Harness:
    """One adapter in one mode, wired to the stand-in."""

    mode: str
    standin: SlackStandIn
    adapter: SlackAdapter
    handler: RecordingHandler

    async def send(self, command: str, text: str = "", **kwargs: Any) -> CommandResult:
        if self.mode == "http":
            url = f"http://127.0.0.1:{self.adapter.http_port}/slack/events"
            return await self.standin.send_command(url, command, text, **kwargs)
        return await self.standin.send_socket_command(command, text, **kwargs)

    async def answer_to(self, sent: CommandResult) -> dict[str, Any]:
        """The message that reached the command's response_url."""

        def arrived() -> dict[str, Any] | None:
            return next((r for r in self.standin.responses if r["url"] == sent.response_url), None)

        return await self.standin.wait_for(arrived)


def _async(reply: Callable[[Request], Reply]) -> Handler:
    async def handle(request: Request) -> Reply:
        return reply(request)

    return handle


def _settings(standin: SlackStandIn, mode: str, **overrides: Any) -> SlackSettings:
    base = SlackSettings(
        enabled=True,
        mode=mode,
        host="127.0.0.1",
        port=0,
        api_url=standin.api_url,
        admins=(CONFIG_ADMIN,),
        bot_token=standin.bot_token,
        signing_secret=standin.signing_secret,
        app_token=standin.app_token,
    )
    return replace(base, **overrides)


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    fake = SlackStandIn(
        users={
            READER: {"name": "reader", "is_admin": False, "is_owner": False},
            WORKSPACE_ADMIN: {"name": "wsadmin", "is_admin": True, "is_owner": False},
            WORKSPACE_OWNER: {"name": "owner", "is_admin": False, "is_owner": True},
        }
    )
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture(params=["http", "socket"])
async def slack(request: pytest.FixtureRequest, standin: SlackStandIn) -> AsyncIterator[Harness]:
    handler = RecordingHandler(_async(_summit_stub))
    adapter = SlackAdapter(_settings(standin, request.param), handler)
    await adapter.start()
    if request.param == "socket":
        await standin.wait_for(lambda: standin.socket_connected)
    yield Harness(request.param, standin, adapter, handler)
    await adapter.close()


def _all_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


# ---- answering commands ----


async def test_people_is_acked_at_once_and_the_answer_names_kim_and_putin(
    slack: Harness, summit_handle: Handler
) -> None:
    slack.handler.answer = summit_handle  # the real core with the demo coverage
    slack.handler.release.clear()  # the core is slow: the ack must not wait for it

    sent = await slack.send("/people", "", channel="C0SUMMIT")

    assert sent.status == 200 and sent.acked_in_time
    assert slack.standin.responses == []
    slack.handler.release.set()
    answer = await slack.answer_to(sent)
    shown = _all_text(answer)
    assert "Kim Jong-un" in shown and "Vladimir Putin" in shown
    assert answer["response_type"] == "in_channel"
    assert answer["text"]  # the notification fallback
    request = slack.handler.requests[0]
    assert (request.command, request.platform, request.channel, request.user) == (
        "who",
        "slack",
        "C0SUMMIT",
        READER,
    )


async def test_newsdesk_command_takes_the_subcommand_from_its_first_word(slack: Harness) -> None:
    sent = await slack.send("/newsdesk", "when hanoi summit")
    await slack.answer_to(sent)

    assert (slack.handler.requests[0].command, slack.handler.requests[0].args) == (
        "when",
        "hanoi summit",
    )


async def test_a_crashing_core_shows_a_reference_not_the_exception(standin: SlackStandIn) -> None:
    async def broken(request: Request) -> Reply:
        raise RuntimeError("secret internals xoxb-123")

    adapter = SlackAdapter(_settings(standin, "http"), broken)
    await adapter.start()
    try:
        url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
        sent = await standin.send_command(url, "/summary", "sanctions")
        answer = await standin.wait_for(lambda: standin.responses)
    finally:
        await adapter.close()

    assert sent.status == 200
    shown = _all_text(answer[0])
    assert "Something went wrong on our side (ref " in shown
    assert "secret internals" not in shown and "xoxb" not in shown
    assert answer[0]["response_type"] == "ephemeral"


async def test_an_answer_whose_response_url_expired_is_posted_instead(slack: Harness) -> None:
    slack.standin.expire_response_urls()

    await slack.send("/people", "", channel="C0SUMMIT")
    posted = await slack.standin.wait_for(slack.standin.posted)

    assert posted[0]["channel"] == "C0SUMMIT"
    assert "Vladimir Putin" in _all_text(posted[0])


async def test_socket_mode_follows_slack_to_a_new_connection(standin: SlackStandIn) -> None:
    adapter = SlackAdapter(_settings(standin, "socket"), _async(_summit_stub))
    await adapter.start()
    try:
        await standin.wait_for(lambda: standin.socket_connected)
        await standin.refresh_socket()
        await standin.wait_for(lambda: standin.socket_connections == 2 and standin.socket_connected)
        sent = await standin.send_socket_command("/people", "")
        answer = await standin.wait_for(lambda: standin.responses)
    finally:
        await adapter.close()

    assert sent.acked_in_time
    assert "Kim Jong-un" in _all_text(answer[0])


# ---- signatures (http) and tokens (socket) ----


@pytest.mark.parametrize(
    ("secret", "age_s"),
    [("not-the-signing-secret", 0), (None, 6 * 60), (None, -6 * 60)],
    ids=["bad-signature", "stale-timestamp", "future-timestamp"],
)
async def test_unsigned_or_stale_requests_are_refused_and_run_nothing(
    standin: SlackStandIn, secret: str | None, age_s: int
) -> None:
    handler = RecordingHandler(_async(_summit_stub))
    adapter = SlackAdapter(_settings(standin, "http"), handler)
    await adapter.start()
    try:
        url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
        refused = await standin.send_command(
            url,
            "/source",
            "add https://evil.example/feed",
            user=CONFIG_ADMIN,
            secret=secret,
            timestamp=int(time.time()) - age_s,
        )
        # A correctly signed request afterwards proves the refused one left nothing behind.
        accepted = await standin.send_command(url, "/people", "")
        await standin.wait_for(lambda: standin.responses)
    finally:
        await adapter.close()

    assert refused.status == 401
    assert accepted.status == 200
    assert [r.command for r in handler.requests] == ["who"]
    assert len(standin.responses) == 1


async def test_a_wrong_app_token_stops_socket_mode_with_a_clear_message(
    standin: SlackStandIn,
) -> None:
    adapter = SlackAdapter(
        _settings(standin, "socket", app_token="xapp-wrong"), _async(_summit_stub)
    )
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        await adapter.start()
    await adapter.close()
    assert not standin.socket_connected


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_a_wrong_bot_token_stops_start_with_a_clear_message(
    standin: SlackStandIn, mode: str
) -> None:
    adapter = SlackAdapter(_settings(standin, mode, bot_token="xoxb-wrong"), _async(_summit_stub))
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        await adapter.start()
    await adapter.close()


@pytest.mark.parametrize(
    ("mode", "missing", "variable"),
    [
        ("http", "signing_secret", "SLACK_SIGNING_SECRET"),
        ("socket", "app_token", "SLACK_APP_TOKEN"),
        ("http", "bot_token", "SLACK_BOT_TOKEN"),
    ],
)
async def test_a_missing_secret_is_named_at_start(
    standin: SlackStandIn, mode: str, missing: str, variable: str
) -> None:
    adapter = SlackAdapter(_settings(standin, mode, **{missing: ""}), _async(_summit_stub))
    with pytest.raises(ConfigError, match=variable):
        await adapter.start()
    assert standin.calls == []


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_secrets_never_reach_the_log(
    standin: SlackStandIn, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    adapter = SlackAdapter(_settings(standin, mode), _async(_summit_stub))
    await adapter.start()
    try:
        if mode == "http":
            url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
            await standin.send_command(url, "/people", "", user=WORKSPACE_ADMIN)
        else:
            await standin.wait_for(lambda: standin.socket_connected)
            await standin.send_socket_command("/people", "", user=WORKSPACE_ADMIN)
        await standin.wait_for(lambda: standin.responses)
        await adapter.post("C0NEWS", Reply.text("digest"), nonce="n-3")
    finally:
        await adapter.close()

    assert caplog.records  # the libraries did log at DEBUG
    for secret in (standin.bot_token, standin.app_token, standin.signing_secret):
        assert secret not in caplog.text


# ---- admin rights ----


async def test_a_non_admins_source_add_is_refused_and_never_reaches_the_core(
    slack: Harness,
) -> None:
    sent = await slack.send("/source", "add https://news.example/feed.xml World", user=READER)
    answer = await slack.answer_to(sent)

    assert sent.acked_in_time
    assert "for admins only" in answer["text"]
    assert answer["response_type"] == "ephemeral"
    assert slack.handler.requests == []


async def test_a_configured_admin_reaches_the_core_as_admin(slack: Harness) -> None:
    feed = "https://news.example/feed?a=1&b=<2>"
    sent = await slack.send("/source", f"add {feed} World & Wire", user=CONFIG_ADMIN)
    await slack.answer_to(sent)

    request = slack.handler.requests[0]
    assert (request.command, request.args, request.is_admin) == (
        "source add",
        f"{feed} World & Wire",
        True,
    )
    assert slack.standin.calls_to("users.info") == []  # the config list needs no lookup


@pytest.mark.parametrize("user", [WORKSPACE_ADMIN, WORKSPACE_OWNER])
async def test_a_workspace_admin_or_owner_is_admin_and_the_lookup_is_cached(
    slack: Harness, user: str
) -> None:
    first = await slack.send("/alert", "add Kim Jong-un", user=user)
    await slack.answer_to(first)
    second = await slack.send("/schedule", "show", user=user)
    await slack.answer_to(second)

    assert [(r.command, r.is_admin) for r in slack.handler.requests] == [
        ("alert add", True),
        ("schedule show", True),
    ]
    assert len(slack.standin.calls_to("users.info")) == 1


# ---- escaping: article text reaches Slack inert ----

_HOSTILE = "Breaking <!channel> <@U123> <#C999> says &lt; @here and @channel <https://x.test|y>"


def _hostile(request: Request) -> Reply:
    return Reply(
        title="Quotes <!here>",
        items=(ReplyItem(_HOSTILE, detail=_HOSTILE),),
        citations=(Citation("<!everyone> wins", "https://news.example/a?b=1&c=2", "Wire & Co"),),
        footer=_HOSTILE,
    )


def _assert_inert(message: dict[str, Any]) -> None:
    shown = _all_text(message)
    for live in ("<!channel>", "<@U123>", "<#C999>", "<!here>", "<!everyone>", "<https://x.test"):
        assert live not in shown
    assert "&lt;!channel&gt;" in shown and "&lt;@U123&gt;" in shown
    assert "&amp;lt;" in shown  # the article's literal "&lt;" shows as "&lt;", not "<"
    assert "@here" not in shown and "@channel" not in shown
    assert "link_names" not in message and "parse" not in message
    assert all(b["text"].get("verbatim") for b in message["blocks"] if b["type"] == "section")


async def test_article_text_in_an_answer_reaches_slack_inert(standin: SlackStandIn) -> None:
    for mode in ("http", "socket"):
        adapter = SlackAdapter(_settings(standin, mode), _async(_hostile))
        await adapter.start()
        try:
            if mode == "http":
                url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
                sent = await standin.send_command(url, "/quote", "putin")
            else:
                await standin.wait_for(lambda: standin.socket_connected)
                sent = await standin.send_socket_command("/quote", "putin")
            answer = await standin.wait_for(
                lambda s=sent: next(
                    (r for r in standin.responses if r["url"] == s.response_url), None
                )
            )
        finally:
            await adapter.close()
        _assert_inert(answer)


async def test_article_text_in_a_post_reaches_slack_inert(slack: Harness) -> None:
    await slack.adapter.post("C0NEWS", _hostile(Request("digest")), nonce="n-1")

    posted = slack.standin.posted()
    assert len(posted) == 1
    _assert_inert(posted[0])
    assert "https://news.example/a?b=1&amp;c=2" in _all_text(posted[0])


# ---- posting digests and alerts ----


async def test_a_post_waits_out_a_429_and_arrives_once(slack: Harness) -> None:
    slack.standin.rate_limit("chat.postMessage", retry_after_s=1)

    ts = await slack.adapter.post("C0NEWS", _summit_stub(Request("digest")), nonce="digest-1")

    attempts = slack.standin.calls_to("chat.postMessage")
    assert [a.status for a in attempts] == [429, 200]  # a retry inside Retry-After gets 429
    assert len(slack.standin.posted()) == 1
    assert ts == attempts[-1].response["ts"]
    assert slack.standin.posted()[0]["metadata"]["event_payload"]["nonce"] == "digest-1"


async def test_edit_replaces_an_earlier_post(slack: Harness) -> None:
    ts = await slack.adapter.post("C0NEWS", Reply.text("Alert: Kim Jong-un"), nonce="alert-1")
    assert ts is not None

    await slack.adapter.edit("C0NEWS", ts, Reply.text("Alert: Kim Jong-un (also covered by 3)"))

    update = slack.standin.calls_to("chat.update")[0]
    assert update.ok and update.args["ts"] == ts
    assert "also covered by 3" in update.args["text"]


async def test_posting_where_the_bot_is_not_invited_says_how_to_fix_it(slack: Harness) -> None:
    slack.standin.refuse_channel("C0PRIVATE", "not_in_channel")

    with pytest.raises(SlackPostError, match="/invite"):
        await slack.adapter.post("C0PRIVATE", Reply.text("digest"), nonce="n-2")


async def test_a_who_command_routed_to_the_app_is_answered_like_people(slack: Harness) -> None:
    sent = await slack.send("/who", "putin", channel="C0SUMMIT")
    await slack.answer_to(sent)
    assert sent.status == 200 and sent.acked_in_time
    assert (slack.handler.requests[0].command, slack.handler.requests[0].args) == ("who", "putin")


async def test_a_post_is_found_again_by_its_nonce_after_a_restart(standin: SlackStandIn) -> None:
    adapter = SlackAdapter(_settings(standin, "http"), _async(_summit_stub))
    await adapter.start()
    try:
        ts = await adapter.post("C0NEWS", Reply("Digest", (ReplyItem("Storm hits coast"),)),
                                nonce="nd-digest-1")
        found = await adapter.find_posted("C0NEWS", "nd-digest-1")
        missing = await adapter.find_posted("C0NEWS", "nd-digest-2")
        standin.history_scope = False
        without_scope = await adapter.find_posted("C0NEWS", "nd-digest-1")
    finally:
        await adapter.close()

    assert ts and found == ts
    assert missing is None
    assert without_scope is None, "no history scope: the outbox posts again (at least once)"


async def test_progress_of_a_long_command_reaches_the_member_within_the_response_url_limit(
    slack: Harness,
) -> None:
    from bot import progress

    async def long_command(request: Request) -> Reply:
        for n in range(1, 6):
            await progress.report(f"Importing: {n * 100} of 500 done…")
        return Reply.text("Imported 500 feeds; they are read at the next poll.")

    slack.handler.answer = long_command

    sent = await slack.send("/people", "", user=CONFIG_ADMIN)
    await slack.standin.wait_for(lambda: any(
        "Imported 500" in _all_text(r) for r in slack.standin.responses))

    shown = [r for r in slack.standin.responses if r["url"] == sent.response_url]
    # Slack takes five messages per response_url: three progress lines, then the answer.
    assert len(shown) == 4
    assert "Importing: 100" in _all_text(shown[0]) and "Imported 500" in _all_text(shown[-1])
    assert all(r["response_type"] == "ephemeral" for r in shown[:3])


# ---- /healthz: whether the adapter is really connected ----


def _health(adapter: SlackAdapter, tmp_path: Any) -> tuple[bool, dict[str, Any]]:
    """What /healthz would answer about this adapter (a real store, nothing else failing)."""
    from bot.app import Newsdesk
    from bot.config import Settings, StorageSettings
    from bot.ops.health import Watch

    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "health.db"))))
    try:
        return Watch(desk.store, desk.outbox, {"slack": adapter}, polling=False).check()
    finally:
        desk.close()


async def _polled(predicate: Callable[[], bool], timeout_s: float = 15.0) -> None:
    """Wait for a state of the adapter itself (the stand-in's wait_for wakes on its events)."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "the adapter never got there"
        await asyncio.sleep(0.05)


async def test_health_sees_the_socket_drop_and_the_reconnection(
    standin: SlackStandIn, tmp_path: Any
) -> None:
    adapter = SlackAdapter(_settings(standin, "socket"), _async(_summit_stub))
    adapter.PING_INTERVAL_S = 0.2  # find the dead connection quickly
    assert not adapter.connected  # not started yet
    await adapter.start()
    try:
        await standin.wait_for(lambda: standin.socket_connected)
        healthy, report = _health(adapter, tmp_path)
        assert healthy and report["adapters"] == {"slack": "connected"}

        await standin.drop_socket()  # Slack goes away and refuses new connections
        await _polled(lambda: not adapter.connected)
        healthy, report = _health(adapter, tmp_path)
        assert not healthy and report["adapters"] == {"slack": "disconnected"}
        assert report["reasons"] == ["slack is not connected: the Socket Mode connection is "
                                     "closed"]

        standin.socket_outage = False  # Slack is back: the adapter reconnects on its own
        await _polled(lambda: adapter.connected)
        assert standin.socket_connected and _health(adapter, tmp_path)[0]
        sent = await standin.send_socket_command("/people", "")
        assert sent.acked_in_time
    finally:
        await adapter.close()
    assert not adapter.connected


async def test_health_sees_a_revoked_bot_token_until_a_post_works_again(
    slack: Harness, tmp_path: Any
) -> None:
    assert slack.adapter.connected
    good = slack.standin.bot_token
    slack.standin.bot_token = "xoxb-rotated-by-an-admin"  # the token the bot has is revoked

    with pytest.raises(SlackPostError):
        await slack.adapter.post("C0NEWS", Reply("Alert"), nonce="nd-1")
    healthy, report = _health(slack.adapter, tmp_path)
    assert not healthy and report["adapters"] == {"slack": "disconnected"}
    assert report["reasons"] == ["slack is not connected: Slack refuses the bot token "
                                 "(invalid_auth)"]
    assert "xoxb" not in json.dumps(report)

    slack.standin.bot_token = good  # fixed
    await slack.adapter.post("C0NEWS", Reply("Alert"), nonce="nd-2")
    assert slack.adapter.connected and _health(slack.adapter, tmp_path)[0]


async def test_an_http_adapter_is_connected_while_it_serves_events(standin: SlackStandIn) -> None:
    adapter = SlackAdapter(_settings(standin, "http"), _async(_summit_stub))
    assert adapter.disconnected_reason == "/slack/events is not being served"
    await adapter.start()
    try:
        assert adapter.connected
    finally:
        await adapter.close()
    assert not adapter.connected
