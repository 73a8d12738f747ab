"""Second looks at clustered names: lone words that are common nouns, surnames taken for orgs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from spacy.tokens import Doc

from bot.nlp.names import is_full_name, name_key, surname_keys


class _Member(Protocol):
    start: int
    end: int
    kind: str
    text: str


class _Cluster(Protocol):
    kind: str
    members: list


C = TypeVar("C", bound=_Cluster)
_ARTICLES = frozenset(("the", "a", "an"))


def lower_case_words(doc: Doc) -> set[str]:
    """Words the article writes in lower case somewhere ('turnout', 'harsh')."""
    return {t.text for t in doc if t.is_alpha and t.text.islower()}


def is_false_lone_person(
    doc: Doc, cluster: _Cluster, lower_words: set[str], in_headline: Callable[[Any], bool]
) -> bool:
    """A one-word 'person' with no full name in the article that is not a name after all.

    The article also writes the word in lower case ('Turnout was low' ... 'the turnout'): a
    common noun capitalised at a sentence start; or it is only ever seen in title-case lines,
    where the model guesses names from capitals alone; or it always follows an article
    ('the Misogamy', 'the Danube'), which a person's name does not (a family, 'the Clintons',
    is plural and stays).
    """
    members: list[_Member] = cluster.members
    if any(is_full_name(m.text) for m in members):
        return False
    words = {m.text for m in members}
    if any(w.lower() in lower_words for w in words if w.isalpha()):
        return True
    if all(_head_after_article(doc, m) for m in members):
        return not all(w.endswith("s") for w in words)
    return all(in_headline(m) for m in members)


def _head_after_article(doc: Doc, member: _Member) -> bool:
    """'the Danube', not 'the Obama administration' (a name modifying a noun is still a name)."""
    after = doc[member.end] if member.end < len(doc) else None
    modifies = after is not None and after.is_lower and after.pos_ == "NOUN"
    return member.start > 0 and doc[member.start - 1].lower_ in _ARTICLES and not modifies


def surname_orgs(people: Iterable[C], orgs: list[C]) -> list[C]:
    """Move one-word 'organisations' that are a person's surname into that person.

    'the Trump campaign' makes the model tag 'Trump' ORG; with a person of that surname in the
    article the word is the person (CoNLL tags it PER). Returns the organisations left.
    """
    by_key: dict[str, C] = {}
    for person in people:
        for member in person.members:
            full = is_full_name(member.text)
            keys = surname_keys(member.text) if full else {name_key(member.text)}
            for key in keys:
                by_key.setdefault(key, person)
    kept: list[C] = []
    for org in orgs:
        texts = {m.text for m in org.members}
        single = all(len(t.split()) == 1 and not t.isupper() for t in texts)
        owners = {id(by_key[k]) for t in texts if (k := name_key(t)) in by_key}
        owner = by_key.get(name_key(next(iter(texts))))
        # Without a full name, a lone word tagged ORG more often than PERSON ('Chelsea
        # neighborhood' thrice, 'Chelsea' once) is not taken for the person.
        trusted = owner is not None and (
            any(is_full_name(m.text) for m in owner.members)
            or len(owner.members) >= len(org.members)
        )
        if single and len(owners) == 1 and owner is not None and trusted:
            for member in org.members:
                member.kind = "person"
                owner.members.append(member)
        else:
            kept.append(org)
    return kept
