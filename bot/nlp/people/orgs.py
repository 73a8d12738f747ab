"""Organisations the model missed: acronyms spelled out, headed name runs, outlets, platforms."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from bot.nlp.name_words import ACRONYM_FILLERS
from bot.nlp.people.spans import (
    POSSESSIVES,
    Candidate,
    in_prose,
    is_title,
    place_or_title,
)
from bot.nlp.people.tables import ORG_HEADS, PLACE_HEADS, PLATFORMS


def acronym_expansions(doc: Doc) -> tuple[list[Candidate], set[str]]:
    """'National Weather Service (NWS)': organisations
    named with their acronym; and the acronyms that stand for places ('(UAE)')."""
    orgs: list[Candidate] = []
    place_acronyms: set[str] = set()
    for token in doc:
        text = token.text
        if not (text.isupper() and text.isalpha() and 2 <= len(text) <= 8):
            continue
        if token.i < 2 or token.i + 1 >= len(doc) or doc[token.i - 1].text != "(":
            continue
        if doc[token.i + 1].text != ")":
            continue
        start = _expansion_start(doc, token.i - 1, text)
        if start is None:
            continue
        words = {t.lower_ for t in doc[start : token.i - 1]}
        if words & PLACE_HEADS:
            place_acronyms.add(text.lower())
            continue
        end = token.i - 1
        full = doc[start:end].text
        orgs.append(
            Candidate(start, end, "org", full, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
        )
        orgs.append(
            Candidate(token.i, token.i + 1, "org", text, token.idx, token.idx + len(text), full)
        )
    return orgs, place_acronyms


def _expansion_start(doc: Doc, paren: int, letters: str) -> int | None:
    """Token index where the words before '(' spell `letters`, or None."""
    remaining = letters.lower()
    i = paren - 1
    while i >= 0 and remaining:
        token = doc[i]
        if token.text in POSSESSIVES or token.lower_ in ACRONYM_FILLERS and token.is_lower:
            i -= 1
            continue
        if not token.text[:1].isupper() or token.lower_[0] != remaining[-1]:
            return None
        remaining = remaining[:-1]
        i -= 1
    return i + 1 if not remaining and i + 1 < paren else None


def headed_org_runs(doc: Doc, taken: set[int]) -> list[Candidate]:
    """Capitalised runs ending or headed by an organisation word the model missed
    ("the Green Party of Canada"); tokens already in a kept entity are skipped."""
    found: list[Candidate] = []
    i = 0
    while i < len(doc):
        if not _run_word(doc[i], taken) or doc[i].is_stop:
            i += 1
            continue
        j = i + 1
        while j < len(doc):
            token = doc[j]
            joins = token.lower_ in ACRONYM_FILLERS and token.is_lower or token.text in POSSESSIVES
            if token.lower_ == "and" and not any(t.lower_ in ("of", "for") for t in doc[i:j]):
                joins = False  # "Slate and Drudge Report" are two; "Department of X and Y" one
            if not (
                _run_word(token, taken)
                or joins
                and j + 1 < len(doc)
                and _run_word(doc[j + 1], taken)
            ):
                break
            j += 1
        run = doc[i:j]
        capitals = [t for t in run if t.text[:1].isupper()]
        heads = {t.lower_ for t in capitals}
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in run)  # a title-case headline
        named = len(capitals) >= 2 and heads & ORG_HEADS and not heads & PLACE_HEADS
        if named and not has_verb and not place_or_title(doc, i, j):
            text = run.text
            found.append(Candidate(i, j, "org", text, run.start_char, run.end_char))
        i = j
    return found


def _run_word(token: Token, taken: set[int]) -> bool:
    text = token.text
    return (
        text[:1].isupper()
        and token.i not in taken
        and token.ent_type_ not in ("DATE", "TIME", "PERSON", "CARDINAL", "ORDINAL")
        and text.replace(".", "").isalpha()
    )


def norp_led_orgs(doc: Doc, taken: set[int]) -> list[Candidate]:
    """'the Islamic State': a nationality or religion the model tagged alone, then the
    capitalised words of an organisation it missed (never a title: 'Russian President')."""
    found: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ != "NORP":
            continue
        j = ent.end
        while (
            j < len(doc)
            and _run_word(doc[j], taken)
            and not doc[j].ent_type_
            and doc[j].pos_ == "PROPN"
            and not is_title(doc[j].text)
        ):
            j += 1
        # "Democratic People's Republic ...": the name goes on, and may be a country's.
        # "Russian Foreign Minister": cut short by a title or another name, it is no name.
        goes_on = j < len(doc) and (
            doc[j].text in POSSESSIVES or doc[j].lower_ == "of" or doc[j].text[:1].isupper()
        )
        if j > ent.end and not goes_on and not any(i in taken for i in range(ent.start, ent.end)):
            span = doc[ent.start : j]
            found.append(Candidate(ent.start, j, "org", span.text, span.start_char, span.end_char))
    return found


def platform_mentions(doc: Doc, taken: set[int]) -> list[Candidate]:
    """'posted it on Twitter': social platforms the model did not tag, in real sentences."""
    return [
        Candidate(t.i, t.i + 1, "org", t.text, t.idx, t.idx + len(t.text))
        for t in doc
        if t.i not in taken and t.lower_ in PLATFORMS and t.text[:1].isupper()
        and in_prose(doc, t.i)
    ]
