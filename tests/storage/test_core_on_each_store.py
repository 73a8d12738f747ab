"""The core on each store: the same answers, digests, alerts and posts on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.delivery.outbox import Sender
from bot.ingest.files import read_file
from tests.conftest import DEMO_DIR
from tests.delivery.test_alerts import RecordingChat

FILES = ("2019-04-26-kim-concludes-russia-trip.md", "2019-04-27-kim-returns-home.md")


def _ingest(desk, name: str) -> list[int]:  # type: ignore[no-untyped-def]
    return desk.ingestor.store_drafts(read_file(DEMO_DIR / name)).added


async def test_the_demo_answers_who_when_quote_and_stories(desk) -> None:  # type: ignore[no-untyped-def]
    for name in FILES:
        assert len(_ingest(desk, name)) == 1
    who = await desk.ask("/who")
    assert [i.text for i in who.items][:2] == ["Kim Jong-un", "Vladimir Putin"]
    card = await desk.ask("/who putin")
    assert card.title == "Vladimir Putin, Russian President"
    when = await desk.ask("/when")
    assert [e["date"] for e in when.data][:2] == ["2011", "2018"], "oldest first"
    quotes = await desk.ask("/quote Putin")
    assert {q["speaker"] for q in quotes.data} == {"Vladimir Putin"}
    stories = await desk.ask("/stories")
    assert len(stories.data) == 1 and stories.data[0]["outlets"] == ["Wire report (Efe)", "CGTN"]
    found = await desk.ask("/summary vladivostok")
    assert found.footer == "Drawn from 2 of 2 articles.", "found through the full-text index"
    assert (await desk.ask("/summary zanzibar")).data == {"sentences": []}


async def test_an_alert_posts_once_per_story_and_the_second_outlet_edits_it(desk) -> None:  # type: ignore[no-untyped-def]
    await desk.ask("/alert add Kim Jong-un", platform="slack", channel="C1")
    chat = RecordingChat()
    sender = Sender(desk.outbox, {"slack": chat})
    for name in FILES:
        desk.after_ingest(_ingest(desk, name))
        await sender.deliver_pending()
    desk.after_ingest([])  # deciding again changes nothing
    await sender.deliver_pending()
    assert [t for _, _, t in chat.posts] == ["Alert: Kim Jong-un"]
    assert chat.edits and chat.edits[-1][2][-1] == "Also covered by 1 outlet: CGTN"
    assert desk.outbox.store.count_pending() == 0


async def test_a_digest_is_posted_once_with_each_story_once(desk) -> None:  # type: ignore[no-untyped-def]
    for name in FILES:
        _ingest(desk, name)
    desk.outbox.clock = lambda: datetime(2031, 5, 8, 9, tzinfo=UTC)
    shown = await desk.ask("/digest", platform="slack", channel="C1")
    assert shown.items and "Kim" in " ".join(i.text for i in shown.items)
    await desk.ask("/digest post", platform="slack", channel="C1")
    await desk.ask("/digest post", platform="slack", channel="C1")
    chat = RecordingChat()
    await Sender(desk.outbox, {"slack": chat}).deliver_pending()
    assert len(chat.posts) == 1
    again = await desk.ask("/digest", platform="slack", channel="C1")
    assert not again.items or "nothing new" in (again.title + again.footer).lower()


async def test_schedules_and_sources_are_kept(desk) -> None:  # type: ignore[no-untyped-def]
    said = await desk.ask("/schedule digest daily 08:00 Europe/Paris", platform="slack",
                          channel="C1")
    assert not said.error, said.title
    [row] = desk.outbox.store.all_schedules()
    assert (row["channel"], row["timezone"]) == ("C1", "Europe/Paris")
    source_id = desk.sources.table.add("https://feeds.example/rss", "Example", "rss")
    desk.sources.table.update(source_id, enabled=0, failures=3)
    got = desk.sources.table.get(source_id)
    assert (got["enabled"], got["failures"]) == (0, 3)
    assert desk.sources.table.remove(source_id) and desk.sources.table.all() == []


async def test_a_community_reads_only_its_sources_articles(desk) -> None:  # type: ignore[no-untyped-def]
    # Two communities: answers are restricted to each one's sources (the reads that filter
    # by source ids, which differ most between the two SQL dialects).
    ours = desk.sources.table.add("https://ours.example/rss", "Ours", "rss", tenant="G1")
    desk.sources.table.add("https://theirs.example/rss", "Theirs", "rss", tenant="G2")
    desk.tenants.share_default = False
    desk.ingestor.store_drafts(read_file(DEMO_DIR / FILES[0]), source_id=ours)
    who = await desk.ask("/who", tenant="G1", platform="discord", channel="1")
    assert [i.text for i in who.items][:2] == ["Kim Jong-un", "Vladimir Putin"]
    assert (await desk.ask("/who putin", tenant="G1")).title.startswith("Vladimir Putin")
    assert (await desk.ask("/stories", tenant="G1")).data
    assert not (await desk.ask("/who", tenant="G2", platform="discord", channel="2")).data


async def test_a_persons_quotes_include_other_outlets_unattributed_copies(desk) -> None:  # type: ignore[no-untyped-def]
    first, second = (_ingest(desk, name)[0] for name in FILES)
    store = desk.store
    putin = store.db.execute("select id from people where name = ?",
                             ("Vladimir Putin",)).fetchone()[0]
    own = store.quotes_in(None, person_ids=[putin])
    assert own and all(q["person_id"] == putin for q in own)
    quote = own[0]
    # The same words in another article, its speaker not named (the PostgreSQL store looks
    # these up in its own way, see PgStore._unattributed_copies).
    other = second if quote["article_id"] == first else first
    store.db.execute("insert into quotes (article_id, start, \"end\", text, speaker, "
                     "person_id, quote_key) values (?, ?, ?, ?, ?, null, ?)",
                     (other, 99999, 100099, quote["text"], "an aide", quote["quote_key"]))
    got = store.quotes_in(None, person_ids=[putin])
    copies = [q for q in got if q["person_id"] is None]
    assert [(q["article_id"], q["speaker"]) for q in copies] == [(other, "an aide")]
    assert len(got) == len(own) + 1


async def test_a_big_story_is_listed_with_its_count_and_outlets_in_order(desk) -> None:  # type: ignore[no-untyped-def]
    from bot.models import ArticleDraft
    from bot.stories.answers import LISTED_ARTICLES
    from tests.test_stories import BRIDGE_A

    outlets = ["Herald", "Courier", "Gazette"]
    drafts = [ArticleDraft(
        title=f"Old Mill bridge closed, update {i}", text=f"{BRIDGE_A} Update number {i} came "
        f"from the {outlets[i % 3]} desk at {i} past nine.", source=outlets[i % 3],
        url=f"https://{outlets[i % 3].lower()}.example/bridge-{i}",
        published=datetime(2031, 5, 7, tzinfo=UTC)) for i in range(LISTED_ARTICLES + 5)]
    added = desk.ingestor.store_drafts(drafts).added
    assert len(added) == LISTED_ARTICLES + 5
    for line in ("/stories", "/stories bridge"):
        listed = await desk.ask(line)
        assert [i.detail.split("; ")[:2] for i in listed.items] == \
            [["Herald, Courier, Gazette", f"{LISTED_ARTICLES + 5} articles"]], line
        [story] = listed.data
        assert [a["id"] for a in story["articles"]] == sorted(added)[:LISTED_ARTICLES]
        assert [c.url for c in listed.citations] == \
            [desk.store.article(a)["url"] for a in sorted(added)[:3]], "the first three cited"
        everything = await desk.ask(line, full=True)
        assert [a["id"] for a in everything.data[0]["articles"]] == sorted(added), "--json: all"
