"""The Discord adapter end to end: real discord.py against the local Discord stand-in."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from adapters.discord import DiscordAdapter
from bot.commands import COMMANDS
from bot.config import DiscordSettings
from bot.errors import ConfigError
from bot.models import Citation, Reply, ReplyItem, Request
from tests.fakes.discord_standin import OP_HEARTBEAT, OP_IDENTIFY, OP_RESUME, DiscordStandIn

Handler = Callable[[Request], Awaitable[Reply]]
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11


class RecordingHandler:
    """A stand-in for the core: records requests, answers with the people of the coverage."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    async def __call__(self, request: Request) -> Reply:
        self.requests.append(request)
        return Reply(
            title="People in the coverage",
            items=(
                ReplyItem("Kim Jong-un", "leader of North Korea", cites=(0,)),
                ReplyItem("Vladimir Putin", "president of Russia", cites=(1,)),
            ),
            citations=(
                Citation("Kim meets Putin", "https://news.example/kim-putin", "Example News"),
                Citation("Summit ends", "https://wire.example/summit", "Example Wire"),
            ),
        )


@pytest.fixture(autouse=True)
def no_swallowed_errors(caplog: pytest.LogCaptureFixture) -> object:
    """discord.py hands command errors to tree.on_error and logs them: none may happen."""
    caplog.set_level(logging.INFO)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


@pytest.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    server = DiscordStandIn()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def handler() -> RecordingHandler:
    return RecordingHandler()


def settings_for(
    standin: DiscordStandIn, *, guilds: bool = True, token: str | None = None
) -> DiscordSettings:
    return DiscordSettings(
        enabled=True,
        api_url=standin.api_url,
        gateway_url=standin.gateway_url,
        guilds=(standin.guild_id,) if guilds else (),
        token=standin.token if token is None else token,
    )


async def started(standin: DiscordStandIn, handle: Handler, **options: bool) -> DiscordAdapter:
    # A short guild-ready wait keeps start-up fast; the stand-in sends GUILD_CREATE at once.
    adapter = DiscordAdapter(settings_for(standin, **options), handle, guild_ready_timeout_s=0.05)
    await adapter.start()
    return adapter


@pytest.fixture
async def bot(standin: DiscordStandIn, handler: RecordingHandler) -> AsyncIterator[DiscordAdapter]:
    adapter = await started(standin, handler)
    yield adapter
    await adapter.close()


async def answered(standin: DiscordStandIn, interaction_id: str) -> list[dict]:
    """The embeds the member finally sees for an interaction (after a defer: the follow-up)."""
    interaction = standin.interactions[interaction_id]
    await standin.wait_for(lambda: interaction.embeds)
    return interaction.embeds


def embed_text(embed: dict) -> str:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f["name"] + "\n" + f["value"] for f in embed.get("fields", [])]
    return "\n".join(parts)


async def test_who_is_answered_with_an_embed_naming_kim_and_putin(
    standin: DiscordStandIn, summit_handle: Handler
) -> None:
    seen: list[Request] = []

    async def core(request: Request) -> Reply:
        seen.append(request)
        return await summit_handle(request)

    adapter = await started(standin, core)
    try:
        interaction = await standin.invoke("/who", permissions=SEND_MESSAGES)
        embeds = await answered(standin, interaction.id)
    finally:
        await adapter.close()

    text = embed_text(embeds[0])
    assert "Kim Jong-un" in text and "Vladimir Putin" in text
    # A quick answer goes in the interaction callback itself (CHANNEL_MESSAGE_WITH_SOURCE).
    assert interaction.responses[0]["type"] == 4
    assert "Vladimir Putin" in embed_text(interaction.responses[0]["data"]["embeds"][0])
    assert embeds[0]["fields"][0]["name"] == "Sources"  # each answer says where it came from
    assert (seen[0].command, seen[0].platform) == ("who", "discord")
    assert seen[0].channel == standin.channel_id and seen[0].is_admin is False


async def test_a_command_reaches_the_core_as_a_discord_request_from_that_channel(
    standin: DiscordStandIn, bot: DiscordAdapter, handler: RecordingHandler
) -> None:
    interaction = await standin.invoke("/when", {"topic": "vladivostok"}, user_id="4242")

    await answered(standin, interaction.id)

    assert handler.requests == [
        Request(
            command="when",
            args="vladivostok",
            platform="discord",
            channel=standin.channel_id,
            user="4242",
            is_admin=False,
            tenant=standin.guild_id,  # the server is the community
        )
    ]


async def test_a_slow_answer_is_deferred_within_the_deadline_and_followed_up(
    standin: DiscordStandIn, handler: RecordingHandler
) -> None:
    async def slow_core(request: Request) -> Reply:
        # The core answers only after Discord has seen the defer: no answer could have been
        # sent in time without deferring first.
        interaction = next(iter(standin.interactions.values()))
        await standin.wait_for(lambda: interaction.acknowledged)
        return await handler(request)

    adapter = await started(standin, slow_core)
    try:
        interaction = await standin.invoke("/who", {"name": "putin"})
        embeds = await answered(standin, interaction.id)
    finally:
        await adapter.close()

    assert interaction.responses[0]["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert "Vladimir Putin" in embed_text(embeds[0])
    assert handler.requests[0].args == "putin"


async def test_every_command_is_synced_and_admin_commands_need_manage_server(
    standin: DiscordStandIn, bot: DiscordAdapter
) -> None:
    synced = {c["name"]: c for c in standin.commands[standin.guild_id]}

    assert set(synced) == {spec.group for spec in COMMANDS}
    for group in ("source", "schedule", "alert"):
        assert int(synced[group]["default_member_permissions"]) == MANAGE_GUILD
    for public in ("who", "when", "quote", "summary", "help", "digest"):
        assert synced[public]["default_member_permissions"] is None
    subcommands = {
        f"{c['name']} {o['name']}"
        for c in synced.values()
        for o in c.get("options", [])
        if o["type"] == 1
    }
    assert {s.name for s in COMMANDS if s.sub and s.group != "digest"} <= subcommands
    # /digest is invoked bare for the preview; why and post are the choices of one option.
    (action,) = synced["digest"]["options"]
    assert action["type"] == 3 and not action["required"]
    assert {c["value"] for c in action["choices"]} == {"why", "post"}
    add = next(o for o in synced["source"]["options"] if o["name"] == "add")
    assert [(o["name"], o["required"]) for o in add["options"]] == [("url", True), ("name", False)]
    assert all(o["description"] for o in add["options"])


async def test_without_guilds_commands_are_synced_globally(
    standin: DiscordStandIn, handler: RecordingHandler
) -> None:
    adapter = await started(standin, handler, guilds=False)
    await adapter.close()

    assert standin.calls_to("PUT", rf"/applications/{standin.app_id}/commands")
    assert {c["name"] for c in standin.commands[None]} >= {"who", "source", "digest"}


async def test_source_add_is_refused_to_a_member_without_manage_server(
    standin: DiscordStandIn, bot: DiscordAdapter, handler: RecordingHandler
) -> None:
    interaction = await standin.invoke(
        "/source add", {"url": "https://example.com/feed.xml"}, permissions=SEND_MESSAGES
    )

    embeds = await answered(standin, interaction.id)

    assert "Manage Server" in embeds[0]["title"]
    assert interaction.responses[0]["data"]["flags"] & 64  # only the member sees it
    assert handler.requests == []


async def test_source_add_from_a_member_with_manage_server_reaches_the_core_as_admin(
    standin: DiscordStandIn, bot: DiscordAdapter, handler: RecordingHandler
) -> None:
    interaction = await standin.invoke(
        "/source add",
        {"url": "https://example.com/feed.xml", "name": "World news"},
        permissions=MANAGE_GUILD | SEND_MESSAGES,
    )

    await answered(standin, interaction.id)

    request = handler.requests[0]
    assert request.command == "source add"
    assert request.args == "https://example.com/feed.xml World news"
    assert request.is_admin is True


async def test_digest_alone_asks_the_core_for_the_preview_and_why_for_the_reasons(
    standin: DiscordStandIn, bot: DiscordAdapter, handler: RecordingHandler
) -> None:
    interaction = await standin.invoke("/digest")
    await answered(standin, interaction.id)
    why = await standin.invoke("/digest", {"action": "why"})
    await answered(standin, why.id)

    assert [r.command for r in handler.requests] == ["digest", "digest why"]


async def test_digest_post_is_refused_to_a_member_without_manage_server(
    standin: DiscordStandIn, bot: DiscordAdapter, handler: RecordingHandler
) -> None:
    # /digest is visible to everyone (for its preview), so only the run-time check guards post.
    interaction = await standin.invoke("/digest", {"action": "post"}, permissions=SEND_MESSAGES)

    embeds = await answered(standin, interaction.id)

    assert "Manage Server" in embeds[0]["title"]
    assert handler.requests == []


async def test_a_missing_token_fails_start_with_one_clear_sentence(
    standin: DiscordStandIn, handler: RecordingHandler
) -> None:
    adapter = DiscordAdapter(settings_for(standin, token=""), handler)

    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        await adapter.start()
    assert standin.calls == []


async def test_a_failing_core_gives_a_clear_sentence_not_a_traceback(
    standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(request: Request) -> Reply:
        raise RuntimeError("secret internals")

    adapter = await started(standin, broken)
    try:
        interaction = await standin.invoke("/who")
        embeds = await answered(standin, interaction.id)
    finally:
        await adapter.close()
    caplog.clear()  # the failure is logged once, on purpose

    assert embeds[0]["title"].startswith("Something went wrong on our side (ref ")
    assert "secret internals" not in embed_text(embeds[0])


async def test_a_post_pings_nobody_even_when_the_article_says_everyone(
    standin: DiscordStandIn, bot: DiscordAdapter
) -> None:
    alert = Reply(
        title="Alert: @everyone look",
        items=(ReplyItem("Kim Jong-un", "told <@123456789012345678> and @here: *hello*"),),
    )

    message_id = await bot.post(standin.channel_id, alert, nonce="alert-1")

    message = standin.channel_messages[standin.channel_id][0]
    assert message["id"] == message_id
    assert message["allowed_mentions"]["parse"] == []
    assert standin.pings(message) == []
    text = embed_text(message["embeds"][0])
    assert "@everyone" not in text and "@here" not in text and "<@1" not in text
    assert "\\*hello\\*" in text  # markdown from the article shows as written


async def test_a_post_retried_with_the_same_nonce_lands_once(
    standin: DiscordStandIn, bot: DiscordAdapter
) -> None:
    digest = Reply(title="Digest", items=(ReplyItem("Kim Jong-un", "visits Vladivostok"),))
    long_nonce = "digest:" + standin.channel_id + ":2019-04-27T08:00:00+00:00"

    first = await bot.post(standin.channel_id, digest, nonce=long_nonce)
    second = await bot.post(standin.channel_id, digest, nonce=long_nonce)

    assert first == second
    assert len(standin.channel_messages[standin.channel_id]) == 1


async def test_a_rate_limited_post_is_retried_after_retry_after_and_arrives(
    standin: DiscordStandIn, bot: DiscordAdapter
) -> None:
    standin.rate_limit_next("POST", r"/channels/\d+/messages")

    await bot.post(standin.channel_id, Reply(title="Alert"), nonce="alert-2")

    attempts = standin.calls_to("POST", r"/channels/\d+/messages")
    assert [a.status for a in attempts] == [429, 200]
    assert len(standin.channel_messages[standin.channel_id]) == 1


async def test_an_edit_replaces_the_posted_embed(
    standin: DiscordStandIn, bot: DiscordAdapter
) -> None:
    message_id = await bot.post(standin.channel_id, Reply(title="Alert: summit"), nonce="a-3")
    assert message_id is not None

    await bot.edit(
        standin.channel_id,
        message_id,
        Reply(title="Alert: summit", footer="Also covered by 3 outlets."),
    )

    message = standin.channel_messages[standin.channel_id][0]
    assert message["embeds"][0]["footer"]["text"] == "Also covered by 3 outlets."
    assert message["allowed_mentions"]["parse"] == []


async def test_a_dropped_gateway_connection_is_resumed_and_the_bot_keeps_answering(
    standin: DiscordStandIn, bot: DiscordAdapter, handler: RecordingHandler
) -> None:
    first = await standin.invoke("/who")
    await answered(standin, first.id)
    session_id, seq_before_drop = standin.session_id, standin.seq

    await standin.drop_connection()
    resume = await standin.wait_for(lambda: standin.ops(OP_RESUME))
    second = await standin.invoke("/who", {"name": "kim"})
    embeds = await answered(standin, second.id)

    assert resume[0]["d"]["session_id"] == session_id
    assert resume[0]["d"]["seq"] == seq_before_drop
    assert len(standin.ops(OP_IDENTIFY)) == 1  # resumed, not a new session
    assert len(standin.ops(OP_HEARTBEAT)) >= 2  # one per connection, each acknowledged
    assert "Kim Jong-un" in embed_text(embeds[0])
    assert [r.args for r in handler.requests] == ["", "kim"]


async def test_after_op7_reconnect_an_interaction_sent_meanwhile_is_replayed_and_answered_once(
    standin: DiscordStandIn, bot: DiscordAdapter, handler: RecordingHandler
) -> None:
    standin.resume_gate.clear()  # hold the RESUME until the interaction is waiting
    await standin.send_reconnect()
    await standin.wait_for(lambda: standin.ops(OP_RESUME))
    interaction = await standin.invoke("/who", {"name": "putin"})
    standin.resume_gate.set()

    embeds = await answered(standin, interaction.id)

    assert standin.ops(OP_RESUME) and len(standin.ops(OP_IDENTIFY)) == 1
    assert "Vladimir Putin" in embed_text(embeds[0])
    assert len(interaction.responses) == 1 and len(handler.requests) == 1  # answered once


async def test_a_wrong_token_fails_start_with_one_clear_sentence(
    standin: DiscordStandIn, handler: RecordingHandler
) -> None:
    adapter = DiscordAdapter(settings_for(standin, token="not-the-token"), handler)

    with pytest.raises(ConfigError) as failure:
        await adapter.start()

    assert str(failure.value) == "Discord refused the token in DISCORD_TOKEN."
    assert "not-the-token" not in str(failure.value)


async def test_the_bot_token_never_appears_in_the_logs(
    standin: DiscordStandIn, handler: RecordingHandler, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    adapter = await started(standin, handler)
    try:
        interaction = await standin.invoke("/who")
        await answered(standin, interaction.id)
    finally:
        await adapter.close()

    assert standin.token not in caplog.text


async def _autocompleted(standin: DiscordStandIn, summit_bot: Any, command: str,
                         options: dict[str, str], typing: str) -> list[dict[str, Any]]:
    """The responses to a member typing into one option of a command (autocomplete)."""
    adapter = DiscordAdapter(settings_for(standin), summit_bot.handle,
                             guild_ready_timeout_s=0.05, suggest=summit_bot.suggest_names)
    await adapter.start()
    try:
        interaction = await standin.invoke(command, options, typing=typing)
        await standin.wait_for(lambda: interaction.responses)
    finally:
        await adapter.close()
    return list(interaction.responses)


async def test_typing_a_name_offers_the_people_in_the_coverage(
    standin: DiscordStandIn, summit_bot: Any
) -> None:
    (answer,) = await _autocompleted(standin, summit_bot, "/who", {"name": "kim"}, "name")
    assert answer["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    offered = [choice["value"] for choice in answer["data"]["choices"]]
    assert offered[0] == "Kim Jong-un", "the most mentioned first"
    assert "Kim Jong-il" in offered and "Vladimir Putin" not in offered


EPHEMERAL = 1 << 6


def _flags(message: dict) -> int:
    return int(message.get("flags") or 0)


@pytest.mark.parametrize(
    ("command", "options", "permissions", "answer", "private"),
    [
        ("/source list", {}, MANAGE_GUILD, Reply.text("Sources: 1. World news"), True),
        ("/alert add", {"words": "Kim"}, MANAGE_GUILD, Reply.text("Alert 1 added."), True),
        ("/who", {}, SEND_MESSAGES, Reply.error_reply("No one matches 'zz'."), True),
        ("/who", {}, SEND_MESSAGES, Reply.text("People in the coverage"), False),
    ],
    ids=["admin-list", "admin-alert", "error", "public-answer"],
)
@pytest.mark.parametrize("slow", [False, True], ids=["quick", "deferred"])
async def test_admin_replies_and_errors_are_seen_only_by_the_member_who_asked(
    standin: DiscordStandIn, command: str, options: dict, permissions: int, answer: Reply,
    private: bool, slow: bool,
) -> None:
    async def core(request: Request) -> Reply:
        if slow:  # answered only after Discord saw the defer
            interaction = next(iter(standin.interactions.values()))
            await standin.wait_for(lambda: interaction.acknowledged)
        return answer

    adapter = await started(standin, core)
    try:
        interaction = await standin.invoke(command, options, permissions=permissions)
        await answered(standin, interaction.id)
    finally:
        await adapter.close()

    shown = interaction.messages[-1]
    assert bool(_flags(shown) & EPHEMERAL) is private
    if slow:
        first = interaction.responses[0]
        assert first["type"] == 5
        # A public "thinking" message must not stay behind an answer only the member sees.
        public_thinking = not _flags(first.get("data") or {}) & EPHEMERAL
        assert interaction.original_deleted is (private and public_thinking)
class _Clock:
    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


async def test_an_in_doubt_post_resumed_an_hour_later_is_found_not_posted_again(
    tmp_path: Any,
) -> None:
    """The bot posted, then died before recording it; it comes back after Discord's nonce
    window has passed. The outbox asks the adapter, which finds the post by its footer."""
    from datetime import UTC, datetime

    from bot.app import Newsdesk
    from bot.config import Settings, StorageSettings
    from bot.delivery.outbox import Sender, iso, reply_to_json

    clock = _Clock()
    server = DiscordStandIn(clock=clock)
    await server.start()
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    adapter = await started(server, RecordingHandler())
    try:
        channel = server.channel_id
        store = desk.outbox.store
        reply = Reply(title="Alert: Kim Jong-un", items=(ReplyItem("Kim arrives by train"),))
        import json

        store.enqueue(platform="discord", channel=channel, kind="alert",
                      payload=json.dumps(reply_to_json(reply)), nonce="nd0123456789abcdef0123",
                      created_at=iso(datetime(2031, 1, 1, tzinfo=UTC)))
        row = store.pending(iso(datetime(2031, 1, 2, tzinfo=UTC)), limit=5)[0]
        # The crash: the attempt was recorded and the post made, but never marked sent.
        store.mark_attempt(row["id"])
        message_id = await adapter.post(channel, reply, nonce=row["nonce"])
        for n in range(3):  # the channel moves on meanwhile
            await adapter.post(channel, Reply(title=f"Other {n}"), nonce=f"other-{n}")
        clock.at += 3600  # an hour later: Discord no longer remembers the nonce

        delivered = await Sender(desk.outbox, {"discord": adapter}).deliver_pending()

        assert delivered == 0
        titles = [m["embeds"][0]["title"] for m in server.channel_messages[channel]]
        assert titles.count("Alert: Kim Jong-un") == 1
        sent = store.outbox_row(row["id"])
        assert sent["sent_at"] and sent["message_id"] == message_id
    finally:
        await adapter.close()
        desk.close()
        await server.close()


async def test_without_the_lookup_discord_would_have_posted_it_twice(
    standin: DiscordStandIn, bot: DiscordAdapter
) -> None:
    """The stand-in is as strict as Discord: after the nonce window a repeat is a new post."""
    clock = _Clock()
    standin.clock = clock
    reply = Reply(title="Digest")
    await bot.post(standin.channel_id, reply, nonce="nd-window")
    clock.at += 3600
    await bot.post(standin.channel_id, reply, nonce="nd-window")
    assert len(standin.channel_messages[standin.channel_id]) == 2
    assert await bot.find_posted(standin.channel_id, "nd-window") is not None
    assert await bot.find_posted(standin.channel_id, "nd-never-sent") is None


async def test_typing_words_of_a_story_offers_its_title_and_sends_its_number(
    standin: DiscordStandIn, summit_bot: Any
) -> None:
    (answer,) = await _autocompleted(standin, summit_bot, "/story show", {"story": "russia"},
                                     "story")
    assert answer["type"] == 8
    [choice] = answer["data"]["choices"]
    # The member sees the story's headline (one of its articles'); the command gets its number.
    assert choice["name"] in {"Kim Jong Un returns home after first visit to Russia",
                              "Kim concludes first trip to Russia a day after summit with Putin"}
    assert choice["value"].isdigit()
