"""Which way undated weekdays, months and days resolve: by the tense of the clause they sit in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import spacy

from bot.models import TimeMention
from bot.nlp.timex import find_times

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SATURDAY = date(2019, 4, 27)
PAST_SENTENCES = (
    "The ferry operator cancelled all crossings on {day}.",
    "Police said on {day} that two men had been arrested.",
    "Protesters planned a march on {day}, but it was called off.",
    "The ministry arranged ceremonies to mark the anniversary on {day}.",
    "Until {day}, investigators had not named a suspect.",
    "Shares fell sharply {day} after the report.",
)
FUTURE_SENTENCES = (
    "The council will vote on the budget on {day}.",
    "Talks are expected to resume {day}.",
    "The minister is meeting her counterpart on {day}.",
    "The agency has scheduled a hearing {day}.",
)



def weekday_values(nlp: spacy.language.Language, text: str, published: date) -> list[date]:
    found: list[TimeMention] = find_times(nlp(text), published)
    return [date.fromisoformat(m.value[:10]) for m in found if m.text.endswith("day")]


@pytest.mark.parametrize("sentence", PAST_SENTENCES)
def test_a_weekday_in_a_past_clause_is_never_after_publication_nor_a_week_off(nlp, sentence):
    for offset in range(7):
        published = SATURDAY + timedelta(days=offset)
        for name in WEEKDAY_NAMES:
            (value,) = weekday_values(nlp, sentence.format(day=name), published)
            assert published - timedelta(days=6) <= value <= published, (name, published)
            assert WEEKDAY_NAMES[value.weekday()] == name


@pytest.mark.parametrize("sentence", FUTURE_SENTENCES)
def test_a_weekday_in_a_future_clause_is_the_nearest_one_ahead(nlp, sentence):
    for offset in range(7):
        published = SATURDAY + timedelta(days=offset)
        for name in WEEKDAY_NAMES:
            (value,) = weekday_values(nlp, sentence.format(day=name), published)
            assert published <= value <= published + timedelta(days=6), (name, published)
            assert WEEKDAY_NAMES[value.weekday()] == name


def test_on_friday_in_a_saturday_report_of_the_past_is_the_day_before(nlp):
    assert weekday_values(nlp, "Thousands marched on Friday.", SATURDAY) == [date(2019, 4, 26)]


def test_next_friday_is_the_friday_ahead(nlp):
    assert weekday_values(nlp, "The summit resumes next Friday.", SATURDAY) == [date(2019, 5, 3)]


def test_a_deadline_extended_until_a_weekday_lies_ahead(nlp):
    found = find_times(nlp("The agency extended its deadline until 9 a.m. Tuesday."), SATURDAY)
    assert [(m.text, m.value) for m in found] == [("9 a.m. Tuesday", "2019-04-30T09:00")]


def test_months_without_a_year_follow_the_clause(nlp):
    april = date(2019, 4, 20)
    found = find_times(nlp("Exports fell in February and will recover in June 2020."), april)
    assert [m.value for m in found] == ["2019-02", "2020-06"]
    found = find_times(nlp("The mine closed in June 2018."), april)
    assert [m.value for m in found] == ["2018-06"]


def test_a_dividend_payable_on_a_date_is_paid_ahead_even_in_a_past_clause(nlp):
    found = find_times(
        nlp("Directors declared a dividend of 5 cents, payable Dec. 1."), date(2019, 10, 27)
    )
    assert [m.value for m in found] == ["2019-12-01"]


def test_a_participle_in_the_past_dates_back(nlp):
    found = find_times(nlp("Revenue for the year ended March 31 rose 4%."), date(2019, 10, 27))
    assert [(m.text, m.value) for m in found if m.type == "DATE"] == [("March 31", "2019-03-31")]
