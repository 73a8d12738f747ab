"""Digests: new stories since the channel's last digest, copies left out, previews, `why`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.delivery.digest import queue_digest, run_due
from bot.models import ArticleDraft

FERRY = (
    "Harbor City council voted on Tuesday to open a ferry line to Gull Island, "
    "ending years of debate over the crossing. Mayor Mara Quinlan said the first boats "
    "would sail in June. \"This line brings the island back into the city,\" Quinlan said "
    "after the vote. The council had rejected two earlier plans over their cost, and the "
    "harbor authority will now tender for two electric boats. Critics on the island said "
    "the timetable was too thin for commuters."
)
DROUGHT = (
    "Eastvale began rationing water on Monday after the driest spring in forty years. "
    "Governor Tobias Renn ordered lawns and car washes dry until the reservoirs recover. "
    "\"Every household will have to save a fifth of its water,\" Renn told reporters in "
    "the capital. Farmers in the valley warned that orchards would not survive a second "
    "dry summer, and the utility said it would fine large users who ignore the order."
)
MUSEUM = (
    "The Northgate Museum reopened on Saturday after a three-year renovation that doubled "
    "its gallery space. Director Ines Halvorsen said visitors would find the old maritime "
    "collection next to new rooms on the city's shipyards. \"We built the museum the city "
    "deserved,\" Halvorsen said at the opening, where several hundred people queued in the "
    "rain. Entry stays free for residents on Sundays."
)


def draft(text: str, title: str, source: str, day: int = 7) -> ArticleDraft:
    slug = title.lower().replace(" ", "-")[:40]
    return ArticleDraft(title=title, text=text, published=datetime(2031, 5, day, tzinfo=UTC),
                        source=source, url=f"https://{source.lower().replace(' ', '')}.example/"
                                           f"{slug}")


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Newsdesk]:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    desk.outbox.clock = lambda: datetime(2031, 5, 8, 9, tzinfo=UTC)
    yield desk
    desk.close()


def ingest(bot: Newsdesk, *drafts: ArticleDraft, backfill: bool = False) -> list[int]:
    return bot.ingestor.store_drafts(list(drafts), backfill=backfill).added


async def test_a_digest_lists_each_new_story_once_with_every_outlet_cited(bot: Newsdesk) -> None:
    ingest(bot, draft(FERRY, "Council approves Gull Island ferry", "Harbor Herald"),
           draft(FERRY, "Ferry to Gull Island gets green light", "Coast Wire"),
           draft(DROUGHT, "Eastvale rations water", "Valley Times"))
    reply = await bot.ask("/digest", platform="slack", channel="C1")
    assert reply.title.startswith("Digest: 2 new stories")
    ferry = next(i for i in reply.items
                 if "ferry" in i.text.lower() and i.detail == "Harbor Herald, Coast Wire")
    cited = {reply.citations[n].source for n in ferry.cites}
    assert cited == {"Harbor Herald", "Coast Wire"}
    assert any("Eastvale" in i.text for i in reply.items)
    assert all(c.url.startswith("https://") for c in reply.citations)


async def test_a_digest_carries_new_quotes_and_timeline_entries(bot: Newsdesk) -> None:
    ingest(bot, draft(DROUGHT, "Eastvale rations water", "Valley Times"),
           draft(MUSEUM, "Northgate Museum reopens", "City Arts"))
    reply = await bot.ask("/digest", platform="slack", channel="C1")
    quotes = [i for i in reply.items if i.text.startswith("“")]
    assert any("Renn" in q.detail or "Halvorsen" in q.detail for q in quotes)
    assert all(q.cites for q in quotes)
    assert reply.data["timeline"], "dated events of the new articles are in the digest"


async def test_the_next_digest_shows_what_is_new_in_a_covered_story_and_leaves_out_copies(
    bot: Newsdesk,
) -> None:
    ingest(bot, draft(FERRY, "Council approves Gull Island ferry", "Harbor Herald"))
    outbox_id, _ = queue_digest(bot.store, bot.outbox, "slack", "C1")
    assert outbox_id is not None
    ingest(bot, draft(FERRY, "Ferry to Gull Island gets green light", "Coast Wire", day=8),
           draft(MUSEUM, "Northgate Museum reopens", "City Arts", day=8))
    ingest(bot, draft(FERRY, "Gull Island ferry approved", "Harbor Herald", day=8))
    reply = await bot.ask("/digest", platform="slack", channel="C1")
    assert reply.title.startswith("Digest: 1 new story, 1 updated since")
    # The covered story comes back once, as an update with what is new in it: an outlet.
    ferry = [i for i in reply.items if "ferry" in i.text.lower()]
    assert len(ferry) == 1 and ferry[0].text.startswith("Updated: ")
    assert ferry[0].detail == "new outlet Coast Wire"
    why = await bot.ask("/digest why", platform="slack", channel="C1")
    assert any("3 new articles" in i.text and "1 new story and 1 updated story" in i.text
               for i in why.items)
    # Harbor Herald's second copy adds nothing: it is left out.
    assert any(i.text == "Left out: Gull Island ferry approved" for i in why.items)
    assert any("Coast Wire" in i.text and "City Arts" in i.text for i in why.items)


async def test_another_channel_still_gets_the_story(bot: Newsdesk) -> None:
    ingest(bot, draft(FERRY, "Council approves Gull Island ferry", "Harbor Herald"))
    queue_digest(bot.store, bot.outbox, "slack", "C1")
    reply = await bot.ask("/digest", platform="slack", channel="C2")
    assert reply.title.startswith("Digest: 1 new story")


async def test_a_preview_does_not_use_up_the_news(bot: Newsdesk) -> None:
    ingest(bot, draft(MUSEUM, "Northgate Museum reopens", "City Arts"))
    first = await bot.ask("/digest", platform="slack", channel="C1")
    second = await bot.ask("/digest", platform="slack", channel="C1")
    assert first == second and first.title.startswith("Digest: 1 new story")
    assert bot.outbox.store.posts() == []


async def test_digest_post_queues_the_digest_and_moves_the_channel_on(bot: Newsdesk) -> None:
    ingest(bot, draft(MUSEUM, "Northgate Museum reopens", "City Arts"))
    reply = await bot.ask("/digest post", platform="slack", channel="C1")
    assert "queued" in reply.title
    [post] = bot.outbox.store.posts("digest")
    assert (post["platform"], post["channel"]) == ("slack", "C1")
    after = await bot.ask("/digest", platform="slack", channel="C1")
    assert after.title.startswith("No news since 2031-05-08 09:00")


async def test_with_nothing_new_a_scheduled_digest_posts_nothing(bot: Newsdesk) -> None:
    await bot.ask("/schedule digest daily 08:00 UTC", platform="slack", channel="C1")
    bot.outbox.clock = lambda: datetime(2031, 5, 9, 8, 30, tzinfo=UTC)
    assert run_due(bot.store, bot.outbox) == []
    assert bot.outbox.store.posts() == []


async def test_a_channel_that_asked_for_it_gets_one_line_of_no_news(bot: Newsdesk) -> None:
    await bot.ask("/schedule digest daily 08:00 UTC always", platform="slack", channel="C1")
    bot.outbox.clock = lambda: datetime(2031, 5, 9, 8, 30, tzinfo=UTC)
    run_due(bot.store, bot.outbox)
    [post] = bot.outbox.store.posts("digest")
    assert '"title": "No news yet."' in post["payload"]


async def test_articles_from_a_sources_first_fetch_are_not_news(bot: Newsdesk) -> None:
    ingest(bot, draft(DROUGHT, "Eastvale rations water", "Valley Times"), backfill=True)
    reply = await bot.ask("/digest", platform="slack", channel="C1")
    assert reply.title == "No news yet."
    assert any(p.name == "Tobias Renn" for p in bot.store.people_in(None)), "still answerable"


async def test_digest_data_is_what_json_prints(bot: Newsdesk) -> None:
    ingest(bot, draft(FERRY, "Council approves Gull Island ferry", "Harbor Herald"))
    data = (await bot.ask("/digest", platform="slack", channel="C1")).data
    assert data["stories"][0]["title"] == "Council approves Gull Island ferry"
    assert data["stories"][0]["sources"][0]["source"] == "Harbor Herald"
    assert data["new_articles"] == 1 and data["left_out"] == []
