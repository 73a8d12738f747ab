"""Which way a time expression's clause points (past, present, future), read from the parse."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from bot.nlp.timex.calendar import Tense, find_weekday

_DEADLINE_WORDS = {"until", "till", "by", "through"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "going"}
# Words whose infinitive or participle complement describes a plan: "set to resume Monday",
# "expected to close Friday", "a vote scheduled for Tuesday".
_PLAN_WORDS = {
    "plan",
    "schedule",
    "set",
    "expect",
    "due",
    "slate",
    "likely",
    "intend",
    "hope",
    "want",
    "agree",
    "decide",
    "prepare",
    "ready",
    "poise",
    "aim",
    "propose",
    "vow",
    "promise",
    "threaten",
    "try",
    "seek",
    "need",
    "going",
}
# Verbs that announce a coming event even in the present perfect: "has scheduled a vote Thursday".
_SCHEDULE_VERBS = {"schedule", "plan", "set", "call", "announce", "slate"}
# "as early as Tuesday", "as soon as Monday": a possible date still ahead.
_EARLIEST_PHRASES = ("as early as", "as soon as", "as late as")
# "payable Dec. 1", "effective Feb. 1": dates that terms and dividends take effect on lie ahead.
_AHEAD_WORDS = {"payable", "effective", "expiring", "starting", "beginning"}


def clause_tense(doc: Doc, start: int, end: int) -> Tense:
    """'past', 'present', 'future' or None for the clause the expression at [start, end) sits in."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    if span.end < len(doc) and doc[span.end].lower_ in ("'s", "’s"):
        return None  # "Wednesday's ruling" names a day by what happened on it, whatever the verb
    verb: Token = span.root
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    tense = verb_tense(verb)
    first = span[0].i
    before = doc[max(0, first - 3) : first].text.lower()
    if tense != "past" and before.endswith(_EARLIEST_PHRASES):
        return "future"
    previous = doc[first - 1].lower_ if first > 0 else ""
    # "declared a dividend payable Dec. 1": ahead of the report even in a past clause; but a
    # weekday in a past clause stays in the past, where readers look for it
    if previous in _AHEAD_WORDS and (tense != "past" or find_weekday(span.text) is None):
        return "future"
    if previous in _DEADLINE_WORDS and tense != "past":
        return "future"  # "until 9 a.m. Tuesday", "by Jan. 14" set a deadline
    if previous in ("until", "till") and not _past_perfect(verb):
        return "future"  # "extended its deadline until Tuesday"; but "had waited until Tuesday"
    return tense


def verb_tense(verb: Token, depth: int = 0) -> Tense:
    """The direction of a verb's clause; an infinitive follows its governor unless that plans."""
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    lowered = {aux.lower_ for aux in auxiliaries}
    perfect = bool(lowered & {"have", "has", "had", "'ve", "'d"})
    if lowered & _FUTURE_AUX:
        return "future"
    for aux in auxiliaries:
        if aux.tag_ == "MD" and aux.lower_ != "could":  # "would meet Friday" looks ahead...
            return "past" if perfect else "future"  # ...unless "would have met"
    if "had" in lowered:
        return "past"
    if any(aux.tag_ == "TO" for aux in auxiliaries):
        return _infinitive_tense(verb, perfect, depth)
    if any(aux.tag_ == "VBD" for aux in auxiliaries) or verb.tag_ == "VBD":
        return "past"
    if perfect:
        return "future" if verb.lemma_ in _SCHEDULE_VERBS else "past"
    if verb.tag_ == "VBG" and any(aux.tag_ in ("VBZ", "VBP") for aux in auxiliaries):
        return "future"  # "is meeting Friday" is a plan
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    if verb.tag_ == "VBG" and not auxiliaries and verb.dep_ in ("advcl", "conj") and depth < 3:
        # "the stock has fluctuated, rising to a high in June": a participle clause is told in
        # the tense of the clause it hangs from
        governing = _governing_verb(verb)
        return verb_tense(governing, depth + 1) if governing is not None else None
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod", "relcl"):
        # a reduced relative: "a vote scheduled for Tuesday" ahead, "the year ended Sept. 30" past;
        # "a service planned for Saturday was canceled" is told in the past
        if verb.lemma_ not in _PLAN_WORDS:
            return "past"
        governing = _governing_verb(verb)
        outer = verb_tense(governing, depth + 1) if governing is not None and depth < 3 else None
        return "past" if outer == "past" else "future"
    return None


def _governing_verb(word: Token) -> Token | None:
    """The verb of the clause a participle or infinitive hangs from."""
    for _ in range(6):
        if word.head is word:
            return None
        word = word.head
        if word.pos_ in ("VERB", "AUX"):
            return word
    return None


def _past_perfect(verb: Token) -> bool:
    return any(aux.lower_ in ("had", "'d") for aux in verb.children if aux.dep_ == "aux")


def _infinitive_tense(verb: Token, perfect: bool, depth: int) -> Tense:
    """ "plans to meet Friday" looks ahead; "arranged events to mark Friday's entry" looks back."""
    if perfect:
        return "past"  # "to have met"
    governor = verb.head
    if governor is verb or depth > 3:
        return "future"
    holders = [governor] if governor.pos_ in ("VERB", "AUX") else [governor, governor.head]
    if any(aux.lower_ == "had" for word in holders for aux in word.children if aux.dep_ == "aux"):
        return "past"  # "had been due to expire Friday"
    if governor.lemma_.lower() in _PLAN_WORDS or governor.pos_ not in ("VERB", "AUX"):
        return "future"
    outer = verb_tense(governor, depth + 1)
    # "called him to testify on Feb. 10": after the call, which may be before or after the report
    return None if outer == "past" else "future"
