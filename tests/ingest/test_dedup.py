"""Duplicates: the same text hashed alike, and wire copies across outlets mapped to one story."""

from __future__ import annotations

import pytest

from bot.ingest.dedup import (
    StoryIndex,
    content_hash,
    fingerprint,
    fingerprint_bytes,
    fingerprint_from_bytes,
)
from tests.ingest.support import DATA

ORIGINAL = (DATA / "wire_original.txt").read_text(encoding="utf-8")
COPY = (DATA / "wire_copy.txt").read_text(encoding="utf-8")
FOLLOW_UP = (DATA / "wire_followup.txt").read_text(encoding="utf-8")


def test_the_same_article_reformatted_has_the_same_hash() -> None:
    assert content_hash("Fire in port", ORIGINAL) == content_hash(
        "FIRE IN PORT!", "  " + ORIGINAL.replace("\n\n", "\n").replace(",", "")
    )


def test_a_changed_text_has_another_hash() -> None:
    assert content_hash("Fire in port", ORIGINAL) != content_hash("Fire in port", COPY)


def test_a_wire_copy_from_another_outlet_joins_the_original_story() -> None:
    index = StoryIndex()
    index.add("story-1", ORIGINAL)
    assert index.story_of(COPY) == "story-1"


def test_a_follow_up_on_the_same_event_is_a_new_story() -> None:
    index = StoryIndex()
    index.add("story-1", ORIGINAL)
    index.add("story-1", COPY)
    assert index.story_of(FOLLOW_UP) is None
    index.add("story-2", FOLLOW_UP)
    assert index.story_of(FOLLOW_UP) == "story-2"
    assert len(index) == 3


def test_an_empty_text_matches_no_story() -> None:
    index = StoryIndex()
    index.add(1, "")
    index.add(2, ORIGINAL)
    assert index.story_of("") is None
    assert index.story_of("...") is None


def test_a_stored_fingerprint_works_like_the_text() -> None:
    stored = fingerprint_bytes(fingerprint(ORIGINAL))
    index = StoryIndex()
    index.add_fingerprint(42, fingerprint_from_bytes(stored))
    assert index.story_of(COPY) == 42


@pytest.mark.parametrize(
    "data", [b"", b"garbage", b"affine32|<q9|\x00", b"nope|<u4|\x00\x00\x00\x00"]
)
def test_a_damaged_stored_fingerprint_is_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        fingerprint_from_bytes(data)


def _variants(seed: int, n: int) -> list[str]:
    """n texts in families of near-copies (a few words changed each), so some pairs are
    above the threshold, some near it and most far below."""
    import random

    rng = random.Random(seed)
    words = ORIGINAL.split() + FOLLOW_UP.split()
    texts = []
    for family in range(n // 4):
        base = [rng.choice(words) for _ in range(120)] + [f"family{family}"]
        for _ in range(4):
            text = list(base)
            for _ in range(rng.randint(0, 10)):
                text[rng.randrange(len(text))] = rng.choice(words)
            texts.append(" ".join(text))
    return texts


def test_the_index_finds_the_stories_an_lsh_index_finds() -> None:
    from datasketch import MinHashLSH

    from bot.ingest.dedup import NUM_PERM, THRESHOLD

    texts = _variants(7, 240)
    signatures = [fingerprint(t) for t in texts]
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    index = StoryIndex()
    joined = 0
    for i, signature in enumerate(signatures):
        # What MinHashLSH plus the Jaccard check would answer (all scores are distinct enough
        # here that ties do not arise)...
        scores = {k: signature.jaccard(signatures[k]) for k in lsh.query(signature)}
        above = {k: s for k, s in scores.items() if s >= THRESHOLD}
        expected = max(above, key=lambda k: (above[k], k)) if above else None
        assert index.story_of(signature) == expected
        joined += expected is not None
        lsh.insert(i, signature)
        index.add_fingerprint(i, signature)
    assert 30 < joined < 200  # both outcomes were exercised


def test_the_index_keeps_only_its_most_recent_texts() -> None:
    index = StoryIndex(capacity=3)
    index.add("old", ORIGINAL)
    for n in range(3):
        index.add(f"other-{n}", FOLLOW_UP + f" and more {n}")
    # The original's row was overwritten: its copy no longer finds it; size stays bounded.
    assert len(index) == 3
    assert index.story_of(COPY) is None
    index.add("new", ORIGINAL)
    assert index.story_of(COPY) == "new"
    assert len(index) == 3


def test_a_signature_of_another_scheme_is_left_out() -> None:
    from datasketch import MinHash

    other = MinHash(num_perm=64)
    other.update(b"fire in the port")
    index = StoryIndex()
    index.add_fingerprint(1, other)
    assert len(index) == 0
    assert index.story_of(other) is None
