"""Roles and titles read around a name: pre-modifiers, appositions, 'X's late father, Y'."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from bot.nlp.name_words import HONORIFICS, ROLE_WORDS, word_set
from bot.nlp.people.tables import NON_ROLE_HEADS

_NUMERIC = word_set("DATE TIME CARDINAL MONEY PERCENT QUANTITY")  # "first lady" stays
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "eur", "ee", "ate", "ive")
_ARTICLES = word_set("a an the")
_MAX_WORDS = 8
_LEADING_JUNK = word_set("of and his her their its our my your another")
_INNER_PUNCT = frozenset(("-", "&", "."))


@dataclass(frozen=True)
class RolePhrase:
    """A role as written, and the possessor it is relative to ('Ruiz' in "Ruiz's late mother")."""

    text: str
    start: int  # character span of the whole phrase in the doc
    end: int
    owner: tuple[int, int] | None = None  # character span of a possessor name
    relation: str = ""  # the role without its possessor: "late father"


def _is_role_word(token: Token) -> bool:
    return token.lower_.strip(".") in ROLE_WORDS


def _capitalised(token: Token) -> bool:
    text = token.text
    return (
        text[:1].isupper()
        and (not token.is_stop or text.isupper())
        and token.pos_ in ("PROPN", "ADJ", "NOUN")  # not a sentence-initial "Like" or "Asked"
    )


def _agent_noun(token: Token) -> bool:
    """'historian', 'plotter', 'confidante': a noun for a person, unlike 'book' or 'cement'."""
    return token.pos_ == "NOUN" and token.lower_.rstrip("e").endswith(_AGENT_ENDINGS)


def _phrase(doc: Doc, tokens: list[Token]) -> RolePhrase | None:
    """Clean a run of tokens into a role: no leading article or 'of', possessor split off."""
    while tokens and (
        tokens[0].lower_ in _LEADING_JUNK or tokens[0].tag_ == "POS" or tokens[0].pos_ == "ADV"
    ):
        tokens = tokens[1:]
    if any(t.is_punct and t.text not in _INNER_PUNCT and t.tag_ != "POS" for t in tokens):
        return None
    if tokens and tokens[0].lower_ in _ARTICLES:
        keeps_the = len(tokens) > 2 and tokens[2].tag_ == "POS"  # "the party's chairman"
        if tokens[0].lower_ != "the" or not keeps_the:
            tokens = tokens[1:]
    if not tokens or len(tokens) > _MAX_WORDS:
        return None
    nouns = [t for t in tokens if _is_role_word(t) or _agent_noun(t)]
    if not nouns or tokens[0].tag_ == "CD" or tokens[0].lower_ == "no":
        return None
    head = nouns[0] if any(t.lower_ == "of" for t in tokens) else nouns[-1]
    if head.tag_ in ("NNS", "NNPS") or head.lower_ in NON_ROLE_HEADS:
        return None  # "two Vermont developers", "a black man": descriptions, not roles
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    owner = None
    relation = ""
    possessive = [i for i, t in enumerate(tokens) if t.tag_ == "POS"]
    if possessive and 0 < possessive[0] < len(tokens) - 1:
        owner_tokens = tokens[: possessive[0]]
        if all(t.text[:1].isupper() for t in owner_tokens):
            owner = (owner_tokens[0].idx, owner_tokens[-1].idx + len(owner_tokens[-1]))
            rest = tokens[possessive[0] + 1 :]
            relation = doc[rest[0].i : rest[-1].i + 1].text
    # doc.text joins every token on each call: take the phrase's own tokens instead.
    return RolePhrase(doc[tokens[0].i : tokens[-1].i + 1].text, start, end, owner, relation)


def premodifier(doc: Doc, start: int, name_tokens: range) -> RolePhrase | None:
    """'French President [Emmanuel Macron]', 'U.S. Secretary of State [Antony Blinken]'."""
    sent_start = doc[start].sent.start if start < len(doc) else 0
    taken: list[Token] = []
    inside = set(name_tokens)
    i = start - 1
    while i >= sent_start and len(taken) < _MAX_WORDS:
        token = doc[i]
        if token.ent_type_ in _NUMERIC or token.lower_.rstrip(".") in HONORIFICS:
            break
        if token.text == ")" and i - 2 >= sent_start and doc[i - 2].text == "(":
            if doc[i - 1].text.isupper():  # "(UAE) leader": the acronym, not what it expands
                taken.insert(0, doc[i - 1])
            break
        prev = doc[i - 1] if i - 1 >= sent_start else None
        accept = (
            _is_role_word(token)
            or _capitalised(token)
            or (
                token.lower_ == "of"
                and taken
                and prev is not None
                and _is_role_word(prev)  # "Secretary of State"
            )
            or (token.tag_ == "POS" and taken and prev is not None and prev.text[:1].isupper())
            or (
                token.pos_ in ("ADJ", "NOUN")
                and token.dep_ in ("amod", "compound", "nmod")
                and (token.head.i in inside or any(token.head.i == t.i for t in taken))
            )
        )
        if not accept:
            break
        taken.insert(0, token)
        inside.add(token.i)
        i -= 1
    # The word next to the name must be the title itself ("Secretary of State" counts),
    # not a place or a date.
    while taken and not (_is_role_word(taken[-1]) or taken[-1].pos_ == "NOUN" or _of_title(taken)):
        if taken[-1].text[:1].isupper():
            return None
        taken.pop()
    return _phrase(doc, taken) if taken else None


def _of_title(tokens: list[Token]) -> bool:
    """'Secretary of State': a title word, 'of', then capitalised words up to the name."""
    for k in range(len(tokens) - 2, 0, -1):
        if tokens[k].lower_ == "of":
            tail = tokens[k + 1 :]
            return _is_role_word(tokens[k - 1]) and all(t.text[:1].isupper() for t in tail)
    return False


def _apposition_tokens(doc: Doc, head: Token) -> list[Token]:
    """The noun phrase of an appositive head, with a short 'of ...' tail, nothing after."""
    tokens = [t for t in doc[head.left_edge.i : head.i + 1]]
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "at", "for"):
            tail = list(doc[child.i : child.right_edge.i + 1])
            if all(not t.is_punct and t.pos_ not in ("VERB", "AUX") for t in tail):
                tokens.extend(tail)
            break
    return tokens


def apposition(doc: Doc, name_root: Token, start: int, end: int) -> RolePhrase | None:
    """'[Olaf Scholz], Germany's chancellor,' and 'Ruiz's late mother, [Rosa Ruiz]'."""
    for child in name_root.rights:
        if child.dep_ == "appos" and child.i >= end and _good_head(child):
            found = _phrase(doc, _apposition_tokens(doc, child))
            if found:
                return found
    head = name_root.head
    if (
        name_root.dep_ == "appos"
        and head.i < start
        and start > 0
        and doc[start - 1].text == ","
        and _good_head(head)
    ):
        return _phrase(doc, list(doc[head.left_edge.i : head.i + 1]))
    return _comma_pattern(doc, end)


def _good_head(token: Token) -> bool:
    if token.ent_type_ in _NUMERIC or token.ent_type_ in ("PERSON", "GPE", "LOC"):
        return False
    return _is_role_word(token) or _agent_noun(token)


def _comma_pattern(doc: Doc, end: int) -> RolePhrase | None:
    """Fallback when the parse misses it: ', the party's chairman,' right after the name."""
    if end >= len(doc) or doc[end].text != ",":
        return None
    tokens: list[Token] = []
    for token in doc[end + 1 : end + 2 + _MAX_WORDS]:
        if token.text in (",", ".", ";", ":") or token.is_sent_start:
            break
        if token.pos_ in ("VERB", "AUX", "PRON", "SCONJ") or token.ent_type_ in _NUMERIC:
            return None
        tokens.append(token)
    else:
        return None
    titled = _is_role_word(tokens[-1]) or any(
        _is_role_word(t) and t.nbor(1).lower_ == "of" for t in tokens[:-1]
    )  # "head of the agency"
    return _phrase(doc, tokens) if titled else None
