"""People and organisations found in one article: merging, dropping false people, roles."""

from __future__ import annotations

import pytest
import spacy

from bot.models import PersonMention
from bot.nlp.people import find_people, person_at

pytestmark = pytest.mark.slow



def people(nlp: spacy.language.Language, text: str) -> list[PersonMention]:
    return find_people(nlp(text))


def persons(entries: list[PersonMention]) -> dict[str, PersonMention]:
    return {e.name: e for e in entries if e.kind == "person"}


def orgs(entries: list[PersonMention]) -> dict[str, PersonMention]:
    return {e.name: e for e in entries if e.kind == "org"}


def spans(text: str, entry: PersonMention) -> list[str]:
    return [text[start:end] for start, end in entry.mentions]


def test_spelling_variants_and_bare_surname_are_one_person(nlp):
    text = (
        "Chinese President Xi Jinping arrived in Madrid on Monday. "
        "Xi Jin-ping met the Spanish prime minister at the palace. "
        "Later, Xi said the visit had been a success."
    )
    found = persons(people(nlp, text))
    assert list(found) == ["Xi Jinping"]
    assert spans(text, found["Xi Jinping"]) == ["Xi Jinping", "Xi Jin-ping", "Xi"]


def test_title_is_not_part_of_the_name_and_becomes_the_role(nlp):
    text = (
        "President Erdogan spoke first. Turkish President Recep Tayyip Erdogan then "
        "told reporters that Erdogan's party would win."
    )
    found = persons(people(nlp, text))
    assert list(found) == ["Recep Tayyip Erdogan"]
    erdogan = found["Recep Tayyip Erdogan"]
    assert spans(text, erdogan) == ["Erdogan", "Recep Tayyip Erdogan", "Erdogan"]
    assert erdogan.role == "Turkish President"


def test_people_sharing_a_surname_stay_apart_and_a_bare_surname_goes_to_the_salient_one(nlp):
    text = (
        "Serena Williams beat her opponent in straight sets at Wimbledon on Tuesday. "
        "Serena Williams said she felt strong. Her sister, Venus Williams, lost earlier. "
        "Williams will play again on Thursday."
    )
    found = persons(people(nlp, text))
    assert {"Serena Williams", "Venus Williams"} <= set(found)
    assert "Williams" in spans(text, found["Serena Williams"])
    assert spans(text, found["Venus Williams"]) == ["Venus Williams"]


def test_news_agency_is_an_organisation_never_a_person(nlp):
    text = (
        "The minister resigned on Sunday, Reuters reported. Tolvanen, a local agency, "
        "confirmed it. According to Kyodo, talks will resume, and Bernama said the same."
    )
    entries = people(nlp, text)
    assert not {"Reuters", "Kyodo", "Bernama"} & set(persons(entries))
    assert "Reuters" in orgs(entries)


def test_an_unknown_agency_is_recognised_from_how_it_is_cited(nlp):
    text = (
        "Opposition leader Maria Lopez was detained, Delmarco news agency said. "
        "The arrest was confirmed by police, Delmarco reported."
    )
    entries = people(nlp, text)
    assert "Delmarco" not in persons(entries)
    assert "Maria Lopez" in persons(entries)


def test_a_city_mislabelled_as_a_person_is_dropped(nlp):
    text = (
        "Prime Minister Shinzo Abe flew to Canberra. Officials in Canberra said Abe "
        "would stay two days, while Beijing watched closely."
    )
    found = persons(people(nlp, text))
    assert "Canberra" not in found and "Beijing" not in found
    assert "Shinzo Abe" in found


def test_a_nickname_in_quotes_or_so_called_is_not_a_person(nlp):
    text = (
        'Fans call the striker "The Tank" and pundits the so-called Iron Lady of football. '
        "Coach Paolo Rossi praised the striker, Marco Bianchi, after the game."
    )
    found = persons(people(nlp, text))
    assert not {"Tank", "The Tank", "Iron Lady"} & set(found)
    assert "Marco Bianchi" in found


def test_page_furniture_and_lowercase_words_are_not_people(nlp):
    text = "Photo\nAdvertisement\nMayor Anne Hidalgo opened the bridge on Friday."
    found = persons(people(nlp, text))
    assert list(found) == ["Anne Hidalgo"]
    assert found["Anne Hidalgo"].role == "Mayor"


def test_premodifier_role_keeps_country_and_title(nlp):
    text = "U.S. Secretary of State Antony Blinken flew to Cairo, where Blinken met officials."
    found = persons(people(nlp, text))
    assert found["Antony Blinken"].role == "U.S. Secretary of State"


def test_apposition_gives_the_role(nlp):
    text = (
        "Lula da Silva, Brazil's president, met investors. Jane Fraser, the bank's chief "
        "executive, said profits rose."
    )
    found = persons(people(nlp, text))
    assert found["Lula da Silva"].role == "Brazil's president"
    assert found["Jane Fraser"].role == "the bank's chief executive"


def test_possessive_relation_names_the_other_person(nlp):
    text = (
        "Senator Edward Kennedy spoke in Boston. Kennedy's older brother, John F. Kennedy, "
        "was president in 1961."
    )
    found = persons(people(nlp, text))
    assert found["John F. Kennedy"].role == "older brother of Edward Kennedy"
    assert found["Edward Kennedy"].role == "Senator"


def test_role_is_a_short_phrase_not_the_rest_of_the_sentence(nlp):
    text = "Tim Cook, Apple's chief executive, said on Tuesday that sales rose in China."
    found = persons(people(nlp, text))
    assert found["Tim Cook"].role == "Apple's chief executive"


def test_acronym_and_full_name_are_one_organisation(nlp):
    text = (
        "The World Health Organization (WHO) warned of a new outbreak. WHO officials said "
        "the World Health Organization would send experts."
    )
    found = orgs(people(nlp, text))
    assert "World Health Organization" in found
    assert "WHO" in found["World Health Organization"].aliases
    assert "WHO" not in found


def test_acronym_used_alone_joins_the_spelled_out_organisation(nlp):
    text = (
        "The National Aeronautics and Space Administration delayed the launch. "
        "Engineers at NASA found a leak."
    )
    found = orgs(people(nlp, text))
    assert "NASA" not in found
    assert "NASA" in found["National Aeronautics and Space Administration"].aliases


def test_surname_tagged_as_organisation_joins_the_known_person(nlp):
    text = (
        "Donald Tusk met farmers in Warsaw. The Tusk government promised new subsidies, "
        "and Tusk said more would follow."
    )
    found = persons(people(nlp, text))
    assert list(found) == ["Donald Tusk"]
    assert len(found["Donald Tusk"].mentions) == 3
    assert "Tusk" not in orgs(people(nlp, text))


def test_person_at_finds_the_entry_under_a_span(nlp):
    text = "Coach Ange Postecoglou said the team had improved. Postecoglou smiled."
    entries = people(nlp, text)
    start = text.rindex("Postecoglou")
    found = person_at(entries, start, start + 5)
    assert found is not None and found.name == "Ange Postecoglou"
    assert person_at(entries, 0, 3) is None


def test_an_agency_the_model_took_for_a_nationality_is_an_organisation(nlp):
    doc = nlp("Greek news agency Amna said the fire spread overnight.")
    found = {p.name: p.kind for p in find_people(doc)}
    assert found == {"Amna": "org"}, "the nationality before 'news agency' is not an outlet"
