"""Two Discord servers and two Slack workspaces on one bot: the real adapters, the real core,
a real feed server. Each community sees its own sources, answers, digests and alerts."""
# ruff: noqa: F811  (the stand-in and feed-server fixtures are imported by their names)

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.slack import SlackAdapter
from bot.app import Newsdesk
from bot.config import FetchSettings, Settings, StorageSettings
from bot.delivery.alerts import queue_alerts
from bot.delivery.outbox import Sender
from bot.ingest.polite import HostLimiter
from tests.adapters.test_discord import answered, embed_text, started
from tests.adapters.test_slack import WORKSPACE_ADMIN, _all_text, _settings
from tests.adapters.test_slack import standin as slack_standin  # noqa: F401
from tests.fakes.discord_standin import DiscordStandIn
from tests.fakes.slack_standin import SlackStandIn
from tests.sources.test_limits import _rss, feeds  # noqa: F401
from tests.sources.test_tenants import _item

MANAGE_GUILD = 1 << 5


@pytest.fixture
def desk(tmp_path) -> Any:
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db")),
                            fetch=FetchSettings(timeout_s=10,
                                                allow_networks=("127.0.0.1/32",))))
    bot.sources.limiter = HostLimiter(min_delay_s=0.01)
    yield bot
    bot.close()


@pytest.fixture
async def discord() -> AsyncIterator[DiscordStandIn]:
    server = DiscordStandIn()
    await server.start()
    yield server
    await server.close()


async def _discord_says(server: DiscordStandIn, command: str, options: dict[str, str],
                        guild: str) -> str:
    interaction = await server.invoke(command, options, user_id="77", permissions=MANAGE_GUILD,
                                      guild=guild)
    # The first answer loads the spaCy model: allow it more than the usual few seconds.
    await server.wait_for(lambda: interaction.embeds, timeout=60)
    return "\n".join(embed_text(e) for e in await answered(server, interaction.id))


async def test_two_discord_servers_each_see_their_own_sources_and_answers(
        discord: DiscordStandIn, desk: Newsdesk, feeds) -> None:
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "Alpha Intranet")
    adapter = await started(discord, desk.handle, guilds=False)
    try:
        one, two = discord.guild_id, discord.other_guild_id
        added = await _discord_says(discord, "/source add", {"url": f"{feeds.base}/a.xml"}, one)
        assert "Added source 1" in added

        assert "No sources yet" in await _discord_says(discord, "/source list", {}, two)
        refused = await _discord_says(discord, "/source remove", {"id": "1"}, two)
        assert "There is no source 1 here" in refused
        assert "Alpha Intranet" in await _discord_says(discord, "/source list", {}, one)

        assert "Maria Olsen" in await _discord_says(discord, "/who", {}, one)
        assert "Olsen" not in await _discord_says(discord, "/who", {}, two)
        assert "harbour" not in (await _discord_says(discord, "/stories", {}, two)).lower()

        # The second server follows the same feed: no second fetch, its own number and name.
        followed = await _discord_says(discord, "/source add",
                                       {"url": f"{feeds.base}/a.xml", "name": "Port news"}, two)
        assert "already read by the bot" in followed
        assert sum(r.path == "/a.xml" for r in feeds.requests) == 1
        assert "Port news" in await _discord_says(discord, "/source list", {}, two)
        assert "Maria Olsen" in await _discord_says(discord, "/who", {}, two)
    finally:
        await adapter.close()


@pytest.fixture
async def slack(slack_standin: SlackStandIn, desk: Newsdesk) -> AsyncIterator[SlackAdapter]:
    adapter = SlackAdapter(_settings(slack_standin, "http"), desk.handle)
    await adapter.start()
    yield adapter
    await adapter.close()


async def test_two_slack_workspaces_get_their_own_digests_and_alerts(
        slack_standin: SlackStandIn, slack: SlackAdapter, desk: Newsdesk, feeds) -> None:
    standin = slack_standin
    url = f"http://127.0.0.1:{slack.http_port}/slack/events"
    one, two = standin.team_id, standin.other_team_id

    async def say(text: str, team: str, channel: str, slash: str = "/source") -> str:
        sent = await standin.send_command(url, slash, text, user=WORKSPACE_ADMIN,
                                          channel=channel, team=team)
        assert sent.acked_in_time

        def arrived() -> dict[str, Any] | None:
            return next((r for r in standin.responses if r["url"] == sent.response_url), None)

        return _all_text(await standin.wait_for(arrived, timeout_s=30))

    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "Alpha")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway")], "Beta")
    assert "Added source" in await say(f"add {feeds.base}/a.xml", one, "CA1")
    assert "Added source" in await say(f"add {feeds.base}/b.xml", two, "CB1")
    assert "Alert" in await say("add budget", one, "CA1", "/alert")
    assert "Alert" in await say("add budget", two, "CB1", "/alert")
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour"),
                                  _item(3, "Maria Olsen", "museum")], "Alpha")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway"),
                                  _item(4, "Peter Novak", "airport")], "Beta")
    await desk.sources.poll_due(datetime.now(UTC) + timedelta(hours=1))

    digest_one = await say("", one, "CA1", "/digest")
    digest_two = await say("", two, "CB1", "/digest")
    assert "The museum plan 3" in digest_one and "airport" not in digest_one
    assert "The airport plan 4" in digest_two and "museum" not in digest_two

    # Routing and filters: CA2 has no routes, so it gets all of its workspace's sources...
    assert "The museum plan 3" in await say("", one, "CA2", "/digest")
    # ...until source 1 is routed there (Slack sends the #channel escaped: /source escapes)
    # and filtered there; CA1 keeps its own route, without the filter.
    assert "is routed to channel CA2" in await say("route 1 <#CA2|world>", one, "CA1")
    assert "no articles about" in await say("filter 1 exclude museum", one, "CA2")
    assert "No news" in await say("", one, "CA2", "/digest")
    assert "Filtered out: The museum plan 3" in await say("why", one, "CA2", "/digest")
    assert "The museum plan 3" in await say("", one, "CA1", "/digest")
    # The other workspace cannot route its source into this workspace's channel.
    refused = await say("route 2 <#CA1|news>", two, "CB1")
    assert "does not know that channel" in refused

    queue_alerts(desk.store, desk.outbox)
    await Sender(desk.outbox, {"slack": slack}).deliver_pending()
    posted = {m["channel"]: _all_text(m) for m in standin.posted()}
    assert set(posted) == {"CA1", "CB1"}
    assert "museum" in posted["CA1"] and "airport" not in posted["CA1"]
    assert "airport" in posted["CB1"] and "museum" not in posted["CB1"]
