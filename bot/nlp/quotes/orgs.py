"""Organisations and groups that speak in an article, and what "it" and "they" stand for."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from bot.nlp.quotes.lexicon import GROUP_NOUNS, ORG_NOUNS
from bot.nlp.text import doc_text

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
GROUP_PRONOUN_REACH = 1500  # characters "it"/"they" may look back: organisations recur close by
ORG_LABELS = frozenset({"ORG"})
PLACE_LABELS = frozenset({"GPE"})  # "Russia said": a country speaks through its government


@dataclass(frozen=True)
class OrgMention:
    """An organisation or group named as a possible speaker."""

    start: int
    end: int
    name: str
    plural: bool  # a group of people ("officials"), which only "they" can stand for


def _strip_article(text: str) -> str:
    for article in ("the ", "The "):
        if text.startswith(article):
            text = text[len(article) :]
    for possessive in ("’s", "'s"):
        if text.endswith(possessive):
            text = text[: -len(possessive)]
    return text


# An organisation named inside a subject phrase ("the Committee for X (CPRC) said") stands
# for that subject: climb to the phrase's head through these, but never from a possessor.
_PHRASE_DEPS = {"appos", "pobj", "prep", "compound"}


def _rank(tok: Token) -> int:
    for _ in range(6):
        if tok.dep_ not in _PHRASE_DEPS or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.dep_ in SUBJECT_DEPS:
        return 0 if tok.head.dep_ == "ROOT" else 1
    return 2


class OrgIndex:
    """ORG names, countries as subjects, and organisation or group nouns as subjects, per
    sentence in text order, for resolving "it" and "they" and bare descriptions."""

    def __init__(self, doc: Doc, is_quoted: Callable[[int], bool]) -> None:
        self.doc = doc
        self._sent_starts = [sent.start_char for sent in doc.sents]
        self._items: list[list[tuple[int, int, OrgMention]]] = [[] for _ in self._sent_starts]
        # every ORG entity by the last word of its name: [(offset, name)] in text order
        self._org_names: dict[str, list[tuple[int, str]]] = {}
        in_ent: set[int] = set()
        for ent in doc.ents:
            in_ent.update(range(ent.start, ent.end))
            if is_quoted(ent.start_char):
                continue
            subject = ent.root.dep_ in SUBJECT_DEPS
            if ent.label_ in ORG_LABELS or (ent.label_ in PLACE_LABELS and subject):
                name = _strip_article(ent.text)
                self._add(OrgMention(ent.start_char, ent.end_char, name, False), _rank(ent.root))
                if ent.label_ in ORG_LABELS and name.split():
                    last = name.lower().split()[-1]
                    self._org_names.setdefault(last, []).append((ent.start_char, name))
        for tok in doc:
            if tok.i in in_ent or tok.dep_ not in SUBJECT_DEPS or tok.pos_ != "NOUN":
                continue
            if is_quoted(tok.idx):
                continue
            if tok.lemma_.lower() in ORG_NOUNS or tok.lower_ in GROUP_NOUNS:
                plural = tok.tag_ == "NNS" or tok.lower_ in GROUP_NOUNS
                name, start = self.describe(tok)
                self._add(OrgMention(start, tok.idx + len(tok), name, plural), _rank(tok))
        for items in self._items:
            items.sort(key=lambda item: (item[1], item[0]))

    def _add(self, mention: OrgMention, rank: int) -> None:
        sent = max(0, bisect.bisect_right(self._sent_starts, mention.start) - 1)
        self._items[sent].append((mention.start, rank, mention))

    def describe(self, head: Token) -> tuple[str, int]:
        """The name an organisation noun stands for: the latest ORG entity ending in that word
        ("the ministry" after "the Foreign Ministry"), else the phrase itself ("the campaign",
        "Clinton's campaign")."""
        named = self._org_names.get(head.lower_, [])
        k = bisect.bisect_left(named, head.idx, key=lambda item: item[0])
        if k > 0:
            return named[k - 1][1], head.idx
        left = [t for t in head.lefts if t.dep_ in ("det", "poss", "compound", "amod", "case")]
        start = min([t.left_edge.i for t in left], default=head.i)
        while start < head.i and (self.doc[start].is_punct or "\n" in self.doc[start].text):
            start += 1
        first = self.doc[start]
        text = doc_text(self.doc)[first.idx : head.idx + len(head)]
        name = _strip_article(text)
        return (name, first.idx) if name[:1].isupper() else (text, first.idx)

    def is_org(self, start: int | None) -> bool:
        """Whether a speaker found at this offset is an organisation or group, not a person."""
        if start is None:
            return False
        sent = max(0, bisect.bisect_right(self._sent_starts, start) - 1)
        return any(item.start == start for _, _, item in self._items[sent])

    def resolve(self, pronoun: Token) -> OrgMention | None:
        """The organisation "it" stands for, or the organisation or group "they" stands for:
        the nearest earlier one, subjects of a sentence first."""
        plural = pronoun.lower_ == "they"
        at = pronoun.idx
        sent = max(0, bisect.bisect_right(self._sent_starts, at) - 1)
        while sent >= 0 and at - self._sent_starts[sent] <= GROUP_PRONOUN_REACH:
            for offset, _, item in self._items[sent]:
                if offset < at and (plural or not item.plural):
                    return item
            sent -= 1
        return None
