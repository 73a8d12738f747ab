"""The four questions, /who, /when, /quote and /summary, answered from the store."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.corroborate import event_groups, quote_groups
from bot.models import Citation, Reply, ReplyItem, SourceRef, StoredPerson
from bot.nlp.names import name_key
from bot.ports import Store
from bot.stories.prepare import summaries, timeline_rows

MAX_ITEMS = 15
TOPIC_ARTICLES = 200  # the newest articles on a topic that an answer reads
PERSON_EVENT_ARTICLES = 100  # a person card's timeline: from their newest articles
TOPIC_STORY_ARTICLES = 60  # a topic's newest articles whose stories /when and /summary read
TIMELINE_STORIES = 10  # /when without a topic: the newest stories' timelines...
TIMELINE_ROWS = 150  # ...up to this many events (grouping compares events of one date)
_NO_COVERAGE = "No articles yet: an admin can add sources with /source add URL."


@dataclass(frozen=True)
class Scope:
    """The articles a question is about: all (None) or those matching a topic."""

    topic: str
    article_ids: list[int] | None


def _topic_words(topic: str) -> list[str]:
    return [w for w in re.findall(r"\w+", topic.lower()) if len(w) > 2]


@functools.lru_cache(maxsize=256)
def _topic_pattern(topic: str) -> re.Pattern[str] | None:
    """One pattern for a topic's words (compiled once, not once per line it is tried on)."""
    words = _topic_words(topic)
    return re.compile("|".join(rf"\b{re.escape(w)}" for w in words)) if words else None


def about_topic(text: str, topic: str) -> bool:
    """Whether a line itself mentions the topic (a word of it, as a word prefix)."""
    pattern = _topic_pattern(topic)
    return pattern is not None and pattern.search(text.lower()) is not None


_STORY_TOPIC = re.compile(r"^story:\s*#?(\d{1,12})$", re.IGNORECASE)


def story_topic(topic: str) -> int | None:
    """The story id of a `story:ID` topic, else None."""
    match = _STORY_TOPIC.match(topic.strip())
    return int(match.group(1)) if match else None


def scope_for(store: Store, topic: str, limit: int = TOPIC_ARTICLES, *,
              sources: Sequence[int] | None = None) -> Scope:
    """The articles a topic names, among those of `sources` (a tenant's; None: all)."""
    topic = topic.strip()
    if not topic:
        return Scope("", None)
    story_id = story_topic(topic)
    if story_id is not None:
        live = store.live_story(story_id)
        return Scope(topic, store.story_article_ids(live, limit, sources=sources)
                     if live else [])
    return Scope(topic, store.search_articles(topic, limit=limit, sources=sources))


def _focus(scope: Scope) -> bool:
    """Whether lines should mention the topic's words (not for a story: all of it is on it)."""
    return bool(scope.topic) and story_topic(scope.topic) is None


class _Citer:
    """Numbers the sources of a reply in the order they are first cited."""

    def __init__(self, refs: dict[int, SourceRef]) -> None:
        self.refs = refs
        self.order: list[int] = []

    def cite(self, article_ids: Sequence[int]) -> tuple[int, ...]:
        numbers = []
        for article_id in dict.fromkeys(article_ids):
            if article_id not in self.refs:
                continue
            if article_id not in self.order:
                self.order.append(article_id)
            numbers.append(self.order.index(article_id))
        return tuple(numbers)

    def citations(self) -> tuple[Citation, ...]:
        return tuple(
            Citation(self.refs[a].title, self.refs[a].url, self.refs[a].source,
                     self.refs[a].published)
            for a in self.order
        )


def _sources_json(refs: dict[int, SourceRef], article_ids: Sequence[int]) -> list[dict[str, Any]]:
    return [refs[a].to_json() for a in dict.fromkeys(article_ids) if a in refs]


def _quoted(topic: str, limit: int = 60) -> str:
    """A user's topic as quoted back in a reply: never longer than a line."""
    return repr(topic if len(topic) <= limit else topic[: limit - 1] + "…")


def _empty(store: Store, what: str, scope: Scope,
           sources: Sequence[int] | None = None) -> Reply:
    if store.count_articles(sources=sources, at_most=0) == 0:
        return Reply.text(_NO_COVERAGE, data=[])
    about = f" about {_quoted(scope.topic)}" if scope.topic else ""
    return Reply.text(f"No {what}{about} in the coverage.", data=[])


# ------------------------------------------------------------------------ /who


def _person_json(p: StoredPerson, refs: dict[int, SourceRef]) -> dict[str, Any]:
    return {
        "name": p.name,
        "aliases": [a for a in p.aliases if a != p.name],
        "role": p.role,
        "kind": p.kind,
        "mentions": p.mentions,
        "sources": _sources_json(refs, p.article_ids),
    }


def who(store: Store, query: str, *, sources: Sequence[int] | None = None) -> Reply:
    """The people list, or one person's card when the query names someone."""
    query = query.strip()
    if query and story_topic(query) is None:
        # The first (most mentioned) of them with an article here: the others are not checked.
        first = next((p for p in store.persons_named(query, name_key)
                      if sources is None or store.articles_of_person(p.id, 1, sources=sources)),
                     None)
        if first is not None:
            return person_card(store, first, sources=sources)
    scope = scope_for(store, query, sources=sources)
    if scope.article_ids is not None and not scope.article_ids:
        return _empty(store, "people", scope, sources)
    people = store.people_in(scope.article_ids, limit=MAX_ITEMS + 10, sources=sources)
    if not people:
        return _empty(store, "people", scope, sources)
    refs = store.refs(a for p in people for a in p.article_ids)
    citer = _Citer(refs)
    people_first = sorted(people, key=lambda p: (p.kind != "person", -p.mentions))
    items = []
    for p in people_first[:MAX_ITEMS]:
        n_sources = len(p.article_ids)
        detail = (f"{p.role + '; ' if p.role else ''}{p.mentions} mention"
                  f"{'s' if p.mentions != 1 else ''} in {n_sources} source"
                  f"{'s' if n_sources != 1 else ''}")
        label = p.name if p.kind == "person" else f"{p.name} (organisation)"
        items.append(ReplyItem(label, detail, citer.cite(p.article_ids)))
    title = f"Who is in the coverage{' of ' + repr(scope.topic) if scope.topic else ''}"
    more = len(people_first) - MAX_ITEMS
    capped = "+" if len(people) >= MAX_ITEMS + 10 else ""  # only that many were read
    footer = ("Try /who NAME for a person's card" +
              (f"; {more}{capped} more not shown." if more > 0 else "."))
    return Reply(title, tuple(items), citer.citations(), footer,
                 data=[_person_json(p, refs) for p in people_first])


def person_card(store: Store, person: StoredPerson, *,
                sources: Sequence[int] | None = None) -> Reply:
    """One person: role, aliases, their quotes and the timeline entries they appear in."""
    article_ids = store.articles_of_person(person.id, sources=sources)
    person = StoredPerson(person.id, person.name, person.kind, person.role, person.mentions,
                          person.aliases, tuple(article_ids[:10]))
    quotes = _quote_groups(store.quotes_in(None, person_ids=[person.id], limit=50,
                                           sources=sources))[:4]
    # Only the events this person is in are grouped: grouping compares the events of a date
    # pairwise, and a well-known person's articles hold hundreds of others' events.
    own = store.events_in(article_ids[:PERSON_EVENT_ARTICLES], person_id=person.id)
    events = [e for e in _event_groups(own) if person.name in e["people"]][:5]
    # References of the articles the card cites, not of every article the person is in.
    refs = store.refs([*person.article_ids, *(a for g in quotes + events
                                               for a in g["article_ids"])])
    citer = _Citer(refs)
    items = []
    if person.role:
        items.append(ReplyItem(f"Role: {person.role}"))
    others = [a for a in person.aliases if a != person.name]
    if others:
        items.append(ReplyItem("Also written: " + ", ".join(others[:6])))
    for group in quotes:
        items.append(ReplyItem(f"“{group['text']}”", "quote", citer.cite(group["article_ids"])))
    for event in events:
        items.append(ReplyItem(f"{event['date']}: {event['text']}", "event",
                               citer.cite(event["article_ids"])))
    title = f"{person.name}" + (f", {person.role}" if person.role else "")
    data = [_person_json(person, refs)]
    return Reply(title, tuple(items), citer.citations(),
                 f"{person.mentions} mentions in {len(article_ids)} articles. "
                 f"See /quote {person.name} and /when {person.name}.", data=data)


# ----------------------------------------------------------------------- /when


# Corroboration (which articles' events and quotes are one entry) is bot/corroborate.py.
_event_groups, _quote_groups = event_groups, quote_groups

def _timeline(store: Store, scope: Scope,
              sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """The event rows a timeline groups: the prepared rows (bot/stories/prepare.py) of the
    story asked for, of the newest stories, or of the stories of the articles on a topic."""
    story_id = story_topic(scope.topic)
    if story_id is not None:
        live = store.live_story(story_id)
        return timeline_rows(store, [live], sources=sources) if live is not None else []
    if scope.article_ids is None:
        stories = [s["id"] for s in store.recent_stories(TIMELINE_STORIES, sources=sources)]
    else:  # the stories of the newest articles on the topic
        stories = store.stories_of_articles(scope.article_ids[:TOPIC_STORY_ARTICLES])
        stories = stories[:TIMELINE_STORIES]
    return timeline_rows(store, stories, limit=TIMELINE_ROWS, sources=sources)


def when(store: Store, topic: str, *, sources: Sequence[int] | None = None) -> Reply:
    scope = scope_for(store, topic, TOPIC_STORY_ARTICLES, sources=sources)
    rows = _timeline(store, scope, sources)
    if _focus(scope):
        # A matching article has other events too: show those that are about the topic
        # themselves, when there are any. Chosen before grouping, which compares the events
        # of a date pairwise: the others would cost the most and show nowhere.
        focused = [r for r in rows
                   if about_topic(r["text"] + " " + " ".join(r["people"]), scope.topic)]
        rows = focused or rows
    groups = _event_groups(rows)
    if not groups:
        return _empty(store, "dated events", scope, sources)
    if len(groups) > MAX_ITEMS:
        # Keep the best-corroborated events, then show them oldest first.
        best = sorted(groups, key=lambda g: (-len(g["article_ids"]),
                                             -max(g["article_ids"])))[:MAX_ITEMS]
        shown = [g for g in groups if g in best]
    else:
        shown = groups
    refs = store.refs(a for g in groups for a in g["article_ids"])
    citer = _Citer(refs)
    items = tuple(ReplyItem(f"{g['date']}: {g['text']}",
                            f"{g['precision']}; {len(g['article_ids'])} source"
                            f"{'s' if len(g['article_ids']) != 1 else ''}",
                            citer.cite(g["article_ids"])) for g in shown)
    title = "Timeline" + (f" of {_quoted(scope.topic)}" if scope.topic else "")
    more = len(groups) - len(shown)
    footer = (f"{more} more events; narrow with /when TOPIC." if more > 0
              else "Dates are resolved against each article's publication date.")
    data = [{"date": g["date"], "precision": g["precision"], "text": g["text"],
             "sources": _sources_json(refs, g["article_ids"])} for g in groups]
    return Reply(title, items, citer.citations(), footer, data=data)


# ---------------------------------------------------------------------- /quote


def quote(store: Store, query: str, *, sources: Sequence[int] | None = None) -> Reply:
    query = query.strip()
    rows: list[dict[str, Any]] = []
    if story_topic(query) is not None:
        rows = store.quotes_in(scope_for(store, query, sources=sources).article_ids)
    elif query:
        people = store.persons_named(query, name_key)
        if people:
            rows = store.quotes_in(None, person_ids=[people[0].id], sources=sources)
        if not rows:
            # Words from the quote: only articles that contain them can hold it.
            rows = store.quotes_in(store.search_articles(query, limit=TOPIC_ARTICLES,
                                                         sources=sources), words=query)
    else:
        rows = store.quotes_in(store.recent_articles(200, sources=sources))
    groups = _quote_groups(rows)
    if not groups:
        return _empty(store, "quotes", Scope(query, []), sources)
    refs = store.refs(a for g in groups for a in g["article_ids"])
    citer = _Citer(refs)
    items = []
    for g in groups[:MAX_ITEMS]:
        n = len(g["article_ids"])
        detail = (f"{g['speaker'] or 'unattributed'}"
                  f"{'; carried by ' + str(n) + ' sources' if n > 1 else ''}")
        items.append(ReplyItem(f"“{g['text']}”", detail, citer.cite(g["article_ids"])))
    title = "Quotes" + (f" of {_quoted(query)}" if query else "")
    more = len(groups) - MAX_ITEMS
    footer = f"{more} more; try /quote NAME or /quote WORDS." if more > 0 else ""

    def first_date(ids: list[int]) -> str | None:
        dates = sorted(d for d in (refs[a].published for a in ids if a in refs) if d)
        return dates[0] if dates else None

    data = [{"speaker": g["speaker"], "text": g["text"],
             "sources": _sources_json(refs, g["article_ids"]),
             "date": first_date(g["article_ids"])} for g in groups]
    return Reply(title, tuple(items), citer.citations(), footer, data=data)


# -------------------------------------------------------------------- /summary


SUMMARY_STORIES = 10  # the stories whose prepared summaries a /summary draws from
SUMMARY_SENTENCES = 6


def _summary_stories(store: Store, scope: Scope,
                     sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """The stories a summary is about: the story asked for, the newest stories matching the
    topic (by their newest matching article), or the newest stories."""
    story_id = story_topic(scope.topic)
    if story_id is not None:
        live = store.live_story(story_id)
        return store.stories_by_ids([live]) if live is not None else []
    if scope.article_ids is None:
        return store.recent_stories(SUMMARY_STORIES, sources=sources)
    ids = store.stories_of_articles(scope.article_ids[:TOPIC_STORY_ARTICLES])[:SUMMARY_STORIES]
    rows = {r["id"]: r for r in store.stories_by_ids(ids)}
    return [rows[i] for i in ids if i in rows]


def summary(store: Store, topic: str, *, sources: Sequence[int] | None = None) -> Reply:
    """Read from the stories' prepared summaries (bot/stories/prepare.py): a story's own
    summary whole, or for several stories their best sentences in turn, each story's together."""
    scope = scope_for(store, topic, TOPIC_STORY_ARTICLES, sources=sources)
    stories = _summary_stories(store, scope, sources)
    prepared = summaries(store, [s["id"] for s in stories], sources=sources)
    per_story = [prepared.get(s["id"], []) for s in stories]
    if _focus(scope):
        focused = [[p for p in picks if about_topic(p["text"], scope.topic)]
                   for picks in per_story]
        if sum(map(len, focused)) >= 3:
            per_story = focused
    chosen: list[tuple[int, int]] = []  # (story's place, sentence's place): its best first
    for rank in range(SUMMARY_SENTENCES):
        chosen += [(i, rank) for i, picks in enumerate(per_story) if rank < len(picks)]
    picked = [per_story[i][rank] for i, rank in sorted(chosen[:SUMMARY_SENTENCES])]
    if not picked:
        return Reply.text(_NO_COVERAGE if store.count_articles(sources=sources, at_most=0) == 0 else
                          f"Not enough coverage{' about ' + _quoted(topic) if topic else ''} "
                          f"to summarise.", data={"sentences": []})
    refs = store.refs(a for p in picked for a in p["article_ids"])
    citer = _Citer(refs)
    items = tuple(ReplyItem(p["text"], cites=citer.cite(p["article_ids"])) for p in picked)
    title = "Summary" + (f" of {_quoted(scope.topic)}" if scope.topic else "")
    n = len({a for p in picked for a in p["article_ids"]})
    total = sum(int(s["articles"] or 0) for s in stories)
    data = {"sentences": [{"text": p["text"], "sources": _sources_json(refs, p["article_ids"])}
                          for p in picked]}
    return Reply(title, items, citer.citations(), footer=f"Drawn from {n} of {total} articles.",
                 data=data)
