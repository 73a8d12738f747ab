"""Ages, "the year" and comparisons over periods longer than a quarter, on text written for
these tests."""

from __future__ import annotations

from datetime import date

import spacy

from bot.nlp.timex import find_times

NOVEMBER = date(2021, 11, 3)


def found(nlp: spacy.language.Language, text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.type, m.value) for m in find_times(nlp(text), NOVEMBER)]


def test_an_age_is_not_a_time_expression(nlp):
    times = found(
        nlp,
        "Mr. Holt, 61 years old, will retire. The plan is open to staff 55 years old or older. "
        "He served 12 years in the army.",
    )
    assert times == [("12 years", "DURATION", "P12Y")]


def test_the_year_without_a_fiscal_end_is_the_current_year(nlp):
    times = found(
        nlp,
        "Shares of Kelvin Corp. rose to a high for the year of $40. Sales fell through the "
        "first nine months of the year. For the year ended June 30, Kelvin earned $3 million.",
    )
    years = [t for t in times if t[0] == "the year"]
    assert years == [
        ("the year", "DATE", "2021"),
        ("the year", "DATE", "2021"),
        ("the year", "DURATION", "P1Y"),
    ]


def test_a_year_earlier_follows_the_period_of_its_sentence(nlp):
    times = found(
        nlp,
        "Kelvin posted a profit of $5 million for the third quarter, up from $4 million a year "
        "earlier. For the nine months, net income was $12 million, compared with $10 million a "
        "year earlier.",
    )
    earlier = [value for text, _, value in times if text == "a year earlier"]
    assert earlier == ["2020-Q3", "2020"]
