"""Direct quotations and their speakers, on short articles written for these tests."""

from __future__ import annotations

import spacy

from bot.models import QuoteMention
from bot.nlp.quotes import find_quotes


def quotes_in(nlp: spacy.language.Language, text: str) -> list[QuoteMention]:
    return find_quotes(nlp(text))


def only(quotes: list[QuoteMention], words: str) -> QuoteMention:
    found = [q for q in quotes if words in q.text]
    assert len(found) == 1, f"expected one quote with {words!r}, got {quotes}"
    return found[0]


def test_curly_quote_span_excludes_the_marks_and_names_the_speaker(nlp):
    text = (
        "Mayor Linda Okafor opened the new bridge on Tuesday.\n\n"
        "“This bridge will cut the commute in half,” Okafor said."
    )
    (quote,) = quotes_in(nlp, text)
    assert quote.text == "This bridge will cut the commute in half,"
    assert text[quote.start : quote.end] == quote.text
    assert quote.speaker == "Linda Okafor"
    assert quote.cue == "said"
    assert quote.speaker_span is not None
    assert text[quote.speaker_span[0] : quote.speaker_span[1]] in ("Okafor", "Linda Okafor")


def test_straight_quotes_with_the_cue_before_them(nlp):
    text = 'Fisheries minister Tomas Brandt told reporters, "The quota stays where it is."'
    (quote,) = quotes_in(nlp, text)
    assert quote.text == "The quota stays where it is."
    assert quote.speaker == "Tomas Brandt"
    assert quote.cue == "told"


def test_quote_split_by_the_cue_is_two_quotes_of_one_speaker(nlp):
    text = (
        "Engineer Priya Raman led the inspection.\n\n"
        "“We found no cracks,” Raman said, “and the cables are in good shape.”"
    )
    quotes = quotes_in(nlp, text)
    assert [q.text for q in quotes] == ["We found no cracks,", "and the cables are in good shape."]
    assert {q.speaker for q in quotes} == {"Priya Raman"}


def test_quote_running_over_sentences_and_paragraphs(nlp):
    text = (
        "Coach Daniel Ferreira spoke after the final whistle.\n\n"
        "“We were tired. We were slow. Nobody wanted the ball,” Ferreira said.\n\n"
        "“The second half was a disaster from start to finish.\n\n"
        "“I take the blame for it, not the players.”"
    )
    quotes = quotes_in(nlp, text)
    assert [q.text for q in quotes] == [
        "We were tired. We were slow. Nobody wanted the ball,",
        "The second half was a disaster from start to finish.",
        "I take the blame for it, not the players.",
    ]
    assert {q.speaker for q in quotes} == {"Daniel Ferreira"}


def test_partial_quote_in_reported_speech_belongs_to_the_subject(nlp):
    text = (
        "Finance Minister Ingrid Solberg blamed the central bank's "
        '"reckless and short-sighted" policy for the slump.'
    )
    (quote,) = quotes_in(nlp, text)
    assert quote.text == "reckless and short-sighted"
    assert quote.speaker == "Ingrid Solberg"


def test_he_said_goes_back_to_the_last_person_of_that_gender(nlp):
    text = (
        "Senator Rachel Moss met union leader Victor Hale on Monday. "
        "She said the talks went well.\n\n"
        "Hale was less sure. He said the offer was still too low.\n\n"
        "“We are not there yet,” he said."
    )
    (quote,) = quotes_in(nlp, text)
    assert quote.speaker == "Victor Hale"


def test_she_said_skips_a_more_recent_man(nlp):
    text = (
        "Judge Maria Lopez heard the case. She said the evidence was thin. "
        "Defense lawyer Paul Grant asked for a delay.\n\n"
        "“The trial starts on time,” she said."
    )
    (quote,) = quotes_in(nlp, text)
    assert quote.speaker == "Maria Lopez"


def test_a_description_resolves_to_the_person_introduced_with_that_title(nlp):
    text = (
        "Brazilian President Ana Ribeiro arrived in Lisbon on Friday for a two-day visit. "
        "Portuguese officials greeted her at the airport.\n\n"
        "“Our countries share a language and a future,” the president said."
    )
    (quote,) = quotes_in(nlp, text)
    assert quote.speaker == "Ana Ribeiro"


def test_a_description_resolves_through_an_apposition(nlp):
    text = (
        "Omar Haddad, the union's chairman, called the strike on Sunday.\n\n"
        "“Nobody works until the contract is signed,” the chairman told reporters."
    )
    (quote,) = quotes_in(nlp, text)
    assert quote.speaker == "Omar Haddad"


def test_a_quote_with_no_cue_continues_the_previous_speaker(nlp):
    text = (
        "“The harvest was the worst in ten years,” farmer Jacob Lindqvist said. "
        "“Half the wheat rotted in the fields.”\n\n"
        "“We will need help from the county before winter.”"
    )
    quotes = quotes_in(nlp, text)
    assert len(quotes) == 3
    assert {q.speaker for q in quotes} == {"Jacob Lindqvist"}


def test_according_to_names_the_speaker(nlp):
    text = (
        'According to police spokeswoman Hannah Cole, "the driver was not hurt and '
        'the road reopened within an hour."'
    )
    (quote,) = quotes_in(nlp, text)
    assert quote.speaker == "Hannah Cole"


def test_boilerplate_and_captions_never_produce_quotes(nlp):
    text = (
        "Advertisement\n\n"
        'Read more: "Why the harbour keeps flooding every spring"\n\n'
        'Harbour master Ellen Park (L) speaks with "storm team" volunteers in Dunmore, on March 3. '
        "/Reuters Photo\n\n"
        "The harbour flooded again on Sunday."
    )
    assert quotes_in(nlp, text) == []


def test_scare_quotes_without_speech_are_not_quotes(nlp):
    text = (
        'The company\'s "green" label was dropped last year. Its so-called "smart meters" '
        "were sold in three states."
    )
    assert quotes_in(nlp, text) == []


def test_an_article_without_quotes_gives_none(nlp):
    assert quotes_in(nlp, "The council met on Tuesday and approved the budget.") == []
    assert quotes_in(nlp, "") == []
