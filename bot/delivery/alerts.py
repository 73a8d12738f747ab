"""Alerts: new articles matched against watched people and phrases; one post per story.

A watch on a name is a watch on the canonical person the store resolved that name to, so
every spelling and a bare surname the extractor resolved to them match, and a namesake
(another full name sharing the surname) does not. A watch that names no known person is
matched as a phrase (full-text), until a new article brings a person with that name.

Each alert keeps a watermark (the last article it has looked at). Matching, the post it
decides on, the record of which story it covers and the watermark are written in one
transaction per article, so a crash at any point neither loses nor repeats an alert.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from bot.delivery.outbox import Outbox, iso, reply_from_json, reply_to_json, stable_nonce
from bot.errors import UserError
from bot.models import Citation, PersonMention, Reply, ReplyItem, StoredPerson, iso_date
from bot.nlp.names import name_key, same_entity
from bot.ports import Store
from bot.tenancy import DEFAULT, ChannelScope, channel_scope

MAX_WORDS_CHARS = 100
MAX_ID = 2**63 - 1  # alert numbers are SQLite integers; a longer number names no alert
_BATCH = 500
_QUOTE_MARKS = "\"“”‘’' "


def _phrase_query(words: str) -> str:
    """FTS5 query: every word (any order), or the exact phrase when the watch is in quotes.

    Each token is quoted, so no user text is ever FTS syntax.
    """
    tokens = re.findall(r"\w+", words)
    if not tokens:
        return ""
    if words.strip()[:1] in "\"“" and words.strip()[-1:] in "\"”":
        return '"' + " ".join(tokens) + '"'
    return " ".join(f'"{t}"' for t in tokens)


def _looks_like_name(words: str) -> bool:
    tokens = words.split()
    return bool(tokens) and all(t[:1].isupper() for t in tokens)


def resolve_person(store: Store, words: str) -> StoredPerson | None:
    """The stored person (or organisation) a watch names, if any."""
    if not _looks_like_name(words):
        return None
    for candidate in store.persons_named(words, name_key):
        if same_entity(PersonMention(words, candidate.kind), candidate.as_mention()):
            return candidate
    return None


def parse_alert_id(args: str) -> int | None:
    """The alert number in `/alert remove` arguments; None when it is no number at all.

    A number too large to be stored is returned as -1, which matches no alert.
    """
    text = args.strip().lstrip("#")
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if int(text) <= MAX_ID else -1


def check_words(words: str) -> str:
    words = " ".join(words.split())
    if not re.search(r"\w", words):
        raise UserError("/alert add needs a name or words to watch, for example "
                        "/alert add Jane Doe.")
    if len(words) > MAX_WORDS_CHARS:
        raise UserError(f"Keep an alert under {MAX_WORDS_CHARS} characters.")
    return words


# ------------------------------------------------------------------- matching


def _matches(store: Store, outbox: Outbox, alert: dict[str, Any],
             article: dict[str, Any], people: list[StoredPerson]) -> bool:
    if alert["person_id"]:
        return any(p.id == alert["person_id"] for p in people)
    if _looks_like_name(alert["words"]):
        for person in people:
            if same_entity(PersonMention(alert["words"], person.kind), person.as_mention()):
                outbox.store.set_alert_person(alert["id"], person.id)
                alert["person_id"] = person.id
                return True
    return outbox.store.article_has_phrase(article["id"], _phrase_query(alert["words"]))


def queue_alerts(store: Store, outbox: Outbox) -> int:
    """Match every article stored since each alert's watermark; return posts and edits queued.

    Safe to call any time and from any process: what was decided is in the store.
    """
    channels = outbox.store
    queued = 0
    while True:
        alerts = channels.all_alerts()
        if not alerts:
            return queued
        low = min(int(a["last_article"] or 0) for a in alerts)
        articles = channels.articles_after(low, _BATCH)
        if not articles:
            break
        scopes: dict[tuple[str, str, str], ChannelScope] = {}
        for article in articles:
            queued += _process(store, outbox, article, scopes)
        if len(articles) < _BATCH:
            break
    if queued:
        outbox.ring()
    return queued


def _in_scope(store: Store, outbox: Outbox, alert: dict[str, Any], article: dict[str, Any],
              scopes: dict[tuple[str, str, str], ChannelScope]) -> bool:
    """Whether the alert's channel takes this article: its tenant's, routed there, and
    through that route's filters."""
    key = (alert.get("tenant") or DEFAULT, alert["platform"], alert["channel"])
    scope = scopes.get(key)
    if scope is None:
        scope = scopes[key] = channel_scope(outbox.store.tenants, *key)
    sources = scope.sources
    if sources is not None and int(article.get("source_id") or 0) not in sources:
        return False
    return scope.left_out_by(article, outbox.store, store.people_by_ids) is None


def _process(store: Store, outbox: Outbox, article: dict[str, Any],
             scopes: dict[tuple[str, str, str], ChannelScope] | None = None) -> int:
    channels = outbox.store
    scopes = {} if scopes is None else scopes
    queued = 0
    with channels.transaction():
        alerts = [a for a in channels.all_alerts() if int(a["last_article"] or 0) < article["id"]]
        if not alerts:
            return 0
        order = channels.people_of_article(article["id"])
        by_id = {p.id: p for p in store.people_by_ids(order)}
        people = [by_id[i] for i in order if i in by_id]
        for alert in alerts:
            if _in_scope(store, outbox, alert, article, scopes) \
                    and _matches(store, outbox, alert, article, people):
                queued += _hit(store, outbox, alert, article, people)
            channels.set_alert_mark(alert["id"], article["id"])
        queued += _update_outlets(outbox, article["story_id"])
    return queued


def _hit(store: Store, outbox: Outbox, alert: dict[str, Any], article: dict[str, Any],
         people: list[StoredPerson]) -> int:
    """Post once per story and channel; a second watch in the channel shares that post."""
    channels = outbox.store
    story_id = article["story_id"]
    existing = channels.channel_hit(alert["platform"], alert["channel"], story_id)
    if existing is not None:
        channels.add_hit(alert["id"], story_id, existing["outbox_id"], existing["outlets"])
        return 0
    reply = alert_reply(store, alert, article, people)
    outbox_id = channels.enqueue(
        platform=alert["platform"], channel=alert["channel"], kind="alert",
        payload=json.dumps(reply_to_json(reply)), created_at=iso(outbox.now()),
        nonce=stable_nonce("alert", alert["platform"], alert["channel"], story_id),
        story_id=story_id, alert_id=alert["id"])
    if outbox_id is None:
        return 0
    seen = channels.tenants.visible_sources(alert.get("tenant") or DEFAULT)
    channels.add_hit(alert["id"], story_id, outbox_id,
                     len(channels.story_outlets(story_id, sources=seen)))
    return 1


def _update_outlets(outbox: Outbox, story_id: int) -> int:
    """When more outlets carry an alerted story, edit the alert: "also covered by N outlets"."""
    channels = outbox.store
    hits = channels.story_hits(story_id)
    if not hits:
        return 0
    queued = 0
    for hit in hits:
        # Only the outlets of the alerted tenant's sources: another's private feed is not named.
        seen = channels.tenants.visible_sources(hit.get("tenant") or DEFAULT)
        outlets = channels.story_outlets(story_id, sources=seen)
        if len(outlets) <= int(hit["outlets"] or 0):
            continue
        original = channels.outbox_row(hit["outbox_id"])
        if original is None:
            continue
        first = reply_from_json(json.loads(original["payload"]))
        alerted = (first.data or {}).get("outlets", [])[:1]
        reply = also_covered(first, [o for o in outlets if o not in alerted])
        channels.enqueue(
            platform=original["platform"], channel=original["channel"], kind="edit",
            payload=json.dumps(reply_to_json(reply)), created_at=iso(outbox.now()),
            nonce=stable_nonce("edit", hit["outbox_id"], len(outlets)),
            story_id=story_id, edit_of=hit["outbox_id"])
        channels.set_hit_outlets(hit["outbox_id"], len(outlets))
        queued += 1
    return queued


# ------------------------------------------------------------------ rendering


def alert_reply(store: Store, alert: dict[str, Any], article: dict[str, Any],
                people: list[StoredPerson]) -> Reply:
    """Headline, who, the article's first quote or dated event, and the link."""
    row = store.article(article["id"]) or article
    published = iso_date(_parse(row.get("published")))
    citation = Citation(row.get("title") or "", row.get("url") or "", row.get("source") or "",
                        published)
    items = [ReplyItem(row.get("title") or "(untitled)",
                       ", ".join(x for x in (row.get("source"), published) if x), (0,))]
    persons = [p.name for p in people if p.kind == "person"][:4]
    if persons:
        items.append(ReplyItem("Who: " + ", ".join(persons)))
    quotes = sorted(store.quotes_in([article["id"]], limit=20), key=lambda q: q["start"])
    events = store.events_in([article["id"]], limit=20)
    if quotes:
        first = quotes[0]
        items.append(ReplyItem(f"“{first['text'].strip(_QUOTE_MARKS).rstrip(',')}”",
                               first["person_name"] or first["speaker"] or "unattributed", (0,)))
    elif events:
        first = min(events, key=lambda e: e["position"])
        items.append(ReplyItem(f"{first['date']}: {first['text']}", "event", (0,)))
    title = f"Alert: {alert['words']}"
    footer = f"Alert {alert['id']}; /alert remove {alert['id']} stops it."
    data = {"alert": alert["id"], "words": alert["words"], "article": article["id"],
            "story": article["story_id"],
            "outlets": [row.get("source") or row.get("url") or f"article {article['id']}"]}
    return Reply(title, tuple(items), (citation,), footer, data=data)


def also_covered(reply: Reply, other_outlets: list[str]) -> Reply:
    """The first alert message, with the outlets that carried the story since."""
    n = len(other_outlets)
    names = ", ".join(other_outlets[:5]) + (", ..." if n > 5 else "")
    line = ReplyItem(f"Also covered by {n} outlet{'s' if n != 1 else ''}: {names}")
    items = tuple(i for i in reply.items if not i.text.startswith("Also covered by "))
    data = dict(reply.data or {})
    data["also_covered_by"] = other_outlets
    return Reply(reply.title, (*items, line), reply.citations, reply.footer, data=data)


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
