"""Candidate stories for an article, from the store's postings, and the rarity of each key."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from bot.ports import Store
from bot.stories.features import Features

WINDOW_DAYS = 14  # a story stays open this long after its latest article
QUERY_TERMS = 8  # the article's rarest words that look up postings
QUERY_ENTITIES = 10


@dataclass(frozen=True)
class Rarity:
    """Inverse document frequencies over every article indexed so far."""

    n: int
    df: dict[str, int]

    def idf(self, key: str) -> float:
        # Smoothed: a key no article used yet is as rare as one used once.
        return math.log(1 + (self.n + 1) / (self.df.get(key, 0) + 1))


def rarity(store: Store, features: Features) -> Rarity:
    n, df = store.story_df([*features.terms, *features.entities])
    return Rarity(n, df)


def window_start(seen: str) -> str:
    return (date.fromisoformat(seen) - timedelta(days=WINDOW_DAYS)).isoformat()


def candidates(store: Store, features: Features, rare: Rarity) -> list[int]:
    """Open stories that share the article's rarest entities or title/lead words."""
    entities = sorted((k for k in features.entities if not k.startswith("d:")),
                      key=lambda k: -rare.idf(k))[:QUERY_ENTITIES]
    terms = sorted(features.terms, key=lambda t: -features.terms[t] * rare.idf(t))[:QUERY_TERMS]
    return store.story_candidates(entities, terms, window_start(features.seen))
