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


def story_summary(store: Store, story_id: int) -> list[tuple[str, tuple[int, ...]]]:
    """A story's summary across its outlets: (sentence, articles citing it), reading order."""
    ids = sample(store.story_article_ids(story_id, limit=10_000), CARD_SUMMARY_ARTICLES)
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
            store.set_prepared_summary(live, story_summary(store, live))


def summaries(store: Store, story_ids: Sequence[int], *,
              sources: Sequence[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    """The prepared summaries of stories: {story: [{"text", "article_ids"}]} in reading order.

    A story never prepared (a store from before prepared answers) is prepared now, once; a
    read-only store answers from what it computes without keeping it.
    """
    computed: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
    for story_id in store.unprepared(story_ids):
        picks = story_summary(store, story_id)
        try:
            store.set_prepared_summary(story_id, picks)
        except StoreError:
            computed[story_id] = picks
    found = store.prepared_summaries(story_ids, sources=sources)
    if sources is None:  # (restricted reads need the stored rows' sources)
        for story_id, picks in computed.items():
            found[story_id] = [{"text": t, "article_ids": list(a)} for t, a in picks]
    return found
