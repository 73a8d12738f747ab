"""Extractive multi-document summaries: central, widely reported sentences, no repeats (MMR)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Function words carry no fact. (A list of our own: importing spaCy's would load all of spaCy,
# a second of start-up for `newsdesk ask`, which needs no model.)
_STOP_TEXT = """
a about above after again against all almost also although always am among an and another any
are around as at be became because become been before being below between both but by can
could did do does doing done down during each either else even ever every few for from further
had has have having he her here hers herself him himself his how however i if in into is it its
itself just least less made make many may me might more most much must my myself neither no nor
not now of off often on once one only or other others our ours ourselves out over own per
perhaps please quite rather really said same say says several she should since so some still
such than that the their theirs them themselves then there therefore these they this those
though through thus to together too toward towards under until up upon us very was we were what
whatever when where whether which while who whom whose why will with within without would yet
you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+")
_REDUNDANT = 0.5  # cosine above which two sentences say the same thing
_SAME_FACT = 0.6  # cosine above which two outlets' sentences cite each other
_MMR_LAMBDA = 0.7
_SHORTLIST = 60  # sentences that MMR chooses among


@dataclass(frozen=True)
class Candidate:
    """A body sentence of one article."""

    article_id: int
    position: int
    text: str
    published: str = ""


@dataclass(frozen=True)
class Picked:
    text: str
    article_ids: tuple[int, ...]


def _terms(text: str) -> Counter[str]:
    words = (w.lower().removesuffix("'s") for w in _WORD.findall(text))
    return Counter(w.rstrip("s") if len(w) > 4 else w for w in words if w not in STOP_WORDS)


def _norm(v: dict[str, float]) -> float:
    return math.sqrt(sum(x * x for x in v.values()))


def _cosine(a: dict[str, float], b: dict[str, float], na: float, nb: float) -> float:
    """Cosine of two sparse vectors whose norms are known (computed once per vector)."""
    if not na or not nb:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items()) / (na * nb)


def fit_for_summary(text: str) -> bool:
    """A sentence that can stand alone in a summary: whole, not too short or long, no dialogue."""
    words = text.split()
    if not 6 <= len(words) <= 55:
        return False
    if not text[0].isupper() and not text[0].isdigit() and text[0] not in "\"“":
        return False
    if text.rstrip()[-1] not in ".!?\"”'’)":
        return False
    # A sentence that is mostly a quote reads badly out of context; /quote is for quotes.
    quoted = sum(len(m) for m in re.findall(r"[\"“][^\"”]*[\"”]", text))
    return quoted < 0.6 * len(text)


def summarize(candidates: Sequence[Candidate], max_sentences: int = 6,
              min_sentences: int = 3) -> list[Picked]:
    """Pick up to `max_sentences` sentences that cover the most reported facts, each once."""
    pool = [c for c in candidates if fit_for_summary(c.text)]
    if not pool:
        return []
    articles = {c.article_id for c in pool}
    terms = [_terms(c.text) for c in pool]
    # Document frequency over articles: a word many outlets use is a widely reported fact.
    article_terms: dict[int, set[str]] = {}
    for c, t in zip(pool, terms, strict=True):
        article_terms.setdefault(c.article_id, set()).update(t)
    df = Counter(w for ws in article_terms.values() for w in ws)
    n_articles = len(articles)
    idf = {w: math.log(1 + n_articles / d) for w, d in df.items()}
    vectors = [{w: tf * idf[w] for w, tf in t.items()} for t in terms]
    centroid: dict[str, float] = {}
    for v in vectors:
        for w, x in v.items():
            centroid[w] = centroid.get(w, 0.0) + x
    spread = {w: d / n_articles for w, d in df.items()}
    norms = [_norm(v) for v in vectors]
    centroid_norm = _norm(centroid)
    scores = []
    for c, v, t, n in zip(pool, vectors, terms, norms, strict=True):
        central = _cosine(v, centroid, n, centroid_norm)
        coverage = sum(spread[w] for w in t) / (len(t) or 1)
        lead = 1.0 / (1 + c.position) ** 0.5  # news puts the main facts first
        scores.append(0.5 * central + 0.3 * coverage + 0.2 * lead)

    def similarity(i: int, j: int) -> float:
        return _cosine(vectors[i], vectors[j], norms[i], norms[j])

    # MMR among the best-scoring sentences only: the rest would never be picked anyway,
    # and comparing every pair of a big pool is what makes summaries slow.
    remaining = set(sorted(range(len(pool)), key=lambda i: -scores[i])[:_SHORTLIST])
    chosen: list[int] = []
    while remaining and len(chosen) < max_sentences:
        def mmr(i: int) -> float:
            redundancy = max((similarity(i, j) for j in chosen), default=0.0)
            return _MMR_LAMBDA * scores[i] - (1 - _MMR_LAMBDA) * redundancy
        best = max(remaining, key=mmr)
        remaining.discard(best)
        if any(similarity(best, j) > _REDUNDANT for j in chosen):
            continue
        if len(chosen) >= min_sentences and scores[best] < 0.5 * scores[chosen[0]]:
            break
        chosen.append(best)
    picked = []
    for i in sorted(chosen, key=lambda i: (pool[i].position, pool[i].published)):
        same = {pool[j].article_id for j in range(len(pool))
                if pool[j].article_id != pool[i].article_id and similarity(i, j) > _SAME_FACT}
        picked.append(Picked(pool[i].text, (pool[i].article_id, *sorted(same))))
    return picked
