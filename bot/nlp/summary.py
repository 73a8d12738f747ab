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
    words = (p for w in _WORD.findall(text.replace("’", "'"))
             for p in w.lower().removesuffix("'s").split("-") if p)
    return Counter(_stem(w) for w in words if w not in STOP_WORDS and len(w) > 1)


def _stem(word: str) -> str:
    """A crude stem, enough to match "concluded" with "concluding" and "talks" with "talk"."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


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
    """Pick up to `max_sentences` sentences that carry the story, each fact once.

    Ranked by how central a sentence is across the outlets (its similarity to the other
    articles' sentences), how widely its words are reported, how early it comes, and whether it
    carries a main person's statement (a quote or reported speech of someone the story quotes
    most); a sentence that restates a chosen one in other words (shared content words) is
    dropped. Pure: candidates in, sentences out.
    """
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
    centroid, by_article = _centroids(pool, vectors)
    spread = {w: d / n_articles for w, d in df.items()}
    norms = [_norm(v) for v in vectors]
    speakers = main_speakers([c.text for c in candidates])
    # Likeness of two sentences weighs words by how few sentences use them: the story's names
    # ("Kim", "Korean Peninsula") are in most sentences and say nothing about sameness.
    words = [set(t) for t in terms]
    sentence_df = Counter(w for ws in words for w in ws)
    rarity = {w: math.log(1 + len(pool) / d) for w, d in sentence_df.items()}
    own = [{w: tf * rarity[w] for w, tf in t.items()} for t in terms]
    own_norms = [_norm(v) for v in own]
    # central across outlets: against the other articles, so an outlet's own repetitions do
    # not make a sentence central (one article alone is compared with itself)
    others_norm = {a: _norm(_minus(centroid, part)) if n_articles > 1 else _norm(centroid)
                   for a, part in by_article.items()}
    scores = []
    for c, v, t, n in zip(pool, vectors, terms, norms, strict=True):
        part = by_article[c.article_id] if n_articles > 1 else {}
        dot = sum(x * (centroid[w] - part.get(w, 0.0)) for w, x in v.items())
        central = dot / (n * others_norm[c.article_id]) if n and others_norm[c.article_id] \
            else 0.0
        coverage = sum(spread[w] for w in t) / (len(t) or 1)
        lead = 1.0 / (1 + c.position) ** 0.5  # news puts the main facts first
        standalone = _PRONOUN_PENALTY if _PRONOUN_START.match(c.text) else 0.0
        scores.append(0.5 * central + 0.3 * coverage + 0.2 * lead - standalone)
    # A fact another outlet also reports, in a sentence of its own, is the story's news: the
    # best likeness to another article's sentence, for the leading candidates.
    if n_articles > 1:
        postings: dict[str, list[int]] = {}
        for i, ws in enumerate(words):
            for w in ws:
                postings.setdefault(w, []).append(i)
        for i in sorted(range(len(pool)), key=lambda i: -scores[i])[: 2 * _SHORTLIST]:
            dots: Counter[int] = Counter()
            for w, x in own[i].items():
                for j in postings[w]:
                    if pool[j].article_id != pool[i].article_id:
                        dots[j] += x * own[j][w]
            echo = max((d / (own_norms[i] * own_norms[j]) for j, d in dots.items()
                        if own_norms[i] and own_norms[j]), default=0.0)
            scores[i] += _ECHO_WEIGHT * echo
    said_by = [statement_of(c.text, speakers) for c in pool]
    reports = [bool(_REPORTS_SPEECH.search(c.text)) for c in pool]

    def similarity(i: int, j: int) -> float:
        return _cosine(own[i], own[j], own_norms[i], own_norms[j])

    def restates(i: int, j: int) -> bool:
        """Says the same thing: close vectors, or most content words of the shorter shared;
        less is needed for two outlets' leads (each opens with the story's main event), for two
        statements of one person, and for two reports of speech not known to come from
        different people."""
        needed = _RESTATES
        if pool[i].position == 0 and pool[j].position == 0:
            needed = _LEADS_RESTATE
        elif said_by[i] is not None and said_by[i] == said_by[j]:
            needed = _SAME_VOICE_RESTATES  # one person's second word on the same matter
        elif reports[i] and reports[j] and not two_voices(i, j):
            needed = _SPEECH_RESTATES
        return similarity(i, j) > _REDUNDANT or _overlap(words[i], words[j]) >= needed

    def two_voices(i: int, j: int) -> bool:
        """Statements of two different main people: what each says is their own news."""
        return said_by[i] is not None and said_by[j] is not None and said_by[i] != said_by[j]

    def gain(i: int) -> float:
        """The score, with a main person's statement preferred while that person has none
        chosen yet (one statement each, so every main voice is heard)."""
        heard = {said_by[j] for j in chosen}
        fresh = said_by[i] is not None and said_by[i] not in heard
        return scores[i] + (_STATEMENT_WEIGHT if fresh else 0.0)
    # MMR among the best-scoring sentences only: the rest would never be picked anyway,
    # and comparing every pair of a big pool is what makes summaries slow.
    remaining = set(sorted(range(len(pool)), key=lambda i: -scores[i])[:_SHORTLIST])
    chosen: list[int] = []
    while remaining and len(chosen) < max_sentences:
        def mmr(i: int) -> float:
            redundancy = max((similarity(i, j) for j in chosen
                              if not two_voices(i, j)), default=0.0)
            return _MMR_LAMBDA * gain(i) - (1 - _MMR_LAMBDA) * redundancy
        best = max(remaining, key=lambda i: (mmr(i), -i))
        remaining.discard(best)
        if any(restates(best, j) for j in chosen):
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


def _centroids(pool: Sequence[Candidate], vectors: Sequence[dict[str, float]]
               ) -> tuple[dict[str, float], dict[int, dict[str, float]]]:
    """The sum of all sentence vectors, and of each article's."""
    total: dict[str, float] = {}
    by_article: dict[int, dict[str, float]] = {}
    for c, v in zip(pool, vectors, strict=True):
        own = by_article.setdefault(c.article_id, {})
        for w, x in v.items():
            total[w] = total.get(w, 0.0) + x
            own[w] = own.get(w, 0.0) + x
    return total, by_article


def _minus(total: dict[str, float], part: dict[str, float]) -> dict[str, float]:
    return {w: x - part.get(w, 0.0) for w, x in total.items() if x - part.get(w, 0.0) > 1e-9}


def _overlap(a: set[str], b: set[str]) -> float:
    """Share of the shorter sentence's content words that the other one uses too."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def main_speakers(texts: Sequence[str], top: int = 3) -> set[str]:
    """Names of the people a story quotes most: capitalised words that speak ("Putin said",
    "said Ruiz", "Kim told"), ranked by how often the story names them."""
    speaking: set[str] = set()
    for text in texts:
        for pattern in (_NAME_SPEAKS, _SPEAKS_NAME):
            speaking.update(w for m in pattern.finditer(text) for w in m.group(1).split())
    speaking -= _NOT_NAMES
    counts = Counter(w for text in texts for w in _CAPITALISED.findall(text) if w in speaking)
    return {w for w, n in counts.most_common(top) if n >= _MIN_SPEAKER_MENTIONS}


def statement_of(text: str, speakers: set[str]) -> str | None:
    """Which of `speakers` the sentence reports speaking (a quote or reported speech), if any."""
    for pattern in (_NAME_SPEAKS, _SPEAKS_NAME):
        for m in pattern.finditer(text):
            for word in m.group(1).split():
                if word in speakers:
                    return word
    return None


_SPEECH = (r"(?:said|says|told|tells|added|stressed|warned|urged|insisted|argued|declared|"
           r"noted|pledged|vowed|called on|called for|blamed|accused|stated|announced)")
# "Putin said", "Kim Jong-un reportedly told", "Kim also blamed": the name's last word speaks
_NAME_SPEAKS = re.compile(
    r"\b((?:[A-Z][\w'’-]+ )*[A-Z][\w'’-]+)(?:’s|'s)?"
    r"(?: (?:also|then|later|earlier|reportedly|has|had|previously|again|repeatedly))? "
    + _SPEECH + r"\b")
_SPEAKS_NAME = re.compile(r"\b(?:said|says|according to) (?:[A-Z][\w'’-]+ )?([A-Z][\w'’-]+)\b")
_REPORTS_SPEECH = re.compile(r"\b" + _SPEECH + r"\b")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")
_NOT_NAMES = frozenset({
    "He", "She", "It", "They", "We", "I", "This", "That", "The", "A", "An", "But", "And",
    "Officials", "Police", "Reporters", "Sources",
})
_MIN_SPEAKER_MENTIONS = 3
_STATEMENT_WEIGHT = 0.15
_PRONOUN_START = re.compile(r"(?:He|She|It|They|This|These|That|Those)\b")
_PRONOUN_PENALTY = 0.1  # "He called on ...": out of its article, nobody knows who "he" is
_RESTATES = 0.5
_SPEECH_RESTATES = 0.4
_SAME_VOICE_RESTATES = 0.25
_ECHO_WEIGHT = 0.3
_LEADS_RESTATE = 0.35
