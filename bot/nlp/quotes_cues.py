"""The speech verb that introduces a quotation and the speaker it names, from the parse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from bot.nlp.quotes_lexicon import SPEECH_VERBS, WEAK_SPEECH_VERBS
from bot.nlp.quotes_marks import CLOSERS, OPENERS, STRAIGHT, MarkedSpan
from bot.nlp.quotes_people import SUBJECT_DEPS, SUBJECT_PRONOUNS, Mention, PeopleIndex

QUOTE_MARKS = OPENERS + CLOSERS + STRAIGHT + "‘’'"
SENTENCE_END = frozenset({".", "!", "?"})
DASHES = frozenset({"―", "—", "–", "--"})
MAX_LEAD_TOKENS = 60
MAX_TRAIL_TOKENS = 40
NAME_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


@dataclass(frozen=True)
class Attribution:
    """Who a quotation is credited to: the cue's text, the speaker's name and where it is."""

    cue: str | None
    speaker: str | None
    span: tuple[int, int] | None
    is_speech: bool  # the cue is a speech verb (not just the clause's verb)


Speaker = tuple[str | None, tuple[int, int] | None]
NOBODY: Speaker = (None, None)


class CueFinder:
    """Finds the cue and speaker of each quotation of one Doc."""

    def __init__(
        self, doc: Doc, spans: list[MarkedSpan], people: PeopleIndex, paras: list[tuple[int, int]]
    ) -> None:
        self.doc = doc
        self.people = people
        self.para_starts = [start for start, _ in paras]
        self.inside: set[int] = set()
        for span in spans:
            part = doc.char_span(span.start, span.end, alignment_mode="expand")
            if part is not None:
                self.inside.update(range(part.start, part.end))

    # ---- the public steps ----

    def attribute(self, span: MarkedSpan) -> Attribution | None:
        """The quotation's own cue, looked for where news style puts it."""
        steps: tuple[Callable[[MarkedSpan], Attribution | None], ...]
        if self._starts_sentence(span):
            steps = (self._trailing, self._leading, self._colon_intro, self._previous_sentence)
        else:
            steps = (self._leading, self._trailing, self._governing)
        for step in steps:
            found = step(span)
            if found is not None:
                return found
        return None

    def opens_paragraph(self, span: MarkedSpan) -> bool:
        return span.open_at in self.para_starts

    def continues(self, before: MarkedSpan, span: MarkedSpan) -> bool:
        """A quotation without a cue goes on with the previous speaker when it follows in the
        same paragraph, or opens the next paragraph."""
        if span.paragraph == before.paragraph:
            return True
        return span.paragraph == before.paragraph + 1 and self.opens_paragraph(span)

    # ---- token helpers ----

    def _token_at(self, offset: int) -> int:
        """Index of the first token starting at or after `offset`."""
        text = self.doc.text
        while offset < len(text) and text[offset].isspace() and text[offset] != "\n":
            offset += 1
        span = self.doc.char_span(offset, len(text), alignment_mode="expand")
        return span.start if span is not None else len(self.doc)

    def _is_text(self, tok: Token) -> bool:
        """Narrative tokens: neither quoted nor a quote mark."""
        return tok.i not in self.inside and not all(ch in QUOTE_MARKS for ch in tok.text)

    def _starts_sentence(self, span: MarkedSpan) -> bool:
        i = span.open_at - 1
        text = self.doc.text
        while i >= 0 and text[i] in " \t\u00a0":
            i -= 1
        if i < 0 or text[i] == "\n":
            return True
        if text[i] in QUOTE_MARKS and i > 0:
            i -= 1
        return text[i] in ".!?…"

    def _lead_window(self, open_at: int) -> list[Token]:
        """Narrative tokens before `open_at` back to the sentence start, nearest first."""
        window: list[Token] = []
        i = self._token_at(open_at) - 1
        while i >= 0 and len(window) < MAX_LEAD_TOKENS:
            tok = self.doc[i]
            if "\n" in tok.text or (tok.text in SENTENCE_END and tok.i not in self.inside):
                break
            if self._is_text(tok):
                window.append(tok)
            i -= 1
        return window

    # ---- where cues are ----

    def _trailing(self, span: MarkedSpan) -> Attribution | None:
        """ "...," she said / said the minister / ― Jane Doe."""
        if span.close_at is None:
            return None
        window: list[Token] = []
        for tok in self.doc[self._token_at(span.close_at + 1) :]:
            if "\n" in tok.text or tok.i in self.inside or not self._is_text(tok):
                break
            window.append(tok)
            if tok.text in SENTENCE_END or len(window) >= MAX_TRAIL_TOKENS:
                break
        if not window:
            return None
        if window[0].text in DASHES and len(window) > 1:
            speaker = self._speaker_in(window[1:])
            return Attribution(window[0].text, *speaker, True) if speaker[0] else None
        last = self.doc.text[span.end - 1]
        if last.isalnum() and not self._starts_sentence(span):
            return None  # the quoted words run on into the sentence: "to "vote" and said"
        if last == "." and len(window) > 6:
            return None  # a full stop ended the sentence: what follows is new prose
        for k, tok in enumerate(window):
            if _is_according_to(tok):
                return Attribution(tok.text, *self._speaker_in(window[k + 2 :]), True)
            if _is_speech_verb(tok) and not self._has_own_object(tok):
                before = [t for t in window[:k] if not t.is_punct]
                if before:
                    speaker = self._speaker_in(window[:k])
                else:
                    after = []
                    for t in window[k + 1 :]:
                        if t.text in (",", ";") or t.text in SENTENCE_END:
                            break
                        after.append(t)
                    speaker = self._speaker_in(after)
                return Attribution(tok.text, *speaker, True)
        return None

    def _leading(self, span: MarkedSpan) -> Attribution | None:
        """She said, "..." / he called it "..." / according to X, "..."."""
        window = self._lead_window(span.open_at)
        first = self._token_at(span.start)
        ancestors = {t.i for t in self.doc[first].ancestors} if first < len(self.doc) else set()
        cue: Token | None = None
        for tok in window:  # nearest first
            if _is_according_to(tok):
                after = [
                    t
                    for t in self.doc[tok.i + 2 : self._token_at(span.open_at)]
                    if self._is_text(t)
                ]
                cut = next((k for k, t in enumerate(after) if t.text == ","), len(after))
                return Attribution(tok.text, *self._speaker_in(after[:cut]), True)
            if not _is_speech_verb(tok):
                continue
            if tok.i in ancestors:
                cue = tok
                break
            if cue is None and tok.lemma_.lower() not in WEAK_SPEECH_VERBS:
                cue = tok
        if cue is None:
            return None
        return Attribution(cue.text, *self._speaker_of_verb(cue, window), True)

    def _governing(self, span: MarkedSpan) -> Attribution | None:
        """A partial quotation inside a clause with no speech verb ("X is promising "...""):
        credited to the clause's subject when that is a person or organisation."""
        if len(self.doc.text[span.start : span.end].split()) < 3:
            return None
        first = self._token_at(span.start)
        if first >= len(self.doc):
            return None
        for verb in self.doc[first].ancestors:
            if verb.i in self.inside or verb.pos_ not in ("VERB", "AUX"):
                continue
            subject = self._subject(verb)
            if subject is None:
                return None
            speaker = self._speaker_of_token(subject, strict=True)
            return Attribution(verb.text, *speaker, False) if speaker[0] else None
        return None

    def _colon_intro(self, span: MarkedSpan) -> Attribution | None:
        """A paragraph that ends with a colon introduces the quotation below it ("She said:")."""
        if not self.opens_paragraph(span):
            return None
        k = self.para_starts.index(span.open_at)
        if k == 0:
            return None
        end = self.para_starts[k] - 1
        text = self.doc.text
        while end > 0 and text[end - 1].isspace():
            end -= 1
        if text[end - 1 : end] != ":":
            return None
        window = self._lead_window(end)
        verbs = [t for t in window if _is_speech_verb(t)]
        verb = verbs[0] if verbs else next((t for t in window if t.dep_ == "ROOT"), None)
        if verb is None:
            return None
        return Attribution(verb.text, *self._speaker_of_verb(verb, window), bool(verbs))

    def _previous_sentence(self, span: MarkedSpan) -> Attribution | None:
        """ "X said. "..."": a short reporting sentence right before, in the same paragraph."""
        i = self._token_at(span.open_at) - 1
        while i >= 0 and self.doc[i].text in QUOTE_MARKS + " ":
            i -= 1
        if i < 0 or self.doc[i].text not in SENTENCE_END:
            return None
        window = self._lead_window(self.doc[i].idx)
        if not window or window[-1].i in self.inside:
            return None
        root = next((t for t in window if t.dep_ == "ROOT"), None)
        if root is None or not _is_speech_verb(root):
            return None
        return Attribution(root.text, *self._speaker_of_verb(root, window), True)

    # ---- from a cue to a speaker ----

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
        for _ in range(3):
            if current is None:
                return None
            for child in current.children:
                if child.dep_ in SUBJECT_DEPS:
                    return child if self._near(child, verb) else None
                if child.dep_ == "agent":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects and self._near(objects[0], verb):
                        return objects[0]
            if current.dep_ == "acl" and current.head.pos_ in ("PROPN", "NOUN"):
                return current.head if self._near(current.head, verb) else None
            movable = (
                current.dep_ in ("conj", "xcomp", "advcl", "ccomp") and current.head != current
            )
            current = current.head if movable else None
        return None

    def _has_own_object(self, verb: Token) -> bool:
        """ "Melanie said yes": the verb's object is narrative, so it does not cue the quote."""
        own = ("dobj", "ccomp") if verb.lemma_.lower() == "say" else ("ccomp",)
        return any(c.dep_ in own and c.i > verb.i and self._near(c, verb) for c in verb.children)

    def _near(self, tok: Token, verb: Token) -> bool:
        if not self._is_text(tok):
            return False
        lo, hi = sorted((tok.idx, verb.idx))
        return "\n" not in self.doc.text[lo:hi]

    def _speaker_of_token(self, tok: Token, strict: bool = False) -> Speaker:
        """The best name for a subject token: a name, a resolved pronoun or description."""
        phrase = [t for t in _noun_phrase(tok) if self._near(t, tok)]
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
        mention = self.people.mention_in(tok.idx, tok.idx + len(tok))
        mention = mention or self.people.last_mention_in(start, end)
        if mention is not None:
            return self._named(mention)
        if tok.lower_ in SUBJECT_PRONOUNS or tok.lower_ in ("him", "her"):
            return self._named(self.people.resolve_pronoun(tok))
        if tok.pos_ == "PRON":
            return NOBODY
        if tok.ent_type_ in NAME_ENTS or tok.pos_ == "PROPN":
            return self._entity_name(tok, phrase)
        if tok.pos_ != "NOUN":
            return NOBODY
        for child in tok.children:
            if child.dep_ == "appos":
                mention = self.people.mention_in(child.idx, child.idx + len(child))
                if mention is not None:
                    return self._named(mention)
        mention = self.people.resolve_description(tok)
        if mention is not None:
            return self._named(mention)
        for inner in tok.subtree:
            if inner.i != tok.i and inner.ent_type_ in NAME_ENTS and self._near(inner, tok):
                found = self.people.mention_in(inner.idx, inner.idx + len(inner))
                return self._named(found) if found else self._entity_name(inner, [inner])
        if strict:
            return NOBODY
        return self.doc.text[start:end], (start, end)

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
                return self._named(self.people.resolve_pronoun(tok))
        for tok in tokens:
            if tok.ent_type_ in NAME_ENTS or tok.pos_ == "PROPN":
                return self._entity_name(tok, [tok])
        nouns = [t for t in tokens if t.pos_ == "NOUN"]
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

    def _entity_name(self, tok: Token, phrase: list[Token]) -> Speaker:
        ents = [e for e in self.doc.ents if e.start <= tok.i < e.end]
        if ents:
            start, end = ents[0].start_char, ents[0].end_char
        else:
            names = [t for t in phrase if t.pos_ == "PROPN"] or [tok]
            start, end = names[0].idx, names[-1].idx + len(names[-1])
        name = self.doc.text[start:end]
        for article in ("The ", "the "):
            if name.startswith(article):
                name, start = name[len(article) :], start + len(article)
        return name, (start, end)


def _is_speech_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in SPEECH_VERBS


def _is_according_to(tok: Token) -> bool:
    return tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to"


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
