"""The shared text helpers: the text read once per Doc, span look-ups, the entry index."""

from __future__ import annotations

import random

from bot.models import PersonMention
from bot.nlp.people import EntryIndex, person_at
from bot.nlp.text import SpanSet, doc_text


def test_doc_text_is_the_docs_text_and_built_once(nlp):
    doc = nlp("Ana Ruiz said on Monday that the plan would go ahead.")
    first = doc_text(doc)
    assert first == doc.text
    assert doc_text(doc) is first  # the same string object: not rebuilt per access


def test_span_set_answers_as_a_scan_of_the_spans_does():
    rng = random.Random(7)
    for _ in range(3000):
        spans = [(a, a + rng.randint(0, 20)) for a in (rng.randint(0, 100)
                                                      for _ in range(rng.randint(0, 6)))]
        found = SpanSet(spans)
        start = rng.randint(0, 120)
        end = start + rng.randint(0, 15)
        assert found.overlaps(start, end) == any(s < end and start < e for s, e in spans)
        assert found.contains(start) == any(s <= start < e for s, e in spans)


def test_entry_index_finds_the_entry_person_at_finds_and_names():
    rng = random.Random(11)
    for _ in range(2000):
        entries = []
        for k in range(rng.randint(0, 5)):
            spans = {(a, a + rng.randint(1, 8)) for a in (rng.randint(0, 60)
                                                          for _ in range(rng.randint(1, 4)))}
            entries.append(PersonMention(name=f"Name {k}", kind=rng.choice(["person", "org"]),
                                         aliases=(f"N{k}",), mentions=tuple(sorted(spans))))
        index = EntryIndex(entries)
        start = rng.randint(0, 70)
        end = start + rng.randint(0, 10)
        assert index.at(start, end) is person_at(entries, start, end)
        if entries:
            assert index.named("n0") is entries[0] and index.named("NAME 0") is entries[0]
