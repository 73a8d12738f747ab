"""A worker's adapters (`newsdesk run --role worker`): they post and edit through the
platforms' REST/Web APIs with the bot token and open no gateway session or socket."""

from __future__ import annotations

from bot.config import DiscordSettings, SlackSettings
from bot.models import Reply, ReplyItem, Request
from tests.fakes.discord_standin import DiscordStandIn
from tests.fakes.slack_standin import SlackStandIn

ALERT = Reply("Alert: Aldo Marchetti", (ReplyItem("Port workers strike"),))


async def _never(request: Request) -> Reply:
    raise AssertionError("a worker hears no commands")


async def test_a_discord_worker_posts_over_rest_without_a_gateway_or_command_sync() -> None:
    from adapters.discord import DiscordAdapter

    standin = DiscordStandIn()
    await standin.start()
    adapter = DiscordAdapter(DiscordSettings(
        enabled=True, api_url=standin.api_url, gateway_url=standin.gateway_url,
        guilds=(standin.guild_id,), token=standin.token), _never)
    try:
        await adapter.start(listen=False)
        assert adapter.connected
        message_id = await adapter.post(standin.channel_id, ALERT, nonce="alert-1")
        [posted] = standin.channel_messages[standin.channel_id]
        assert posted["id"] == message_id and posted["embeds"][0]["title"] == ALERT.title
        # A post in doubt after a restart is found by its marker, over REST as well.
        assert await adapter.find_posted(standin.channel_id, "alert-1") == message_id
        await adapter.edit(standin.channel_id, message_id, Reply("Alert: edited"))
        assert standin.channel_messages[standin.channel_id][0]["embeds"][0]["title"] == \
            "Alert: edited"
        assert standin.connections == 0 and standin.commands == {}
    finally:
        await adapter.close()
        await standin.close()
    assert not adapter.connected


async def test_a_slack_worker_posts_through_the_web_api_without_socket_or_secrets() -> None:
    from adapters.slack import SlackAdapter

    standin = SlackStandIn()
    await standin.start()
    # Socket Mode configured, but a worker needs neither the app token nor a signing secret.
    adapter = SlackAdapter(SlackSettings(enabled=True, mode="socket", api_url=standin.api_url,
                                         bot_token=standin.bot_token), _never)
    try:
        await adapter.start(listen=False)
        assert adapter.connected
        await adapter.post("C1", ALERT, nonce="alert-1")
        assert [m["channel"] for m in standin.posted()] == ["C1"]
        assert standin.socket_connections == 0
        assert not standin.calls_to("apps.connections.open")
    finally:
        await adapter.close()
        await standin.close()
