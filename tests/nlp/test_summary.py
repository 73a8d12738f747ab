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


# A story two outlets carry: both open with the same event in other words; two ministers speak.
STORY_1 = [
    "Finance minister Lena Holt on Tuesday ended three days of trade talks in Oslo with "
    "her Danish counterpart.",
    "The talks covered fishing quotas, port fees and a shared rail link across the border.",
    "Holt said the fishing agreement would protect coastal jobs for the next decade.",
    "Holt also said the rail link needed more funding before work could start.",
    "Officials in Oslo said the port fees would be reviewed again next spring.",
    "The delegation left Oslo by train on Tuesday evening after a final dinner.",
    "Berg told reporters that Denmark wanted firm guarantees on port fees before signing.",
]
STORY_2 = [
    "Danish minister Karl Berg returned to Copenhagen on Wednesday after concluding trade "
    "talks with Norway's finance minister Lena Holt.",
    "Berg told reporters that Denmark needs firm guarantees on port fees from Norway.",
    "Holt said the fishing deal would protect jobs in coastal towns for ten years.",
    "The two ministers also discussed a rail link and fishing quotas during the talks.",
    "Berg said the talks were friendly and productive despite the disagreement on fees.",
]


def _story() -> list[Candidate]:
    return [Candidate(1, i, s, "2024-05-07") for i, s in enumerate(STORY_1)] + \
           [Candidate(2, i, s, "2024-05-08") for i, s in enumerate(STORY_2)]


def test_each_main_persons_statement_is_carried():
    texts = [p.text for p in summarize(_story())]
    assert any(t.startswith(("Holt said", "Holt also said")) for t in texts), texts
    assert any(t.startswith(("Berg told", "Berg said")) for t in texts), texts


def test_no_two_summary_sentences_restate_each_other():
    texts = [p.text for p in summarize(_story())]
    # the two outlets' leads report one event (talks ended / minister returned): one of them
    assert sum(t.startswith(("Finance minister Lena Holt", "Danish minister")) for t in texts) \
        == 1, texts
    # one person's one point, reported by both outlets, is said once
    assert sum("fishing" in t and "jobs" in t for t in texts) <= 1, texts
    assert sum("guarantees" in t for t in texts) <= 1, texts


def test_the_demo_story_summary_carries_both_leaders_statements_once(nlp):
    """The bundled demo (two outlets on one summit), through the real analysis."""
    from pathlib import Path

    from bot.ingest.files import read_file
    from bot.nlp.pipeline import analyze_doc

    candidates = []
    demo = sorted((Path(__file__).parents[2] / "bot" / "demo_data").glob("*.md"))
    for k, path in enumerate(demo):
        (draft,) = read_file(path)
        analysis = analyze_doc(nlp(draft.text), draft.published)
        candidates += [Candidate(k, i, draft.text[s:e].strip(), str(draft.published))
                       for i, (s, e) in enumerate(analysis.sentences)]
    texts = [p.text for p in summarize(candidates)]
    assert any("Putin" in t and "security guarantees" in t for t in texts), texts
    assert any(t.startswith("Kim") and "attitude" in t for t in texts), texts
    assert not any("returned home" in t for t in texts), texts  # the lead says it already
