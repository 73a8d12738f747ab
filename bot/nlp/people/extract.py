"""People and organisations in one article: one entry per real person, all mentions, a role."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from bot.models import PersonMention
from bot.nlp.name_words import NAME_PARTICLES, REIGNING_TITLES, word_set
from bot.nlp.names import (
    acronym,
    best_role,
    full_names_compatible,
    is_full_name,
    name_key,
    name_parts,
    surname_keys,
)
from bot.nlp.people.checks import (
    company_keys,
    company_words,
    is_false_lone_person,
    lone_person_is_org,
    lower_case_words,
    surname_orgs,
)
from bot.nlp.people.orgs import (
    acronym_expansions,
    headed_org_runs,
    norp_led_orgs,
    platform_mentions,
)
from bot.nlp.people.roles import RolePhrase, apposition, premodifier
from bot.nlp.people.spans import (
    Candidate,
    classify,
    clean_span,
    known_people,
    place_names,
)
from bot.nlp.people.tables import TITLE_PREFIXES

_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
_MAX_SURFACE_TOKENS = 6
_LOWER_IN_TITLES = word_set("with from into over about after than that this upon onto")


@dataclass
class _Entity:
    """A cluster of candidates that are one person or organisation in this article."""

    kind: str
    members: list[Candidate] = field(default_factory=list)

    @property
    def forms(self) -> list[str]:
        return [m.text for m in self.members]

    @property
    def full_forms(self) -> list[str]:
        return [f for f in self.forms if is_full_name(f)]

    @property
    def core_forms(self) -> list[str]:
        """Full forms without a stray leading word: 'Ana Ruiz', not 'Universe Ana Ruiz'."""
        full = self.full_forms
        shorter = {name_key(f) for f in set(full)}
        core = {
            f
            for f in set(full)
            if not any(name_key(f).endswith(k) and k != name_key(f) for k in shorter)
        }
        return [f for f in full if f in core]

    @property
    def first(self) -> int:
        return min(m.start_char for m in self.members)

    def salience(self) -> tuple[int, int]:
        """Most full-name mentions first, then first introduced."""
        return (len(self.full_forms), -self.first)


def person_at(entries: Sequence[PersonMention], start: int, end: int) -> PersonMention | None:
    """The entry with a mention overlapping [start, end); persons before organisations."""
    best: tuple[int, int] | None = None
    found: PersonMention | None = None
    for entry in entries:
        for m_start, m_end in entry.mentions:
            overlap = min(end, m_end) - max(start, m_start)
            if overlap <= 0 and not (start == end and m_start <= start < m_end):
                continue
            rank = (entry.kind == "person", overlap)
            if best is None or rank > best:
                best, found = rank, entry
    return found


class EntryIndex:
    """The article's entries by mention offset and by name, for many look-ups in log time
    (one per quotation): the same answers as `person_at` and a scan of names and aliases."""

    def __init__(self, entries: Sequence[PersonMention] = ()) -> None:
        self._mentions: list[tuple[int, int, int, PersonMention]] = []  # start, end, order
        self._longest = 0
        self._by_name: dict[str, PersonMention] = {}
        self._count = 0
        for entry in entries:
            self.add(entry)

    def add(self, entry: PersonMention) -> None:
        for start, end in entry.mentions:
            bisect.insort(self._mentions, (start, end, self._count, entry),
                          key=lambda m: (m[0], m[1], m[2]))
            self._longest = max(self._longest, end - start)
        for form in (entry.name, *entry.aliases):
            self._by_name.setdefault(form.lower(), entry)
        self._count += 1

    def at(self, start: int, end: int) -> PersonMention | None:
        """As `person_at`: persons before organisations, then the widest overlap, then the
        first entry."""
        lo = bisect.bisect_left(self._mentions, start - self._longest, key=lambda m: m[0])
        best: tuple[bool, int, int] | None = None
        found: PersonMention | None = None
        for m_start, m_end, order, entry in self._mentions[lo:]:
            if m_start >= max(end, start + 1):
                break
            overlap = min(end, m_end) - max(start, m_start)
            if overlap <= 0 and not (start == end and m_start <= start < m_end):
                continue
            rank = (entry.kind == "person", overlap, -order)
            if best is None or rank > best:
                best, found = rank, entry
        return found

    def named(self, name: str) -> PersonMention | None:
        """The first entry called `name` or with it as an alias (any case)."""
        return self._by_name.get(name.lower())


def find_people(doc: Doc) -> list[PersonMention]:
    """People and organisations of one article, each once, with all mention spans and a role."""
    places = place_names(doc)
    people_known = known_people(doc)
    org_texts = {e.text.lower() for e in doc.ents if e.label_ == "ORG"}
    expanded, place_acronyms = acronym_expansions(doc)
    candidates: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in _LABELS:
            continue
        span = clean_span(doc, ent.start, ent.end, ent.label_)
        if span is None:
            continue
        kind = classify(doc, ent.label_, *span, places, people_known, org_texts)
        text = doc[span[0] : span[1]].text
        if kind is None or (kind == "org" and text.lower() in place_acronyms):
            continue
        candidates.append(_candidate(doc, *span, kind))
    candidates = _outside_headlines(doc, candidates)
    candidates = _add_without_overlap(candidates, expanded)
    taken = {i for c in candidates for i in range(c.start, c.end)}
    missed = norp_led_orgs(doc, taken) + platform_mentions(doc, taken)
    candidates = _add_without_overlap(candidates, [c for c in missed if not _in_headline(doc, c)])
    taken = {i for c in candidates for i in range(c.start, c.end)}
    taken |= {t.i for e in doc.ents if e.label_ in ("GPE", "LOC", "NORP", "FAC") for t in e}
    runs = [c for c in headed_org_runs(doc, taken) if not _in_headline(doc, c)]
    candidates = _add_without_overlap(candidates, runs)

    people = _cluster_people([c for c in candidates if c.kind == "person"], doc)
    orgs = _cluster_orgs([c for c in candidates if c.kind == "org"])
    lower_words = lower_case_words(doc)
    people = [
        p
        for p in people
        if not is_false_lone_person(doc, p, lower_words, lambda c: _in_headline(doc, c))
    ]
    people, orgs = _people_that_are_orgs(doc, people, orgs)
    orgs = surname_orgs(people, orgs)
    _add_untagged_mentions(
        doc, people, orgs, {i for c in candidates for i in range(c.start, c.end)}
    )
    roles = {id(p): _roles(doc, p) for p in people}
    role_spans = [(r.start, r.end) for phrases in roles.values() for r in phrases]
    orgs = [o for o in orgs if not _only_inside_roles(doc, o, role_spans)]
    entries = [_person_entry(doc, p, roles[id(p)], people) for p in people]
    entries += [_org_entry(o) for o in orgs]
    entries.sort(key=lambda e: e.mentions[0][0])
    return entries


def _candidate(doc: Doc, start: int, end: int, kind: str) -> Candidate:
    first, last = doc[start], doc[end - 1]
    start_char, end_char = first.idx, last.idx + len(last)
    return Candidate(start, end, kind, doc[start:end].text, start_char, end_char)


def _is_headline(sentence: Span) -> bool:
    """A title-case line ('Obama Says Museum Is a Triumph'): the model's names there are guesses."""
    words = [t for t in sentence if t.is_alpha and len(t) > 3 and t.lower_ not in _LOWER_IN_TITLES]
    return len(words) >= 3 and all(t.text[0].isupper() for t in words)


def _in_headline(doc: Doc, cand: Candidate) -> bool:
    return _is_headline(doc[cand.start].sent)


def _outside_headlines(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """Trust names in title-case lines only as far as the body confirms them.

    'Obama Speech' there becomes the body's 'Obama'; an organisation there that the body never
    names is dropped; a person the body never names (a byline) is kept as the model found it.
    """
    flags = [_in_headline(doc, c) for c in candidates]
    trusted = {c.text for c, flag in zip(candidates, flags, strict=True) if not flag}
    kept: list[Candidate] = []
    for cand, flag in zip(candidates, flags, strict=True):
        if not flag or cand.text in trusted:
            kept.append(cand)
        elif cand.kind == "person":
            prefixes = (
                _candidate(doc, cand.start, end, "person")
                for end in range(cand.end - 1, cand.start, -1)
            )
            kept.append(next((p for p in prefixes if p.text in trusted), cand))
    return kept


def _add_without_overlap(kept: list[Candidate], extra: list[Candidate]) -> list[Candidate]:
    taken = {i for c in kept for i in range(c.start, c.end)}
    added = [c for c in extra if not any(i in taken for i in range(c.start, c.end))]
    return sorted(kept + added, key=lambda c: c.start)


def _cluster_people(candidates: list[Candidate], doc: Doc | None = None) -> list[_Entity]:
    """Full names by compatibility; a lone surname or given name joins the most salient match.

    Indexed by last name part and key (two compatible full names share one of them), so a long
    article with hundreds of people costs linear time, not a comparison of every pair.
    """
    full: list[_Entity] = []
    by_part: dict[str, list[_Entity]] = {}
    forms: dict[int, set[str]] = {}  # id(entity) -> its distinct full forms
    order: dict[int, int] = {}  # id(entity) -> its place in `full`
    for cand in (c for c in candidates if is_full_name(c.text)):
        near = {id(e): e for k in _full_name_keys(cand.text) for e in by_part.get(k, ())}
        fits = sorted(near.values(), key=lambda e: order[id(e)])  # first introduced first
        fits = [e for e in fits if any(full_names_compatible(cand.text, f) for f in forms[id(e)])]
        if fits:
            target = max(fits, key=_Entity.salience)
            target.members.append(cand)
        else:
            target = _Entity("person", [cand])
            order[id(target)] = len(full)
            full.append(target)
            forms[id(target)] = set()
        if cand.text not in forms[id(target)]:
            forms[id(target)].add(cand.text)
            for k in _full_name_keys(cand.text):
                if target not in by_part.setdefault(k, []):
                    by_part[k].append(target)
    singles: dict[str, _Entity] = {}
    salience = {id(e): e.salience() for e in full}  # fixed before lone names join
    by_surname: dict[str, list[_Entity]] = {}
    for entity in full:
        for form in set(entity.core_forms):
            for key in surname_keys(form):
                if entity not in by_surname.setdefault(key, []):
                    by_surname[key].append(entity)
    lone_by_key: dict[tuple[str, str], list[Candidate]] = {}
    for cand in (c for c in candidates if not is_full_name(c.text)):
        lone_by_key.setdefault((name_key(cand.text), _reign(doc, cand)), []).append(cand)
    # Titled ones first ("King Hussein"): a plain "Hussein" later may be either of them.
    for (key, reign), lone in sorted(lone_by_key.items(), key=lambda kv: not kv[0][1]):
        fits = by_surname.get(key, []) or ([] if reign else _misspelt(key, by_surname))
        if reign:
            # "King Hussein" joins only a full name also written after that title.
            fits = [e for e in fits if any(_reign(doc, m) == reign for m in e.members)]
        target = max(fits, key=lambda e: salience[id(e)]) if fits else None
        if target is not None and _someone_else(lone, fits, target):
            target = None
        titled = [e for name, e in singles.items() if name.endswith(f" {key}")
                  and not name.startswith(" ")] if not reign else []
        titled += [e for e in fits if _reigns(doc, e)]
        if titled and not reign and len({id(e) for e in [*titled, *fits]}) > 1:
            # A king and another of the surname here ("King Hussein", "Saddam Hussein"): a
            # plain "Hussein" may be either, so it stays a name of its own, unresolved.
            singles.setdefault(f" {key}", _Entity("person")).members.extend(lone)
        elif target is not None:
            target.members.extend(lone)
        else:
            singles.setdefault(f"{reign} {key}", _Entity("person")).members.extend(lone)
    return full + list(singles.values())


def _misspelt(key: str, by_surname: dict[str, list[_Entity]]) -> list[_Entity]:
    """The one person whose surname a lone name misspells by a letter ("McLenney" for a
    "Tyresha McClenney" named in full): long names only, same first letter, not a plural."""
    if len(key) < 6:
        return []
    found = [
        entities for other, entities in by_surname.items()
        if len(other) >= 6 and other[0] == key[0] and _one_letter_apart(key, other)
        and key not in (other + "s", other + "es")
    ]
    return found[0] if len(found) == 1 and len(found[0]) == 1 else []


def _one_letter_apart(a: str, b: str) -> bool:
    """One letter added, dropped or changed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _reigns(doc: Doc | None, entity: _Entity) -> bool:
    """Written with a reigning title: "King Hussein", or "Hussein" after "King"."""
    return any(_reign(doc, m) or (name_parts(m.text)[:1] and name_parts(m.text)[0]
                                  in REIGNING_TITLES) for m in entity.members)


def _reign(doc: Doc | None, cand: Candidate) -> str:
    """The reigning title written right before a name ("King" Hussein), else ''."""
    if doc is None or cand.start == 0:
        return ""
    word = doc[cand.start - 1].lower_.rstrip(".")
    return word if word in REIGNING_TITLES else ""


def _full_name_keys(name: str) -> set[str]:
    """Index keys of a full name: its key and its last part (what compatible names share)."""
    parts = name_parts(name)
    return {name_key(name), parts[-1]} if parts else {name_key(name)}


def _someone_else(lone: list[Candidate], fits: list[_Entity], target: _Entity) -> bool:
    """A surname used often before any matching full name appears is a different, famous
    person ('Obama' throughout, then one 'Michelle Obama'): keep the surname apart."""
    introduced = min(e.first for e in fits)
    before = sum(1 for c in lone if c.start_char < introduced)
    return before >= 2 and before > len(target.full_forms)


def _people_that_are_orgs(
    doc: Doc, people: list[_Entity], orgs: list[_Entity]
) -> tuple[list[_Entity], list[_Entity]]:
    """Move one-word 'people' the article treats as companies or outlets to the organisations,
    joining an organisation already found under the same name."""
    companies = company_words(orgs)
    by_key = {k: o for o in orgs for f in o.forms for k in company_keys(f)}
    by_key.update({name_key(f): o for o in orgs for f in o.forms})  # its own name first
    kept: list[_Entity] = []
    for person in people:
        if not lone_person_is_org(doc, person, companies):
            kept.append(person)
            continue
        for member in person.members:
            member.kind = "org"
        target = by_key.get(name_key(person.forms[0]))
        if target is None:
            person.kind = "org"
            orgs.append(person)
        else:
            target.members.extend(person.members)
    return kept, orgs


def _cluster_orgs(candidates: list[Candidate]) -> list[_Entity]:
    """Same key, or an acronym of another's full name ('NWS', 'National Weather Service')."""
    by_key: dict[str, _Entity] = {}
    for cand in candidates:
        key = name_key(cand.full_text or cand.text)
        by_key.setdefault(key, _Entity("org")).members.append(cand)
    by_acronym = {acronym(f).lower(): e for e in by_key.values() for f in e.forms if acronym(f)}
    merged: list[_Entity] = []
    for key, entity in by_key.items():
        target = by_acronym.get(key)
        if target is not None and target is not entity and len(entity.forms[0].split()) == 1:
            target.members.extend(entity.members)
        else:
            merged.append(entity)
    return [e for e in merged if e.members]


def _add_untagged_mentions(
    doc: Doc, people: list[_Entity], orgs: list[_Entity], taken: set[int]
) -> None:
    """Later mentions the model missed: known names and surnames found again, one token scan."""
    surfaces: dict[tuple[str, ...], _Entity] = {}
    for entity in orgs + people:
        for member in entity.members:
            surfaces[tuple(t.text for t in doc[member.start : member.end])] = entity
    for entity in orgs:  # "World Health Organization" may come back as "WHO"
        for form in entity.forms:
            short = acronym(form)
            if len(short) >= 3:
                surfaces.setdefault((short,), entity)
    salient: dict[str, _Entity] = {}
    for entity in sorted(people, key=_Entity.salience):
        for form in entity.core_forms:
            words = form.split()
            for word in {words[0], words[-1]}:
                salient[word] = entity  # the most salient entity is written last
    for word, entity in salient.items():
        surfaces.setdefault((word,), entity)
    i = 0
    while i < len(doc):
        match = _match_at(doc, i, surfaces, taken)
        if match is None:
            i += 1
            continue
        length, entity = match
        start = i
        if length == 1 and (first := _untagged_first_name(doc, i, entity)) is not None:
            start = first
        elif i > 0 and doc[i - 1].is_lower and doc[i - 1].lower_ in NAME_PARTICLES:
            with_particle = f"{doc[i - 1].text} {doc[i].text}"  # "ten Hag" of "Erik ten Hag"
            if any(with_particle in form for form in entity.forms):
                start = i - 1
        entity.members.append(_candidate(doc, start, i + length, entity.kind))
        i += length


def _match_at(
    doc: Doc, i: int, surfaces: dict[tuple[str, ...], _Entity], taken: set[int]
) -> tuple[int, _Entity] | None:
    token = doc[i]
    if i in taken or not token.text[:1].isupper() or token.ent_type_ in ("GPE", "LOC", "DATE"):
        return None
    for length in range(min(_MAX_SURFACE_TOKENS, len(doc) - i), 0, -1):
        entity = surfaces.get(tuple(t.text for t in doc[i : i + length]))
        if entity is None or any(j in taken for j in range(i, i + length)):
            continue
        lone = length == 1 and entity.kind == "person" and not _stands_alone(doc, i)
        if lone and _untagged_first_name(doc, i, entity) is None:
            continue
        return length, entity
    return None


def _untagged_first_name(doc: Doc, i: int, entity: _Entity) -> int | None:
    """'arrested Adebayo [Ogunlesi]': a surname known only alone, first written in full."""
    if entity.kind != "person" or entity.full_forms or i == 0:
        return None
    prev = doc[i - 1]
    if (
        prev.pos_ == "PROPN"
        and prev.is_alpha
        and prev.text[:1].isupper()
        and not prev.ent_type_
        and not prev.is_sent_start
        and prev.lower_.rstrip(".") not in TITLE_PREFIXES
        and (i + 1 >= len(doc) or not doc[i + 1].text[:1].isupper())
    ):
        return i - 1
    return None


def _stands_alone(doc: Doc, i: int) -> bool:
    """A lone surname must not be part of another, longer name ('Lee' in 'Lee Hsien-yang')."""
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    prev = doc[i - 1] if i > 0 else None
    if nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper():
        return False
    return not (
        prev is not None
        and prev.pos_ == "PROPN"
        and prev.text[:1].isupper()
        and prev.lower_.rstrip(".") not in TITLE_PREFIXES
    )


def _roles(doc: Doc, entity: _Entity) -> list[RolePhrase]:
    found: list[RolePhrase] = []
    for member in entity.members:
        span = doc[member.start : member.end]
        for phrase in (
            premodifier(doc, member.start, range(member.start, member.end)),
            apposition(doc, span.root, member.start, member.end),
        ):
            if phrase is not None:
                found.append(phrase)
    return found


def _only_inside_roles(doc: Doc, org: _Entity, role_spans: list[tuple[int, int]]) -> bool:
    """'State' in 'Secretary of State' is part of a title, not an organisation."""

    def inside(m: Candidate) -> bool:
        return any(s <= m.start_char and m.end_char <= e for s, e in role_spans) and (
            m.start > 0 and doc[m.start - 1].lower_ == "of"
        )

    return all(inside(m) for m in org.members)


def _render(doc: Doc, phrase: RolePhrase, entity: _Entity, people: list[_Entity]) -> str:
    """'Ruiz's late mother' -> 'late mother of Ana Ruiz' when the possessor is a person."""
    if phrase.owner is None:
        return phrase.text
    start, end = phrase.owner
    for other in people:
        if other is entity:
            continue
        if any(m.start_char <= start and end <= m.end_char for m in other.members):
            return f"{phrase.relation} of {_canonical_person(other)}"
    return phrase.text


def _canonical_person(entity: _Entity) -> str:
    candidates = entity.core_forms or entity.forms
    forms = Counter(candidates)
    first_at: dict[str, int] = {}
    for member in sorted(entity.members, key=lambda m: m.start_char):
        first_at.setdefault(member.text, member.start_char)
    return max(forms, key=lambda f: (forms[f], -first_at[f]))


def _person_entry(
    doc: Doc, entity: _Entity, roles: list[RolePhrase], people: list[_Entity]
) -> PersonMention:
    name = _canonical_person(entity)
    return PersonMention(
        name=name,
        kind="person",
        aliases=_aliases(entity, name),
        role=best_role(_render(doc, r, entity, people) for r in roles),
        mentions=_mentions(entity),
    )


def _org_entry(entity: _Entity) -> PersonMention:
    forms = Counter(m.full_text or m.text for m in entity.members)
    # The spelled-out name reads best; among those the most used, then the longest.
    name = max(forms, key=lambda f: (len(f.split()) > 1, forms[f], len(f)))
    return PersonMention(
        name=name, kind="org", aliases=_aliases(entity, name), mentions=_mentions(entity)
    )


def _aliases(entity: _Entity, name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for f in entity.forms if f != name))


def _mentions(entity: _Entity) -> tuple[tuple[int, int], ...]:
    return tuple(sorted({(m.start_char, m.end_char) for m in entity.members}))
