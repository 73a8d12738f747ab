"""Prepared answers: what a story's summary needs, computed when the story changes, not per ask."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.errors import StoreError
from bot.models import SourceRef
from bot.nlp.summary import Candidate, summarize
from bot.ports import Store
from bot.stories.features import lead_terms

CARD_SUMMARY_ARTICLES = 8  # the articles of a story whose sentences its summary chooses among
TIMELINE_ARTICLES = 60  # ...whose events its timeline shows
PREPARED_SENTENCES = 8  # kept per story: a card shows the distinct ones, /summary the first
# A big story's summary is prepared again when it has doubled since the last time (a sample of
# its first and newest articles barely moves with one more), so ingest prepares each story
# O(log n) times, not once per batch it is in; small stories every time.
REPREPARE_BELOW = 2 * CARD_SUMMARY_ARTICLES


def sample(ids: Sequence[int], n: int) -> list[int]:
    """The first and the newest articles of a big story: how it began and where it stands."""
    ids = list(ids)
    return ids if len(ids) <= n else ids[: n // 2] + ids[-(n - n // 2):]


def distinct(picked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop a sentence whose content words are mostly those of one already kept: outlets
    reporting one event say the same thing in other words, and a card says it once."""
    kept: list[dict[str, Any]] = []
    words: list[set[str]] = []
    for sentence in picked:
        mine = set(lead_terms("", sentence["text"]))
        if mine and any(len(mine & other) / min(len(mine), len(other)) >= 0.4
                        for other in words if other):
            continue
        kept.append(sentence)
        words.append(mine)
    return kept


def story_summary(store: Store, story_id: int, ids: Sequence[int] | None = None
                  ) -> list[tuple[str, tuple[int, ...]]]:
    """A story's summary across its outlets: (sentence, articles citing it), reading order."""
    if ids is None:
        ids = store.story_article_ids(story_id, limit=10_000)
    ids = sample(ids, CARD_SUMMARY_ARTICLES)
    refs: dict[int, SourceRef] = store.refs(ids)
    candidates = [Candidate(r["article_id"], r["position"], r["text"],
                            refs[r["article_id"]].published or "")
                  for r in store.sentences_in(ids) if r["article_id"] in refs]
    picked = summarize(candidates, max_sentences=PREPARED_SENTENCES, min_sentences=3)
    return [(p.text, p.article_ids) for p in picked]


def prepare_stories(store: Store, story_ids: Iterable[int], *, force: bool = False) -> None:
    """Recompute the prepared parts of stories that changed (a batch's, a move's, a merge's):
    small ones always, big ones when they have doubled (or with force: an admin's move).

    A story merged away since leaves its prepared rows behind: they are dropped.
    """
    for story_id in dict.fromkeys(story_ids):
        live = store.live_story(story_id)
        if live != story_id:
            store.forget_prepared(story_id)
        if live is not None and (force or store.prepared_is_stale(live, REPREPARE_BELOW)):
            ids = store.story_article_ids(live, limit=10_000)
            store.set_prepared_events(live, sample(ids, TIMELINE_ARTICLES))
            store.set_prepared_summary(live, story_summary(store, live, ids))


def _ensure(store: Store, story_ids: Sequence[int]) -> bool:
    """Prepare the stories never prepared (a store from before prepared answers), once; False
    when the store cannot keep them (read-only): the caller computes what it needs instead."""
    missing = store.unprepared(story_ids)
    if missing:
        try:
            with store.transaction():
                prepare_stories(store, missing, force=True)
        except StoreError:
            return False
    return True


def summaries(store: Store, story_ids: Sequence[int], *,
              sources: Sequence[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    """The prepared summaries of stories: {story: [{"text", "article_ids"}]} in reading order."""
    if _ensure(store, story_ids) or sources is not None:
        return store.prepared_summaries(story_ids, sources=sources)
    return {s: [{"text": t, "article_ids": list(a)} for t, a in story_summary(store, s)]
            for s in story_ids}


def timeline_rows(store: Store, story_ids: Sequence[int], *, limit: int = 400,
                  sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """The prepared timeline rows of stories (as Store.events_in gives them), oldest first."""
    if _ensure(store, story_ids) or sources is not None:
        return store.prepared_events(story_ids, limit=limit, sources=sources)
    ids = [a for s in story_ids
           for a in sample(store.story_article_ids(s, limit=10_000), TIMELINE_ARTICLES)]
    return store.events_in(ids, limit=limit)
