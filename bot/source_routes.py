"""/source route|unroute|filter: which channels a source's articles go to, and what they keep."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from bot.errors import UserError
from bot.models import Reply, ReplyItem, Request
from bot.ports import Store
from bot.tenancy import TenantRegistry, describe_filter


class Sources(Protocol):
    """What routing uses of bot.sources.Sources (not imported: it imports this module)."""

    store: Store

    @property
    def subs(self) -> TenantRegistry: ...

    def _get(self, args: str, tenant: str) -> dict: ...

MAX_FILTERS = 20  # per route: each one is checked against every article of the source
MAX_FILTER_CHARS = 100
# <#123>, <#C123|general> (Slack), #123, or the bare id.
_CHANNEL = re.compile(r"^<?#?([A-Za-z0-9_-]{1,40})(?:\|[^>]*)?>?$")
_RULE = re.compile(r"^(include|exclude)\s+(.+)$", re.IGNORECASE | re.DOTALL)


def _split(args: str) -> tuple[str, str]:
    parts = args.strip().split(None, 1)
    return (parts[0] if parts else ""), (parts[1].strip() if len(parts) > 1 else "")


def _where(request: Request) -> str:
    # The command line talks for the console's channel.
    return "console" if request.platform == "cli" else request.platform


class RouteCommands:
    """Routing and filters on top of Sources (which finds a tenant's subscription)."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources

    def _channel(self, request: Request, text: str) -> str:
        """The channel a command names (this one when none), if it belongs to this tenant."""
        if not text:
            return request.channel
        match = _CHANNEL.match(text.strip())
        if not match:
            raise UserError(f"{text[:40]!r} is not a channel; mention it, e.g. #news.")
        channel = match.group(1)
        if channel == request.channel:
            return channel
        owner = self.sources.subs.channel_tenant(_where(request), channel)
        if owner != request.tenant:
            # Never post into a channel of another community: only channels the bot has seen
            # this community use count.
            raise UserError("The bot does not know that channel here yet: use any bot command "
                            "in it once (e.g. /help), or run this command there.")
        return channel

    def route(self, request: Request) -> Reply:
        first, rest = _split(request.args)
        row = self.sources._get(first, request.tenant)
        channel = self._channel(request, rest)
        new = self.sources.subs.route(row["id"], _where(request), channel, request.user)
        where = "here" if channel == request.channel else f"to channel {channel}"
        if not new:
            return Reply.text(f"Source {row['id']} is already routed {where}.")
        return Reply.text(f"Source {row['id']} ({row['name']}) is routed {where}: that "
                          f"channel's digest and alerts now cover the sources routed to it.",
                          data={"id": row["id"], "channel": channel})

    def unroute(self, request: Request) -> Reply:
        first, rest = _split(request.args)
        row = self.sources._get(first, request.tenant)
        channel = self._channel(request, rest)
        if not self.sources.subs.unroute(row["id"], _where(request), channel):
            raise UserError(f"Source {row['id']} is not routed to that channel; "
                            f"see /source filter {row['id']}.")
        return Reply.text(f"Source {row['id']} is no longer routed to that channel (its "
                          f"filters there are gone too).", data={"id": row["id"],
                                                                 "channel": channel})

    def filter(self, request: Request) -> Reply:
        first, rest = _split(request.args)
        row = self.sources._get(first, request.tenant)
        subs = self.sources.subs
        route_id = subs.route_id(row["id"], _where(request), request.channel)
        if not rest:
            return self._show(row, route_id)
        if route_id is None:
            raise UserError(f"Source {row['id']} is not routed to this channel: "
                            f"/source route {row['id']} first, then filter it here.")
        if rest.lower() == "clear":
            n = subs.clear_filters(route_id)
            return Reply.text(f"{n} filter{'s' if n != 1 else ''} of source {row['id']} "
                              f"removed here.")
        match = _RULE.match(rest)
        if not match:
            raise UserError('Say include or exclude, e.g. /source filter 3 include "Kim '
                            'Jong-un", /source filter 3 exclude sport, or outlet:Reuters.')
        mode, value = match.group(1).lower(), " ".join(match.group(2).split())
        if len(value) > MAX_FILTER_CHARS or not re.search(r"\w", value):
            raise UserError(f"A filter is a few words, a name or outlet:NAME "
                            f"(under {MAX_FILTER_CHARS} characters).")
        if subs.count_filters(route_id) >= MAX_FILTERS:
            raise UserError(f"A route takes at most {MAX_FILTERS} filters; "
                            f"/source filter {row['id']} clear starts again.")
        kind, person = self._kind(value)
        rule = {"kind": kind, "value": value if kind != "outlet" else value[7:].strip(),
                "person_name": person.name if person else None}
        subs.add_filter(route_id, mode, kind, rule["value"], person.id if person else None)
        verb = "only articles about" if mode == "include" else "no articles about"
        return Reply.text(f"Source {row['id']} here: {verb} {describe_filter(rule)}. "
                          f"/digest why shows what filters left out.",
                          data={"id": row["id"], "mode": mode, "kind": kind,
                                "value": rule["value"],
                                "person": person.name if person else None})

    def _kind(self, value: str) -> tuple[str, Any]:
        """outlet:NAME is an outlet; a name the store knows is that canonical person (every
        spelling, as alerts match them); anything else is words."""
        from bot.delivery.alerts import resolve_person

        if value.lower().startswith("outlet:"):
            return "outlet", None
        person = resolve_person(self.sources.store, value.strip("\"“”"))
        return ("person", person) if person else ("word", None)

    def _show(self, row: dict, route_id: int | None) -> Reply:
        subs = self.sources.subs
        routes = subs.routes_of(row["id"])
        items = [ReplyItem(f"Routed to {r['platform']} channel {r['channel']}") for r in routes]
        filters = subs.filters_of([route_id]) if route_id is not None else []
        items += [ReplyItem(f"{f['mode'].capitalize()} {describe_filter(f)}", "here")
                  for f in filters]
        if not items:
            items = [ReplyItem("Not routed: it goes to every channel of this community that "
                               "has no routes of its own.")]
        return Reply(f"Source {row['id']} ({row['name']})", tuple(items),
                     footer=f"/source filter {row['id']} include|exclude WORDS narrows it here.",
                     data={"id": row["id"], "routes": [
                         {"platform": r["platform"], "channel": r["channel"]} for r in routes],
                         "filters": [{"mode": f["mode"], "kind": f["kind"], "value": f["value"]}
                                     for f in filters]})

    def handlers(self) -> dict[str, Callable[[Request], Reply]]:
        return {"source route": self.route, "source unroute": self.unroute,
                "source filter": self.filter}
