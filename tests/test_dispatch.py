"""The core's command handling: admin refusals, help, argument errors, and failures as words."""

from __future__ import annotations

import logging

from bot.commands import COMMANDS
from bot.dispatch import Dispatcher, help_reply
from bot.models import Reply, Request


async def test_a_non_admin_is_refused_admin_commands_with_a_clear_sentence(summit_bot):
    reply = await summit_bot.handle(Request("source add", "https://example.com/feed.xml"))
    assert reply.error
    assert reply.title == "/source add is for admins only."


async def test_a_missing_argument_is_explained_with_an_example(summit_bot):
    reply = await summit_bot.handle(Request("alert add", "", is_admin=True))
    assert reply.error and "/alert add" in reply.title and "for example" in reply.title


async def test_help_shows_an_example_for_every_command_an_admin_may_use():
    reply = help_reply(is_admin=True)
    assert len(reply.items) == len(COMMANDS)
    assert all(item.text.startswith("/") for item in reply.items)
    assert len(help_reply(is_admin=False).items) == sum(not c.admin for c in COMMANDS)


async def test_a_bug_in_a_handler_is_reported_with_a_reference_not_its_text(caplog):
    def broken(request: Request) -> Reply:
        raise RuntimeError("token=xoxb-secret")

    dispatcher = Dispatcher({"who": broken})
    with caplog.at_level(logging.ERROR):
        reply = await dispatcher.handle(Request("who"))
    assert reply.error and "ref" in reply.title
    assert "xoxb-secret" not in reply.title


async def test_a_group_without_a_known_subcommand_lists_the_subcommands(summit_bot):
    reply = await summit_bot.handle(Request("source frob", is_admin=True))
    assert reply.error and "add" in reply.title and "list" in reply.title
