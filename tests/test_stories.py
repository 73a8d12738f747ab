"""Stories: one event from many outlets is one story, in /stories, /story, digests and alerts."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.delivery.outbox import Sender
from bot.ingest.files import read_file
from bot.models import ArticleDraft
from tests.conftest import DEMO_DIR
from tests.delivery.test_alerts import RecordingChat

# Two outlets, one event, their own words.
BRIDGE_A = (
    "Engineers closed the Old Mill bridge in Larkford on Wednesday after divers found deep "
    "cracks in two of its stone piers. Transport minister Odile Farrant said repairs would "
    "take months. \"Nobody crosses that bridge until it is safe,\" Farrant said at the "
    "riverbank. Buses will run a detour through Wexley until the bridge reopens."
)
BRIDGE_B = (
    "Larkford's Old Mill bridge is shut after divers discovered cracks in its piers, the "
    "transport ministry said on Wednesday. Minister Odile Farrant told reporters the repairs "
    "could last until autumn and that traffic would go through Wexley in the meantime. "
    "Residents of Larkford said the detour adds twenty minutes to the school run."
)
# The same minister, the same day, another story.
BUDGET = (
    "Transport minister Odile Farrant presented a budget on Wednesday that cuts rail "
    "subsidies by a tenth and raises fuel duty. Opposition leader Marten Quill called the "
    "plan a tax on commuters. Farrant said the treasury could not keep paying for empty "
    "trains, and parliament will vote on the budget next month."
)
# Two first reports that share one place and little wording; a third report links them.
FIRE_A = (
    "Fire crews fought a blaze at the Harlow depot in Dunmere on Friday. Chief officer "
    "Brandt Osei said the warehouse roof had collapsed and the crews would stay all night."
)
FIRE_B = (
    "Police closed the Dunmere ring road on Friday as smoke drifted over Kelby, and mayor "
    "Ilse Varga asked residents to stay indoors with their windows shut."
)
FIRE_C = (
    "Smoke from the Harlow depot blaze in Dunmere drifted over Kelby on Friday. Chief officer "
    "Brandt Osei said crews fought the fire all night, mayor Ilse Varga asked residents to stay "
    "indoors, and police closed the ring road."
)
# Twelve unrelated items, so a story list is longer than a chat answer shows.
OTHERS = [
    "A heron nested on the roof of Tallow station, delaying repairs to the gutters.",
    "The Corvin chess club won its league after a final-round draw in Easthaven.",
    "Bakers in Millbrook raised bread prices after a poor wheat harvest in the valley.",
    "A new cycle lane opened along the Quarry canal towpath near Stenby.",
    "Orrin Vale primary school planted two hundred oaks behind its playground.",
    "The Lisk lighthouse keeper retired after forty years on the headland.",
    "Volunteers counted seventy otters along the upper Fenwater river this spring.",
    "The Pellham library extended its opening hours to Sunday afternoons.",
    "Farmers at Gorse Hill reported a record crop of blueberries in June.",
    "A jazz trio from Amberly played at the reopened Wickham bandstand.",
    "Ferries to Skerry island were cancelled for a day because of fog.",
    "The Dovecote brewery recalled a batch of cider labelled with the wrong date.",
]


def draft(text: str, title: str, source: str, day: int = 7) -> ArticleDraft:
    slug = title.lower().replace(" ", "-")[:40]
    return ArticleDraft(title=title, text=text, published=datetime(2031, 5, day, tzinfo=UTC),
                        source=source,
                        url=f"https://{source.lower().replace(' ', '')}.example/{slug}")


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Newsdesk]:
    desk = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "news.db"))))
    desk.outbox.clock = lambda: datetime(2031, 5, 8, 9, tzinfo=UTC)
    yield desk
    desk.close()


def ingest(bot: Newsdesk, *drafts: ArticleDraft) -> list[int]:
    return bot.ingestor.store_drafts(list(drafts)).added


def story_of(bot: Newsdesk, article_id: int) -> int:
    row = bot.store.article(article_id)
    assert row is not None
    return int(row["story_id"])


async def test_two_outlets_wording_one_event_differently_are_one_story(bot: Newsdesk) -> None:
    a, b = ingest(bot, draft(BRIDGE_A, "Old Mill bridge closed after cracks found", "Herald"),
                  draft(BRIDGE_B, "Larkford bridge shut for repairs", "Courier"))
    assert story_of(bot, a) == story_of(bot, b)
    reply = await bot.ask("/stories")
    assert len(reply.data) == 1 and reply.data[0]["outlets"] == ["Herald", "Courier"]
    assert reply.items[0].detail.startswith("Herald, Courier; 2 articles")


async def test_the_same_minister_on_the_same_day_in_two_stories_stays_apart(
    bot: Newsdesk,
) -> None:
    a, b = ingest(bot, draft(BRIDGE_A, "Old Mill bridge closed after cracks found", "Herald"),
                  draft(BUDGET, "Farrant budget cuts rail subsidies", "Herald"))
    assert story_of(bot, a) != story_of(bot, b)
    titles = {s["title"] for s in (await bot.ask("/stories")).data}
    assert titles == {"Old Mill bridge closed after cracks found",
                      "Farrant budget cuts rail subsidies"}


async def test_two_stories_that_turn_out_to_be_one_merge(bot: Newsdesk) -> None:
    a, b = ingest(bot, draft(FIRE_A, "Blaze at Harlow chemical depot", "Herald"),
                  draft(FIRE_B, "Ring road closed by depot smoke", "Courier"))
    assert story_of(bot, a) != story_of(bot, b), "too little in common on their own"
    [c] = ingest(bot, draft(FIRE_C, "Harlow depot fire out after night of work", "Gazette"))
    assert story_of(bot, a) == story_of(bot, b) == story_of(bot, c)
    listed = (await bot.ask("/stories")).data
    assert [sorted(a["id"] for a in s["articles"]) for s in listed] == [sorted([a, b, c])]
    # The old number of the merged story still opens the story it joined.
    old = min(story_of(bot, a), story_of(bot, b))
    card = await bot.ask(f"/story {old}")
    assert not card.error and card.data["id"] == story_of(bot, c)


async def test_an_admin_moves_and_splits_an_article(bot: Newsdesk) -> None:
    a, b, c = ingest(bot, draft(BRIDGE_A, "Old Mill bridge closed after cracks found", "Herald"),
                     draft(BRIDGE_B, "Larkford bridge shut for repairs", "Courier"),
                     draft(BUDGET, "Farrant budget cuts rail subsidies", "Herald"))
    bridge, budget = story_of(bot, a), story_of(bot, c)
    denied = await bot.ask(f"/story split {b}", is_admin=False)
    assert denied.error and story_of(bot, b) == bridge
    split = await bot.ask(f"/story split {b}")
    assert not split.error and story_of(bot, b) not in {bridge, budget}
    moved = await bot.ask(f"/story move {b} {budget}")
    assert not moved.error and story_of(bot, b) == budget
    assert "Farrant budget cuts rail subsidies" in moved.title
    back = await bot.ask(f"/story move {b} {bridge}")
    assert not back.error and story_of(bot, b) == bridge
    bad = await bot.ask("/story move 999 1")
    assert bad.error and "article number" in bad.title
    listed = {s["id"]: len(s["articles"]) for s in (await bot.ask("/stories")).data}
    assert listed == {bridge: 2, budget: 1}


async def test_answers_scoped_to_a_story(bot: Newsdesk) -> None:
    a, _, c = ingest(bot, draft(BRIDGE_A, "Old Mill bridge closed after cracks found", "Herald"),
                     draft(BRIDGE_B, "Larkford bridge shut for repairs", "Courier"),
                     draft(BUDGET, "Farrant budget cuts rail subsidies", "Herald"))
    bridge = story_of(bot, a)
    when = await bot.ask(f"/when story:{bridge}")
    cited = {s["id"] for entry in when.data for s in entry["sources"]}
    assert cited and c not in cited and cited <= {a, a + 1}
    quotes = await bot.ask(f"/quote story:{bridge}")
    assert any("Nobody crosses that bridge" in q["text"] for q in quotes.data)
    assert not any("empty trains" in q["text"] for q in quotes.data)
    who = await bot.ask(f"/who story:{bridge}")
    assert "Marten Quill" not in {p["name"] for p in who.data}
    card = await bot.ask(f"/story {bridge}")
    assert 3 <= len(card.data["summary"]) <= 6
    assert [o["name"] for o in card.data["outlets"]] == ["Herald", "Courier"]
    assert card.title == card.data["title"] and not card.title.isdigit()
    missing = await bot.ask("/story 4242")
    assert missing.error and "/stories" in missing.title


async def test_the_summit_is_one_story_in_stories_digest_and_card(summit_bot: Newsdesk) -> None:
    listed = await summit_bot.ask("/stories")
    assert [s["outlets"] for s in listed.data] == [["Wire report (Efe)", "CGTN"]]
    digest = await summit_bot.ask("/digest", platform="slack", channel="C1")
    assert digest.title.startswith("Digest: 1 new story")
    assert [i.detail for i in digest.items if i.text == listed.data[0]["title"]] == [
        "Wire report (Efe), CGTN"]
    why = await summit_bot.ask("/digest why", platform="slack", channel="C1")
    assert why.items[0].text.startswith("2 new articles so far, in 1 new story")
    card = await summit_bot.ask(f"/story {listed.data[0]['id']}")
    assert {o["name"] for o in card.data["outlets"]} == {"Wire report (Efe)", "CGTN"}


async def test_an_alert_posts_once_per_story_and_edits_in_the_second_outlet(
    tmp_path: Path,
) -> None:
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(tmp_path / "alerts.db"))))
    try:
        await bot.ask("/alert add Kim Jong-un", platform="slack", channel="C1")
        chat = RecordingChat()
        sender = Sender(bot.outbox, {"slack": chat})
        for name in ("2019-04-26-kim-concludes-russia-trip.md", "2019-04-27-kim-returns-home.md"):
            bot.after_ingest(ingest(bot, *read_file(DEMO_DIR / name)))
            await sender.deliver_pending()
        assert [t for _, _, t in chat.posts] == ["Alert: Kim Jong-un"]
        assert chat.edits and chat.edits[-1][2][-1] == "Also covered by 1 outlet: CGTN"
    finally:
        bot.close()


def test_stories_json_holds_every_article_exactly_once(summit_bot: Newsdesk) -> None:
    # More stories than a chat answer lists: --json must still give all of them.
    extra = [draft(text, " ".join(text.split()[1:6]), f"Outlet {n}", day=n + 1)
             for n, text in enumerate(OTHERS)]
    summit_bot.ingestor.store_drafts(extra)
    total = summit_bot.store.count_articles()
    path = summit_bot.store.path
    chat = asyncio.run(summit_bot.ask("/stories"))
    assert len(chat.items) == 10 and "more stor" in chat.footer
    summit_bot.close()

    def ask(line: str) -> object:
        done = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--db", path, line,
                               "--json"], capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    stories = ask("/stories")
    assert isinstance(stories, list) and len(stories) > 10
    ids = [a["id"] for s in stories for a in s["articles"]]
    assert sorted(ids) == list(range(1, total + 1)), "every article, each exactly once"
    assert all(set(s) == {"id", "title", "outlets", "articles", "first_seen", "last_seen"}
               for s in stories)
    card = ask(f"/story {stories[-1]['id']}")
    assert isinstance(card, dict) and card["id"] == stories[-1]["id"]
