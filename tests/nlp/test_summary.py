"""Extractive summaries: widely reported sentences first, no repeats, no furniture."""

from __future__ import annotations

from bot.nlp.boilerplate import is_boilerplate
from bot.nlp.summary import Candidate, fit_for_summary, summarize

A = [
    "The city council approved a new budget on Monday that raises school spending by 8 percent.",
    "Mayor Tom Bell said the plan would hire 200 new teachers next year.",
    "Opposition members walked out before the final vote in protest.",
    "The budget also cuts funding for two downtown parking garages.",
]
B = [
    "City council members on Monday approved a budget that raises school spending by 8 percent.",
    "Opposition councillors walked out of the chamber before the final vote.",
    "Teachers' unions welcomed the decision but said more was needed for pay.",
    "The vote came after three weeks of heated public hearings at city hall.",
]


def _candidates() -> list[Candidate]:
    return [Candidate(1, i, s, "2024-05-06") for i, s in enumerate(A)] + \
           [Candidate(2, i, s, "2024-05-06") for i, s in enumerate(B)]


def test_a_summary_has_three_to_six_sentences_each_cited():
    picked = summarize(_candidates())
    assert 3 <= len(picked) <= 6
    assert all(p.article_ids for p in picked)


def test_a_fact_two_outlets_report_is_said_once_and_cites_both():
    picked = summarize(_candidates())
    budget = [p for p in picked if "8 percent" in p.text]
    assert len(budget) == 1
    assert set(budget[0].article_ids) == {1, 2}


def test_the_lead_comes_first_so_the_summary_reads_as_a_story():
    picked = summarize(_candidates())
    assert "8 percent" in picked[0].text


def test_fragments_and_dialogue_are_not_summary_sentences():
    assert not fit_for_summary("Speaking to reporters after the meeting,")
    assert not fit_for_summary('"We will win, we will win, we will win this," he said.')
    assert fit_for_summary("The council approved the budget after a long debate on Monday.")


def test_page_furniture_is_recognised():
    for line in ("Advertisement", "Read more:", "By Jane Doe and John Roe, Reuters",
                 "Protesters gather outside city hall on Monday. /AFP Photo",
                 "(With inputs from Reuters and AP)", "Sign up for our newsletter"):
        assert is_boilerplate(line), line
    for line in ("By Friday, the talks had collapsed.", "Read the statement, he said."):
        assert not is_boilerplate(line), line
