"""/stories, /story ID (the story card) and the admin's undo: /story move and /story split."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.answers import (
    MAX_ITEMS,
    TOPIC_ARTICLES,
    Scope,
    _Citer,
    _empty,
    _event_groups,
    _quote_groups,
    _quoted,
    _sources_json,
)
from bot.errors import UserError
from bot.models import Reply, ReplyItem, SourceRef
from bot.ports import Store
from bot.stories.cluster import move_article
from bot.stories.features import first_sentence, looks_like_headline
from bot.stories.prepare import distinct, prepare_stories, sample, summaries, timeline_rows

MAX_STORIES = 10
CARD_ARTICLES = 200  # the articles of a story a card reads (the first ones)
CARD_DETAIL_ARTICLES = 60  # ...whose events and quotes it shows
CARD_SUMMARY = 6
CARD_EVENTS = 6
CARD_QUOTES = 4
CARD_PEOPLE = 8
STORIES_COUNTED = 1000  # /stories counts the others up to this many
LISTED_ARTICLES = 25  # articles of a story a chat listing's data holds (ask --json: all)
_CHUNK = 500  # ids per IN list


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _refs(store: Store, ids: Sequence[int]) -> dict[int, SourceRef]:
    refs: dict[int, SourceRef] = {}
    for chunk in _chunks(list(ids)):
        refs.update(store.refs(chunk))
    return refs


def story_title(store: Store, story: dict[str, Any],
                sources: Sequence[int] | None = None, first: int | None = None) -> str:
    """Its most representative headline; a story of title-less articles shows a sentence.
    With `sources` (a tenant's), only their articles' headlines are shown. `first` is the
    story's first (visible) article where the caller knows it."""
    title = story.get("title") or ""
    if sources is None and looks_like_headline(title):
        return title
    if first is None:
        ids = store.story_article_ids(int(story["id"]), limit=1, sources=sources)
        first = ids[0] if ids else None
    row = store.article(first) if first is not None else None
    if sources is not None:
        title = (row or {}).get("title") or ""
    if looks_like_headline(title):
        return title
    return (first_sentence(row["text"]) if row else "") or f"Story {story['id']}"


def parse_story_id(text: str, what: str = "story") -> int:
    match = re.fullmatch(r"\s*(?:story:|#)?(\d{1,12})\s*", text)
    if not match:
        raise UserError(f"Give the {what} number, for example /story 12 (see /stories).")
    return int(match.group(1))


def _live(store: Store, story_id: int, sources: Sequence[int] | None = None) -> dict[str, Any]:
    live = store.live_story(story_id)
    story = store.story(live) if live is not None else None
    if story is None or not story["articles"] or (
            sources is not None and not store.story_article_ids(live, 1, sources=sources)):
        raise UserError(f"There is no story {story_id}; /stories lists them.")
    return story


# --------------------------------------------------------------------- /stories


def stories(store: Store, topic: str, *, full: bool = False,
            sources: Sequence[int] | None = None) -> Reply:
    """Recent stories (or those about a topic): title, outlets, articles, first and last seen.

    full (what `newsdesk ask --json` asks for) lists every story with every article; a chat
    listing's data holds the first LISTED_ARTICLES of each (its text gives the count).
    """
    topic = topic.strip()
    if full and not topic:
        rows = store.recent_stories(limit=10**9, sources=sources)
    elif topic:
        story_ids = store.stories_of_articles(store.search_articles(topic, TOPIC_ARTICLES,
                                                                    sources=sources))
        rows = [r for chunk in _chunks(story_ids) for r in store.stories_by_ids(chunk)]
        rows.sort(key=lambda r: (r["last_seen"] or "", r["id"]), reverse=True)
    else:
        rows = store.recent_stories(limit=MAX_STORIES, sources=sources)
    if not rows:
        return _empty(store, "stories", Scope(topic, []), sources)
    # The footer's count stops at STORIES_COUNTED: "1000+ more" where an exact count would
    # read every story of a big store.
    total = len(rows) if (full or topic) else \
        store.count_stories(sources=sources, at_most=STORIES_COUNTED)
    bound = "+" if total > STORIES_COUNTED else ""
    total = min(total, STORIES_COUNTED)
    shown = rows if full else rows[:MAX_STORIES]
    members: dict[int, list[int]] = {}
    counts: dict[int, int] = {}
    if full and not topic:
        for story_id, article_id in store.all_story_members(sources=sources):
            members.setdefault(story_id, []).append(article_id)
    elif full:
        for row in shown:
            members[row["id"]] = store.story_article_ids(row["id"], sources=sources)
    else:
        # A chat listing cites three articles a story: a big story's every id (and its
        # source line) would be thousands of rows a call.
        for story_id, (count, first) in store.story_heads(
                [r["id"] for r in shown], LISTED_ARTICLES, sources=sources).items():
            members[story_id], counts[story_id] = first, count
    outlets: dict[int, list[str]] = {}
    for chunk in _chunks([r["id"] for r in shown]):
        outlets.update(store.story_outlets_of(chunk, sources=sources))
    refs = _refs(store, [a for r in shown for a in members.get(r["id"], [])])
    citer = _Citer(refs)
    items, data = [], []
    for row in shown:
        ids = members.get(row["id"], [])
        title = story_title(store, row, sources, ids[0] if ids else None)
        names = outlets.get(row["id"], [])
        n = counts.get(row["id"], len(ids))
        data.append({"id": row["id"], "title": title, "outlets": names,
                     "articles": _sources_json(refs, ids),
                     "first_seen": row["first_seen"], "last_seen": row["last_seen"]})
        if len(items) < MAX_STORIES:
            span = row["first_seen"] if row["first_seen"] == row["last_seen"] \
                else f"{row['first_seen']} to {row['last_seen']}"
            items.append(ReplyItem(
                title, f"{', '.join(names[:5])}{', ...' if len(names) > 5 else ''}; "
                f"{n} article{'s' if n != 1 else ''}; {span}; /story {row['id']}",
                citer.cite(ids[:3])))
    more = total - len(items)
    footer = (f"{more}{bound} more stor{'y' if more == 1 else 'ies'}; " if more > 0 else "") + \
        "/story ID opens one" + ("." if topic else "; /stories TOPIC narrows the list.")
    title = "Stories" + (f" about {_quoted(topic)}" if topic else "")
    return Reply(title, tuple(items), citer.citations(), footer, data=data)


# ------------------------------------------------------------------------ /story


def _firsts(store: Store, ids: Sequence[int], refs: dict[int, SourceRef],
            events: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each outlet, in the order it carried the story, and what it reported first."""
    first_event = {}
    for group in events:
        first_event.setdefault(min(group["article_ids"]), []).append(group["date"])
    first_quote = {}
    for group in quotes:
        if group["speaker"]:
            first_quote.setdefault(min(group["article_ids"]), []).append(group["speaker"])
    outlets: dict[str, dict[str, Any]] = {}
    for article_id in ids:
        ref = refs.get(article_id)
        if ref is None:
            continue
        name = ref.source or ref.url or f"article {article_id}"
        entry = outlets.setdefault(name, {"name": name, "first_article": ref.to_json(),
                                          "added": []})
        added = entry["added"]
        if article_id == ids[0]:
            added.append("first report")
        added += [f"the date {d}" for d in first_event.get(article_id, [])[:2]
                  if f"the date {d}" not in added]
        added += [f"a quote by {s}" for s in dict.fromkeys(first_quote.get(article_id, []))
                  if f"a quote by {s}" not in added][:2]
    return list(outlets.values())


def story_card(store: Store, text: str, *, sources: Sequence[int] | None = None) -> Reply:
    """One story across its outlets: summary, timeline, people, quotes, outlets' firsts."""
    story = _live(store, parse_story_id(text), sources)
    story_id = int(story["id"])
    ids = store.story_article_ids(story_id, limit=CARD_ARTICLES, sources=sources)
    refs = store.refs(ids)
    citer = _Citer(refs)
    items: list[ReplyItem] = []
    # The summary is prepared when the story changes (bot/stories/prepare.py), not per ask.
    picked = distinct(summaries(store, [story_id], sources=sources).get(story_id, []))
    picked = picked[:CARD_SUMMARY]
    refs.update(store.refs(a for p in picked for a in p["article_ids"] if a not in refs))
    for sentence in picked:
        items.append(ReplyItem(sentence["text"], "", citer.cite(sentence["article_ids"])))
    detail_ids = sample(ids, CARD_DETAIL_ARTICLES)
    events = _event_groups(timeline_rows(store, [story_id], sources=sources))
    best = sorted(events, key=lambda g: -len(g["article_ids"]))[:CARD_EVENTS]
    for group in sorted(best, key=lambda g: g["date"]):
        items.append(ReplyItem(f"{group['date']}: {group['text']}", "timeline",
                               citer.cite(group["article_ids"])))
    people = store.people_in(ids, limit=CARD_PEOPLE)
    named = [p for p in people if p.kind == "person"] or people
    if named:
        items.append(ReplyItem("People: " + "; ".join(
            p.name + (f" ({p.role})" if p.role else "") for p in named[:6])))
    quotes = [q for q in _quote_groups(store.quotes_in(detail_ids)) if q["speaker"]]
    quotes.sort(key=lambda q: (-len(q["article_ids"]), len(q["text"].split()) < 6))
    for group in quotes[:CARD_QUOTES]:
        items.append(ReplyItem(f"“{group['text']}”", group["speaker"],
                               citer.cite(group["article_ids"])))
    firsts = _firsts(store, ids, refs, events, quotes)
    for outlet in firsts[:8]:
        items.append(ReplyItem(f"{outlet['name']}: {', '.join(outlet['added']) or 'same facts'}",
                               "outlet", citer.cite([outlet["first_article"]["id"]])))
    title = story_title(store, story, sources)
    n, k = len(ids), len(firsts)
    span = story["first_seen"] if story["first_seen"] == story["last_seen"] \
        else f"{story['first_seen']} to {story['last_seen']}"
    footer = (f"Story {story_id}: {n} article{'s' if n != 1 else ''} from {k} "
              f"outlet{'s' if k != 1 else ''}, {span}. More: /when story:{story_id}, "
              f"/quote story:{story_id}, /who story:{story_id}.")
    data = {
        "id": story_id, "title": title, "first_seen": story["first_seen"],
        "last_seen": story["last_seen"], "articles": _sources_json(refs, ids),
        "outlets": firsts,
        "summary": [{"text": p["text"], "sources": _sources_json(refs, p["article_ids"])}
                    for p in picked],
        "timeline": [{"date": g["date"], "precision": g["precision"], "text": g["text"],
                      "sources": _sources_json(refs, g["article_ids"])} for g in events],
        "people": [{"name": p.name, "role": p.role, "kind": p.kind, "mentions": p.mentions}
                   for p in people],
        "quotes": [{"speaker": q["speaker"], "text": q["text"],
                    "sources": _sources_json(refs, q["article_ids"])} for q in quotes],
    }
    return Reply(title, tuple(items[:MAX_ITEMS + 10]), citer.citations(), footer, data=data)


# ------------------------------------------------------------------ admin undo


def _article(store: Store, text: str, sources: Sequence[int] | None = None) -> dict[str, Any]:
    match = re.fullmatch(r"\s*#?(\d{1,12})\s*", text)
    row = store.article(int(match.group(1))) if match else None
    if row is not None and sources is not None \
            and int(row.get("source_id") or 0) not in set(sources):
        row = None  # another community's article is no article here
    if row is None:
        raise UserError("Give an article number from /story ID --json or /stories --json, "
                        "for example /story split 31.")
    return row


def move(store: Store, args: str, *, sources: Sequence[int] | None = None) -> Reply:
    """/story move ARTICLE STORY: the article belongs to that story after all."""
    parts = args.split()
    if len(parts) != 2:
        raise UserError("/story move takes an article and a story, for example "
                        "/story move 31 12.")
    article = _article(store, parts[0], sources)
    story = _live(store, parse_story_id(parts[1]), sources)
    if article["story_id"] == story["id"]:
        return Reply.text(f"Article {article['id']} is already in story {story['id']}.",
                          data={"article": article["id"], "story": story["id"]})
    target = move_article(store, int(article["id"]), int(story["id"]))
    prepare_stories(store, [int(article["story_id"]), target], force=True)
    title = story_title(store, store.story(target) or story)
    return Reply.text(f"Article {article['id']} moved to story {target}: {title}",
                      data={"article": article["id"], "story": target})


def split(store: Store, args: str, *, sources: Sequence[int] | None = None) -> Reply:
    """/story split ARTICLE: the article leaves its story and starts one of its own."""
    article = _article(store, args, sources)
    if len(store.story_article_ids(int(article["story_id"]), limit=2)) < 2:
        return Reply.text(f"Article {article['id']} is alone in its story already.",
                          data={"article": article["id"], "story": article["story_id"]})
    target = move_article(store, int(article["id"]), None)
    prepare_stories(store, [int(article["story_id"]), target], force=True)
    return Reply.text(f"Article {article['id']} is now story {target} of its own.",
                      data={"article": article["id"], "story": target})
