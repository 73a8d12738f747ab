"""Periods named around other dates: halves, centuries, weeks of a date, anchored days and times."""

from __future__ import annotations

from datetime import date

import spacy

from bot.nlp.timex import find_times

OCTOBER = date(1999, 10, 27)



def pairs(nlp: spacy.language.Language, text: str, published: date) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in find_times(nlp(text), published)]


def test_the_week_of_a_date_is_that_iso_week(nlp):
    found = pairs(nlp, "A hearing is set for the week of March 6.", date(2000, 2, 24))
    assert found == [("the week of March 6", "2000-W10")]


def test_halves_of_years_and_decades(nlp):
    found = pairs(
        nlp, "Sales slowed in the first half of 1998 and in the last half of the '80s.", OCTOBER
    )
    assert found == [("the first half of 1998", "1998-H1"), ("the last half of the '80s", "198")]


def test_centuries(nlp):
    found = pairs(
        nlp, "It was the worst flood this century, rivalling one in the 19th century.", OCTOBER
    )
    assert found == [("this century", "P100Y"), ("the 19th century", "18")]


def test_a_season_of_a_spelled_out_year_keeps_the_whole_phrase(nlp):
    found = pairs(nlp, "Prices last hit that level in the winter of nineteen ninety-four.", OCTOBER)
    assert found == [("the winter of nineteen ninety-four", "1994-WI")]


def test_a_month_with_a_spelled_out_year(nlp):
    assert pairs(nlp, "January nineteen ninety-seven.", OCTOBER) == [
        ("January nineteen ninety-seven", "1997-01")
    ]


def test_the_previous_weekday_counts_back_from_the_date_in_focus(nlp):
    found = pairs(nlp, "The index closed on Oct. 13, down 4% from the previous Friday.", OCTOBER)
    assert found == [("Oct. 13", "1999-10-13"), ("the previous Friday", "1999-10-08")]


def test_a_clock_time_before_a_dated_day_takes_that_day(nlp):
    found = pairs(nlp, "The offer expires at 5 p.m. EST Nov. 9.", OCTOBER)
    assert found == [("5 p.m. EST Nov. 9", "1999-11-09T17:00")]


def test_a_clock_time_without_a_day_takes_the_day_under_discussion(nlp):
    found = pairs(nlp, "The doctor was shot on Oct. 23. He died at 10 p.m.", OCTOBER)
    assert found == [("Oct. 23", "1999-10-23"), ("10 p.m.", "1999-10-23T22:00")]


def test_a_clock_time_with_a_parenthetical_zone_keeps_its_weekday(nlp):
    found = pairs(nlp, "The blast occurred at 10:35 a.m. (0735 GMT) Friday.", date(1998, 8, 8))
    # the aside splits the phrase: the day is a date of its own, and the clock still carries it
    assert [value for _, value in found] == ["1998-08-07T10:35", "1998-08-07"]


def test_a_vague_count_counted_from_another_date_is_a_duration(nlp):
    found = pairs(nlp, "The plant closed on May 2. A few days later, it reopened.", OCTOBER)
    assert found == [("May 2", "1999-05-02"), ("A few days later", "PXD")]


def test_programme_titles_are_not_durations(nlp):
    assert pairs(nlp, 'He said on "60 Minutes" that he would run.', OCTOBER) == []


def test_election_day_is_the_tuesday_after_the_first_monday_of_november(nlp):
    assert pairs(nlp, "Campaigning continues until Election Day.", date(1998, 10, 26)) == [
        ("Election Day", "1998-11-03")
    ]
