"""One spaCy pipeline for every extraction test (loaded once per session), and small helpers."""

from __future__ import annotations

import pytest
from spacy.language import Language

from bot.models import QuoteMention
from bot.nlp.people import find_people
from bot.nlp.pipeline import load_model


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The configured default pipeline, as the product loads it."""
    return load_model("en_core_web_sm")


def names(nlp: Language, text: str, kind: str) -> set[str]:
    """Canonical names of the people ("person") or organisations ("org") found in a text."""
    return {e.name for e in find_people(nlp(text)) if e.kind == kind}


def speaker_of(quotes: list[QuoteMention], words: str) -> str | None:
    """The speaker of the one quote that contains these words."""
    found = [q for q in quotes if words in q.text]
    assert len(found) == 1, f"expected one quote with {words!r}, got {quotes}"
    return found[0].speaker
