"""The four answers on made-up coverage of one story by two outlets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.models import ArticleDraft

LEDGER = ArticleDraft(
    title="Port Elm dockworkers end strike",
    source="Harbor Ledger",
    url="https://ledger.example/strike-ends",
    published=datetime(2024, 3, 9, tzinfo=UTC),  # a Saturday
    text=(
        "Dockworkers at Port Elm ended their strike on Friday after union leader Ana Ruiz "
        "signed a new contract with the port authority.\n"
        "The strike began in January and halted most container traffic through the harbor.\n"
        "\"This contract gives our members the safety rules they asked for,\" Ruiz said.\n"
        "Port director Tom Bell said ships would be unloaded again from Monday.\n"
        "Advertisement\n"
        "Shipping companies had warned in February that the dispute was costing them millions "
        "of dollars a week.\n"
    ),
)
COURIER = ArticleDraft(
    title="Strike over at Port Elm",
    source="Coast Courier",
    url="https://courier.example/port-elm",
    published=datetime(2024, 3, 9, tzinfo=UTC),
    text=(
        "The strike at Port Elm is over: union chief Ana Ruiz on Friday signed a contract with "
        "the port authority, ending a walkout that began in January.\n"
        "\"This contract gives our members the safety rules they asked for,\" Ruiz told "
        "reporters outside the union hall.\n"
        "The harbor's director, Tom Bell, said the first ships would be unloaded on Monday.\n"
        "Read more:\n"
        "Farmers in the valley said the strike had left fruit rotting in cold stores.\n"
    ),
)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Newsdesk:
    path = tmp_path_factory.mktemp("answers") / "news.db"
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(path))))
    assert len(bot.ingestor.store_drafts([LEDGER, COURIER]).added) == 2
    return bot


async def test_who_lists_each_person_once_with_role_and_both_sources(bot):
    people = {p["name"]: p for p in (await bot.ask("/who")).data}
    assert "Ana Ruiz" in people and "Tom Bell" in people
    assert len(people["Ana Ruiz"]["sources"]) == 2
    assert people["Ana Ruiz"]["role"]
    assert "Ruiz" in people["Ana Ruiz"]["aliases"]


async def test_a_quote_two_outlets_carry_is_one_quote_with_two_sources(bot):
    quotes = (await bot.ask("/quote ruiz")).data
    (contract,) = [q for q in quotes if "safety rules" in q["text"]]
    assert contract["speaker"] == "Ana Ruiz"
    assert len(contract["sources"]) == 2
    assert contract["date"] == "2024-03-09"
    assert not contract["text"].endswith(",")


async def test_the_friday_of_a_saturday_article_is_the_day_before(bot):
    timeline = (await bot.ask("/when")).data
    friday = [e for e in timeline if e["date"] == "2024-03-08"]
    assert friday and any("strike" in e["text"] for e in friday)
    assert any(len(e["sources"]) == 2 for e in friday), "one event, reported by both outlets"
    assert all(e["date"] <= "2024-03-11" for e in timeline), "no date a week off"
    assert [e["date"] for e in timeline] == sorted(e["date"] for e in timeline)


async def test_a_topic_narrows_the_timeline_to_events_about_it(bot):
    timeline = (await bot.ask("/when shipping")).data
    assert timeline and all("hipping" in e["text"] for e in timeline)
    assert timeline[0]["date"] == "2024-02"


async def test_a_summary_cites_every_sentence_and_drops_furniture(bot):
    sentences = (await bot.ask("/summary")).data["sentences"]
    assert 3 <= len(sentences) <= 6
    assert all(s["sources"] for s in sentences)
    assert not any(s["text"] in ("Advertisement", "Read more:") for s in sentences)


async def test_a_person_card_has_their_quotes(bot):
    reply = await bot.ask("/who ana ruiz")
    assert reply.title.startswith("Ana Ruiz")
    assert any("safety rules" in item.text for item in reply.items)


async def test_an_empty_store_says_how_to_add_sources(tmp_path):
    empty = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "empty.db"))))
    for command in ("/who", "/when", "/quote", "/summary"):
        reply = await empty.ask(command)
        assert "/source add" in reply.title, command
