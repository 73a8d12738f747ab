"""Corroboration: several articles make one entry only when they report the same thing."""

from __future__ import annotations

from typing import Any

from bot.corroborate import event_groups, quote_groups


def _event(article_id: int, text: str, *, story: int | None = 1, date: str = "1988",
           people: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"article_id": article_id, "date": date, "precision": None, "text": text,
            "people": people, "position": 0, "story_id": story}


def test_template_earnings_lines_of_different_companies_stay_apart() -> None:
    rows = [_event(1, "Net income of $5.3 million, or $1.61 a share, a year earlier", story=1),
            _event(2, "Net income of $5.3 million, or $1.61 a share, a year earlier", story=2),
            _event(3, "Net income of $4.1 million, or 61 cents a share, a year earlier",
                   story=3)]
    assert [len(g["article_ids"]) for g in event_groups(rows)] == [1, 1, 1]


def test_a_template_line_without_an_actor_never_joins_even_within_a_story() -> None:
    rows = [_event(1, "Net income rose to $5.3 million in the quarter"),
            _event(2, "Net income rose to $5.3 million in the quarter")]
    assert len(event_groups(rows)) == 2


def test_two_outlets_reporting_one_signing_are_one_entry_with_the_line_both_say() -> None:
    rows = [_event(1, "Dockworkers at Port Elm ended their strike after union leader Ana Ruiz "
                      "signed a new contract with the port authority.", people=("Ana Ruiz",)),
            _event(2, "The strike at Port Elm is over: union chief Ana Ruiz signed a contract "
                      "with the port authority.", people=("Ana Ruiz",))]
    (group,) = event_groups(rows)
    assert group["article_ids"] == [1, 2]
    assert group["text"].startswith("The strike at Port Elm is over")


def test_different_figures_names_or_stories_are_different_events() -> None:
    base = "Acme Corp. agreed to buy Widget Co. for $40 million"
    assert len(event_groups([_event(1, base), _event(2, base.replace("40", "45"))])) == 2
    assert len(event_groups([_event(1, base), _event(2, base.replace("Widget", "Gadget"))])) == 2
    assert len(event_groups([_event(1, base), _event(2, base, story=2)])) == 2
    assert len(event_groups([_event(1, base), _event(2, base, story=None)])) == 2
    assert len(event_groups([_event(1, base), _event(2, base)])) == 1


def test_different_people_on_one_day_are_different_events() -> None:
    rows = [_event(1, "President Smith met the delegation in Geneva", people=("John Smith",)),
            _event(2, "President Smith met the delegation in Geneva", people=("Ann Smith",))]
    assert len(event_groups(rows)) == 2


def _quote(article_id: int, text: str, speaker: str | None) -> dict[str, Any]:
    return {"article_id": article_id, "text": text, "speaker": speaker, "person_id": None,
            "person_name": None, "quote_key": text.lower()}


def test_the_same_words_by_two_speakers_are_two_quotes_an_unnamed_copy_joins() -> None:
    groups = quote_groups([_quote(1, "We will win", "Ana Ruiz"), _quote(2, "We will win", "Ruiz"),
                           _quote(3, "We will win", None), _quote(4, "We will win", "Tom Bell")])
    assert sorted(len(g["article_ids"]) for g in groups) == [1, 3]
    assert next(g for g in groups if len(g["article_ids"]) == 3)["speaker"] == "Ana Ruiz"
