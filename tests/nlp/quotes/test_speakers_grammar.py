"""Speakers found through the grammar around a cue (paragraph breaks, gerunds after a
preposition, "led X to fear", a candidate's campaign), on sentences written for these tests."""

from __future__ import annotations

from bot.nlp.quotes import find_quotes
from tests.nlp.conftest import speaker_of


def test_he_after_a_paragraph_break_is_the_subject_of_his_own_paragraph(nlp):
    # No full stop before the break: the parser may run both paragraphs into one sentence.
    text = (
        "Mayor Daniel Ortiz, who faces Carl Benning in the spring, called on Friday for an "
        'audit of the depot, saying it "wastes money every single day"\n\n'
        "Harold Ames, the city's transit director, said the depot met its budget, but he said "
        'the audit "would only confirm what our staff already know" about the accounts.'
    )
    assert speaker_of(find_quotes(nlp(text)), "would only confirm") == "Harold Ames"


def test_a_gerund_after_a_preposition_belongs_to_the_subject_of_the_clause(nlp):
    text = (
        "Dr. Selma Rusk appeared before a state panel in 2015 for her role in selling "
        'herbal diet pills and for saying that a tea blend was a "miracle cure for fatigue."'
    )
    assert speaker_of(find_quotes(nlp(text)), "miracle cure") == "Selma Rusk"


def test_he_after_a_possessive_surname_is_the_person_named_in_full_earlier(nlp):
    text = (
        "Dr. Kemal Oz took the governor through a review of his health.\n\n"
        "The two talked for an hour. Oz's advice later drew a rebuke from regulators, where he "
        'appeared in 2015 for saying that a powder was a "complete substitute for exercise."'
    )
    assert speaker_of(find_quotes(nlp(text)), "complete substitute") == "Kemal Oz"


def test_the_object_of_led_to_fear_is_the_one_who_fears(nlp):
    text = (
        "The mayor praised the new tariffs. "
        "The move has led the Danish economist Freja Lund to predict a "
        '"long and costly trade war."'
    )
    assert speaker_of(find_quotes(nlp(text)), "costly trade war") == "Freja Lund"


def test_a_fear_put_in_quotation_marks_belongs_to_the_one_who_fears(nlp):
    text = (
        "Governor Tomas Reyes raised port fees on Monday. "
        "This has led the Dutch analyst Ilse Brandt to fear a "
        '"Reyes-made recession."'
    )
    assert speaker_of(find_quotes(nlp(text)), "recession") == "Ilse Brandt"


def test_they_for_a_candidates_campaign_is_the_candidate(nlp):
    text = (
        "Senator Alma Whitfield will unveil a housing plan on Friday. "
        "Whitfield's campaign is trying to contrast her plan with what they call "
        'her rival\'s "empty slogans."'
    )
    assert speaker_of(find_quotes(nlp(text)), "empty slogans") == "Alma Whitfield"
