"""Name normalisation and cross-article identity of people and organisations."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from bot.models import PersonMention
from bot.nlp.name_words import ACRONYM_FILLERS, HONORIFICS, NAME_PARTICLES, ROLE_WORDS

_SPLIT = re.compile(r"[\s\-\u2010-\u2015.]+")
_DROP = re.compile(r"[^\w\s\-\u2010-\u2015.]")
_POSSESSIVE = re.compile(r"['\u2019]s?$")


def _fold(text: str) -> str:
    """Lower case without accents, with curly apostrophes made straight."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()


def name_words(name: str) -> list[str]:
    """The folded words of a name: no honorific, possessive, leading 'the' or punctuation."""
    return list(_name_words(name))


@lru_cache(maxsize=16384)
def _name_words(name: str) -> tuple[str, ...]:
    # Cached: one article asks about the same few names thousands of times.
    words = _fold(name).split()
    if words and _POSSESSIVE.search(words[-1]):
        words[-1] = _POSSESSIVE.sub("", words[-1])
    while words and (words[0].rstrip(".") in HONORIFICS or words[0] == "the"):
        words = words[1:]
    return tuple(w for w in (_DROP.sub("", w) for w in words) if w.strip("-."))


def _word_key(word: str) -> str:
    return "".join(_SPLIT.split(word))


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """A key that spelling variants share: 'Jean-Luc Picard', 'Jean Luc Picard', 'JEAN LUC ...'."""
    return "".join(_word_key(w) for w in name_words(name))


def name_parts(name: str) -> list[str]:
    """Name split into comparable parts; hyphenated given names split ('Jong-un' -> jong, un)."""
    return [p for w in _name_words(name) for p in _SPLIT.split(w) if p]


def is_full_name(name: str) -> bool:
    """True when a person's name has more than one word (a surname alone is not full)."""
    return len(_name_words(name)) > 1


def surname_keys(full_name: str) -> set[str]:
    """Single words that may stand for this full name: its first and last words.

    Both ends count because in East Asian names the family name comes first.
    """
    words = name_words(full_name)
    if len(words) < 2:
        return {_word_key(w) for w in words}
    keys = {_word_key(words[0]), _word_key(words[-1])}
    last = words[-1]
    for particle in NAME_PARTICLES:  # "al-Assad" may appear as "Assad"
        if last.startswith(particle + "-"):
            keys.add(_word_key(last[len(particle) + 1 :]))
    return keys


def full_names_compatible(a: str, b: str) -> bool:
    """May two full names be the same person? Same key, an added middle name, or a dropped first.

    'Lee Hsien-loong' and 'Lee Hsien-yang' are not: their last parts differ.
    """
    if name_key(a) == name_key(b):
        return True
    pa, pb = name_parts(a), name_parts(b)
    short, long_ = (pa, pb) if len(pa) <= len(pb) else (pb, pa)
    if len(short) < 2 or short == long_:
        return short == long_
    if long_[-len(short) :] == short:  # "Lopez Obrador" in "Andres Manuel Lopez Obrador"
        return True
    if short[0] != long_[0] or short[-1] != long_[-1]:
        return False
    it = iter(long_)  # middle names or initials added: "Donald J. Trump"
    return all(any(part == other for other in it) for part in short)


def acronym(name: str) -> str:
    """Upper-case initials of a multi-word name ('National Weather Service' -> 'NWS')."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    if len(words) < 2:
        return ""
    initials = [w[0] for w in words if w.lower() not in ACRONYM_FILLERS and w[0].isalpha()]
    return "".join(initials).upper() if len(initials) >= 2 else ""


def role_score(role: str) -> tuple[int, int]:
    """How informative a role is: a real title word first, then a few more words of context."""
    words = role.split()
    has_title = any(_fold(w).strip(".,'s") in ROLE_WORDS for w in words)
    relation = " of " in role  # "late father of X", "Secretary of State"
    length = len(words) if len(words) <= 6 else 12 - len(words)
    return (2 * has_title + relation, length)


def best_role(roles: Iterable[str | None]) -> str | None:
    """The most informative of several roles; ties go to the most frequent, then the first."""
    counted = Counter(r for r in roles if r)
    if not counted:
        return None
    order = {r: i for i, r in reversed(list(enumerate(counted)))}
    return max(counted, key=lambda r: (role_score(r), counted[r], -order[r]))


def _forms(entry: PersonMention) -> list[str]:
    return [entry.name, *entry.aliases]


def _full_forms(entry: PersonMention) -> list[str]:
    return [f for f in _forms(entry) if is_full_name(f)]


def _org_keys(entry: PersonMention) -> set[str]:
    return {name_key(f) for f in _forms(entry)} - {""}


def same_entity(a: PersonMention, b: PersonMention) -> bool:
    """May two entries (of different articles) be merged as one real person or organisation?

    Persons: a shared key or compatible full names; a surname-only entry is compatible with
    a full name ending or starting with that surname (merge_entities merges it only when the
    surname fits exactly one person). Two different full names never match.
    """
    if a.kind != b.kind:
        return False
    if a.kind != "person":
        keys_a, keys_b = _org_keys(a), _org_keys(b)
        # An acronym matches the other's written form, never the other's acronym:
        # two long names with the same initials are not thereby one organisation.
        return bool(keys_a & keys_b or _acronyms(a) & keys_b or _acronyms(b) & keys_a)
    full_a, full_b = _full_forms(a), _full_forms(b)
    if full_a and full_b:
        return any(full_names_compatible(x, y) for x in full_a for y in full_b)
    if full_a or full_b:
        short, full = (b, full_a) if full_a else (a, full_b)
        return name_key(short.name) in set().union(*(surname_keys(f) for f in full))
    return name_key(a.name) == name_key(b.name)


def _combine(group: list[PersonMention]) -> PersonMention:
    """One entry from several: the most frequent full form as name, all aliases, best role."""
    forms = Counter(e.name for e in group)
    weight = Counter[str]()
    for e in group:
        weight[e.name] += len(e.mentions)
    full = [f for f in forms if is_full_name(f)] or list(forms)
    # Ties between spellings go to the one used in more mentions, then alphabetically,
    # so the same coverage always gives the same canonical name.
    name = max(full, key=lambda f: (forms[f], weight[f], [-ord(c) for c in f]))
    aliases: dict[str, None] = {}
    for e in group:
        for form in _forms(e):
            if form != name:
                aliases.setdefault(form, None)
    mentions = tuple(m for e in group for m in e.mentions)
    return PersonMention(
        name=name,
        kind=group[0].kind,
        aliases=tuple(aliases),
        role=best_role(e.role for e in group),
        mentions=mentions,
    )


def _is_short(entry: PersonMention) -> bool:
    """A surname alone, or an acronym alone: it may stand for more than one entity."""
    if entry.kind == "person":
        return not _full_forms(entry)
    return all(len(f.split()) == 1 and f.isupper() for f in _forms(entry))


def merge_entities(entries: Sequence[PersonMention]) -> list[PersonMention]:
    """Merge entries of different articles that are the same person or organisation.

    The merged `mentions` concatenate every article's spans: their count is meaningful,
    their offsets only within their own article.
    """
    groups: list[list[PersonMention]] = []
    shorts: list[PersonMention] = []  # joined last, and only where they fit one entity
    for entry in entries:
        if _is_short(entry):
            shorts.append(entry)
            continue
        matches = [g for g in groups if any(same_entity(entry, other) for other in g)]
        if not matches:
            groups.append([entry])
            continue
        head = matches[0]  # an entry joining two groups proves they are one entity
        head.append(entry)
        for other in matches[1:]:
            head.extend(other)
            groups.remove(other)
    for entry in shorts:
        fits = [g for g in groups if not _is_short(g[0]) and any(same_entity(entry, o) for o in g)]
        if len(fits) == 1:
            fits[0].append(entry)
            continue
        same = [g for g in groups if _is_short(g[0]) and same_entity(entry, g[0])]
        if same:
            same[0].append(entry)
        else:
            groups.append([entry])
    merged = [_combine(g) for g in groups]
    merged.sort(key=lambda e: -len(e.mentions))
    return merged


def resolve_name(query: str, entries: Sequence[PersonMention]) -> PersonMention | None:
    """The entry a user means by a name ('merkel', 'Jean Luc Picard', 'nws'), or None."""
    key = name_key(query)
    if not key:
        return None

    def best(found: list[PersonMention]) -> PersonMention | None:
        if not found:
            return None
        return max(found, key=lambda e: (e.kind == "person", len(e.mentions)))

    exact = [e for e in entries if key in {name_key(f) for f in _forms(e)} | _acronyms(e)]
    if exact:
        return best(exact)
    by_word = [e for e in entries if any(key in _word_keys(f) for f in _forms(e))]
    if by_word:
        return best(by_word)
    if len(key) >= 3:
        return best([e for e in entries if any(key in name_key(f) for f in _forms(e))])
    return None


def _word_keys(name: str) -> set[str]:
    return {_word_key(w) for w in name_words(name)}


def _acronyms(entry: PersonMention) -> set[str]:
    if entry.kind == "person":
        return set()
    return {a.lower() for f in _forms(entry) if (a := acronym(f))}
