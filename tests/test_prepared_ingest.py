"""Prepared answers during an ingest of many batches: dropped when out of date, prepared once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import bot.ingest.service as service
from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.stories.prepare import prepare_stories, summaries
from tests.test_stories import BRIDGE_A, BRIDGE_B, FIRE_A, FIRE_B, FIRE_C, draft, story_of


@pytest.fixture
def bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Newsdesk]:
    monkeypatch.setattr(service, "TASK_ARTICLES", 1)  # one article a batch: many batches a call
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    yield desk
    desk.close()


def cited(bot: Newsdesk, story: int) -> set[int]:
    return {a for s in summaries(bot.store, [story])[story] for a in s["article_ids"]}


def test_an_answer_between_two_batches_already_cites_the_first_batchs_article(bot):
    seen: list[set[int]] = []

    def progress(_: int) -> None:  # called after each batch is committed
        ids = [r[0] for r in bot.store.db.execute("select id from articles").fetchall()]
        seen.append(cited(bot, story_of(bot, ids[0])) if ids else set())

    added = bot.ingestor.store_drafts(
        [draft(BRIDGE_A, "Old Mill bridge closed", "Herald"),
         draft(BRIDGE_B, "Larkford bridge shut for repairs", "Courier")],
        progress=progress).added
    a, b = added
    assert story_of(bot, a) == story_of(bot, b)
    assert seen == [{a}, {a, b}]  # no answer shows the story without a committed article
    assert bot.store.unprepared([story_of(bot, a)]) == []


def test_stories_touched_by_many_batches_are_prepared_once_a_call_as_freshly_computed(
        bot, monkeypatch):
    calls: list[list[int]] = []

    def counted(store: object, story_ids: Iterable[int], **kwargs: object) -> None:
        calls.append(list(story_ids))
        prepare_stories(store, calls[-1], **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "prepare_stories", counted)
    added = bot.ingestor.store_drafts([
        draft(FIRE_A, "Warehouse fire in Dunmore", "Herald"),
        draft(BRIDGE_A, "Old Mill bridge closed", "Herald"),
        draft(FIRE_B, "Dunmore blaze: crews at warehouse", "Courier"),
        draft(BRIDGE_B, "Larkford bridge shut for repairs", "Courier"),
        draft(FIRE_C, "Fire at Dunmore depot", "Gazette"),
    ]).added
    stories = list(dict.fromkeys(story_of(bot, a) for a in added))
    assert len(added) == 5 and len(stories) < 5  # the batches share stories
    prepared = [s for call in calls for s in call]
    assert len(prepared) == len(set(prepared)) and set(stories) <= set(prepared)  # once each
    assert bot.store.unprepared(stories) == []
    shown = {s: summaries(bot.store, [s])[s] for s in stories}
    with bot.store.transaction():
        prepare_stories(bot.store, stories, force=True)
    assert {s: summaries(bot.store, [s])[s] for s in stories} == shown


def test_an_ingest_stopped_between_batches_still_prepares_what_it_stored(bot):
    asked = iter([False, True])
    report = bot.ingestor.store_items(
        [draft(BRIDGE_A, "Old Mill bridge closed", "Herald"),
         draft(BRIDGE_B, "Larkford bridge shut for repairs", "Courier"),
         draft(FIRE_A, "Warehouse fire in Dunmore", "Herald")],
        should_stop=lambda: next(asked))
    assert report.interrupted and len(report.added) == 2
    assert bot.store.unprepared([story_of(bot, a) for a in report.added]) == []
