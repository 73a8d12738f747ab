"""Organisations the model takes for people or misses, and places and titles taken for orgs."""

from __future__ import annotations

import pytest

from bot.nlp.people import find_people
from tests.nlp.conftest import names

pytestmark = pytest.mark.slow




def test_a_word_before_newspaper_is_an_outlet(nlp):
    text = "The Harrowgate newspaper chain asked the court to release the files on Monday."
    assert "Harrowgate" not in names(nlp, text, "person")


def test_the_first_word_of_a_company_name_alone_is_the_company(nlp):
    text = (
        "Brandvik Tools Corp. said profits rose. Brandvik expects sales to grow next year, "
        "and Brandvik will hire 200 workers."
    )
    assert "Brandvik" not in names(nlp, text, "person")


def test_a_quoted_show_title_is_not_an_organisation(nlp):
    text = ('Mayor Ana Ruiz said on Tuesday on ABC\'s "Morning Harbor News" that rents were '
            "too high.")
    assert not {n for n in names(nlp, text, "org") if "Harbor" in n}


def test_a_hill_or_a_room_the_model_tags_org_is_a_place(nlp):
    text = (
        "Senators on Capitol Hill met the envoy, who later spoke in the Oval Office "
        "with President Ellen Marsh."
    )
    assert not {"Capitol Hill", "Oval Office"} & names(nlp, text, "org")


def test_a_name_after_moderator_is_a_person(nlp):
    text = "The debate was led by moderator Lester Holt, who asked about taxes."
    assert "Lester Holt" in names(nlp, text, "person")


def test_a_town_followed_by_its_state_is_no_person(nlp):
    text = ("Protests spread to cities like Tulsa and Charlotte, and a rally in Charlotte, "
            "N.C., drew crowds.")
    assert "Charlotte" not in names(nlp, text, "person")


def test_a_nationality_then_a_capitalised_noun_is_an_organisation(nlp):
    text = "Officials said the Islamic State had lost most of its territory by then."
    assert "Islamic State" in names(nlp, text, "org")


def test_a_paper_the_model_took_for_a_building_is_an_organisation(nlp):
    text = "They checked the Chicago Tribune, which keeps a running tally of shootings."
    assert "Chicago Tribune" in names(nlp, text, "org")


def test_a_name_ending_in_report_is_an_outlet_and_a_list_is_not_one_name(nlp):
    text = "The rumour was repeated by news outlets such as Time, Slate and Drudge Report."
    found = names(nlp, text, "org")
    assert "Drudge Report" in found
    assert "Slate and Drudge Report" not in found


def test_a_platform_in_a_sentence_is_an_organisation(nlp):
    text = "Twitter\nFacebook\nThe senator posted the letter on Twitter on Monday evening."
    entries = [e for e in find_people(nlp(text)) if e.name == "Twitter"]
    assert [e.kind for e in entries] == ["org"]


def test_plural_group_nouns_are_not_people(nlp):
    text = (
        "How much does it matter?  Scholars have long debated the question. "
        "\u201cHe must stop portraying Latinos as criminals,\u201d said Rosa Vega."
    )
    found = names(nlp, text, "person")
    assert not {"Scholars", "Latinos"} & found


def test_a_pageant_title_after_former_miss_is_not_a_person(nlp):
    text = "He attacked a former Miss Universe in a series of late-night posts."
    assert "Universe" not in names(nlp, text, "person")


def test_a_signature_after_a_dash_is_the_person_without_the_dash(nlp):
    text = "\u201cYou are not a leader, you are a dictator.\u201d \u2015 Marta N Luis Obregon"
    found = names(nlp, text, "person") | names(nlp, text, "org")
    assert all(not n[:1].isspace() and n[:1] != "\u2015" for n in found)


def test_a_country_written_as_an_abbreviation_is_not_an_organisation(nlp):
    entries = find_people(nlp("Officials urged ROK President Moon Jae-in's government to act, "
                              "and the DPRK said it would wait for the talks."))
    orgs = {e.name for e in entries if e.kind == "org"}
    assert "ROK" not in orgs and "DPRK" not in orgs
    assert "Moon Jae-in" in {e.name for e in entries if e.kind == "person"}


def test_a_company_named_without_its_suffix_stays_the_company(nlp):
    entries = find_people(nlp(
        "Tony Lama Co. said an investment fund proposed a new offer. Neither the fund nor Tony "
        "Lama gave a reason, and Tony Lama said it would submit the offer to its board. "
        "Montedison S.p.A. began a tender offer; Montedison owns 72% of the shares."))
    assert not any(e.kind == "person" for e in entries), entries
    (tony,) = [e for e in entries if "Tony Lama" in e.name]  # one company, all its mentions
    assert tony.kind == "org" and len(tony.mentions) == 3
