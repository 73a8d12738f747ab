"""The evidence one article's person needs to be a stored person of other articles.

A shared surname or title is not enough: "King Hussein" is not "Saddam Hussein", and "Bush"
alone in one article may be either President Bush. Within one article the extractor already
joins a bare surname to the full name it stands for; across articles a bare surname joins a
full name only inside the same story, and only when one person of the story fits it. Otherwise
it stays a person of its own, unresolved, which an admin can merge with `/person merge`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import timedelta

from bot.models import PersonMention, StoredPerson
from bot.nlp.name_words import REIGNING_TITLES, word_set
from bot.nlp.names import is_full_name, name_key, name_parts

NEAR = timedelta(days=730)  # a bare surname is read as whoever bore it in the news then
DOMINANT = 4  # ... when that one is mentioned this many times more than all namesakes together

# Evidence from the store, read only when a bare surname needs it (a store hands a function):
# reading it for every full name cost a walk over a well-known person's every mention.
Evidence = Callable[[Sequence[StoredPerson]], Collection[int]] | Collection[int]
Counts = Callable[[Sequence[StoredPerson]], Mapping[int, int]] | Mapping[int, int]

# A monarch or cleric is not the president or minister of the same surname.
_REIGNING = REIGNING_TITLES | {"crown"}
_OFFICES = word_set("""
president premier chancellor minister prime secretary governor mayor senator sen rep
representative congressman congresswoman dictator leader chairman general
""")


def _full_forms(names: Sequence[str]) -> list[str]:
    return [n for n in names if is_full_name(n)]


def _titles(role: str | None) -> set[str]:
    return {w.strip(".,'’").lower() for w in (role or "").split()} & (_REIGNING | _OFFICES)


def roles_conflict(a: str | None, b: str | None) -> bool:
    """One reigns, the other holds an office (and not also a reigning title)."""
    ta, tb = _titles(a), _titles(b)
    if not ta or not tb:
        return False
    return bool(ta & _REIGNING) != bool(tb & _REIGNING)


def middles_conflict(a: str, b: str) -> bool:
    """'George H. W. Bush' and 'George W. Bush': same first and last name, other middles."""
    pa, pb = name_parts(a), name_parts(b)
    if len(pa) < 3 or len(pb) < 3 or pa[0] != pb[0] or pa[-1] != pb[-1]:
        return False
    return pa[1:-1] != pb[1:-1]


def _one_person(person: PersonMention, stored: StoredPerson) -> bool:
    """No evidence against: no conflicting titles, no two different middle names."""
    ours = _full_forms([person.name, *person.aliases])
    theirs = _full_forms([stored.name, *stored.aliases])
    if {name_key(n) for n in ours} & {name_key(n) for n in theirs}:
        return True  # the very same full name written somewhere
    if roles_conflict(person.role, stored.role):
        return False
    return not any(middles_conflict(x, y) for x in ours for y in theirs)


def admissible(person: PersonMention, candidates: Sequence[StoredPerson],
               in_story: Evidence, near: Counts) -> list[StoredPerson]:
    """The stored people this article's person may be (the matcher then picks by name).

    A full name: stored full-name people without evidence against. A bare surname: the one
    full-name person of the same story it fits; else the one person of that name in the news
    around the article's date (`near`: mentions within NEAR of it), or one DOMINANT times as
    mentioned there as every other together; else the stored bare surname (unresolved).
    """
    short = not _full_forms([person.name, *person.aliases])
    fitting = [c for c in candidates if _one_person(person, c)]
    full = [c for c in fitting if _full_forms([c.name, *c.aliases])]
    if not short:
        return full
    key = name_key(person.name)
    # Only full names this surname (or given name) can stand for: "Hussein" for "Saddam
    # Hussein", never for a stored "Hussein Kamel".
    full = [c for c in full if any(key in (parts[0], parts[-1]) for parts in
                                   (name_parts(n) for n in _full_forms([c.name, *c.aliases])))]
    if not full:
        return [c for c in fitting if name_key(c.name) == key]
    story = in_story(full) if callable(in_story) else in_story
    own = [c for c in full if c.id in story]
    if len(own) == 1:
        return own
    if not own:
        counts = near(candidates) if callable(near) else near
        # Everyone of that name in the news then, including those who fit no full name here.
        namesakes = [c for c in candidates if counts.get(c.id)]
        active = sorted((c for c in full if counts.get(c.id)), key=lambda c: -counts[c.id])
        if active:
            rest = sum(counts[c.id] for c in namesakes if c.id != active[0].id)
            if rest * DOMINANT <= counts[active[0].id]:
                return active[:1]
    return [c for c in fitting if c not in full and name_key(c.name) == key]
