"""Dated events: the clause or event noun a time expression governs, and its people."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.nlp.pipeline import analyze_doc

PUBLISHED = datetime(2023, 6, 10, tzinfo=UTC)  # a Saturday



def events(nlp, text: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    analysis = analyze_doc(nlp(text), PUBLISHED)
    return {e.time.value: e.text for e in analysis.events}


def test_an_event_is_the_clause_its_date_governs_without_the_leading_date(nlp):
    found = events(nlp, "On Friday, Governor Ana Ruiz signed the water bill into law.")
    assert found["2023-06-09"] == "Governor Ana Ruiz signed the water bill into law"


def test_a_date_hanging_on_an_event_noun_dates_that_noun(nlp):
    found = events(nlp, "The strike has lasted since the failed talks in Geneva in March 2021 "
                        "ended without a deal.")
    assert "talks in Geneva" in found["2021-03"]


def test_a_when_clause_on_a_year_is_what_happened_that_year(nlp):
    found = events(nlp, "It was the first visit since 2015, when the old treaty was signed "
                        "by both leaders.")
    assert found["2015"].startswith("The old treaty was signed")


def test_dates_inside_direct_quotes_make_no_events(nlp):
    found = events(nlp, '"We met yesterday and agreed on nothing," the minister said on Friday.')
    assert "2023-06-09" not in found or "agreed" not in found["2023-06-09"]
    assert all("agreed on nothing" not in text for text in found.values())


def test_the_people_of_an_event_are_those_named_in_its_clause(nlp):
    analysis = analyze_doc(nlp("Mayor Tom Bell met union leader Ana Ruiz on Thursday. "
                               "Critics said little."), PUBLISHED)
    (event,) = [e for e in analysis.events if e.time.value == "2023-06-08"]
    assert set(event.people) == {"Tom Bell", "Ana Ruiz"}


def test_a_dated_subject_dates_its_whole_clause_with_its_although_part(nlp):
    found = events(nlp, "The concert on Friday was cancelled, although the organisers later "
                        "said a smaller show in the park would go ahead.")
    text = found["2023-06-09"]
    assert text.startswith("The concert on Friday was cancelled")
    assert "smaller show in the park" in text


def test_a_later_clause_with_a_date_of_its_own_is_another_event(nlp):
    found = events(nlp, "The council approved the plan on Tuesday, and construction will "
                        "start in March 2024.")
    assert "construction" not in found["2023-06-06"]
    assert found["2024-03"].lower().startswith("construction will start")


def test_timeline_lines_are_clauses_not_fragments(nlp):
    found = events(nlp, "The port strike began in May and worsened on Thursday, when "
                        "dockers blocked the gates. The union, which had condemned the "
                        "pay offer on Monday, called a vote. Sanctions followed the missile "
                        "tests carried out since 2006 by the army.")
    lines = list(found.values())
    for fragment in ("Worsened", "Which", "Carried"):
        assert not any(line.startswith(fragment) for line in lines), lines
    assert any(line.startswith(("The union had condemned", "Union had condemned"))
               for line in lines), lines


def test_a_line_too_short_or_hanging_on_another_sentence_is_no_event(nlp):
    from bot.nlp.events import readable

    assert not readable("Ended Sept. 30")
    assert not readable("Which had condemned Iraq's invasion of Kuwait on Aug. 2")
    assert not readable("And the talks resumed on Monday in Geneva")
    assert readable("The council had condemned Iraq's invasion of Kuwait on Aug. 2")
    found = events(nlp, "Sales ended Sept. 30. The board met on Friday and approved the "
                        "merger with its larger rival.")
    assert all(readable(text) for text in found.values())


def test_the_wire_dateline_is_not_part_of_the_line(nlp):
    found = events(nlp, "WASHINGTON, March 12 (Xinhua) -- Poland, Hungary and the Czech "
                        "Republic formally joined NATO on Friday at a ceremony in Missouri.")
    assert found["2023-06-09"].startswith("Poland, Hungary and the Czech Republic")
