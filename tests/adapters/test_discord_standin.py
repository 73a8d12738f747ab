"""The Discord stand-in is as strict as Discord, so the adapter tests mean something."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.fakes.discord_standin import DiscordStandIn


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def standin(clock: FakeClock) -> AsyncIterator[DiscordStandIn]:
    server = DiscordStandIn(clock=clock)
    await server.start()
    async with aiohttp.ClientSession() as session:
        # Register /who the way discord.py would, so interactions can be dispatched.
        await session.put(
            f"{server.api_url}/applications/{server.app_id}/commands",
            json=[{"name": "who", "description": "People", "type": 1}],
            headers={"Authorization": f"Bot {server.token}"},
        )
    yield server
    await server.close()


async def callback(standin: DiscordStandIn, interaction_id: str, token: str) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{standin.api_url}/interactions/{interaction_id}/{token}/callback",
            json={"type": 5},
        ) as response,
    ):
        return response.status, await response.json() if response.status != 204 else {}


async def test_rest_calls_without_the_bot_token_are_unauthorised(standin: DiscordStandIn) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{standin.api_url}/users/@me", headers={"Authorization": "Bot wrong"}
        ) as response,
    ):
        assert response.status == 401


async def test_an_answer_after_three_seconds_is_an_unknown_interaction(
    standin: DiscordStandIn, clock: FakeClock
) -> None:
    interaction = await standin.invoke("/who")
    clock.now += 3.5

    status, body = await callback(standin, interaction.id, interaction.token)

    assert (status, body["code"]) == (404, 10062)


async def test_a_second_answer_is_already_acknowledged(standin: DiscordStandIn) -> None:
    interaction = await standin.invoke("/who")

    first, _ = await callback(standin, interaction.id, interaction.token)
    second, body = await callback(standin, interaction.id, interaction.token)

    assert first == 204
    assert (second, body["code"]) == (400, 40060)


def test_content_mentions_ping_unless_allowed_mentions_forbid_them() -> None:
    message = {"content": "@everyone see <@123456789012345678>"}

    assert DiscordStandIn.pings(message) == ["@everyone", "123456789012345678"]
    assert DiscordStandIn.pings({**message, "allowed_mentions": {"parse": []}}) == []
