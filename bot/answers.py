"""The four questions, /who, /when, /quote and /summary, answered from the store."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.models import Citation, Reply, ReplyItem, SourceRef, StoredPerson
from bot.nlp.names import name_key
from bot.nlp.summary import Candidate, summarize
from bot.ports import Store

MAX_ITEMS = 15
TOPIC_ARTICLES = 200  # the newest articles on a topic that an answer reads
_NO_COVERAGE = "No articles yet: an admin can add sources with /source add URL."


@dataclass(frozen=True)
class Scope:
    """The articles a question is about: all (None) or those matching a topic."""

    topic: str
    article_ids: list[int] | None


def _topic_words(topic: str) -> list[str]:
    return [w for w in re.findall(r"\w+", topic.lower()) if len(w) > 2]


def about_topic(text: str, topic: str) -> bool:
    """Whether a line itself mentions the topic (a word of it, as a word prefix)."""
    words = _topic_words(topic)
    lowered = text.lower()
    return bool(words) and any(re.search(rf"\b{re.escape(w)}", lowered) for w in words)


_STORY_TOPIC = re.compile(r"^story:\s*#?(\d{1,12})$", re.IGNORECASE)


def story_topic(topic: str) -> int | None:
    """The story id of a `story:ID` topic, else None."""
    match = _STORY_TOPIC.match(topic.strip())
    return int(match.group(1)) if match else None


def scope_for(store: Store, topic: str, sources: Sequence[int] | None = None) -> Scope:
    """The articles a topic names, among those of `sources` (a tenant's; None: all)."""
    topic = topic.strip()
    if not topic:
        return Scope("", None)
    story_id = story_topic(topic)
    if story_id is not None:
        live = store.live_story(story_id)
        return Scope(topic, store.story_article_ids(live, TOPIC_ARTICLES, sources=sources)
                     if live else [])
    return Scope(topic, store.search_articles(topic, limit=TOPIC_ARTICLES, sources=sources))


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
    if store.count_articles(sources=sources) == 0:
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
        named = [p for p in store.persons_named(query, name_key)
                 if sources is None or store.articles_of_person(p.id, 1, sources=sources)]
        if named:
            return person_card(store, named[0], sources=sources)
    scope = scope_for(store, query, sources)
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
    footer = ("Try /who NAME for a person's card" +
              (f"; {more} more not shown." if more > 0 else "."))
    return Reply(title, tuple(items), citer.citations(), footer,
                 data=[_person_json(p, refs) for p in people_first])


def person_card(store: Store, person: StoredPerson, *,
                sources: Sequence[int] | None = None) -> Reply:
    """One person: role, aliases, their quotes and the timeline entries they appear in."""
    article_ids = store.articles_of_person(person.id, sources=sources)
    refs = store.refs(article_ids)
    citer = _Citer(refs)
    person = StoredPerson(person.id, person.name, person.kind, person.role, person.mentions,
                          person.aliases, tuple(article_ids[:10]))
    items = []
    if person.role:
        items.append(ReplyItem(f"Role: {person.role}"))
    others = [a for a in person.aliases if a != person.name]
    if others:
        items.append(ReplyItem("Also written: " + ", ".join(others[:6])))
    quotes = _quote_groups(store.quotes_in(None, person_ids=[person.id], limit=50,
                                           sources=sources))
    for group in quotes[:4]:
        items.append(ReplyItem(f"“{group['text']}”", "quote", citer.cite(group["article_ids"])))
    events = [e for e in _event_groups(store.events_in(article_ids))
              if person.name in e["people"]]
    for event in events[:5]:
        items.append(ReplyItem(f"{event['date']}: {event['text']}", "event",
                               citer.cite(event["article_ids"])))
    title = f"{person.name}" + (f", {person.role}" if person.role else "")
    data = [_person_json(person, refs)]
    return Reply(title, tuple(items), citer.citations(),
                 f"{person.mentions} mentions in {len(article_ids)} articles. "
                 f"See /quote {person.name} and /when {person.name}.", data=data)


# ----------------------------------------------------------------------- /when

_PRECISION_OF = {4: "year", 7: "month", 10: "day"}


def _date_and_precision(value: str, precision: str | None) -> tuple[str, str] | None:
    """Timeline dates are calendar dates: a day, a month or a year (weeks become their month)."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    if precision == "week" or re.match(r"^\d{4}-W\d{2}", value):
        return None
    date = m.group(0)
    return date, _PRECISION_OF.get(len(date), "day")


_WORD = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / (len(a | b) or 1)


def _event_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge the same event reported by several articles into one entry with several sources.

    Only events of the same date can be one event, so each is compared with the groups of its
    own date; words are split once per event, not once per comparison.
    """
    groups: list[dict[str, Any]] = []
    by_date: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        dp = _date_and_precision(row["date"] or "", row["precision"])
        if dp is None:
            continue
        date, precision = dp
        words = _words(row["text"])
        people = set(row["people"])
        for group in by_date.get(date, ()):
            shared_people = people & group["_people"]
            similarity = _jaccard(words, group["_words"])
            # Outlets word the same event differently: the date plus a shared actor is strong
            # evidence for a month or a year, weaker for a single busy day.
            if (similarity > 0.45
                    or (shared_people and precision != "day")
                    or (shared_people and similarity > 0.15)):
                if row["article_id"] not in group["article_ids"]:
                    group["article_ids"].append(row["article_id"])
                group["_people"] |= people
                break
        else:
            group = {"date": date, "precision": precision, "text": row["text"],
                     "article_ids": [row["article_id"]], "position": row["position"],
                     "_words": words, "_people": people}
            groups.append(group)
            by_date.setdefault(date, []).append(group)
    for group in groups:
        del group["_words"]
        group["people"] = sorted(group.pop("_people"))
    groups.sort(key=lambda g: (g["date"], -len(g["article_ids"]), g["position"]))
    return groups


def when(store: Store, topic: str, *, sources: Sequence[int] | None = None) -> Reply:
    scope = scope_for(store, topic, sources)
    article_ids = scope.article_ids if scope.article_ids is not None \
        else store.recent_articles(200, sources=sources)
    groups = _event_groups(store.events_in(article_ids))
    if _focus(scope):
        # A matching article has other events too: show those that are about the topic
        # themselves, when there are any.
        focused = [g for g in groups
                   if about_topic(g["text"] + " " + " ".join(g["people"]), scope.topic)]
        groups = focused or groups
    if not groups:
        return _empty(store, "dated events", scope, sources)
    if len(groups) > MAX_ITEMS:
        # Keep the best-corroborated events, then show them oldest first.
        best = sorted(groups, key=lambda g: -len(g["article_ids"]))[:MAX_ITEMS]
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


def _quote_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per quote, however many outlets carry it (matched on its words)."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["quote_key"] or row["text"]
        group = groups.get(key)
        if group is None:
            # The trailing comma before a cue ("...," he said) belongs to the sentence around it.
            groups[key] = {"text": row["text"].strip("\"“”‘’' ").rstrip(",;:"),
                           "speaker": row["person_name"] or row["speaker"],
                           "article_ids": [row["article_id"]]}
        elif row["article_id"] not in group["article_ids"]:
            group["article_ids"].append(row["article_id"])
    return sorted(groups.values(), key=lambda g: -len(g["article_ids"]))


def quote(store: Store, query: str, *, sources: Sequence[int] | None = None) -> Reply:
    query = query.strip()
    rows: list[dict[str, Any]] = []
    if story_topic(query) is not None:
        rows = store.quotes_in(scope_for(store, query, sources).article_ids)
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


def summary(store: Store, topic: str, *, sources: Sequence[int] | None = None) -> Reply:
    scope = scope_for(store, topic, sources)
    article_ids = (scope.article_ids if scope.article_ids is not None
                   else store.recent_articles(60, sources=sources))[:60]
    refs = store.refs(article_ids)
    candidates = [Candidate(r["article_id"], r["position"], r["text"],
                            refs[r["article_id"]].published or "")
                  for r in store.sentences_in(article_ids) if r["article_id"] in refs]
    if _focus(scope):
        focused = [c for c in candidates if about_topic(c.text, scope.topic)]
        if len(focused) >= 3:
            candidates = focused
    picked = summarize(candidates)
    if not picked:
        return Reply.text(_NO_COVERAGE if store.count_articles(sources=sources) == 0 else
                          f"Not enough coverage{' about ' + _quoted(topic) if topic else ''} "
                          f"to summarise.", data={"sentences": []})
    citer = _Citer(refs)
    items = tuple(ReplyItem(p.text, cites=citer.cite(p.article_ids)) for p in picked)
    title = "Summary" + (f" of {_quoted(scope.topic)}" if scope.topic else "")
    n = len({a for p in picked for a in p.article_ids})
    data = {"sentences": [{"text": p.text, "sources": _sources_json(refs, p.article_ids)}
                          for p in picked]}
    return Reply(title, items, citer.citations(),
                 f"Drawn from {n} of {len(article_ids)} articles.", data=data)
