"""The speech verb that introduces a quotation and the speaker it names, from the parse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from bot.nlp.quotes.lexicon import SPEECH_VERBS, STANCE_VERBS, WEAK_SPEECH_VERBS
from bot.nlp.quotes.marks import MarkedSpan
from bot.nlp.quotes.orgs import OrgIndex
from bot.nlp.quotes.people import SUBJECT_DEPS, PeopleIndex
from bot.nlp.quotes.speakers import QUOTE_MARKS, Speaker, SpeakerFinder
from bot.nlp.text import doc_text

SENTENCE_END = frozenset({".", "!", "?"})
DASHES = frozenset({"―", "—", "–", "--"})
MAX_LEAD_TOKENS = 60
MAX_TRAIL_TOKENS = 40


@dataclass(frozen=True)
class Attribution:
    """Who a quotation is credited to: the cue's text, the speaker's name and where it is."""

    cue: str | None
    speaker: str | None
    span: tuple[int, int] | None
    is_speech: bool  # the cue is a speech verb (not just the clause's verb)


class CueFinder(SpeakerFinder):
    """Finds the cue and speaker of each quotation of one Doc."""

    def __init__(
        self,
        doc: Doc,
        spans: list[MarkedSpan],
        people: PeopleIndex,
        orgs: OrgIndex,
        paras: list[tuple[int, int]],
    ) -> None:
        inside: set[int] = set()
        for span in spans:
            part = doc.char_span(span.start, span.end, alignment_mode="expand")
            if part is not None:
                inside.update(range(part.start, part.end))
        super().__init__(doc, inside, people, orgs)
        self.para_starts = [start for start, _ in paras]
        self._para_index = {start: k for k, start in enumerate(self.para_starts)}

    # ---- the public steps ----

    def attribute(self, span: MarkedSpan) -> Attribution | None:
        """The quotation's own cue, looked for where news style puts it."""
        steps: tuple[Callable[[MarkedSpan], Attribution | None], ...]
        if self._starts_sentence(span):
            steps = (self._trailing, self._leading, self._colon_intro, self._previous_sentence)
        else:
            steps = (self._leading, self._trailing, self._governing)
        speakerless: Attribution | None = None  # a cue whose speaker is unknown: the last resort
        for step in steps:
            found = step(span)
            if found is not None and found.speaker:
                if step == self._trailing and not self._starts_sentence(span) \
                        and self.orgs.is_org(found.span[0] if found.span else None):
                    # "Ruiz blamed the "reckless" cuts, it added": the outlet relays the
                    # words of the person whose speech or stance verb governs them.
                    inner = self._governing(span)
                    if inner is not None and inner.speaker and inner.is_speech and \
                            not self.orgs.is_org(inner.span[0] if inner.span else None):
                        return inner
                return found
            speakerless = speakerless or found
        return speakerless

    def opens_paragraph(self, span: MarkedSpan) -> bool:
        return span.open_at in self._para_index

    def continues(self, before: MarkedSpan, span: MarkedSpan) -> bool:
        """A quotation without a cue goes on with the previous speaker when it follows in the
        same paragraph, or opens the next paragraph."""
        if span.paragraph == before.paragraph:
            return True
        return span.paragraph == before.paragraph + 1 and self.opens_paragraph(span)

    # ---- token helpers ----

    def _token_at(self, offset: int) -> int:
        """Index of the first token starting at or after `offset`."""
        text = doc_text(self.doc)
        while offset < len(text) and text[offset].isspace() and text[offset] != "\n":
            offset += 1
        span = self.doc.char_span(offset, len(text), alignment_mode="expand")
        return span.start if span is not None else len(self.doc)

    def _starts_sentence(self, span: MarkedSpan) -> bool:
        i = span.open_at - 1
        text = doc_text(self.doc)
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
        # the tokenizer may glue the dash to the closing mark ("...”― Jane Doe")
        dash = window[0].text.lstrip(QUOTE_MARKS)
        if dash in DASHES and len(window) > 1:
            speaker = self._speaker_in(window[1:])
            return Attribution(dash, *speaker, True) if speaker[0] else None
        last = doc_text(self.doc)[span.end - 1]
        # the quoted words run on into the sentence ("to "vote" and said"): only a short closing
        # cue counts ("... "steals a handful" is held to account, Warren said.")
        runs_on = last.isalnum() and not self._starts_sentence(span)
        if last == "." and len(window) > 6:
            return None  # a full stop ended the sentence: what follows is new prose
        for k, tok in enumerate(window):
            if _is_according_to(tok):
                return Attribution(tok.text, *self._speaker_in(window[k + 2 :]), True)
            if runs_on and not self._closes_sentence(window, k):
                continue
            if _is_speech_verb(tok) and not self._has_own_object(tok):
                before = [t for t in window[:k] if not t.is_punct]
                subject = self._subject(tok)
                if runs_on and (subject is None or subject not in window[:k]):
                    return None
                if before and subject is not None and subject in window[:k]:
                    speaker = self._speaker_of_token(subject)
                    if speaker[0] is None:
                        speaker = self._speaker_in(window[:k])
                elif before:
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

    @staticmethod
    def _closes_sentence(window: list[Token], k: int) -> bool:
        """Whether window[k] ends the sentence's clause: a cue such as "..., Warren said."."""
        after = window[k + 1] if k + 1 < len(window) else None
        return after is None or after.text in SENTENCE_END or after.text in (",", ";")

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
            if self._cues_earlier_quote(tok, span):
                continue
            # "the three cuts he cited are "..."": a speech verb in a clause that only
            # describes a noun does not introduce the words that follow
            if cue is None and tok.lemma_.lower() not in WEAK_SPEECH_VERBS \
                    and tok.dep_ != "relcl":
                cue = tok
        if cue is None:
            return None
        if cue.dep_ == "relcl":
            # "the three cuts he cited are "...", the Courier reported": a cue that only
            # describes a noun yields to the one that closes the sentence
            closing = self._trailing(span)
            if closing is not None and closing.speaker:
                return closing
        speaker = self._speaker_of_verb(cue, window)
        return self._outermost(cue, speaker)

    def _cues_earlier_quote(self, verb: Token, span: MarkedSpan) -> bool:
        """ ""Ready?" she asked, but the crowd was loud, and as X went on about "..."": a cue
        that closes an earlier quotation does not also open one a clause or more later."""
        subject = self._subject(verb)
        first = subject.left_edge.i if subject is not None and subject.i < verb.i else verb.i
        before = self.doc[max(0, first - 2) : first]
        if not any(t.text in QUOTE_MARKS and t.i not in self.inside for t in before):
            return False
        between = [t for t in self.doc[verb.i + 1 : self._token_at(span.open_at)]
                   if not t.is_punct]
        return len(between) > 3

    def _governing(self, span: MarkedSpan) -> Attribution | None:
        """A partial quotation inside a clause: credited to the subject of the speech or stance
        verb that governs it ("blamed X's "unilateral" attitude", "a cashier who "steals" is
        held to account, Warren said"); failing that, a quotation of three words or more goes to
        the subject of its clause ("X is promising "..."") when that is a person or organisation."""
        words = len(doc_text(self.doc)[span.start : span.end].split())
        child = self._attachment(span)
        if child is None:
            return None
        fallback: Attribution | None = None
        first_verb = True
        for verb in child.ancestors:
            if verb.i in self.inside:
                break
            if verb.pos_ in ("VERB", "AUX"):
                if fallback is not None and child.dep_ in ("advcl", "conj") \
                        and fallback.span is not None \
                        and self.people.mention_in(*fallback.span) is not None:
                    # "and as the governor went on about "...", Marta said yes": the words
                    # belong to the clause with its own named subject, not the next one up
                    return fallback
                if _is_cue_verb(verb) and child.dep_ not in SUBJECT_DEPS | {"csubj"} \
                        and not self._has_own_object(verb):
                    speaker = self._speaker_of_clause(verb, strict=False)
                    if speaker[0]:
                        return self._outermost(verb, speaker)
                if first_verb and words >= 3:
                    speaker = self._speaker_of_clause(verb)
                    if speaker[0]:
                        fallback = Attribution(verb.text, *speaker, False)
                first_verb = False
            child = verb
        return fallback

    def _attachment(self, span: MarkedSpan) -> Token | None:
        """The quoted token whose head is outside the quotation: where it hangs in the sentence."""
        part = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        if part is None or len(part) == 0:
            return None
        for tok in part:
            if not part.start <= tok.head.i < part.end:
                return tok
        return part.root

    def _outermost(self, verb: Token, speaker: Speaker) -> Attribution:
        """ "X said that Y described it as "..."": the words reach the reader through X, the
        outer speaker, who is credited (news attribution names its outermost source)."""
        current = verb
        for _ in range(4):
            outer = current.head
            if current.dep_ == "conj" and outer.pos_ in ("VERB", "AUX") and outer != current:
                current = outer  # "that was not her view and dismissed it as "..."": one clause
                continue
            if current.dep_ != "ccomp" or outer == current or not _is_speech_verb(outer):
                break
            if not self._near(outer, current):
                break  # a parse that runs across a paragraph break
            found = self._speaker_of_clause(outer)
            # An outlet relaying a person's words ("X blamed the "unilateral" attitude, it
            # added") does not make them the outlet's: a named person stays the speaker.
            relayed = self.orgs.is_org(found[1][0] if found[1] else None) and not \
                self.orgs.is_org(speaker[1][0] if speaker[1] else None)
            if found[0] and not relayed:
                speaker, verb = found, outer
            current = outer
        return Attribution(verb.text, *speaker, True)

    def _colon_intro(self, span: MarkedSpan) -> Attribution | None:
        """A paragraph that ends with a colon introduces the quotation below it ("She said:")."""
        if not self.opens_paragraph(span):
            return None
        k = self._para_index[span.open_at]
        if k == 0:
            return None
        end = self.para_starts[k] - 1
        text = doc_text(self.doc)
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

    def _has_own_object(self, verb: Token) -> bool:
        """ "Melanie said yes": the verb's object is narrative, so it does not cue the quote."""
        own = ("dobj", "ccomp") if verb.lemma_.lower() == "say" else ("ccomp",)
        return any(
            (c.dep_ in own or (c.dep_ == "intj" and c.lower_ in ("yes", "no")))
            and c.i > verb.i
            and self._near(c, verb)
            and not any(t.text == "," for t in self.doc[verb.i + 1 : c.left_edge.i])
            for c in verb.children
        )


def _is_speech_verb(tok: Token) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    lemma = tok.lemma_.lower()
    return lemma in SPEECH_VERBS or (lemma == "put" and _is_as_x_put_it(tok))


def _is_as_x_put_it(verb: Token) -> bool:
    """ "..., as a ministry memo put it": a figure of speech for quoting."""
    children = {(c.dep_, c.lower_) for c in verb.children}
    return ("dobj", "it") in children and ("mark", "as") in children


def _is_cue_verb(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return tok.pos_ in ("VERB", "AUX") and (lemma in SPEECH_VERBS or lemma in STANCE_VERBS)


def _is_according_to(tok: Token) -> bool:
    return tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to"
