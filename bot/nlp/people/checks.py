"""Second looks at clustered names: lone words that are common nouns, surnames taken for orgs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from spacy.tokens import Doc

from bot.nlp.name_words import HONORIFICS, ROLE_WORDS, word_set
from bot.nlp.names import is_full_name, name_key, name_words, surname_keys
from bot.nlp.people.spans import after_title
from bot.nlp.people.tables import (
    COMPANY_POSSESSIONS,
    COMPANY_SUFFIXES,
    ORG_NOUNS,
)


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
_BEFORE_A_TITLE = word_set("a an the former reigning")  # "a former Miss Universe"
_GROUP_ENDINGS = ("ians", "inos", "inas", "anos", "icans", "ites", "ists")  # "Latinos"


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
    # "President Obama" is a person; "a former Miss Universe" is a title won.
    titled = any(after_title(doc, m.start) and not _titled_thing(doc, m) for m in members)
    if not titled and (
        all(_plural_group(doc, m) for m in members)
        or any(_beside_place(doc, m) or _titled_thing(doc, m) for m in members)
    ):
        return True
    if all(_head_after_article(doc, m) for m in members):
        return not all(w.endswith("s") for w in words)
    return all(in_headline(m) for m in members)


def _plural_group(doc: Doc, member: _Member) -> bool:
    """'Scholars have long debated', 'portraying Latinos as': a plural noun for a group."""
    token = doc[member.start]
    plural_noun = member.end - member.start == 1 and token.tag_ == "NNS"
    return plural_noun or token.lower_.endswith(_GROUP_ENDINGS) and member.end - member.start == 1


def _beside_place(doc: Doc, member: _Member) -> bool:
    """'in Charlotte, N.C.', 'cities like Philadelphia and Charlotte': a place, not a person."""
    after = doc[member.end : member.end + 2]
    if len(after) == 2 and after[0].text == "," and after[1].ent_type_ == "GPE":
        return True
    last = doc[member.end - 1]
    linked = [last.head] if last.dep_ == "conj" else []
    linked += [c for c in last.children if c.dep_ == "conj"]
    return any(t.ent_type_ == "GPE" for t in linked)


def _titled_thing(doc: Doc, member: _Member) -> bool:
    """'a former Miss Universe': an honorific after an article is a title won, not a name."""
    if member.start < 2:
        return False
    honorific, before = doc[member.start - 1], doc[member.start - 2]
    return honorific.lower_.rstrip(".") in HONORIFICS and before.lower_ in _BEFORE_A_TITLE


def company_words(orgs: Iterable[C]) -> set[str]:
    """Keys of what a company is also called: its first word and its name without the suffix
    ('Acme Tools Co.' -> 'acme', 'acmetools'; 'Tony Lama Co.' -> 'tonylama'), without initials
    ('A.L. Williams Corp.' -> 'williams'); 'S.p.A.' and 'N.V.' count as 'spa' and 'nv'."""
    return {key for org in orgs for member in org.members for key in company_keys(member.text)}


def company_keys(name: str) -> set[str]:
    """What one company name is also called (see company_words); nothing for other names."""
    words = name_words(name)
    if len(words) < 2 or words[-1].replace(".", "") not in COMPANY_SUFFIXES:
        return set()
    stem = words[:-1]
    named = [w for w in stem if "." not in w] or stem
    return {name_key(stem[0]), name_key(" ".join(stem)), name_key(named[0]),
            name_key(" ".join(named))}


def lone_person_is_org(doc: Doc, cluster: _Cluster, companies: set[str]) -> bool:
    """A 'person' the article treats as an outlet or a company.

    'Acme' or 'Acme Tools' where the article names 'Acme Tools Co.'; 'the Gannett newspaper chain';
    "Acme's chief executive"; 'an analyst at Acme'. A word ever written after a title
    ('President Obama') stays a person.
    """
    members: list[_Member] = cluster.members
    if any(after_title(doc, m.start) for m in members):
        return False
    if all(name_key(m.text) in companies for m in members):
        return True  # "Tony Lama" where the article names "Tony Lama Co."
    if any(is_full_name(m.text) for m in members):
        return False
    if name_key(members[0].text) in companies:
        return True
    return any(_org_cue(doc, m) for m in members)


def _org_cue(doc: Doc, member: _Member) -> bool:
    after = [t for t in doc[member.end : member.end + 3]]
    if after and after[0].is_lower and after[0].lower_ in ORG_NOUNS:
        return True  # "the Gannett newspaper chain"
    if after and after[0].tag_ == "POS" and len(after) > 1:
        owned = after[1].lower_
        chief_executive = owned == "chief" and len(after) > 2 and after[2].lower_ == "executive"
        if owned in COMPANY_POSSESSIONS or chief_executive:
            return True  # "Acme's shares", "Acme's chief executive"
    if member.start >= 2 and doc[member.start - 1].lower_ == "at":
        return doc[member.start - 2].lower_ in ROLE_WORDS  # "an analyst at Acme"
    return False


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
