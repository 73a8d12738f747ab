"""Reply -> embed: Discord's limits hold, article text pings nobody and shows as written."""

from __future__ import annotations

import discord
import pytest

from adapters.discord.render import MORE_HINT, render
from bot.models import Citation, Reply, ReplyItem


def limits_hold(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert len(data.get("title", "")) <= 256
    assert len(data.get("description", "")) <= 4096
    assert len(data.get("fields", [])) <= 25
    for field in data.get("fields", []):
        assert len(field["name"]) <= 256 and 0 < len(field["value"]) <= 1024
    assert len(data.get("footer", {}).get("text", "")) <= 2048
    assert len(embed) <= 6000


def citations(count: int) -> tuple[Citation, ...]:
    return tuple(
        Citation(
            f"Story number {n} " + "with a long headline " * 5,
            f"https://news.example/{n}",
            "Example News",
            "2019-04-25",
        )
        for n in range(count)
    )


def test_a_huge_answer_fits_discord_limits_and_says_there_is_more() -> None:
    reply = Reply(
        title="People " * 100,
        items=tuple(ReplyItem(f"Person {n}", "role " * 80, cites=(n,)) for n in range(200)),
        citations=citations(200),
        footer="Use /who NAME for one person's card.",
    )

    embed = render(reply)

    limits_hold(embed)
    assert embed.title is not None and embed.title.endswith("…")
    assert embed.footer.text is not None and MORE_HINT in embed.footer.text
    assert "Use /who NAME" in embed.footer.text
    assert embed.description is not None and embed.description.startswith("**Person 0**")


def test_many_sources_spill_into_continued_fields_within_limits() -> None:
    reply = Reply(title="Sources", items=(ReplyItem("One line"),), citations=citations(40))

    embed = render(reply)

    limits_hold(embed)
    assert embed.fields[0].name == "Sources"
    assert any(f.name == "Sources (continued)" for f in embed.fields)


def test_a_short_answer_has_no_see_more_hint() -> None:
    embed = render(Reply(title="People", items=(ReplyItem("Vladimir Putin", "president"),)))

    assert embed.footer.text is None
    assert embed.description == "**Vladimir Putin** — president"


def test_mentions_in_article_text_are_defused() -> None:
    reply = Reply(
        title="@everyone read this",
        items=(ReplyItem("<@123456789012345678>", "and <@&987654321098765432> and @here"),),
        footer="@everyone",
    )

    embed = render(reply)
    shown = f"{embed.title}\n{embed.description}\n{embed.footer.text}"

    for mention in ("@everyone", "@here", "<@1", "<@&9"):
        assert mention not in shown
    assert "@\u200beveryone" in shown  # still readable


def test_markdown_in_article_text_shows_as_written() -> None:
    reply = Reply(
        title="Quotes",
        items=(ReplyItem("**bold** claim", "see [this](https://evil.example) ~~now~~ `x`"),),
    )

    description = render(reply).description or ""

    assert "\\*\\*bold\\*\\*" in description
    assert "\\[this\\]\\(https://evil.example\\)" in description  # not a masked link any more
    assert "\\~\\~now\\~\\~" in description and "\\`x\\`" in description


def test_sources_are_numbered_links_and_odd_urls_are_not_linked() -> None:
    reply = Reply(
        title="Timeline",
        items=(ReplyItem("Kim arrives", cites=(0, 1)),),
        citations=(
            Citation("Kim arrives", "https://news.example/a", "Example News", "2019-04-24"),
            Citation("Odd", "javascript:alert(1)", "Somewhere"),
        ),
    )

    embed = render(reply)

    assert "[1](https://news.example/a)" in (embed.description or "")
    sources = embed.fields[0].value
    assert "[Kim arrives](https://news.example/a) — Example News, 2019-04-24" in sources
    assert "javascript:" not in sources and "Odd" in sources


def test_an_error_reply_is_red() -> None:
    embed = render(Reply.error_reply("That URL does not answer."))

    assert embed.colour == discord.Colour.red()
    assert embed.title == "That URL does not answer."


@pytest.mark.parametrize("title", ["\\" * 1000, "*" * 300, "_" * 257, "a_" * 200])
def test_a_long_title_full_of_markup_is_cut_to_the_limit_not_to_nothing(title: str) -> None:
    embed = render(Reply(title=title))

    assert embed.title is not None and 200 < len(embed.title) <= 256
    assert embed.title.endswith("…")
