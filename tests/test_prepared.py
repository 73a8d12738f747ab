"""Prepared answers: a story's summary computed when the story changes and read back by rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from storage.sqlite_store import SourceTable
from tests.test_stories import BRIDGE_A, BRIDGE_B, BUDGET, FIRE_A, FIRE_B, FIRE_C, draft, story_of


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Newsdesk]:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    yield desk
    desk.close()


def ingest_from(bot: Newsdesk, outlet: str, *drafts_: object) -> tuple[int, list[int]]:
    """Articles from one source (a feed the admin added); its id and the new article ids."""
    source = SourceTable(bot.store).add(f"https://{outlet.lower()}.example/feed", outlet, "rss")
    return source, bot.ingestor.store_drafts(list(drafts_), source_id=source).added


def bridge(bot: Newsdesk) -> tuple[int, int, int, int, int]:
    herald, [a] = ingest_from(bot, "Herald", draft(BRIDGE_A, "Old Mill bridge closed", "Herald"))
    courier, [b] = ingest_from(bot, "Courier",
                               draft(BRIDGE_B, "Larkford bridge shut for repairs", "Courier"))
    assert story_of(bot, a) == story_of(bot, b)
    return story_of(bot, a), herald, courier, a, b


def texts(picks: list[dict]) -> list[str]:
    return [p["text"] for p in picks]


async def test_a_story_summary_is_prepared_at_ingest_and_is_what_answers_show(bot):
    story, _, _, a, b = bridge(bot)
    assert bot.store.unprepared([story]) == []
    prepared = bot.store.prepared_summaries([story])[story]
    assert len(prepared) >= 3 and {a, b} == {x for p in prepared for x in p["article_ids"]}
    summary = await bot.ask(f"/summary story:{story}")
    assert [s["text"] for s in summary.data["sentences"]] == texts(prepared)[:6]
    card = await bot.ask(f"/story {story}")
    shown = [s["text"] for s in card.data["summary"]]
    assert 3 <= len(shown) <= 6 and set(shown) <= set(texts(prepared))
    everything = await bot.ask("/summary")
    assert [s["text"] for s in everything.data["sentences"]] == texts(prepared)[:6]


async def test_a_prepared_read_restricted_to_sources_shows_and_cites_only_theirs(bot):
    story, herald, courier, a, b = bridge(bot)
    for source, own in ((herald, a), (courier, b)):
        picks = bot.store.prepared_summaries([story], sources=[source])[story]
        assert picks and all(p["article_ids"] == [own] for p in picks)
    everyone = bot.store.prepared_summaries([story])[story]
    herald_only = bot.store.prepared_summaries([story], sources=[herald])[story]
    # the sentences of Herald's article, in the same order, citing Herald alone
    assert texts(herald_only) == [p["text"] for p in everyone if p["article_ids"][0] == a]
    assert bot.store.prepared_summaries([story], sources=[]) == {}


async def test_a_split_and_a_move_prepare_both_stories_again(bot):
    story, _, _, a, b = bridge(bot)
    _, [c] = ingest_from(bot, "Gazette", draft(BUDGET, "Farrant budget cuts rail subsidies",
                                               "Gazette"))
    budget = story_of(bot, c)
    assert not (await bot.ask(f"/story split {b}")).error
    alone = story_of(bot, b)
    cited = {x for p in bot.store.prepared_summaries([alone])[alone] for x in p["article_ids"]}
    assert cited == {b}
    left = bot.store.prepared_summaries([story])[story]
    assert left and b not in {x for p in left for x in p["article_ids"]}
    assert not (await bot.ask(f"/story move {b} {budget}")).error
    moved = bot.store.prepared_summaries([budget])[budget]
    assert b in {x for p in moved for x in p["article_ids"]}
    assert bot.store.prepared_summaries([alone]) == {}


async def test_a_merged_story_loses_its_prepared_rows_and_the_kept_one_is_prepared(bot):
    _, [a] = ingest_from(bot, "Herald", draft(FIRE_A, "Blaze at Harlow chemical depot", "Herald"))
    _, [b] = ingest_from(bot, "Courier", draft(FIRE_B, "Ring road closed by depot smoke",
                                               "Courier"))
    first, second = story_of(bot, a), story_of(bot, b)
    assert bot.store.unprepared([first, second]) == []
    _, [c] = ingest_from(bot, "Gazette", draft(FIRE_C, "Harlow depot fire out", "Gazette"))
    kept = story_of(bot, c)
    gone = ({first, second} - {kept}).pop()
    assert bot.store.prepared_summaries([gone]) == {} and bot.store.unprepared([gone]) == [gone]
    cited = {x for p in bot.store.prepared_summaries([kept])[kept] for x in p["article_ids"]}
    assert c in cited


async def test_a_store_from_before_prepared_answers_prepares_a_story_on_first_use(bot):
    story, *_ = bridge(bot)
    before = (await bot.ask("/summary")).data
    with bot.store.transaction() as conn:
        conn.execute("delete from prepared_summary")
        conn.execute("delete from prepared_stories")
    assert bot.store.unprepared([story]) == [story]
    assert (await bot.ask("/summary")).data == before
    assert bot.store.unprepared([story]) == []


async def test_a_failure_to_prepare_loses_no_article_and_answers_still_come(bot, monkeypatch,
                                                                           caplog):
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr("bot.ingest.service.prepare_stories", broken)
    story, *_ = bridge(bot)
    assert bot.store.count_articles() == 2 and "could not prepare" in caplog.text
    assert bot.store.unprepared([story]) == [story]
    assert len((await bot.ask("/summary")).data["sentences"]) >= 3


async def test_a_story_timeline_is_prepared_and_a_restricted_read_keeps_its_sources(bot):
    story, herald, courier, a, b = bridge(bot)
    rows = bot.store.prepared_events([story])
    assert rows and {r["article_id"] for r in rows} == {a, b}
    assert all(len(r["people"]) == len(r["person_ids"]) for r in rows)  # named as events_in
    assert {r["article_id"] for r in bot.store.prepared_events([story], sources=[herald])} == {a}
    assert {r["article_id"] for r in bot.store.prepared_events([story], sources=[courier])} == {b}
    when = await bot.ask(f"/when story:{story}")
    assert {s["id"] for e in when.data for s in e["sources"]} <= {a, b} and when.data
    assert (await bot.ask("/when")).data == when.data  # one story: its timeline


async def test_a_feed_summary_replaced_by_its_full_text_is_prepared_again(bot):
    from dataclasses import replace

    full = draft(BRIDGE_A, "Old Mill bridge closed", "Herald")
    teaser = replace(full, text="Engineers closed the Old Mill bridge in Larkford on Wednesday "
                                "after divers found cracks.", summary_only=True)
    [a] = bot.ingestor.store_drafts([teaser]).added
    assert bot.ingestor.store_drafts([full]).updated == [a]
    story = story_of(bot, a)
    said = " ".join(texts(bot.store.prepared_summaries([story])[story]))
    assert "Farrant" in said or "Wexley" in said  # from the full text, not the teaser
