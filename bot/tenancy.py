"""Tenants in the core: what a tenant may read, what a channel's routes and filters let through."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.models import PersonMention, StoredPerson
from bot.nlp.names import same_entity

DEFAULT = "default"
MAX_TENANT_CHARS = 64


class TenantRegistry(Protocol):
    """Subscriptions, routes, filters and channel owners (storage/tenants.py on SQLite)."""

    def subscribe(self, tenant: str, source_id: int, name: str, *, platform: str = "",
                  channel: str = "", added_by: str = "") -> int: ...

    def subscription(self, tenant: str, subscription_id: int) -> dict[str, Any] | None: ...

    def subscriptions(self, tenant: str) -> list[dict[str, Any]]: ...

    def followers(self, source_id: int) -> list[dict[str, Any]]: ...

    def followed(self, tenant: str, source_id: int) -> dict[str, Any] | None: ...

    def count(self, tenant: str) -> int: ...

    def unsubscribe(self, subscription_id: int) -> None: ...

    def unfollowed_source_ids(self) -> set[int]: ...

    def visible_sources(self, tenant: str) -> list[int] | None: ...

    def files_source(self, tenant: str) -> int | None: ...

    def link_articles(self, source_id: int, article_ids: Sequence[int]) -> None: ...

    def route(self, subscription_id: int, platform: str, channel: str, by: str) -> bool: ...

    def route_id(self, subscription_id: int, platform: str, channel: str) -> int | None: ...

    def unroute(self, subscription_id: int, platform: str, channel: str) -> bool: ...

    def routes_of(self, subscription_id: int) -> list[dict[str, Any]]: ...

    def routes_to(self, platform: str, channel: str) -> list[dict[str, Any]]: ...

    def add_filter(self, route_id: int, mode: str, kind: str, value: str,
                   person_id: int | None) -> int: ...

    def filters_of(self, route_ids: Sequence[int]) -> list[dict[str, Any]]: ...

    def clear_filters(self, route_id: int) -> int: ...

    def count_filters(self, route_id: int) -> int: ...

    def note_channel(self, platform: str, channel: str, tenant: str) -> None: ...

    def channel_tenant(self, platform: str, channel: str) -> str | None: ...


def tenant_id(value: str | None) -> str:
    """A tenant as given by an adapter or `--tenant`: trimmed, never empty."""
    text = (value or "").strip()
    return text[:MAX_TENANT_CHARS] if text else DEFAULT


# ------------------------------------------------------------------ channel scope


def phrase_query(words: str) -> str:
    """FTS5 query for a filter's words: every word, or the exact phrase when quoted. Each
    token is quoted, so no user text is ever FTS syntax."""
    tokens = re.findall(r"\w+", words)
    if not tokens:
        return ""
    if words.strip()[:1] in "\"“" and words.strip()[-1:] in "\"”":
        return '"' + " ".join(tokens) + '"'
    return " ".join(f'"{t}"' for t in tokens)


class ArticleFacts(Protocol):
    """What filters need to know about one article (the ChannelLog on SQLite has it)."""

    def people_of_article(self, article_id: int) -> list[int]: ...

    def article_has_phrase(self, article_id: int, fts_phrase: str) -> bool: ...


PeopleOf = Any  # Callable[[list[int]], list[StoredPerson]]: the store's people_by_ids


@dataclass
class ChannelScope:
    """Which articles a channel's digest and alerts take: the sources routed to it (each
    route with its filters), else every source of its tenant."""

    tenant: str
    visible: list[int] | None  # the tenant's sources; None: all
    routed: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # source -> filters
    names: dict[int, str] = field(default_factory=dict)  # source -> the subscription's name

    @property
    def sources(self) -> list[int] | None:
        """The source ids an article must come from (None: any)."""
        if self.routed:
            return sorted(self.routed)
        return self.visible

    def left_out_by(self, article: dict[str, Any], facts: ArticleFacts,
                    people_of: PeopleOf) -> str | None:
        """Why a filter leaves this article out, or None when it passes."""
        filters = self.routed.get(int(article.get("source_id") or 0), [])
        if not filters:
            return None
        people: list[StoredPerson] | None = None

        def matches(rule: dict[str, Any]) -> bool:
            nonlocal people
            if rule["kind"] == "outlet":
                outlet = (article.get("source") or "").casefold()
                return bool(outlet) and rule["value"].casefold() in outlet
            words = rule["value"].strip("\"“”").split()
            named = bool(words) and all(w[:1].isupper() for w in words)
            # A name the store did not know when the filter was set may be known now: matched
            # like an alert, against the article's canonical people, then as words.
            if rule["kind"] == "person" or rule["person_id"] or named:
                if people is None:
                    people = people_of(facts.people_of_article(article["id"]))
                if rule["person_id"]:
                    if any(p.id == rule["person_id"] for p in people):
                        return True
                elif any(same_entity(PersonMention(" ".join(words), p.kind), p.as_mention())
                         for p in people):
                    return True
                if rule["kind"] == "person":
                    return False
            return facts.article_has_phrase(article["id"], phrase_query(rule["value"]))

        includes = [f for f in filters if f["mode"] == "include"]
        if includes and not any(matches(f) for f in includes):
            shown = " or ".join(describe_filter(f) for f in includes[:3])
            return f"does not mention {shown}"
        for rule in filters:
            if rule["mode"] == "exclude" and matches(rule):
                return f"excluded: {describe_filter(rule)}"
        return None


def describe_filter(rule: dict[str, Any]) -> str:
    if rule["kind"] == "outlet":
        return f"outlet {rule['value']}"
    if rule["kind"] == "person":
        return rule.get("person_name") or rule["value"]
    return repr(rule["value"])


def channel_scope(tenants: TenantRegistry, tenant: str, platform: str,
                  channel: str) -> ChannelScope:
    """The scope of one channel of a tenant (routes of other tenants never count)."""
    scope = ChannelScope(tenant, tenants.visible_sources(tenant))
    routes = [r for r in tenants.routes_to(platform, channel) if r["tenant"] == tenant]
    filters = tenants.filters_of([r["id"] for r in routes])
    for route in routes:
        mine = [f for f in filters if f["route_id"] == route["id"]]
        scope.routed.setdefault(int(route["source_id"]), []).extend(mine)
        scope.names[int(route["source_id"])] = route["name"]
    return scope
