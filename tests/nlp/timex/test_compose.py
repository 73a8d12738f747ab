"""Time expressions read with their neighbours: day ranges, days off a date, titles, names."""

from __future__ import annotations

from datetime import date

import spacy

from bot.nlp.timex import find_times

SATURDAY = date(2021, 3, 13)  # a Saturday



def found(nlp: spacy.language.Language, text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.type, m.value) for m in find_times(nlp(text), SATURDAY)]


def test_second_day_of_a_range_borrows_the_month_of_the_first(nlp):
    assert found(nlp, "The summit will be held on April 24 and 25 in Vladivostok.") == [
        ("April 24", "DATE", "2021-04-24"),
        ("25", "DATE", "2021-04-25"),
    ]


def test_a_count_after_a_date_is_not_a_second_day(nlp):
    assert found(nlp, "He left on March 5 and 6 others followed him.") == [
        ("March 5", "DATE", "2021-03-05")
    ]


def test_the_day_before_a_named_day_is_one_day_earlier(nlp):
    text = "The day before last Tuesday's hearing, he met his brother."
    assert found(nlp, text) == [("The day before last Tuesday", "DATE", "2021-03-08")]


def test_weekday_night_is_that_day(nlp):
    assert found(nlp, "Thousands rallied in the square Friday night.") == [
        ("Friday night", "DATE", "2021-03-12")
    ]


def test_weekday_afternoon_keeps_its_part_of_day(nlp):
    assert found(nlp, "The talks ended Friday afternoon.") == [
        ("Friday afternoon", "TIME", "2021-03-12TAF")
    ]


def test_an_hour_later_is_a_length_of_time(nlp):
    assert found(nlp, "He was shot at home. Just over an hour and a half later, he died.") == [
        ("over an hour and a half later", "DURATION", "PT1H30M")
    ]


def test_a_minute_and_a_half_is_ninety_seconds(nlp):
    assert found(nlp, "The pilot waited a minute and a half.") == [
        ("a minute and a half", "DURATION", "PT1M30S")
    ]


def test_holiday_week_is_the_week_the_holiday_falls_in(nlp):
    assert found(nlp, "Pilgrims filled the city during Easter week.") == [
        ("Easter week", "DATE", "2021-W13")
    ]


def test_a_programme_title_is_not_a_time(nlp):
    assert found(nlp, 'The minister spoke on ABC\'s "This Week" about the strike.') == []


def test_a_year_inside_a_name_is_not_a_time(nlp):
    assert found(nlp, "He founded a company called Orion 1980 with two partners.") == []


def test_the_future_of_something_is_its_fate_not_a_time(nlp):
    assert found(nlp, "Talks on the future of the plant resumed.") == []


def test_a_count_of_things_before_a_year_ago_is_not_a_frequency(nlp):
    assert found(nlp, "The firm runs 13 plants, up from seven a year ago.") == [
        ("a year ago", "DATE", "2020")
    ]


def test_then_current_price_was_current_in_the_past(nlp):
    assert found(nlp, "Holders could buy shares at half the then current price.") == [
        ("then current", "DATE", "PAST_REF")
    ]
