"""Partial quotes, organisations as speakers and nested reported speech, on sentences written
for these tests."""

from __future__ import annotations

import pytest
import spacy

from bot.models import QuoteMention
from bot.nlp.quotes import find_quotes
from tests.nlp.conftest import speaker_of


def quotes_in(nlp: spacy.language.Language, text: str) -> list[QuoteMention]:
    return find_quotes(nlp(text))



def test_a_one_word_quote_governed_by_a_stance_verb_belongs_to_the_subject(nlp):
    text = (
        "Prime Minister Lena Vogt arrived in Oslo on Monday. "
        'Vogt also blamed Brussels\' "unilateral" attitude for the delay.'
    )
    quotes = quotes_in(nlp, text)
    assert [q.text for q in quotes] == ["unilateral"]
    assert quotes[0].speaker == "Lena Vogt"
    assert quotes[0].cue == "blamed"


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ('Vogt urged the unions to show "more flexibility" in the talks.', "more flexibility"),
        ('Vogt praised the mayor\'s "openness" on Tuesday.', "openness"),
        ('Vogt dismissed the report as "fiction" before leaving.', "fiction"),
        ('Vogt warned against "pressure tactics" in the region.', "pressure tactics"),
    ],
)
def test_short_quotes_under_speech_and_stance_verbs_are_quotes(nlp, sentence, words):
    text = "Prime Minister Lena Vogt spoke in Oslo on Monday. " + sentence
    assert speaker_of(quotes_in(nlp, text), words) == "Lena Vogt"


def test_bare_scare_quotes_in_reported_prose_stay_out(nlp):
    text = (
        "Prime Minister Lena Vogt spoke in Oslo on Monday. "
        'The so-called "green" tax was dropped, and the "reform" stalled in parliament.'
    )
    assert quotes_in(nlp, text) == []


def test_it_said_is_the_organisation_named_before(nlp):
    text = (
        "The Fisheries Ministry issued a statement on Friday. "
        'It said the new quota was "fair, final and based on the science."'
    )
    assert speaker_of(quotes_in(nlp, text), "fair, final") == "Fisheries Ministry"


def test_what_it_called_credits_the_organisation(nlp):
    text = (
        "The Security Council condemned the missile launch on Friday and pledged sanctions "
        'over what it called "a clear threat to international peace and security."'
    )
    assert speaker_of(quotes_in(nlp, text), "clear threat") == "Security Council"


def test_they_said_is_the_group_named_before(nlp):
    text = (
        "Dock workers walked out at dawn on Monday.\n\n"
        '"We will not go back until the contract is signed," they said.'
    )
    assert speaker_of(quotes_in(nlp, text), "contract is signed") == "Dock workers"


def test_the_ministry_is_the_ministry_the_article_named(nlp):
    text = (
        "The Foreign Ministry summoned the ambassador on Tuesday.\n\n"
        'The ministry said the remarks were "unacceptable and deeply offensive."'
    )
    assert speaker_of(quotes_in(nlp, text), "unacceptable") == "Foreign Ministry"


def test_officials_at_an_agency_are_credited_to_the_agency(nlp):
    text = (
        "Officials at the Coastal Safety Agency said the ferries "
        '"may need new lifeboats before the summer season."'
    )
    assert speaker_of(quotes_in(nlp, text), "new lifeboats") == "Coastal Safety Agency"


def test_x_said_that_y_described_it_credits_the_outer_speaker(nlp):
    text = (
        "Senator Anna Berg spoke to reporters on Tuesday. Berg said that the mayor had "
        'once described the plan as "a disaster for the city."'
    )
    (quote,) = quotes_in(nlp, text)
    assert (quote.speaker, quote.cue) == ("Anna Berg", "said")


def test_a_quote_inside_a_sentence_takes_the_closing_cue(nlp):
    text = (
        "Senator Anna Berg questioned the bank's chief on Tuesday.\n\n"
        'A cashier who "takes a handful of notes" is fired, Berg said. Executives are not.'
    )
    assert speaker_of(quotes_in(nlp, text), "handful of notes") == "Anna Berg"


def test_as_the_memo_put_it_names_the_memo_writer(nlp):
    text = 'The main test for the permit is a "lawful source of income," as a Treasury memo put it.'
    assert speaker_of(quotes_in(nlp, text), "lawful source") == "Treasury"


def test_told_with_a_clause_after_a_comma_still_cues_the_quote(nlp):
    text = (
        "Senator Anna Berg questioned banker Paul Moss for three hours.\n\n"
        '"You should resign and give the money back," Berg told Moss, after he admitted '
        "he had not been held accountable."
    )
    assert speaker_of(quotes_in(nlp, text), "resign") == "Anna Berg"


def test_a_nationality_description_finds_the_leader_it_introduced(nlp):
    text = (
        "Chilean leader Marta Rojas met Peruvian President Diego Salas on Thursday.\n\n"
        '"We discussed the border and the water," the Chilean leader told reporters.\n\n'
        '"The talks were very useful," the Peruvian president said.'
    )
    quotes = quotes_in(nlp, text)
    assert speaker_of(quotes, "border") == "Marta Rojas"
    assert speaker_of(quotes, "very useful") == "Diego Salas"


def test_a_continued_quote_in_the_next_paragraph_keeps_its_speaker(nlp):
    text = (
        "Port director Ruth Amadi addressed the board.\n\n"
        '"The cranes are old," Amadi said. "Two of them broke down last week."\n\n'
        '"We need new ones before the grain season."'
    )
    quotes = quotes_in(nlp, text)
    assert len(quotes) == 3
    assert {q.speaker for q in quotes} == {"Ruth Amadi"}


def test_an_outlet_relaying_a_partial_quote_does_not_take_it_from_the_person(nlp):
    text = (
        "Union leader Marta Kovac met the board on Tuesday, the Baltic News Agency reported. "
        'Kovac also criticised the board\'s "reckless" cuts to the pension fund, it added.'
    )
    assert speaker_of(quotes_in(nlp, text), "reckless") == "Marta Kovac"


def test_it_is_the_organisation_named_inside_the_subject_phrase(nlp):
    text = (
        "The Council for the Protection of Rivers (CPR) said the ministry was ignoring the "
        "pollution reports. "
        'It also urged the regional government to take "far stronger measures" at once.'
    )
    assert speaker_of(quotes_in(nlp, text), "far stronger measures") in (
        "CPR", "Council for the Protection of Rivers")


def test_a_place_or_a_thing_in_the_subject_does_not_speak(nlp):
    text = ('After agreeing to "work towards a ceasefire in the region", their second summit '
            "in Geneva ended without a deal being signed.")
    assert speaker_of(quotes_in(nlp, text), "ceasefire") is None


def test_an_unnamed_person_described_by_a_noun_still_speaks(nlp):
    text = '"We are not going anywhere," a senior official said on Monday.'
    assert speaker_of(quotes_in(nlp, text), "going anywhere") == "a senior official"


def test_he_is_not_a_woman_named_just_before(nlp):
    found = quotes_in(nlp, "Kevin Ross was asleep on the couch. Melanie said yes, over and "
                           "over again, as the speech went on.\n“I love you,” he said.")
    assert [q.speaker for q in found if q.text.startswith("I love")] != ["Melanie"]
