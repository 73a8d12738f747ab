"""Speaker attribution, third round: a pronoun past a shared surname, and a speaker the quote
finder names in full where the people pass knew only the surname; on made-up news."""

from __future__ import annotations

import pytest

from bot.models import PersonMention, QuoteMention
from bot.nlp.pipeline import _canonical_speakers, analyze_doc
from tests.nlp.conftest import speaker_of


def said(nlp, text: str, words: str) -> str | None:
    """Who /quote would show as the speaker of the quote holding these words."""
    return speaker_of(list(analyze_doc(nlp(text), None).quotes), words)


def test_she_after_a_shared_surname_last_used_for_the_husband_is_the_wife(nlp):
    # "Clinton" was last written in full for Bill, but "she" cannot be him: the surname's
    # subject sentence names Hillary, not the physician quoted before it.
    text = (
        "Hillary Clinton spent three days in hospital in 1998, her doctor said.\n\n"
        "Former President Bill Clinton was at a summit in Asia that week, aides said. "
        "Dr. Ana Ruiz, a White House physician, said Monday that the clot was small.\n\n"
        "In her memoir, Clinton described the illness. After saying her leg was swollen, "
        "she was \u201crushed to the hospital at once\u201d for tests."
    )
    assert said(nlp, text, "rushed to the hospital") == "Hillary Clinton"


def test_he_after_a_clause_the_parser_hangs_on_another_name_stays_with_the_speaker(nlp):
    # "should Clinton attempt" parses as the sentence's main clause; the "He" before it still
    # carries the chain of the quoted man.
    text = (
        "Bill Clinton said on Sunday that Hillary Clinton has pneumonia.\n\n"
        "Former party chairman Don Fowler spoke to reporters on Monday.\n\n"
        "\u201cIt is something you would be a fool not to prepare for,\u201d he said. He added "
        "a note of caution, should Clinton attempt an early return to the campaign trail.\n\n"
        "\u201cShe had better get well before she gets back out there,\u201d he said."
    )
    assert said(nlp, text, "get well") == "Don Fowler"


def test_a_surname_only_person_takes_the_full_name_the_quote_finder_found():
    # The model tagged only "Oz"; the quote finder read "Mehmet Oz" as a speaker's name. /quote
    # and /who must show one person, "Mehmet Oz", for every quote of his.
    text = "Mehmet Oz spoke first. Oz said more. Oz ended it."
    lone = PersonMention("Oz", "person", (), None, ((24, 26), (39, 41)))
    quotes = [
        QuoteMention(0, 1, "a", "Oz", "said", (24, 26)),
        QuoteMention(2, 3, "b", "Mehmet Oz", "said", (0, 9)),
    ]
    people = [lone]
    named = _canonical_speakers(quotes, people, text)
    assert [q.speaker for q in named] == ["Mehmet Oz", "Mehmet Oz"]
    assert [(p.name, p.aliases) for p in people] == [("Mehmet Oz", ("Oz",))]
    assert set(people[0].mentions) >= {(0, 9), (24, 26), (39, 41)}


def test_a_surname_misspelt_by_one_letter_is_the_person_named_in_full(nlp):
    # Copy desks drop a letter: "McLenney" after "Tyresha McClenney" is her, in /who and /quote;
    # a plural ("the Clintons") stays apart.
    text = (
        "The issue was raised by two voters, Tyresha McClenney and Bryan Anderson, who saw "
        "the senator speak at a rally.\n\n"
        "McLenney said the candidate does not show consistency.\n\n"
        "\u201cIt is not something that she says often,\u201d she said.\n\n"
        "The Clintons left early. Hillary Clinton spoke first."
    )
    analysis = analyze_doc(nlp(text), None)
    assert speaker_of(list(analysis.quotes), "not something") == "Tyresha McClenney"
    people = {p.name: p.aliases for p in analysis.people if p.kind == "person"}
    assert people["Tyresha McClenney"] == ("McLenney",)
    assert "McLenney" not in people
    assert "Hillary Clinton" in people and "Clintons" not in people["Hillary Clinton"]


# Who a role noun, a possessive or a pronoun after a described speaker names, as /quote shows it.
ROLES = [
    # Obama is only the subject of a side clause; the man introduced with his post is the
    # source the next "he said" quotes.
    pytest.param("While Obama had a wide array of artists writing songs about him, that has not "
                 "been happening for Clinton, which is something that concerns Henry Crespo, "
                 "president of the Miami Democratic Caucus.\n\n"
                 "\u201cNo one is writing songs for Hillary,\u201d he said.",
                 "No one is writing", "Henry Crespo", id="source-introduced-with-a-role"),
    # The small model tags this lower-case "minister" as a proper noun; /quote must not show
    # "minister" as if it were someone's name.
    pytest.param("Foreign Minister Sergei Lavrov met Secretary of State Antony Blinken in Geneva "
                 "on Friday.\n\n\u201cWe had a frank exchange,\u201d the minister said.",
                 "frank exchange", "Sergei Lavrov", id="the-minister-tagged-a-name"),
    pytest.param("Yuki Tanaka, the company's chief executive, met analysts. Tanaka said sales "
                 "rose.\n\n\u201cWe beat our own forecast,\u201d Tanaka's spokeswoman said.",
                 "own forecast", "Tanaka's spokeswoman", id="someones-spokeswoman-is-not-them"),
    pytest.param("Senator Maria Lopez is running for governor.\n\n"
                 "\u201cThe poll is wrong,\u201d Lopez's campaign said in a statement.",
                 "poll is wrong", "Maria Lopez", id="a-campaign-speaks-for-its-candidate"),
    pytest.param("Coach Rita Vance praised her team after the win over Leeds.\n\n"
                 "Striker Tom Hale scored twice. \u201cIt was a team effort,\u201d said the "
                 "striker.", "team effort", "Tom Hale", id="a-sports-role"),
    pytest.param("Mayor Dan Ortiz spoke on Monday. Fact-checkers then ruled that Ortiz's "
                 "statement about \u201cthousands of new jobs in the city\u201d was true.",
                 "thousands of new jobs", "Dan Ortiz", id="someones-statement-is-theirs"),
    # The minister named before is not who "she added" quotes.
    pytest.param("Health Minister Karen Holt announced the plan on Monday.\n\n"
                 "\u201cWe expect delays,\u201d a ministry spokeswoman said. "
                 "\u201cThe rollout will take months,\u201d she added.",
                 "rollout", "a ministry spokeswoman", id="she-after-an-unnamed-spokeswoman"),
    pytest.param("Health Minister Tom Holt announced the plan on Monday.\n\n"
                 "\u201cWe expect delays,\u201d a ministry spokeswoman said. Holt disagreed. "
                 "\u201cThe rollout will be quick,\u201d he said.",
                 "rollout", "Tom Holt", id="he-after-a-spokeswoman-is-not-her"),
]


@pytest.mark.parametrize(("text", "words", "speaker"), ROLES)
def test_a_role_possessive_or_pronoun_names_the_right_speaker(nlp, text, words, speaker):
    assert said(nlp, text, words) == speaker
