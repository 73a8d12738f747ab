"""Time expressions found in news sentences and normalised against the publication date."""

from __future__ import annotations

from datetime import date, datetime

import spacy

from bot.models import TimeMention
from bot.nlp.timex import find_times

SATURDAY = date(2021, 3, 13)  # a Saturday
WEDNESDAY = date(2021, 3, 10)



def times(
    nlp: spacy.language.Language, text: str, published: date | datetime | None
) -> list[TimeMention]:
    return find_times(nlp(text), published)


def only(nlp: spacy.language.Language, text: str, published: date | None) -> TimeMention:
    found = times(nlp, text, published)
    assert len(found) == 1, found
    return found[0]


def test_friday_in_a_saturday_article_is_the_day_before(nlp):
    mention = only(nlp, "The ferry operator cancelled all crossings on Friday.", SATURDAY)
    assert (mention.text, mention.value, mention.type, mention.precision) == (
        "Friday",
        "2021-03-12",
        "DATE",
        "day",
    )


def test_next_friday_is_ahead(nlp):
    mention = only(nlp, "The council votes on the budget next Friday.", SATURDAY)
    assert (mention.text, mention.value) == ("next Friday", "2021-03-19")


def test_a_weekday_with_will_looks_forward(nlp):
    mention = only(nlp, "The new bridge will open on Tuesday.", SATURDAY)
    assert mention.value == "2021-03-16"


def test_the_weekday_of_publication_is_that_same_day(nlp):
    assert only(nlp, "Engineers restored power on Saturday.", SATURDAY).value == "2021-03-13"


def test_offsets_point_at_the_expression_in_the_text(nlp):
    text = "Farmers protested in the capital yesterday."
    mention = only(nlp, text, SATURDAY)
    assert text[mention.start : mention.end] == "yesterday" == mention.text
    assert mention.value == "2021-03-12"


def test_month_without_year_takes_the_publication_year_or_the_previous_one_by_tense(nlp):
    april = date(2021, 4, 20)
    assert only(nlp, "Sales fell sharply in February.", april).value == "2021-02"
    assert only(nlp, "Sales fell sharply in November.", april).value == "2020-11"
    assert only(nlp, "The plant will reopen in November.", april).value == "2021-11"


def test_a_month_with_its_year_keeps_that_year(nlp):
    mention = only(nlp, "The mine closed in June 2018.", date(2021, 4, 20))
    assert (mention.text, mention.value, mention.precision) == ("June 2018", "2018-06", "month")


def test_full_and_partial_calendar_dates(nlp):
    found = times(
        nlp, "The treaty was signed on March 3, 1998, and ratified on Aug. 7.", date(1998, 9, 1)
    )
    assert [(m.text, m.value) for m in found] == [
        ("March 3, 1998", "1998-03-03"),
        ("Aug. 7", "1998-08-07"),
    ]


def test_relative_days_weeks_months_and_years(nlp):
    found = times(
        nlp, "Prices rose last week, fell last month and doubled two years ago.", WEDNESDAY
    )
    assert [(m.text, m.value) for m in found] == [
        ("last week", "2021-W09"),
        ("last month", "2021-02"),
        ("two years ago", "2019"),
    ]


def test_this_week_and_earlier_this_month(nlp):
    found = times(
        nlp, "The union met this week after talks broke down earlier this month.", WEDNESDAY
    )
    assert [(m.text, m.value, m.precision) for m in found] == [
        ("this week", "2021-W10", "week"),
        ("earlier this month", "2021-03", "month"),
    ]


def test_since_a_year_is_that_year(nlp):
    mention = only(nlp, "The museum has been closed since 2011.", WEDNESDAY)
    assert (mention.text, mention.value, mention.precision) == ("2011", "2011", "year")


def test_a_day_after_a_dated_event_counts_from_that_date(nlp):
    found = times(
        nlp, "The storm hit on March 2. A day later, the river burst its banks.", WEDNESDAY
    )
    assert [(m.text, m.value) for m in found] == [
        ("March 2", "2021-03-02"),
        ("A day later", "2021-03-03"),
    ]


def test_durations_are_timeml_periods(nlp):
    found = times(nlp, "The hearing lasted two hours after a wait of three years.", WEDNESDAY)
    assert [(m.text, m.type, m.value, m.precision) for m in found] == [
        ("two hours", "DURATION", "PT2H", None),
        ("three years", "DURATION", "P3Y", None),
    ]


def test_vague_durations_have_an_x_for_the_count(nlp):
    mention = only(nlp, "Repairs could take several weeks.", WEDNESDAY)
    assert (mention.type, mention.value) == ("DURATION", "PXW")


def test_ages_are_not_time_expressions(nlp):
    assert times(nlp, "A 6-year-old girl was rescued from the river.", WEDNESDAY) == []


def test_sets_repeat_at_a_period(nlp):
    found = times(nlp, "The ferry sails every week and the bulletin is published daily.", WEDNESDAY)
    assert [(m.text, m.type, m.value) for m in found] == [
        ("every week", "SET", "P1W"),
        ("daily", "SET", "P1D"),
    ]


def test_vague_references_point_to_past_present_or_future(nlp):
    found = times(nlp, "The mayor recently said the city is now ready for the future.", WEDNESDAY)
    assert [(m.text, m.value) for m in found] == [
        ("recently", "PAST_REF"),
        ("now", "PRESENT_REF"),
        ("the future", "FUTURE_REF"),
    ]


def test_clock_times_attach_to_their_day(nlp):
    mention = only(nlp, "Voting closed at 8 p.m. Tuesday.", WEDNESDAY)
    assert (mention.text, mention.type, mention.value, mention.precision) == (
        "8 p.m. Tuesday",
        "TIME",
        "2021-03-09T20:00",
        "time",
    )


def test_quarters_and_decades(nlp):
    found = times(
        nlp, "Profit rose in the third quarter, the best since the 1990s.", date(2021, 11, 2)
    )
    assert [(m.text, m.value, m.precision) for m in found] == [
        ("the third quarter", "2021-Q3", "quarter"),
        ("the 1990s", "199", "decade"),
    ]


def test_a_year_ago_compares_with_the_quarter_in_focus(nlp):
    found = times(nlp, "Third-quarter sales rose 5% from a year ago.", date(2021, 11, 2))
    assert [m.value for m in found] == ["2021-Q3", "2020-Q3"]


def test_may_the_verb_is_not_a_month(nlp):
    assert times(nlp, "Officials may decide to delay the vote.", WEDNESDAY) == []


def test_a_datetime_publication_date_works_like_its_date(nlp):
    mention = only(nlp, "The mill shut yesterday.", datetime(2021, 3, 10, 18, 30))
    assert mention.value == "2021-03-09"


def test_without_a_publication_date_relative_dates_are_undeterminable(nlp):
    found = times(nlp, "The mill shut yesterday, as it did in 1998.", None)
    assert [(m.text, m.value) for m in found] == [("yesterday", "XXXX-XX-XX"), ("1998", "1998")]


def test_mentions_are_sorted_by_start(nlp):
    found = times(
        nlp, "Now, after three days of talks, both sides will meet again on Monday.", SATURDAY
    )
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert [m.value for m in found] == ["PRESENT_REF", "P3D", "2021-03-15"]
