"""Reply -> Block Kit within Slack's limits, escaping, command routing and the app manifest."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.slack import SLASH_COMMANDS, request_line
from adapters.slack.escape import escape, escape_within, link, unescape_command_text
from adapters.slack.render import render
from adapters.slack.routing import in_slack_names
from bot.commands import COMMANDS, split_command
from bot.models import Citation, Reply, ReplyItem
from tests.fakes.slack_standin import block_problem

MANIFEST = Path(__file__).resolve().parents[2] / "slack-manifest.yml"


def _section_texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_a_long_answer_stays_within_slacks_block_limits_and_says_what_was_left_out() -> None:
    citations = tuple(
        Citation(f"Story {n} " + "t" * 250, f"https://news.example/{n}", "Wire") for n in range(40)
    )
    items = tuple(
        ReplyItem("x" * 5000, detail="d" * 5000, cites=tuple(range(40))) for _ in range(80)
    )
    reply = Reply(title="T" * 400, items=items, citations=citations, footer="f" * 4000)

    message = render(reply)

    assert block_problem(message.blocks) is None
    assert len(message.blocks) == 50
    assert any(
        "more not shown" in b["elements"][0]["text"]
        for b in message.blocks
        if b["type"] == "context"
    )
    assert len(message.text) <= 3000


def test_cutting_a_long_text_never_leaves_half_an_entity() -> None:
    cut = escape_within("&" * 5000, 3000)

    assert len(cut) <= 3000
    assert cut.endswith("&amp;…")


def test_markup_and_mentions_in_article_text_are_inert() -> None:
    shown = escape("<!channel> <@U123> <#C1|general> <!subteam^S1> &lt; @here @Everyone")

    assert "<" not in shown and ">" not in shown
    assert "&amp;lt;" in shown
    assert "@here" not in shown and "@Everyone" not in shown
    assert "here" in shown and "Everyone" in shown  # the words stay readable


def test_links_only_to_web_addresses_and_the_url_cannot_break_out() -> None:
    assert link("javascript:alert(1)", "click") == "click"
    made = link("https://news.example/a|b>c<d e?x=1&y=2", "A <b> & c")

    assert made == "<https://news.example/a%7Cb%3Ec%3Cd%20e?x=1&amp;y=2|A &lt;b&gt; &amp; c>"


def test_citations_are_numbered_links_under_the_items() -> None:
    reply = Reply(
        title="Quotes",
        items=(ReplyItem("We agreed", cites=(1,)),),
        citations=(
            Citation("A", "https://a.example", "Wire A", "2019-04-25"),
            Citation("B", "https://b.example", "Wire B"),
        ),
    )

    texts = _section_texts(render(reply).blocks)

    assert texts[0] == "• We agreed <https://b.example|[2]>"
    assert texts[1] == (
        "[1] <https://a.example|A> · Wire A · 2019-04-25\n[2] <https://b.example|B> · Wire B"
    )


def test_an_error_reply_is_a_warning_section_not_a_header() -> None:
    blocks = render(Reply.error_reply("That source ID does not exist.")).blocks

    assert blocks == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": ":warning: That source ID does not exist.",
                "verbatim": True,
            },
        }
    ]


def test_typed_command_text_comes_back_as_typed() -> None:
    typed = unescape_command_text("add <https://news.example/f?a=1&amp;b=2|news.example/f> R&amp;D")

    assert typed == "add https://news.example/f?a=1&b=2 R&D"


def test_each_slack_command_reaches_its_core_command() -> None:
    assert split_command(request_line("/people", "putin")) == ("who", "putin")
    assert split_command(request_line("/source", "add https://x.example/f News")) == (
        "source add",
        "https://x.example/f News",
    )
    assert split_command(request_line("/digest", "")) == ("digest", "")
    assert split_command(request_line("/newsdesk", "summary sanctions")) == ("summary", "sanctions")
    assert split_command(request_line("/newsdesk", "  ")) == ("help", "")


def test_the_manifest_registers_exactly_the_routed_commands_and_every_group() -> None:
    manifest = MANIFEST.read_text()
    registered = set(re.findall(r"^\s*- command: (/\S+)$", manifest, re.MULTILINE))

    assert registered == set(SLASH_COMMANDS)
    assert "/who" not in registered  # Slack keeps /who for itself and refuses the manifest
    reachable = {group for group in SLASH_COMMANDS.values() if group}
    assert {spec.group for spec in COMMANDS} - {"help"} <= reachable
    urls = set(re.findall(r"^\s*url: (\S+)$", manifest, re.MULTILINE))
    assert urls == {"https://newsdesk.example.com/slack/events"}
    scopes = set(re.findall(r"^\s*- ([a-z]+:?[a-z.]*)\s", manifest, re.MULTILINE))
    assert {"commands", "chat:write", "chat:write.public", "users:read"} <= scopes


def test_a_list_of_people_is_one_compact_section_with_names_in_bold() -> None:
    reply = Reply(
        title="Who is in the coverage",
        items=(ReplyItem("Kim Jong-un", "Leader; 25 mentions"), ReplyItem("A*B", "odd name")),
    )

    blocks = render(reply).blocks

    assert [b["type"] for b in blocks] == ["header", "section"]
    assert blocks[1]["text"]["text"] == "• *Kim Jong-un* — Leader; 25 mentions\n• A*B — odd name"


def test_hints_and_help_name_the_commands_as_typed_on_slack() -> None:
    help_reply = Reply(
        title="newsdesk commands",
        items=(ReplyItem("/who putin", "People ..."), ReplyItem("/help", "Commands")),
        footer="Try /who NAME, or see https://x.example/who",
    )
    card = Reply(title="Nobody called /who", items=(ReplyItem("/who is quoted"),))

    shown_help = in_slack_names(help_reply, "help")
    shown_card = in_slack_names(card, "who")

    assert [i.text for i in shown_help.items] == ["/people putin", "/newsdesk"]
    assert shown_help.footer == "Try /people NAME, or see https://x.example/who"
    assert shown_card.title == "Nobody called /people"
    assert shown_card.items[0].text == "/who is quoted"  # answer lines may quote articles
