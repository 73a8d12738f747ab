"""Second looks at names: common nouns, headline guesses, photo credits, surnames tagged ORG."""

from __future__ import annotations

import pytest

from bot.nlp.people import find_people
from tests.nlp.conftest import names

pytestmark = pytest.mark.slow




def test_a_capitalised_word_the_article_also_writes_in_lower_case_is_no_person(nlp):
    text = (
        "Turnout was the worry of the evening. Organisers said the turnout in the valley "
        "towns fell by a third, and Maria Delgado, the county clerk, agreed."
    )
    assert "Turnout" not in names(nlp, text, "person")
    assert "Maria Delgado" in names(nlp, text, "person")


def test_a_word_always_after_the_is_no_person(nlp):
    text = (
        "The barge sailed down the Danube for two days. Captain Ilse Brandt said the "
        "river was calm and the crew was rested."
    )
    assert "Danube" not in names(nlp, text, "person")


def test_a_name_modifying_a_noun_after_the_is_still_the_person(nlp):
    text = (
        "Senator Ruth Okafor criticised the plan. Critics of the Okafor proposal "
        "said it would cost too much."
    )
    found = find_people(nlp(text))
    okafor = next(e for e in found if e.name == "Ruth Okafor")
    assert len(okafor.mentions) == 2


def test_a_photo_credit_of_two_platforms_is_not_an_organisation(nlp):
    text = "The crowd cheered as the band played.\n\nGetty/Instagram.\n\nThe mayor spoke next."
    assert not any("Getty" in n for n in names(nlp, text, "org"))


def test_a_surname_tagged_as_organisation_joins_the_person(nlp):
    # The model tags the middle 'Sanders' ORG; no full name is written anywhere.
    text = (
        "Sanders told reporters he would stay. But the Sanders campaign said on Tuesday "
        "that Sanders had left."
    )
    assert "Sanders" not in names(nlp, text, "org")
    found = find_people(nlp(text))
    sanders = next(e for e in found if e.name == "Sanders")
    assert len(sanders.mentions) == 3


def test_a_country_abbreviation_before_a_title_is_not_an_organisation(nlp):
    text = "UAE President Mohamed bin Zayed met the envoy in the capital on Friday."
    assert "UAE" not in names(nlp, text, "org")
