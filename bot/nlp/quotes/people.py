"""Who a quotation's subject refers to: names, pronouns and role descriptions in one article."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from bot.nlp.quotes.lexicon import (
    FEMALE_FIRST_NAMES,
    FEMALE_PRONOUNS,
    FEMALE_ROLE_WORDS,
    FEMALE_TITLES,
    MALE_FIRST_NAMES,
    MALE_PRONOUNS,
    MALE_ROLE_WORDS,
    MALE_TITLES,
    PERSON_NOUNS,
    ROLE_FILLERS,
    ROLE_SYNONYMS,
    TITLE_ROLES,
    WORK_NOUNS,
)
from bot.nlp.text import doc_text

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
SUBJECT_PRONOUNS = frozenset({"he", "she"})
PRONOUN_REACH = 2500  # characters a pronoun may look back for the person it stands for
DESCRIPTION_REACH = 20000


@dataclass(frozen=True)
class Mention:
    """One PERSON name in the text."""

    start: int
    end: int
    text: str
    key: str  # last name, lower case: mentions with one key are one person
    rank: int  # 0 subject of its sentence, 1 subject of a clause, 2 anything else


@dataclass
class Person:
    """What the article tells about one person (grouped by last name)."""

    names: list[str] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)  # "m"/"f" evidence
    roles: list[tuple[str, frozenset[str], int]] = field(default_factory=list)  # head, words, at

    @property
    def gender(self) -> str | None:
        ranked = self.votes.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]


def role_word(word: str) -> str:
    """A role noun in the form used to compare roles ("spokeswoman" -> "spokesman")."""
    word = word.lower()
    word = TITLE_ROLES.get(word, word)
    return ROLE_SYNONYMS.get(word, word)


def gender_of(pronoun: str) -> str | None:
    pronoun = pronoun.lower()
    if pronoun in MALE_PRONOUNS:
        return "m"
    if pronoun in FEMALE_PRONOUNS:
        return "f"
    return None


def _rank(tok: Token) -> int:
    if tok.dep_ in SUBJECT_DEPS:
        return 0 if tok.head.dep_ == "ROOT" else 1
    return 2


class PeopleIndex:
    """PERSON mentions and he/she subjects in text order, for resolving speakers."""

    def __init__(self, doc: Doc, is_quoted: Callable[[int], bool]) -> None:
        self.doc = doc
        self.people: dict[str, Person] = {}
        self.mentions: list[Mention] = []
        self._memo: dict[int, Mention | None] = {}
        self._keyed: dict[str, tuple[list[int], list[str], list[Mention]]] | None = None
        self._roles: dict[str, list[tuple[int, frozenset[str], str]]] | None = None
        self._latest: dict[str, str] = {}  # a last (or first) name -> the latest full-name key
        # per sentence: (offset, rank, Mention or he/she Token) for every possible antecedent
        self._sent_starts: list[int] = []
        self._items: list[list[tuple[int, float, Mention | Token]]] = []
        # a paragraph break also ends a sentence: the parser sometimes runs one across it
        starts = {sent.start_char for sent in doc.sents}
        starts.update(m.end() for m in re.finditer(r"\n\s*(?=\S)", doc_text(doc)))
        for start in sorted(starts):
            self._sent_starts.append(start)
            self._items.append([])
        for name in _person_names(doc):
            if not is_quoted(name.start_char):
                self._add_mention(name)
        self._starts = [m.start for m in self.mentions]
        for tok in doc:
            if (
                tok.lower_ in SUBJECT_PRONOUNS
                and tok.dep_ in SUBJECT_DEPS
                and not is_quoted(tok.idx)
            ):
                self._items[self._sent_of(tok.idx)].append((tok.idx, _rank(tok), tok))
        for items in self._items:
            items.sort(key=lambda item: (item[1], item[0]))
        self._learn_genders(is_quoted)

    def _sent_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, offset) - 1)

    def _add_mention(self, ent: Span) -> None:
        text = ent.text.replace("’s", "").replace("'s", "").strip()
        key = self._key_for(text)
        if not key:
            return
        introduced = key not in self.people and _introduced(ent)
        person = self.people.setdefault(key, Person())
        if text not in person.names:
            person.names.append(text)
        mention = Mention(ent.start_char, ent.end_char, text, key, _rank(ent.root))
        self.mentions.append(mention)
        # A person introduced with who they are ("Henry Crespo, president of the caucus")
        # is a new source: a "he said" after it more likely quotes them than a name that
        # is only the subject of a side clause of the same sentence.
        order = min(mention.rank, 0.5) if introduced else mention.rank
        self._items[self._sent_of(ent.start_char)].append((mention.start, order, mention))
        first = text.split()[0].lower()
        if first in MALE_FIRST_NAMES:
            person.votes["m"] += 3
        elif first in FEMALE_FIRST_NAMES:
            person.votes["f"] += 3
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if before in MALE_TITLES:
            person.votes["m"] += 3
        elif before in FEMALE_TITLES:
            person.votes["f"] += 3
        for head, words in _roles_of(ent):
            person.roles.append((head, words, ent.start_char))
            for word in words:
                if word in FEMALE_ROLE_WORDS:
                    person.votes["f"] += 2
                elif word in MALE_ROLE_WORDS:
                    person.votes["m"] += 2

    def _key_for(self, text: str) -> str:
        """Mentions of one person share a key: the full name when there is one ("Ivanka Trump"
        and "Donald Trump" stay apart); a lone "Trump" joins the latest full name it ends or
        starts ("Hillary" joins "Hillary Clinton")."""
        words = [w for w in text.lower().split() if w.strip(".")]
        if not words or not any(ch.isalpha() for ch in words[-1]):
            return ""
        if len(words) > 1:
            full = " ".join(words)
            self._latest[words[-1]] = full
            self._latest.setdefault(words[0], full)
            return full
        return self._latest.get(words[0], words[0])

    def _learn_genders(self, is_quoted: Callable[[int], bool]) -> None:
        """A name that is a sentence subject, followed by a he or she subject before any other
        name, votes for that gender: cheap, and right for most news prose ("his" and "her"
        are left out: they often belong to someone else in the sentence)."""
        doc = self.doc
        text = doc_text(doc)
        for i, m in enumerate(self.mentions):
            if m.rank != 0:
                continue
            limit = self.mentions[i + 1].start if i + 1 < len(self.mentions) else len(text)
            sent = self._sent_of(m.start)
            if sent + 2 < len(self._sent_starts):
                limit = min(limit, self._sent_starts[sent + 2])
            span = doc.char_span(m.end, limit, alignment_mode="contract")
            for tok in span or ():
                gender = gender_of(tok.lower_) if tok.dep_ in SUBJECT_DEPS else None
                if gender and not is_quoted(tok.idx):
                    self.people[m.key].votes[gender] += 1
                    break

    def best_name(self, key: str, before: int) -> str:
        """The longest form of the person's name, preferring forms seen by `before`."""
        starts, longest, _ = self._by_key().get(key, ([], [], []))
        k = bisect.bisect_right(starts, before)
        return longest[k - 1] if k else max(self.people[key].names, key=len)

    def _by_key(self) -> dict[str, tuple[list[int], list[str], list[Mention]]]:
        """Per person: mention starts in text order, the longest form seen up to each, and the
        mentions themselves (built once: speakers are looked up per quotation)."""
        if self._keyed is None:
            self._keyed = {}
            for m in self.mentions:
                starts, longest, mentions = self._keyed.setdefault(m.key, ([], [], []))
                best = longest[-1] if longest and len(longest[-1]) >= len(m.text) else m.text
                starts.append(m.start)
                longest.append(best)
                mentions.append(m)
        return self._keyed

    def mention_in(self, start: int, end: int) -> Mention | None:
        """The first PERSON mention overlapping [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        if i > 0 and self.mentions[i - 1].end > start:
            return self.mentions[i - 1]
        if i < len(self.mentions) and self.mentions[i].start < end:
            return self.mentions[i]
        return None

    def last_mention_in(self, start: int, end: int) -> Mention | None:
        """The last PERSON mention overlapping [start, end)."""
        i = bisect.bisect_left(self._starts, end) - 1
        if i >= 0 and self.mentions[i].end > start:
            return self.mentions[i]
        return None

    def resolve_pronoun(self, pronoun: Token) -> Mention | None:
        """The person he/she stands for: search sentences backwards; in each, the subject of the
        sentence first, then other subjects, then the first name; a he/she subject met on the
        way is resolved the same way (chains of "he said")."""
        if pronoun.i in self._memo:
            return self._memo[pronoun.i]
        self._memo[pronoun.i] = None  # guards against cycles
        gender = gender_of(pronoun.lower_)
        found = self._search_back(pronoun, gender, strict=False, reach=PRONOUN_REACH)
        self._memo[pronoun.i] = found
        return found

    def _search_back(
        self, pronoun: Token, gender: str | None, strict: bool, reach: int
    ) -> Mention | None:
        at = pronoun.idx
        sent = self._sent_of(at)
        while sent >= 0 and at - self._sent_starts[sent] <= reach:
            namesake: Mention | None = None
            for offset, _, item in self._items[sent]:
                if offset >= at:
                    continue
                if isinstance(item, Mention):
                    if self._fits(item.key, gender, strict):
                        return item
                    # A lone surname that does not fit the pronoun may be the namesake who
                    # does ("Clinton" last attached to Bill, then "she"), if it is the main
                    # subject of its sentence and nobody else there fits.
                    if item.rank == 0 and namesake is None:
                        namesake = self._namesake(item, gender)
                elif gender_of(item.lower_) == gender:
                    found = self.resolve_pronoun(item)
                    if found is not None and self._fits(found.key, gender, strict):
                        return found
            if namesake is not None:
                return namesake
            sent -= 1
        return None

    def _namesake(self, mention: Mention, gender: str | None) -> Mention | None:
        """A lone surname shared by two people of the article ("Clinton" for Bill and Hillary
        Clinton) stands for the one whose gender fits the pronoun."""
        if gender is None or " " in mention.text.strip():
            return None
        surname = mention.text.strip().lower()
        for key, person in self.people.items():
            if key != mention.key and key.split()[-1] == surname and person.gender == gender:
                return Mention(mention.start, mention.end, mention.text, key, mention.rank)
        return None

    def _fits(self, key: str, gender: str | None, strict: bool = False) -> bool:
        known = self.people[key].gender if key in self.people else None
        if strict:
            return gender is not None and known == gender
        return gender is None or known is None or known == gender

    def resolve_description(self, head: Token) -> Mention | None:
        """The person the article introduced with the role that `head` names ("the senator")."""
        at = head.idx
        want = role_word(head.lemma_ or head.text)
        words = {t.lower_ for t in head.children if t.dep_ in ("amod", "compound") and t.i < head.i}
        best: tuple[int, int] | None = None
        best_key = ""
        holders = self._role_holders().get(want, [])
        lo = bisect.bisect_left(holders, at - DESCRIPTION_REACH, key=lambda r: r[0])
        hi = bisect.bisect_left(holders, at, key=lambda r: r[0])
        for role_at, role_words, key in holders[lo:hi]:
            if (words - role_words) & {"former", "vice", "deputy", "first"}:
                continue  # "the former president" is not "the president"
            score = (len(words & role_words), role_at)
            if best is None or score > best:
                best, best_key = score, key
        if not best_key:
            return None
        starts, _, mentions = self._by_key()[best_key]
        k = bisect.bisect_left(starts, at)
        return mentions[k - 1] if k else None

    def _role_holders(self) -> dict[str, list[tuple[int, frozenset[str], str]]]:
        """Role head -> (offset, role words, person key) of every role given, in text order."""
        if self._roles is None:
            self._roles = {}
            for key, person in self.people.items():
                for role_head, role_words, role_at in person.roles:
                    self._roles.setdefault(role_head, []).append((role_at, role_words, key))
            for holders in self._roles.values():
                holders.sort(key=lambda r: r[0])
        return self._roles




def _person_names(doc: Doc) -> list[Span]:
    """PERSON entities, plus what the tagger left unlabelled: a lone surname of a person named in
    full elsewhere ("Christie, who ...") and proper-noun subjects ("Wines said")."""
    names = [ent for ent in doc.ents if ent.label_ == "PERSON" and not _is_title(ent)]
    in_person = {i for ent in names for i in range(ent.start, ent.end)}
    # subjects first: "Mehmet Oz said" untagged still gives the surname of a later "Oz's"
    for tok in doc:
        if _is_unlabelled_name(tok, in_person) and tok.dep_ in SUBJECT_DEPS \
                and tok.is_alpha and not tok.ent_type_:
            names.append(_with_compounds(tok, in_person))
    surnames = {ent[-1].lower_ for ent in names if len(ent) > 1 and ent[-1].is_alpha}
    taken = {ent.end - 1 for ent in names}
    for tok in doc:
        if not _is_unlabelled_name(tok, in_person) or tok.i in taken:
            continue
        if tok.lower_ in surnames and not (
            tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"
        ):
            names.append(_with_compounds(tok, in_person))
    return sorted(names, key=lambda span: span.start)


def _introduced(ent: Span) -> bool:
    """A full name with an apposition saying who the person is."""
    return len(ent) > 1 and any(
        c.dep_ == "appos" and c.ent_type_ != "PERSON" and c.pos_ in ("NOUN", "PROPN")
        for c in ent.root.children
    )


def _is_title(ent: Span) -> bool:
    """ "her 2003 book, Living History,": a name in apposition to a work is its title."""
    root = ent.root
    if root.dep_ == "appos" and root.head.lemma_.lower() in WORK_NOUNS:
        return True
    doc = ent.doc  # the parser often misses the apposition: read the commas around it
    return (
        ent.start >= 2 and doc[ent.start - 1].text == ","
        and doc[ent.start - 2].lemma_.lower() in WORK_NOUNS
        and ent.end < len(doc) and doc[ent.end].text == ","
    )


def _is_unlabelled_name(tok: Token, in_person: set[int]) -> bool:
    if tok.i not in in_person and tok.pos_ == "PROPN" and tok.text[:1].isupper():
        # "the 19th Amendment", "the Senate": a person's name takes no article or number
        before = tok.doc[tok.i - 1] if tok.i > 0 else None
        while before is not None and before.is_space and before.i > 0:
            before = tok.doc[before.i - 1]
        return before is None or not (
            before.lower_ in ("the", "a", "an") or before.like_num
            or before.text[:1].isdigit()
        )
    return False


def _with_compounds(tok: Token, in_person: set[int]) -> Span:
    """The name ending at `tok` with the untagged proper nouns compounded before it."""
    doc = tok.doc
    start = tok.i
    while (
        start > 0
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].dep_ == "compound"
        and start - 1 not in in_person
        and not doc[start - 1].ent_type_
    ):
        start -= 1
    return doc[start : tok.i + 1]


def _roles_of(ent: Span) -> list[tuple[str, frozenset[str]]]:
    """Roles a name is introduced with: "Russian President X" (a title before the name) and
    "X, the party's chairman," or "the chairman, X" (appositions)."""
    doc = ent.doc
    words: list[Token] = []
    i = ent.start - 1
    while i >= 0 and len(words) < 8:
        tok = doc[i]
        if "\n" in tok.text or tok.ent_type_ == "PERSON":
            break
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ") and tok.lower_ not in ROLE_FILLERS:
            break
        words.append(tok)
        i -= 1
    roles = _role_from_words(words)
    root = ent.root
    appositions = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        appositions.append(root.head)
    for noun in appositions:
        if noun.ent_type_ == "PERSON" or ent.start <= noun.i < ent.end:
            continue
        phrase = [t for t in noun.subtree if t.i <= noun.i and t.dep_ != "punct"]
        roles += _role_from_words(phrase)
    return roles


def _role_from_words(words: list[Token]) -> list[tuple[str, frozenset[str]]]:
    lowered = frozenset(t.lower_ for t in words)
    out = []
    for tok in words:
        head = role_word(tok.lemma_ if tok.pos_ == "NOUN" else tok.text)
        if head in PERSON_NOUNS or tok.lower_ in TITLE_ROLES:
            out.append((head, lowered))
    return out
