"""Article text that tries to be markup stays text in every renderer: no masked links, no
injected Slack links, no terminal escape sequences, wherever in a reply the text stands."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from adapters.console.render import reply_as_text
from adapters.discord import DiscordAdapter
from adapters.discord.render import render as discord_render
from adapters.slack.render import render as slack_render
from bot.app import Newsdesk
from bot.config import DiscordSettings
from bot.delivery.outbox import Sender
from bot.ingest.files import read_file
from bot.models import Citation, Reply, ReplyItem
from tests.conftest import DEMO_DIR
from tests.fakes.discord_standin import DiscordStandIn

GOOD_URL = "https://news.example/story"
MASKED = "Title](https://evil.example) [x"
HOSTILE = (
    MASKED,
    "[click here](https://evil.example)",
    "x) [y](https://evil.example) (z",
    "back\\](https://evil.example)",
    "<https://evil.example|click> a|b <!here> &amp;",
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\x9b31m",
)
PLACES = ("title", "item", "detail", "citation title", "citation source", "footer")


def reply_with(text: str, place: str) -> Reply:
    """A reply that carries `text` in one place, as digests, alerts and answers do."""
    return Reply(
        title=text if place == "title" else "Digest: 1 new story",
        items=(ReplyItem(text if place == "item" else "Kim meets Putin",
                         text if place == "detail" else "Example News", cites=(0,)),),
        citations=(Citation(text if place == "citation title" else "Kim meets Putin", GOOD_URL,
                            text if place == "citation source" else "Example News",
                            "2019-04-25"),),
        footer=text if place == "footer" else "/digest why shows what was read.",
    )


def discord_links(markdown: str) -> list[tuple[str, str]]:
    """The masked links Discord would render: an unescaped "[" ... "]" then "(url)"."""
    links, i = [], 0
    while i < len(markdown):
        char = markdown[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth, j = 1, i + 1
            while j < len(markdown) and depth:
                if markdown[j] == "\\":
                    j += 2
                    continue
                depth += {"[": 1, "]": -1}.get(markdown[j], 0)
                j += 1
            if depth == 0 and markdown[j:j + 1] == "(":
                end = markdown.find(")", j)
                if end > 0:
                    links.append((markdown[i + 1:j - 1], markdown[j + 1:end]))
        i += 1
    return links


def embed_markdown(embed: dict) -> str:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f["value"] for f in embed.get("fields", [])]
    return "\n".join(parts)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", HOSTILE)
def test_discord_shows_no_link_but_the_citations_own(text: str, place: str) -> None:
    markdown = embed_markdown(discord_render(reply_with(text, place)).to_dict())

    assert {url for _, url in discord_links(markdown)} <= {GOOD_URL}, markdown


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", HOSTILE)
def test_slack_shows_no_link_but_the_citations_own(text: str, place: str) -> None:
    message = slack_render(reply_with(text, place))
    mrkdwn = [message.text] + [
        element["text"] for block in message.blocks
        for element in ([block["text"]] if "text" in block else block.get("elements", []))
    ]

    for shown in mrkdwn:
        links = re.findall(r"<([^>]*)>", shown)
        assert shown.count("<") == len(links), shown  # every "<" opens one of our links
        for inner in links:
            url, _, label = inner.partition("|")
            assert url == GOOD_URL and "|" not in label, shown


def test_a_bar_in_a_slack_link_label_cannot_end_the_label() -> None:
    message = slack_render(reply_with("Left|https://evil.example", "citation title"))
    sources = next(b["text"]["text"] for b in message.blocks
                   if b["type"] == "section" and "Left" in b["text"]["text"])

    assert "|https://evil" not in sources and "https://evil" in sources  # shown, not a target


@pytest.mark.parametrize("place", PLACES)
def test_the_console_passes_no_terminal_escape_sequence(place: str) -> None:
    shown = reply_as_text(reply_with(HOSTILE[-1], place))

    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown), repr(shown)
    assert "click" in shown  # the words themselves stay


# An override reverses what follows it: "moc.live" shows as "evil.com", and everything after
# it on the line (our own "Sources" words included) reads backwards until a pop that never comes.
SPOOF = "Kim \u202egnp.evil.moc\u202c meets \u2067Putin\u2069 \u202b\u202d here"
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _every_shown_text(place: str) -> dict[str, str]:
    reply = reply_with(SPOOF, place)
    slack = slack_render(reply)
    return {
        "discord": embed_markdown(discord_render(reply).to_dict()),
        "slack": "\n".join([slack.text, str(slack.blocks)]),
        "console": reply_as_text(reply),
    }


@pytest.mark.parametrize("place", PLACES)
def test_no_platform_shows_a_direction_override_from_an_article(place: str) -> None:
    for platform, shown in _every_shown_text(place).items():
        assert not DIRECTION_CONTROLS.search(shown), (platform, shown)
        assert "Putin" in shown and "meets" in shown, (platform, shown)  # the words stay


def test_an_ingested_headline_keeps_no_direction_override() -> None:
    from bot.ingest.limits import cap_draft

    [draft] = read_file(DEMO_DIR / "2019-04-27-kim-returns-home.md")
    stored = cap_draft(replace(draft, title=SPOOF, text=SPOOF + "\n\n" + draft.text))

    assert not DIRECTION_CONTROLS.search(stored.title + stored.text)
    assert stored.title.startswith("Kim gnp.evil.moc meets Putin")


def test_discord_markdown_still_reads_as_written() -> None:
    embed = discord_render(reply_with("**Kim** [says](x) > 1. #1 <#123>", "item"))

    assert embed.description is not None
    assert embed.description.startswith(r"**\*\*Kim\*\* \[says\]\(x\) \> 1. #1 \<#123\>**")


# --------------------------------------------- end to end: an alert through the stand-in


@pytest.fixture
async def discord_bot() -> AsyncIterator[tuple[DiscordStandIn, DiscordAdapter]]:
    standin = DiscordStandIn()
    await standin.start()
    settings = DiscordSettings(enabled=True, api_url=standin.api_url,
                               gateway_url=standin.gateway_url, guilds=(standin.guild_id,),
                               token=standin.token)
    adapter = DiscordAdapter(settings, _never_asked, guild_ready_timeout_s=0.05)
    await adapter.start()
    yield standin, adapter
    await adapter.close()
    await standin.close()


async def _never_asked(request):  # type: ignore[no-untyped-def]
    raise AssertionError("no command is invoked in this test")


async def test_an_alert_on_a_hostile_headline_posts_no_masked_link(
    summit_bot: Newsdesk, discord_bot: tuple[DiscordStandIn, DiscordAdapter],
) -> None:
    standin, adapter = discord_bot
    await summit_bot.ask("/alert add Kim Jong-un", platform="discord", channel=standin.channel_id)
    [original] = read_file(DEMO_DIR / "2019-04-27-kim-returns-home.md")
    hostile = replace(original, title=MASKED, source="Wire](https://evil.example) [y",
                      url="https://one.example/kim-returns")

    summit_bot.after_ingest(summit_bot.ingestor.store_drafts([hostile]).added)
    await Sender(summit_bot.outbox, {"discord": adapter}).deliver_pending()

    [message] = standin.channel_messages[standin.channel_id]
    markdown = embed_markdown(message["embeds"][0])
    assert "Title" in markdown and "evil.example" in markdown  # the headline is shown...
    assert {url for _, url in discord_links(markdown)} == {"https://one.example/kim-returns"}
