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
