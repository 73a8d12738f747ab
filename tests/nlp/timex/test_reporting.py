"""What earnings and narrative news refer back to: the reported quarter, the month before."""

from __future__ import annotations

from datetime import date

import spacy

from bot.nlp.timex import find_times

NOVEMBER = date(1989, 11, 2)



def values(nlp: spacy.language.Language, text: str, published: date) -> dict[str, str]:
    return {m.text: m.value for m in find_times(nlp(text), published)}


def test_a_forecast_for_the_running_quarter_does_not_become_the_reported_one(nlp):
    found = values(
        nlp,
        "Travelers said third-quarter net income rose 11%. The earthquake will result in a "
        "fourth-quarter charge. Earnings fell 59% in the latest quarter, compared with "
        "$6 million a year ago.",
        NOVEMBER,
    )
    assert found["fourth-quarter"] == "1989-Q4"
    assert found["the latest quarter"] == "1989-Q3"
    assert found["a year ago"] == "1988-Q3"


def test_an_earlier_quarter_named_in_passing_leaves_the_reported_quarter_in_focus(nlp):
    found = values(
        nlp,
        "Kimberly-Clark posted a 20% gain in third-quarter net income. After a flat second "
        "quarter, paper prices recovered. Charges were taken in the year-earlier period.",
        NOVEMBER,
    )
    assert found["the year-earlier period"] == "1988-Q3"


def test_a_fiscal_quarter_named_later_becomes_the_reported_one(nlp):
    found = values(
        nlp,
        "Steelmakers posted a drop in third-quarter profit. National Steel posted net income "
        "for the fiscal second-quarter of $8 million. The latest period includes gains.",
        date(1989, 10, 26),
    )
    assert found["The latest period"] == "1989-Q2"


def test_a_comparison_year_period_does_not_move_the_quarter_in_focus(nlp):
    found = values(
        nlp,
        "Sun earned $5 million in the fiscal first quarter. In the 1988 period, it earned $20 "
        "million. Sun expected to break even for the quarter.",
        date(1989, 10, 26),
    )
    assert found["the 1988 period"] == "1988-Q1"
    assert found["the quarter"] == "1989-Q1"


def test_results_reported_for_a_quarter_still_running_are_of_a_fiscal_quarter(nlp):
    found = values(
        nlp,
        "Ralston Purina reported a 47% decline in fourth-quarter earnings. Sales in the latest "
        "period were $1.76 billion.",
        NOVEMBER,
    )
    assert found["the latest period"] == "1989-Q4"


def test_the_following_month_counts_from_the_month_last_named(nlp):
    found = values(
        nlp,
        "In March, the company received a bid. The following month, it put itself up for sale.",
        date(1989, 10, 27),
    )
    assert found["March"] == "1989-03"
    assert found["The following month"] == "1989-04"


def test_a_participle_clause_takes_the_tense_of_its_main_clause(nlp):
    found = values(
        nlp,
        "The stock has fluctuated sharply, rising to a high of $42 in June from $29 in March.",
        date(1989, 10, 30),
    )
    assert found["March"] == "1989-03"
    assert found["June"] == "1989-06"


def test_a_clock_time_with_an_aside_before_its_day_is_two_expressions(nlp):
    found = find_times(
        nlp("The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building."),
        date(1998, 8, 8),
    )
    assert [(m.text, m.type, m.value) for m in found] == [
        ("at about 10:35 a.m.", "TIME", "1998-08-07T10:35"),
        ("Friday", "DATE", "1998-08-07"),
    ]
