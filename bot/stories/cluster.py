"""Online story clustering: each new article joins the story it reports, or starts one.

A candidate story (from the index) is scored on three things an editor would look at: how
alike the headline and lead read (TF-IDF cosine against the story's centroid), how many of the
article's rare names the story already has (entity overlap weighted by rarity), and how close
in time they are. Precision first: a join needs both shared words and a shared name, so two
stories that merely name the same president on the same day stay apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.models import Analysis, ArticleDraft
from bot.ports import Store
from bot.stories.features import Features, article_features, days_between
from bot.stories.index import WINDOW_DAYS, Rarity, candidates, rarity

JOIN = 0.18  # the score a candidate needs for the article to join it
MIN_COSINE = 0.06  # ...with at least this much shared wording of headline and lead
MIN_ENTITY = 0.12  # ...and at least this share of the article's (rarity-weighted) names
# One shared name is not a story: two reports that share a single name (the same president
# on the same day) must also share this much wording.
ONE_NAME_COSINE = 0.3
MERGE = 0.4  # a second story the article matches this well is the same story: they merge
TITLE_MEMBERS = 60  # the newest articles a story's title is chosen among
NORM_TERMS = 400


@dataclass(frozen=True)
class Match:
    story_id: int
    score: float
    cosine: float
    entity: float
    shared: int = 0  # names (people, organisations, places) the article and story share


def _norm(values: Any) -> float:
    return math.sqrt(sum(v * v for v in values))


def _names(features: Features) -> list[str]:
    return [k for k in features.entities if not k.startswith("d:")]


def score(features: Features, profile: dict[str, Any], rare: Rarity) -> Match:
    """How well an article fits a story (0..1), with its parts."""
    story_id = int(profile["id"])
    weights = {t: c * rare.idf(t) for t, c in features.terms.items()}
    article_norm = _norm(weights.values())
    story_norm = float(profile.get("norm") or 0.0)
    dot = sum(w * profile["terms"].get(t, 0) * rare.idf(t) for t, w in weights.items())
    cosine = dot / (article_norm * story_norm) if article_norm and story_norm else 0.0
    names = _names(features)
    total = sum(rare.idf(k) for k in names)
    common = [k for k in names if k in profile["entities"]]
    entity = sum(rare.idf(k) for k in common) / total if total else 0.0
    first, last = profile["first_seen"] or features.seen, profile["last_seen"] or features.seen
    gap = 0 if first <= features.seen <= last else min(days_between(features.seen, first),
                                                       days_between(features.seen, last))
    if gap > WINDOW_DAYS:
        return Match(story_id, 0.0, cosine, entity, len(common))
    same_day = any(("d:" + d) in profile["entities"] for d in features.dates)
    value = (0.55 * min(cosine, 1.0) + 0.45 * entity) * (1 - 0.3 * gap / WINDOW_DAYS)
    return Match(story_id, value + (0.04 if same_day else 0.0), cosine, entity, len(common))


def joinable(match: Match, threshold: float | None = None) -> bool:
    return (match.score >= (JOIN if threshold is None else threshold)
            and match.cosine >= (MIN_COSINE if match.shared > 1 else ONE_NAME_COSINE)
            and match.entity >= MIN_ENTITY)


def _stored(features: Features) -> dict[str, Any]:
    return {"headline": features.headline, "terms": features.terms, "seen": features.seen,
            "entities": [*features.entities, *("d:" + d for d in features.dates)]}


def place_article(store: Store, article_id: int, draft: ArticleDraft,
                  analysis: Analysis) -> int:
    """Put a just-saved article into its story (joining, starting or merging); return its id.

    A wire copy (saved into the story of its near-duplicate) stays where it is.
    """
    row = store.article(article_id)
    if row is None:
        return 0
    features = article_features(draft, analysis, datetime.now(UTC))
    own = int(row["story_id"])
    live = store.live_story(own) or own
    rare = rarity(store, features)
    target, merges = live, []
    if live == own and len(store.story_article_ids(own, limit=2)) < 2:
        found = [c for c in candidates(store, features, rare) if c != own]
        profiles = store.story_profiles(found, list(features.terms), _names(features) +
                                        ["d:" + d for d in features.dates])
        matches = sorted((score(features, p, rare) for p in profiles.values()),
                         key=lambda m: -m.score)
        if matches and joinable(matches[0]):
            target = matches[0].story_id
            merges = [m.story_id for m in matches[1:] if joinable(m, MERGE)]
    store.place_article(article_id, target, _stored(features), count_df=True)
    for other in merges:
        store.merge_stories(target, other)
    refresh_story(store, target)
    return target


def refresh_story(store: Store, story_id: int) -> None:
    """A story's norm (for cosines) and its title: the headline closest to its centroid."""
    terms = store.story_terms_of(story_id)
    top = dict(sorted(terms.items(), key=lambda kv: -kv[1])[:NORM_TERMS])
    n, df = store.story_df(top)
    rare = Rarity(n, df)
    centroid = {t: c * rare.idf(t) for t, c in top.items()}
    norm = _norm(centroid.values())
    store.set_story_norm(story_id, norm)
    members = store.story_members(story_id, TITLE_MEMBERS)
    if not members:
        return

    def closeness(member: dict[str, Any]) -> float:
        weights = {t: c * rare.idf(t) for t, c in member["terms"].items()}
        size = _norm(weights.values())
        dot = sum(w * centroid.get(t, 0.0) for t, w in weights.items())
        return dot / (size * norm) if size and norm else 0.0

    # The most central headline; ties go to the earliest report.
    best = max(reversed(members), key=closeness)
    title = best["headline"] or best["title"] or ""
    if title:
        store.set_story_title(story_id, title)


def move_article(store: Store, article_id: int, story_id: int | None) -> int:
    """An admin's undo: move an article to another story, or (None) into a story of its own."""
    features = store.take_out(article_id)
    if features is None:
        raise LookupError(article_id)
    before = int(features.pop("story_id"))
    target = story_id if story_id is not None else store.new_story(
        features["headline"] or "", datetime.now(UTC).isoformat(timespec="seconds"))
    store.place_article(article_id, target, features, count_df=False)
    for touched in {before, target}:
        refresh_story(store, touched)
    return target
