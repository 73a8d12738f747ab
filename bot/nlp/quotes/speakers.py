"""From a cue verb or a stretch of narrative to the person or organisation it names."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from bot.nlp.quotes.lexicon import (
    FEMALE_ROLE_WORDS,
    GROUP_NOUNS,
    MALE_ROLE_WORDS,
    ORG_NOUNS,
    PERSON_NOUNS,
    SPEECH_VERBS,
)
from bot.nlp.quotes.marks import CLOSERS, OPENERS, STRAIGHT
from bot.nlp.quotes.orgs import OrgIndex, OrgMention
from bot.nlp.quotes.people import (
    SUBJECT_DEPS,
    SUBJECT_PRONOUNS,
    Mention,
    PeopleIndex,
    gender_of,
)
from bot.nlp.text import doc_text

QUOTE_MARKS = OPENERS + CLOSERS + STRAIGHT + "‘’'"
NAME_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
GROUP_PRONOUNS = frozenset({"it", "they"})  # an organisation or a group of people
# what a person's own organisation is called: it speaks for that person
OWN_ORG_NOUNS = frozenset({"campaign", "camp", "team", "office", "staff", "administration"})

Speaker = tuple[str | None, tuple[int, int] | None]
NOBODY: Speaker = (None, None)


# Endings of nouns for people ("an analyst", "a protester", "the negotiator").
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person", "ee")


def _animate(tok: Token) -> bool:
    """Whether a common noun can be someone who speaks (an unresolved description)."""
    lemma = tok.lemma_.lower()
    return (lemma in PERSON_NOUNS or tok.lower_ in PERSON_NOUNS or lemma in GROUP_NOUNS
            or lemma in ORG_NOUNS or lemma.endswith(_PERSON_SUFFIXES)
            or lemma in ("official", "source", "witness", "people", "resident", "police"))


class SpeakerFinder:
    """Names the speaker behind a subject, a pronoun, a description or a stretch of narrative."""

    def __init__(self, doc: Doc, inside: set[int], people: PeopleIndex, orgs: OrgIndex) -> None:
        self.doc = doc
        self.inside = inside  # token indices inside quotations
        self.people = people
        self.orgs = orgs

    def _is_text(self, tok: Token) -> bool:
        """Narrative tokens: neither quoted nor a quote mark."""
        return tok.i not in self.inside and not all(ch in QUOTE_MARKS for ch in tok.text)

    def _speaker_of_clause(self, verb: Token, strict: bool = True) -> Speaker:
        subject = self._subject(verb)
        return self._speaker_of_token(subject, strict) if subject is not None else NOBODY

    def _speaker_of_verb(self, verb: Token, window: list[Token]) -> Speaker:
        if verb.tag_ == "VBG" and verb.i > 0:  # "footage of X saying"
            mention = self.people.mention_in(verb.nbor(-1).idx, verb.idx)
            if mention is not None and mention.end <= verb.idx:
                return self._named(mention)
        subject = self._subject(verb)
        if subject is not None:
            speaker = self._speaker_of_token(subject)
            if speaker[0]:
                return speaker
            if subject.pos_ == "PRON":
                return NOBODY
        before = sorted((t for t in window if t.i < verb.i), key=lambda t: t.i)
        if before:
            return self._speaker_in(before[-8:])
        after = []  # "Said X: ..."
        for tok in self.doc[verb.i + 1 : verb.i + 8]:
            if tok.is_punct or not self._is_text(tok):
                break
            after.append(tok)
        return self._speaker_in(after)

    def _subject(self, verb: Token) -> Token | None:
        """The verb's subject, the agent of a passive, or the subject of the verb a participle
        hangs on ("..., adding"), if it is narrative text in the verb's paragraph."""
        current: Token | None = verb
        for _ in range(5):
            if current is None:
                return None
            for child in current.children:
                if child.dep_ in SUBJECT_DEPS and any(ch.isalnum() for ch in child.text):
                    return child if self._near(child, verb) else None
                if child.dep_ == "agent":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects and self._near(objects[0], verb):
                        return objects[0]
            if current.dep_ == "xcomp":
                # "led the journalist to fear "..."": the object of the verb above does it
                objects = [
                    c for c in current.head.children if c.dep_ == "dobj" and c.i < current.i
                ]
                if objects and objects[0].pos_ in ("PROPN", "NOUN"):
                    return objects[0] if self._near(objects[0], verb) else None
            if current.dep_ == "acl" and current.head.pos_ in ("PROPN", "NOUN"):
                return current.head if self._near(current.head, verb) else None
            # "..., he appeared ... for saying that": a gerund under a preposition takes the
            # subject of the clause the preposition hangs on
            under_preposition = current.dep_ == "pcomp" or (
                current.pos_ == "ADP" and current.dep_ in ("prep", "conj")
            )
            movable = (
                current.dep_ in ("conj", "xcomp", "advcl", "ccomp") or under_preposition
            ) and current.head != current
            current = current.head if movable else None
        return None

    def _near(self, tok: Token, verb: Token) -> bool:
        if not self._is_text(tok):
            return False
        lo, hi = sorted((tok.idx, verb.idx))
        return "\n" not in doc_text(self.doc)[lo:hi]

    def _speaker_of_token(self, tok: Token, strict: bool = False) -> Speaker:
        """The best name for a subject token: a name, a resolved pronoun or description."""
        phrase = [t for t in _noun_phrase(tok) if self._near(t, tok)]
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
        mention = self.people.mention_in(tok.idx, tok.idx + len(tok))
        if mention is None and not _someone_of(tok):
            mention = self.people.last_mention_in(start, end)
        if mention is not None:
            return self._named(mention)
        if tok.lower_ in SUBJECT_PRONOUNS or tok.lower_ in ("him", "her"):
            return self._pronoun(tok)
        if tok.lower_ in GROUP_PRONOUNS:
            return self._org(self.orgs.resolve(tok))
        if tok.pos_ == "PRON":
            return NOBODY
        if tok.ent_type_ in NAME_ENTS or _proper(tok):
            return self._entity_name(tok, phrase)
        if not _common(tok):
            return NOBODY
        for child in tok.children:
            if child.dep_ == "appos":
                mention = self.people.mention_in(child.idx, child.idx + len(child))
                if mention is not None:
                    return self._named(mention)
        mention = self.people.resolve_description(tok)
        if mention is not None:
            return self._named(mention)
        if tok.lemma_.lower() in ORG_NOUNS:
            return self._org_description(tok)
        inside = () if _someone_of(tok) else tok.subtree
        for inner in inside:  # "officials at the Foreign Ministry"
            # Only people and organisations speak for a phrase around them: "the summit in
            # Geneva" is not Geneva speaking.
            if inner.i != tok.i and inner.ent_type_ in ("PERSON", "ORG", "NORP") \
                    and self._near(inner, tok):
                found = self.people.mention_in(inner.idx, inner.idx + len(inner))
                return self._named(found) if found else self._entity_name(inner, [inner])
        if tok.lower_ in GROUP_NOUNS and not strict:
            return self._org_description(tok)
        if strict or not _animate(tok):
            return NOBODY  # "the summit ended": things do not speak
        if _someone_of(tok):  # the span is the noun's, so it is never read as the possessor's
            return doc_text(self.doc)[start:end], (tok.idx, tok.idx + len(tok))
        return doc_text(self.doc)[start:end], (start, end)

    def _pronoun(self, pronoun: Token) -> Speaker:
        """The person he/she stands for, or an unnamed speaker just described ("...," a
        ministry spokeswoman said. "...," she added.) when no name came after it."""
        mention = self.people.resolve_pronoun(pronoun)
        described = self._described_before(pronoun)
        if described is not None and described[1] is not None and (
            mention is None or mention.start < described[1][0]
        ):
            return described
        return self._named(mention)

    def _described_before(self, pronoun: Token) -> Speaker | None:
        """The last unnamed person described as the subject of a speech verb in the pronoun's
        sentence or the one before, if the description's gender does not rule it out."""
        sent = pronoun.sent
        start = sent.start
        if start > 0:
            start = self.doc[start - 1].sent.start
        gender = gender_of(pronoun.lower_)
        for tok in reversed(self.doc[start : pronoun.i]):
            if tok.dep_ not in SUBJECT_DEPS or not _common(tok) or not self._is_text(tok):
                continue
            word = tok.lower_
            if tok.lemma_.lower() not in PERSON_NOUNS and word not in PERSON_NOUNS:
                continue
            if tok.head.lemma_.lower() not in SPEECH_VERBS:
                continue
            if (gender == "m" and word in FEMALE_ROLE_WORDS) or (
                gender == "f" and word in MALE_ROLE_WORDS
            ):
                continue
            speaker = self._speaker_of_token(tok)
            if speaker[0] and speaker[1] and self.people.mention_in(*speaker[1]) is None:
                return speaker
            return None  # the nearest described speaker has a name: the name's chain decides
        return None

    def _org_description(self, head: Token) -> Speaker:
        name, start = self.orgs.describe(head)
        return name, (start, head.idx + len(head))

    def _speaker_in(self, tokens: list[Token]) -> Speaker:
        """The speaker named in a stretch of narrative next to a cue."""
        tokens = [t for t in tokens if self._is_text(t)]
        if not tokens:
            return NOBODY
        # "Clinton spokesman Brian Fallon, a former aide," names Fallon: the last name in the
        # first comma-separated part that has one.
        segment: list[Token] = []
        for tok in tokens + [None]:
            if tok is not None and tok.text != ",":
                segment.append(tok)
                continue
            mention = self._last_mention(segment)
            if mention is not None:
                return self._named(mention)
            segment = []
        for tok in tokens:
            if tok.lower_ in SUBJECT_PRONOUNS:
                return self._pronoun(tok)
            if tok.lower_ in GROUP_PRONOUNS:
                return self._org(self.orgs.resolve(tok))
        for tok in tokens:
            if tok.ent_type_ in NAME_ENTS or _proper(tok):
                return self._entity_name(tok, [tok])
        nouns = [t for t in tokens if _common(t)]
        if nouns:
            head = next((t for t in nouns if t.head not in tokens), nouns[0])
            return self._speaker_of_token(head)
        return NOBODY

    def _last_mention(self, tokens: list[Token]) -> Mention | None:
        if not tokens:
            return None
        return self.people.last_mention_in(tokens[0].idx, tokens[-1].idx + len(tokens[-1]))

    def _named(self, mention: Mention | None) -> Speaker:
        if mention is None:
            return NOBODY
        return self.people.best_name(mention.key, mention.start), (mention.start, mention.end)

    def _org(self, mention: OrgMention | None) -> Speaker:
        """The organisation an "it" or "they" stands for; "Clinton's campaign" speaks for
        Clinton, as it does when it is the subject itself (the possessor is named)."""
        if mention is None:
            return NOBODY
        words = doc_text(self.doc)[mention.start : mention.end].split()
        if words and words[-1].lower() in OWN_ORG_NOUNS:
            owner = self.people.mention_in(mention.start, mention.end)
            text = doc_text(self.doc)[owner.end : owner.end + 2] if owner is not None else ""
            if owner is not None and text in ("’s", "'s"):
                return self._named(owner)
        return mention.name, (mention.start, mention.end)

    def _entity_name(self, tok: Token, phrase: list[Token]) -> Speaker:
        if tok.ent_iob_ in ("B", "I"):  # the entity around tok, without a scan of doc.ents
            first, last = tok.i, tok.i
            while self.doc[first].ent_iob_ == "I" and first > 0:
                first -= 1
            while last + 1 < len(self.doc) and self.doc[last + 1].ent_iob_ == "I":
                last += 1
            start = self.doc[first].idx
            end = self.doc[last].idx + len(self.doc[last])
        else:
            names = [t for t in phrase if t.pos_ == "PROPN"] or [tok]
            start, end = names[0].idx, names[-1].idx + len(names[-1])
        name = doc_text(self.doc)[start:end]
        for article in ("The ", "the "):
            if name.startswith(article):
                name, start = name[len(article) :], start + len(article)
        return name, (start, end)




def _proper(tok: Token) -> bool:
    """A proper noun as written: the small model tags a lower-case "minister" PROPN at times."""
    return tok.pos_ == "PROPN" and not tok.is_lower


def _common(tok: Token) -> bool:
    return tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.is_lower)


def _someone_of(tok: Token) -> bool:
    """"Tanaka's spokeswoman", "the senator's wife": a person described by whose they are is
    not the possessor (an organisation of someone's, "Clinton's campaign", speaks for them)."""
    # a known person noun only: "Trump's statement" is still Trump's
    if not _common(tok) or tok.lemma_.lower() not in PERSON_NOUNS:
        return False
    return any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in tok.children)


def _noun_phrase(head: Token) -> list[Token]:
    """The head with the words right before it in its phrase (determiners, titles, compounds),
    contiguous, so a parse that reaches across a dash or a line does not drag text in."""
    deps = ("det", "compound", "amod", "poss", "nmod", "nummod", "case")
    left = {t.i for c in head.lefts if c.dep_ in deps for t in c.subtree}
    tokens = [head]
    i = head.i - 1
    while i >= 0 and i in left and not head.doc[i].is_punct:
        tokens.insert(0, head.doc[i])
        i -= 1
    for right in head.rights:
        if right.dep_ in ("compound", "flat") and right.i == tokens[-1].i + 1:
            tokens.append(right)
    return tokens
