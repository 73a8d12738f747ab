"""Answers read by index: a tenant's restricted reads, person cards after new coverage, counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.stories import answers as story_answers
from tests.test_prepared import ingest_from
from tests.test_stories import BRIDGE_A, BRIDGE_B, BUDGET, FIRE_A, draft


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Newsdesk]:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    yield desk
    desk.close()


def _urls(reply) -> set[str]:
    return {c.url for c in reply.citations}


async def test_a_tenant_that_is_not_the_only_one_reads_only_its_own_sources(bot):
    herald, [a] = ingest_from(bot, "Herald", draft(BRIDGE_A, "Old Mill bridge closed", "Herald"))
    courier, [b, c] = ingest_from(
        bot, "Courier", draft(BRIDGE_B, "Larkford bridge shut for repairs", "Courier"),
        draft(BUDGET, "Farrant budget cuts rail subsidies", "Courier"))
    bot.tenants.subscribe("guild-a", herald, "Herald")
    bot.tenants.subscribe("guild-b", courier, "Courier")
    bot.tenants.share_default = False  # [tenants] share_default: the feeds were added as default's
    herald_url = bot.store.article(a)["url"]
    courier_urls = {bot.store.article(i)["url"] for i in (b, c)}
    for line in ("/stories", "/stories Farrant", "/who", "/who Farrant", "/who Odile Farrant",
                 "/quote", "/quote Farrant", "/when", "/summary", "/summary Farrant"):
        mine = await bot.ask(line, tenant="guild-a")
        assert _urls(mine) <= {herald_url}, line
        theirs = await bot.ask(line, tenant="guild-b")
        assert _urls(theirs) <= courier_urls, line
    card = await bot.ask("/who Odile Farrant", tenant="guild-a")
    assert _urls(card) == {herald_url} and "in 1 articles" in card.footer
    stories = await bot.ask("/stories", tenant="guild-a")
    assert len(stories.items) == 1  # the budget story is only the other tenant's


async def test_a_person_card_shows_an_article_that_names_the_person_again(bot):
    ingest_from(bot, "Herald", draft(BRIDGE_A, "Old Mill bridge closed", "Herald"))
    before = await bot.ask("/who Odile Farrant")
    _, [new] = ingest_from(bot, "Courier", draft(BUDGET, "Farrant budget cuts rail subsidies",
                                                 "Courier", day=9))
    after = await bot.ask("/who Odile Farrant")
    assert bot.store.article(new)["url"] in _urls(after) - _urls(before)
    assert "in 2 articles" in after.footer
    assert any("budget" in item.text.lower() or "treasury" in item.text.lower()
               or "trains" in item.text.lower() for item in after.items)


async def test_stories_beyond_the_counted_bound_are_told_as_a_lower_bound(bot, monkeypatch):
    ingest_from(bot, "Herald", draft(BRIDGE_A, "Old Mill bridge closed", "Herald"),
                draft(BUDGET, "Farrant budget cuts rail subsidies", "Herald", day=8),
                draft(FIRE_A, "Blaze at the Harlow depot", "Herald", day=9))
    assert bot.store.count_stories() == 3
    assert bot.store.count_stories(at_most=1) == 2  # stops after at_most + 1
    assert bot.store.count_articles(at_most=0) == 1
    exact = await bot.ask("/stories")
    assert "more stor" not in exact.footer
    monkeypatch.setattr(story_answers, "MAX_STORIES", 1)
    assert "2 more stories" in (await bot.ask("/stories")).footer
    monkeypatch.setattr(story_answers, "STORIES_COUNTED", 2)
    assert "1+ more story" in (await bot.ask("/stories")).footer
