"""Digests: what is new in a channel since its last digest, for a `now`; previews and `why`."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.answers import _Citer, _event_groups, _quote_groups, _sources_json
from bot.delivery.outbox import Outbox, iso, random_nonce, reply_to_json, stable_nonce
from bot.delivery.schedules import DigestSchedule, due_slot
from bot.models import Reply, ReplyItem
from bot.nlp.summary import Candidate, summarize
from bot.ports import Store
from bot.stories.answers import story_title
from bot.tenancy import DEFAULT, ChannelScope, channel_scope

MAX_STORIES = 5
MAX_EVENTS = 3
MAX_QUOTES = 2
MAX_SUMMARY = 2
MAX_ARTICLES = 2000  # read per digest; a larger backlog carries over to the next one


@dataclass
class DigestPlan:
    """What a digest would cover: new stories, and new copies of stories already covered."""

    platform: str
    channel: str
    since_at: str | None
    articles: list[dict[str, Any]] = field(default_factory=list)  # every new article read
    stories: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # new story -> copies
    copies: list[dict[str, Any]] = field(default_factory=list)  # of stories covered before
    # stories covered before with something new: {"id", "articles", "new": [what is new]}
    updates: list[dict[str, Any]] = field(default_factory=list)
    reply: Reply | None = None
    # new articles of the channel's sources that a route's filter left out, with "why"
    filtered: list[dict[str, Any]] = field(default_factory=list)
    scope: ChannelScope | None = None

    @property
    def left_out(self) -> list[dict[str, Any]]:
        """Copies that bring nothing new to a story already covered."""
        updating = {a["id"] for u in self.updates for a in u["articles"]}
        return [a for a in self.copies if a["id"] not in updating]

    @property
    def last_article_id(self) -> int:
        return max((a["id"] for a in self.articles + self.filtered), default=0)


def _when(at: str | None, zone: str) -> str:
    if not at:
        return ""
    local = datetime.fromisoformat(at).astimezone(ZoneInfo(zone))
    return local.strftime("%Y-%m-%d %H:%M %Z")


def zone_of(outbox: Outbox, platform: str, channel: str, default: str) -> str:
    row = outbox.store.schedule(platform, channel)
    return row["timezone"] if row else default


def plan_digest(store: Store, outbox: Outbox, platform: str, channel: str,
                timezone: str = "UTC", tenant: str = DEFAULT) -> DigestPlan:
    """Read what is new for the channel since its last digest and render it: the articles of
    the sources routed to it (through their filters), else of every source of its tenant."""
    channels = outbox.store
    state = channels.channel(platform, channel)
    plan = DigestPlan(platform, channel, state["last_digest_at"])
    plan.scope = scope = channel_scope(channels.tenants, tenant, platform, channel)
    articles = []
    for article in channels.articles_after(int(state["last_digest_article"] or 0),
                                           MAX_ARTICLES, sources=scope.sources):
        why = scope.left_out_by(article, channels, store.people_by_ids)
        if why is None:
            articles.append(article)
        else:
            plan.filtered.append({**article, "why": why})
    plan.articles = articles
    covered = channels.covered_stories(platform, channel,
                                       sorted({a["story_id"] for a in articles}))
    for article in articles:
        if article["story_id"] in covered:
            plan.copies.append(article)
        else:
            plan.stories.setdefault(article["story_id"], []).append(article)
    plan.updates = _updates(store, plan.copies)
    if plan.stories or plan.updates:
        plan.reply = _render(store, plan, timezone)
    return plan


def _updates(store: Store, copies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What new articles add to stories a digest already covered: a new outlet, a new quote,
    a new date. A story whose new articles add none of these is left out."""
    by_story: dict[int, list[dict[str, Any]]] = {}
    for article in copies:
        by_story.setdefault(article["story_id"], []).append(article)
    updates = []
    for story_id, fresh in by_story.items():
        fresh_ids = {a["id"] for a in fresh}
        older = [a for a in store.story_article_ids(story_id, limit=MAX_ARTICLES)
                 if a not in fresh_ids][-200:]
        if not older:
            continue
        refs = store.refs(older)  # an outlet is new if no older article of the story has it
        old_outlets = {refs[a].source or refs[a].url or f"article {a}" for a in refs}
        new: list[str] = []
        adding: set[int] = set()  # the articles that bring something new
        for article in fresh:
            outlet = article["source"] or article["url"] or f"article {article['id']}"
            if outlet not in old_outlets and f"new outlet {outlet}" not in new:
                new.append(f"new outlet {outlet}")
                adding.add(article["id"])
        old_quotes = {q["quote_key"] for q in store.quotes_in(older, limit=1000)}
        for q in _quote_groups([q for q in store.quotes_in(sorted(fresh_ids), limit=200)
                                if q["quote_key"] not in old_quotes]):
            if q["speaker"] and len(q["text"].split()) >= 6:
                new.append(f"a new quote by {q['speaker']}")
                adding.update(q["article_ids"][:1])
                break
        old_dates = {e["date"] for e in store.events_in(older, limit=1000)}
        dated = [g for g in _event_groups(store.events_in(sorted(fresh_ids)))
                 if g["date"] not in old_dates and g["precision"] == "day"]
        for date in sorted({g["date"] for g in dated})[-2:]:
            new.append(f"the date {date}")
            adding.add(next(g["article_ids"][0] for g in dated if g["date"] == date))
        if new:
            updates.append({"id": story_id, "new": new,
                            "articles": [a for a in fresh if a["id"] in adding]})
    return updates


def _render(store: Store, plan: DigestPlan, timezone: str) -> Reply:
    story_ids = list(plan.stories)
    # A front page: the stories carried by more outlets first, then by more articles, then
    # the newest; a large first load shows its top stories and says how many more there are.
    story_ids.sort(key=lambda s: (-len({a["source"] for a in plan.stories[s]}),
                                  -len(plan.stories[s]), -max(a["id"] for a in plan.stories[s])))
    article_ids = [a["id"] for s in story_ids for a in plan.stories[s]]
    refs = store.refs(article_ids)
    citer = _Citer(refs)
    items: list[ReplyItem] = []
    data: dict[str, Any] = {"since": plan.since_at, "new_articles": len(plan.articles),
                            "left_out": [a["id"] for a in plan.left_out]}

    candidates = [Candidate(r["article_id"], r["position"], r["text"],
                            refs[r["article_id"]].published or "")
                  for r in store.sentences_in(article_ids[:60]) if r["article_id"] in refs]
    # With one or two articles their headlines say it all; a summary would repeat them.
    picked = summarize(candidates)[:MAX_SUMMARY] if len(article_ids) > 2 else []
    for sentence in picked:
        items.append(ReplyItem(sentence.text, "in short", citer.cite(sentence.article_ids)))
    data["summary"] = [{"text": p.text, "sources": _sources_json(refs, p.article_ids)}
                       for p in picked]

    data["stories"] = []
    for story_id in story_ids:
        copies = plan.stories[story_id]
        outlets = list(dict.fromkeys(a["source"] or a["url"] or "?" for a in copies))
        ids = [a["id"] for a in copies]
        row = store.story(story_id)
        title = story_title(store, row) if row else (copies[0]["title"] or "(untitled)")
        data["stories"].append({"id": story_id, "title": title, "outlets": outlets,
                                "sources": _sources_json(refs, ids)})
    for story in data["stories"][:MAX_STORIES]:
        # One line per story, with its outlets by name: "Efe, CGTN".
        names = story["outlets"]
        detail = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        items.append(ReplyItem(story["title"], detail,
                               citer.cite([s["id"] for s in story["sources"]])))
    data["updates"] = []
    update_refs = store.refs(a["id"] for u in plan.updates for a in u["articles"])
    citer.refs.update(update_refs)
    for update in plan.updates:
        row = store.story(update["id"])
        title = story_title(store, row) if row else update["articles"][0]["title"]
        ids = [a["id"] for a in update["articles"]]
        data["updates"].append({"id": update["id"], "title": title, "new": update["new"],
                                "sources": _sources_json(update_refs, ids)})
        if len(data["updates"]) <= MAX_STORIES:
            items.append(ReplyItem(f"Updated: {title}", "; ".join(update["new"]),
                                   citer.cite(ids)))

    events = _event_groups(store.events_in(article_ids))
    # Best corroborated first, then the most recent: those are the news in a timeline.
    events.sort(key=lambda g: (len(g["article_ids"]), g["date"]), reverse=True)
    shown_events = sorted(events[:MAX_EVENTS], key=lambda g: g["date"])
    for event in shown_events:
        items.append(ReplyItem(f"{event['date']}: {event['text']}", "timeline",
                               citer.cite(event["article_ids"])))
    data["timeline"] = [{"date": g["date"], "precision": g["precision"], "text": g["text"],
                         "sources": _sources_json(refs, g["article_ids"])} for g in events]

    quotes = [q for q in _quote_groups(store.quotes_in(article_ids)) if q["speaker"]]
    # Notable: carried by more outlets, then whole statements before a word or two in quotes.
    quotes.sort(key=lambda q: (-len(q["article_ids"]), len(q["text"].split()) < 6))
    for group in quotes[:MAX_QUOTES]:
        items.append(ReplyItem(f"“{group['text'].rstrip(',')}”", group["speaker"],
                               citer.cite(group["article_ids"])))
    data["quotes"] = [{"speaker": g["speaker"], "text": g["text"],
                       "sources": _sources_json(refs, g["article_ids"])} for g in quotes]

    n_stories = len(story_ids)
    since = _when(plan.since_at, timezone)
    n_updates = len(plan.updates)
    title = (f"Digest: {n_stories} new stor{'y' if n_stories == 1 else 'ies'}"
             + (f", {n_updates} updated" if n_updates else "")
             + (f" since {since}" if since else ""))
    more = n_stories - MAX_STORIES
    footer = (f"And {more} more new stor{'y' if more == 1 else 'ies'}: /stories lists them. "
              if more > 0 else "") + \
        "/digest why shows what was read and what was left out."
    return Reply(title, tuple(items), citer.citations(), footer, data=data)


def no_news_reply(plan: DigestPlan, timezone: str) -> Reply:
    since = _when(plan.since_at, timezone)
    left = plan.left_out
    copies = f" ({len(left)} copies of stories already covered)" if left else ""
    message = f"No news since {since}{copies}." if since else f"No news yet{copies}."
    return Reply.text(message, data={"since": plan.since_at, "stories": [],
                                     "left_out": [a["id"] for a in left]})


def why_reply(store: Store, outbox: Outbox, plan: DigestPlan, timezone: str) -> Reply:
    """Which sources were read, how many articles were new, which were left out as copies."""
    outlets = Counter(a["source"] or "unnamed source" for a in plan.articles)
    since = _when(plan.since_at, timezone)
    n_updated = len(plan.updates)
    items = [ReplyItem(
        f"{len(plan.articles)} new article{'s' if len(plan.articles) != 1 else ''} "
        f"{'since ' + since if since else 'so far'}, in {len(plan.stories)} new "
        f"stor{'y' if len(plan.stories) == 1 else 'ies'}"
        + (f" and {n_updated} updated stor{'y' if n_updated == 1 else 'ies'}"
           if n_updated else ""))]
    if outlets:
        items.append(ReplyItem("Read: " + ", ".join(f"{name} ({n})"
                                                     for name, n in outlets.most_common(12))))
    polled = outbox.store.count_enabled_sources(plan.scope.sources if plan.scope else None)
    if polled:
        items.append(ReplyItem(f"{polled} source{'s' if polled != 1 else ''} polled; "
                               f"/source list shows their health"))
    merged = sum(len(c) - 1 for c in plan.stories.values())
    if merged:
        items.append(ReplyItem(f"{merged} article{'s' if merged != 1 else ''} merged into "
                               f"their story as copies from other outlets"))
    left = plan.left_out
    refs = store.refs(a["id"] for a in left)
    citer = _Citer(refs)
    for copy in left[:8]:
        items.append(ReplyItem(f"Left out: {copy['title'] or '(untitled)'}",
                               "copy of a story already covered", citer.cite([copy["id"]])))
    filtered = plan.filtered
    refs.update(store.refs(a["id"] for a in filtered[:8]))
    names = plan.scope.names if plan.scope else {}
    for article in filtered[:8]:
        source = names.get(int(article.get("source_id") or 0), "")
        items.append(ReplyItem(f"Filtered out: {article['title'] or '(untitled)'}",
                               f"{article['why']} (filter of source "
                               f"{source or article.get('source') or '?'} here)",
                               citer.cite([article["id"]])))
    if plan.scope is not None and plan.scope.routed:
        items.append(ReplyItem(f"Routed here: {', '.join(sorted(plan.scope.names.values()))}"))
    footer = (f"{len(left) - 8} more copies left out. " if len(left) > 8 else "")
    footer += (f"{len(filtered) - 8} more filtered out. " if len(filtered) > 8 else "")
    footer += "Copies of a story a digest already covered are left out."
    data = {"since": plan.since_at, "new_articles": len(plan.articles),
            "new_stories": len(plan.stories), "outlets": dict(outlets),
            "new_story_ids": list(plan.stories), "updated_stories": n_updated,
            "left_out": [refs[a["id"]].to_json() for a in left if a["id"] in refs],
            "filtered_out": [{**refs[a["id"]].to_json(), "why": a["why"]}
                             for a in filtered if a["id"] in refs]}
    return Reply("Why this digest", tuple(items), citer.citations(), footer, data=data)


# ---------------------------------------------------------------------- posting


def queue_digest(store: Store, outbox: Outbox, platform: str, channel: str, *,
                 timezone: str = "UTC", slot_at: datetime | None = None,
                 say_no_news: bool = False, tenant: str = DEFAULT
                 ) -> tuple[int | None, DigestPlan]:
    """Decide and record a digest post in one transaction; return (outbox id or None, plan).

    A scheduled digest's nonce comes from its slot, so the same slot is never queued twice,
    even by two processes; the channel's watermark moves in the same transaction.
    """
    channels = outbox.store
    now = outbox.now()
    with channels.transaction():
        plan = plan_digest(store, outbox, platform, channel, timezone, tenant)
        reply = plan.reply or (no_news_reply(plan, timezone) if say_no_news else None)
        outbox_id = None
        if reply is not None:
            nonce = (stable_nonce("digest", platform, channel, iso(slot_at)) if slot_at
                     else random_nonce())
            outbox_id = channels.enqueue(platform=platform, channel=channel, kind="digest",
                                         payload=json.dumps(reply_to_json(reply)), nonce=nonce,
                                         created_at=iso(now))
            if outbox_id is not None:
                channels.add_digest_items(outbox_id, [a["id"] for a in plan.articles])
                channels.set_digest_mark(platform, channel, iso(now), plan.last_article_id)
        if slot_at is not None:
            channels.mark_schedule_run(platform, channel, iso(slot_at))
    if outbox_id is not None:
        outbox.ring()
    return outbox_id, plan


def run_due(store: Store, outbox: Outbox, only: tuple[str, str] | None = None) -> list[int]:
    """Queue one digest for every schedule with a slot due by now (missed slots coalesce)."""
    channels = outbox.store
    queued: list[int] = []
    now = outbox.now()
    for row in channels.all_schedules():
        if only is not None and (row["platform"], row["channel"]) != only:
            continue
        schedule = DigestSchedule(row["spec"], row["timezone"])
        try:
            trigger = schedule.trigger()
        except ValueError:
            continue  # a schedule written by a newer version: leave it alone
        last_run_at = datetime.fromisoformat(row["last_run_at"] or row["created_at"])
        slot = due_slot(trigger, last_run_at, now)
        if slot is None:
            continue
        say = bool(channels.channel(row["platform"], row["channel"])["say_no_news"])
        with channels.transaction():
            # Another process may have taken this slot meanwhile: look again inside the lock.
            fresh = channels.schedule(row["platform"], row["channel"])
            if fresh is None or fresh["last_run_at"] != row["last_run_at"] \
                    or fresh["spec"] != row["spec"]:
                continue
            outbox_id, _ = queue_digest(store, outbox, row["platform"], row["channel"],
                                        timezone=row["timezone"], slot_at=slot, say_no_news=say,
                                        tenant=row.get("tenant") or DEFAULT)
        if outbox_id is not None:
            queued.append(outbox_id)
    if queued:
        outbox.ring()
    return queued
