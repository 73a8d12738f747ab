"""Incoming command -> Reply: the one place where errors become words."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence

from bot import answers, people_admin
from bot.commands import BY_NAME, COMMANDS, split_command
from bot.errors import NotAllowed, UserError, store_error
from bot.models import Reply, ReplyItem, Request
from bot.ports import Store
from bot.stories import answers as story_answers

log = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Reply]]


async def answer_safely(handle: Handler, request: Request) -> Reply:
    """An adapter's call into the core: whatever goes wrong, the person gets one sentence.

    The core's own handler already answers every failure in words; this guards the adapter
    against any other handler it is given (a different core, a test's).
    """
    try:
        return await handle(request)
    except Exception:
        ref = secrets.token_hex(3)
        log.exception("command %r failed in its handler ref=%s", request.command, ref)
        return Reply.error_reply(f"Something went wrong on our side (ref {ref}).")


def help_reply(is_admin: bool = True) -> Reply:
    items = tuple(
        ReplyItem(spec.example, spec.help + (" (admins)" if spec.admin else ""))
        for spec in COMMANDS if is_admin or not spec.admin
    )
    return Reply("newsdesk commands", items,
                 footer="Add a topic or name to most commands, e.g. /when hanoi.",
                 data=[{"command": "/" + s.name, "help": s.help, "example": s.example,
                        "admin": s.admin} for s in COMMANDS])


def parse_request(line: str, **context: object) -> Request:
    """A typed line ('/when hanoi') as a Request; adapters with native commands build their own."""
    command, args = split_command(line)
    return Request(command=command, args=args, **context)  # type: ignore[arg-type]


class Dispatcher:
    """Maps command names to handlers and turns every failure into one clear sentence."""

    def __init__(self, handlers: dict[str, Callable[[Request], Awaitable[Reply] | Reply]]):
        self.handlers = handlers

    async def handle(self, request: Request) -> Reply:
        try:
            return await self._run(request)
        except UserError as exc:
            return Reply.error_reply(str(exc))
        except Exception as exc:
            # A read-only or full store is the operator's to fix, not a bug: say which.
            if (known := store_error(exc)) is not None:
                log.error("command %r: %s", request.command, known)
                return Reply.error_reply(str(known))
            ref = secrets.token_hex(3)
            log.exception("command %r failed ref=%s", request.command, ref)
            return Reply.error_reply(f"Something went wrong on our side (ref {ref}).")

    async def _run(self, request: Request) -> Reply:
        name = request.command.strip().lower()
        spec = BY_NAME.get(name)
        if spec is None:
            group = name.split(" ", 1)[0]
            subs = [s.sub for s in COMMANDS if s.group == group and s.sub]
            if subs:
                raise UserError(f"/{group} takes one of: {', '.join(subs)}. See /help.")
            raise UserError(f"Unknown command /{name or '?'}. Type /help for the commands.")
        if spec.admin and not request.is_admin:
            raise NotAllowed(f"/{spec.name} is for admins only.")
        missing = [a.name for a in spec.args if a.required]
        if missing and not request.args.strip():
            raise UserError(f"/{spec.name} needs {' and '.join(missing).upper()}; "
                            f"for example {spec.example}.")
        if not spec.args and request.args.strip() and name != "help":
            raise UserError(f"/{spec.name} takes no arguments; for example {spec.example}.")
        handler = self.handlers.get(name)
        if handler is None:
            raise UserError(f"/{spec.name} is not available in this deployment.")
        result = handler(request)
        if isinstance(result, Reply):
            return result
        return await result


# The source ids a tenant may read (None: every article), computed once per request.
Visible = Callable[[str], Sequence[int] | None]


def answer_handlers(store: Store, visible: Visible = lambda tenant: None
                    ) -> dict[str, Callable[[Request], Reply]]:
    """The read-only questions anyone may ask, answered from the asker's tenant's articles."""
    return {
        "who": lambda r: answers.who(store, r.args, sources=visible(r.tenant)),
        "person merge": lambda r: people_admin.merge(store, r.args),
        "person split": lambda r: people_admin.split(store, r.args),
        "when": lambda r: answers.when(store, r.args, sources=visible(r.tenant)),
        "quote": lambda r: answers.quote(store, r.args, sources=visible(r.tenant)),
        "summary": lambda r: answers.summary(store, r.args, sources=visible(r.tenant)),
        "stories": lambda r: story_answers.stories(store, r.args, full=r.full,
                                                   sources=visible(r.tenant)),
        "story": lambda r: story_answers.story_card(store, r.args, sources=visible(r.tenant)),
        "story move": lambda r: story_answers.move(store, r.args, sources=visible(r.tenant)),
        "story split": lambda r: story_answers.split(store, r.args, sources=visible(r.tenant)),
        "help": lambda r: help_reply(r.is_admin),
    }
