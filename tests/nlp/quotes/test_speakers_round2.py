"""Speaker attribution, second round: dash bylines, titles that look like names, clauses with
their own speaker, and pronouns across a shared surname; on sentences written for these tests."""

from __future__ import annotations

from bot.nlp.quotes import find_quotes
from tests.nlp.conftest import speaker_of


def test_a_dash_byline_glued_to_the_closing_mark_names_its_own_quote(nlp):
    text = (
        "Readers told us what they thought of the debate.\n\n"
        "\u201cTaxes are too high. Nobody in the capital listens to farmers.\u201d "
        "\u2015 Maria Gomez\n\n"
        "\u201cThe evening was a circus. I switched it off after an hour.\u201d"
        "\u2015 Tom Baker\n"
    )
    quotes = find_quotes(nlp(text))
    assert speaker_of(quotes, "Taxes are too high") == "Maria Gomez"
    assert speaker_of(quotes, "switched it off") == "Tom Baker"


def test_a_book_title_in_apposition_is_not_the_she_who_speaks(nlp):
    text = (
        "Senator Rita Ames spoke about the flood on Monday. In her 2001 memoir, Quiet Fields, "
        'she recalled the strike. Later, after saying the mill was "a grave for the town," she '
        'was "too tired to speak" for days.'
    )
    quotes = find_quotes(nlp(text))
    assert speaker_of(quotes, "a grave for the town") == "Rita Ames"
    assert speaker_of(quotes, "too tired to speak") == "Rita Ames"


def test_a_capitalised_noun_after_the_or_a_number_is_not_a_speaker(nlp):
    # the line break splits the sentence for the parser, so "Battalion" looks like a name
    text = (
        "Colonel Ruth Hale visited the base on Monday.\n\nThe 3rd\nBattalion was worn out after "
        'the drill, "but we are proud of every one of them," she said.'
    )
    quotes = find_quotes(nlp(text))
    assert speaker_of(quotes, "proud of every one") == "Ruth Hale"


def test_a_cue_that_describes_a_noun_yields_to_the_outlet_closing_the_sentence(nlp):
    text = (
        "Senator Ruiz spoke in Tulsa on Tuesday. The three \"giveaways\" he cited are \"the fuel "
        'rebate, the stadium grant and the airport bond," The Courier reported.'
    )
    quotes = find_quotes(nlp(text))
    assert speaker_of(quotes, "fuel rebate") == "Courier"


def test_words_in_a_clause_with_its_own_speaker_are_not_the_main_subjects(nlp):
    text = (
        '"Are we winning?" she asked, but Paul was asleep again, and as Governor Hale went on '
        'about "how the budget is broken," and "forgotten rural towns," Marta said yes, over '
        "and over again."
    )
    quotes = find_quotes(nlp(text))
    assert speaker_of(quotes, "budget is broken") == "Hale"
    assert speaker_of(quotes, "forgotten rural towns") == "Hale"


def test_a_split_quote_keeps_its_cue(nlp):
    text = '"We will win," Mayor Hale said, adding, "and we will win big."'
    quotes = find_quotes(nlp(text))
    assert speaker_of(quotes, "win big") == "Hale"
