"""Many communities, one bot: sources, answers, digests and alerts per tenant; shared feeds."""
# ruff: noqa: F811  (each test takes the imported feed-server fixture by its name)

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.app import Newsdesk
from bot.config import TenantSettings
from bot.delivery.alerts import queue_alerts
from bot.models import Request
from tests.local_site import site_bot
from tests.sources.test_limits import Feeds, _rss, feeds  # noqa: F401 (the feed server)

A, B = "T0ALPHA", "T0BETA"  # two Slack workspaces
LATER = timedelta(hours=1)


# Each topic its own words, so no two items are taken for copies of one story.
TEXTS = {
    "harbour": "dredging of the old harbour basin must finish before the ferries return, "
               "and the fishing fleet asked for a new quay near the lighthouse",
    "museum": "the natural history museum will open a dinosaur hall with fossils lent by "
              "a university in Alberta, and school classes enter free on Fridays",
    "stadium": "the football stadium gets a retractable roof and eight thousand extra seats, "
               "although the league has not yet approved the larger capacity",
    "railway": "the northern railway line will be electrified between the two valleys, "
               "cutting the journey for commuters by about twenty minutes",
    "airport": "a second runway at the regional airport was approved despite noise "
               "complaints from villages under the planned flight path",
    "tunnel": "engineers began boring the river tunnel whose twin tubes carry trams and "
              "cyclists beneath the water for almost two kilometres",
}


def _body(n: int, who: str, topic: str) -> str:
    return (f"<p>{who} said on Monday that {TEXTS[topic]}.</p>"
            f"<p>The {topic} budget of {n * 7 + 3} million drew criticism, and {who} "
            f"promised a review by the spring.</p>")


def _item(n: int, who: str, topic: str, base: str = "http://news.invalid") -> str:
    stamp = (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n)).strftime(
        "%a, %d %b %Y %H:%M:%S GMT")
    return (f"<item><title>The {topic} plan {n}</title><link>{base}/{topic}/{n}</link>"
            f"<guid>{base}/{topic}/{n}</guid><pubDate>{stamp}</pubDate>"
            f"<description><![CDATA[{_body(n, who, topic)}]]></description></item>")


def _bot(tmp_path, **limits: int) -> Newsdesk:
    return site_bot(tmp_path, fetch={"timeout_s": 10}, tenants=TenantSettings(**limits))


def _req(tenant: str, command: str, args: str = "", channel: str = "C1") -> Request:
    return Request(command, args, platform="slack", channel=f"{tenant}-{channel}", user="U1",
                   is_admin=True, tenant=tenant)


def _fetches(feeds: Feeds, name: str) -> int:
    return sum(1 for r in feeds.requests if r.path == f"/{name}")


def _text(reply) -> str:
    return " ".join([reply.title, reply.footer] + [f"{i.text} {i.detail}" for i in reply.items])


async def test_a_feed_two_tenants_follow_is_fetched_once_and_each_sees_its_own_name(
        tmp_path, feeds):
    feeds.bodies["world.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "World Wire")
    bot = _bot(tmp_path)
    added_a = await bot.handle(_req(A, "source add", f"{feeds.base}/world.xml World"))
    added_b = await bot.handle(_req(B, "source add", f"{feeds.base}/world.xml Monde"))
    assert not added_a.error and not added_b.error, (added_a.title, added_b.title)
    assert "already read by the bot" in added_b.title
    assert _fetches(feeds, "world.xml") == 1, "the second tenant's add fetched nothing"

    feeds.bodies["world.xml"] = _rss([_item(1, "Maria Olsen", "harbour"),
                                      _item(2, "Maria Olsen", "tunnel")], "World Wire")
    report = await bot.sources.poll_due(datetime.now(UTC) + LATER)
    assert report.polled == 1 and _fetches(feeds, "world.xml") == 2  # one fetch per poll
    assert bot.store.count_articles() == 2  # stored and analysed once

    list_a = await bot.handle(_req(A, "source list"))
    list_b = await bot.handle(_req(B, "source list"))
    assert [d["name"] for d in list_a.data] == ["World"]
    assert [d["name"] for d in list_b.data] == ["Monde"]
    assert list_a.data[0]["id"] != list_b.data[0]["id"]  # each its own number
    for tenant in (A, B):
        who = await bot.handle(_req(tenant, "who"))
        assert "Maria Olsen" in _text(who)

    # Polled as long as anyone follows it; a removal keeps the articles read so far.
    assert not (await bot.handle(_req(A, "source remove", str(list_a.data[0]["id"])))).error
    await bot.sources.poll_due(datetime.now(UTC) + 3 * LATER)
    assert _fetches(feeds, "world.xml") == 3
    assert "Maria Olsen" in _text(await bot.handle(_req(A, "who")))
    assert not (await bot.handle(_req(B, "source remove", str(list_b.data[0]["id"])))).error
    await bot.sources.poll_due(datetime.now(UTC) + 6 * LATER)
    assert _fetches(feeds, "world.xml") == 3, "nobody follows it: no longer fetched"
    again = await bot.handle(_req(B, "source add", f"{feeds.base}/world.xml"))
    assert again.data["id"] == list_b.data[0]["id"]  # following again: the same number


async def test_sources_and_answers_are_isolated_and_another_tenants_source_is_not_here(
        tmp_path, feeds):
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "Alpha Intranet")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway")], "Beta Gazette")
    bot = _bot(tmp_path)
    a_id = (await bot.handle(_req(A, "source add", f"{feeds.base}/a.xml"))).data["id"]
    await bot.handle(_req(B, "source add", f"{feeds.base}/b.xml"))

    listed = await bot.handle(_req(B, "source list"))
    assert [d["url"] for d in listed.data] == [f"{feeds.base}/b.xml"]
    for command in ("source remove", "source check", "source enable", "source route",
                    "source filter"):
        refused = await bot.handle(_req(B, command, str(a_id)))
        assert refused.error and f"There is no source {a_id} here" in refused.title, command
    assert [d["id"] for d in (await bot.handle(_req(A, "source list"))).data] == [a_id]

    who_b = _text(await bot.handle(_req(B, "who")))
    assert "Peter Novak" in who_b and "Olsen" not in who_b
    card = await bot.handle(_req(B, "who", "Maria Olsen"))
    assert card.title.startswith("No people about") and not card.citations
    for command in ("quote", "when", "summary", "stories"):
        shown = _text(await bot.handle(_req(B, command)))
        assert "harbour" not in shown.lower() and "Alpha" not in shown, (command, shown)
    for command in ("when", "summary", "stories", "quote"):
        about = await bot.handle(_req(B, command, "harbour"))
        assert not about.citations, command  # A's articles answer nothing for B
    stories_a = await bot.handle(_req(A, "stories"))
    assert [s["title"] for s in stories_a.data] == ["The harbour plan 1"]
    hidden = stories_a.data[0]["id"]
    assert (await bot.handle(_req(B, "story", str(hidden)))).error
    assert "harbour" in _text(await bot.handle(_req(A, "story", str(hidden)))).lower()


async def test_routing_and_filters_change_what_a_channels_digest_holds(tmp_path, feeds):
    feeds.bodies["x.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "Harbour Times")
    feeds.bodies["y.xml"] = _rss([_item(2, "Peter Novak", "railway")], "Rail Daily")
    bot = _bot(tmp_path)
    x = (await bot.handle(_req(A, "source add", f"{feeds.base}/x.xml", "C1"))).data["id"]
    y = (await bot.handle(_req(A, "source add", f"{feeds.base}/y.xml", "C2"))).data["id"]
    feeds.bodies["x.xml"] = _rss([_item(1, "Maria Olsen", "harbour"),
                                  _item(3, "Maria Olsen", "museum"),
                                  _item(5, "Ana Lind", "stadium")], "Harbour Times")
    feeds.bodies["y.xml"] = _rss([_item(2, "Peter Novak", "railway"),
                                  _item(4, "Peter Novak", "airport")], "Rail Daily")
    await bot.sources.poll_due(datetime.now(UTC) + LATER)

    def titles(reply) -> set[str]:
        return {s["title"] for s in (reply.data or {}).get("stories", [])}

    # Added in a channel: routed there; each channel's digest holds its own sources.
    assert titles(await bot.handle(_req(A, "digest", "", "C1"))) == {
        "The museum plan 3", "The stadium plan 5"}
    assert titles(await bot.handle(_req(A, "digest", "", "C2"))) == {"The airport plan 4"}
    # A channel with no routes of its own gets every source of its tenant.
    assert titles(await bot.handle(_req(A, "digest", "", "C3"))) == {
        "The museum plan 3", "The stadium plan 5", "The airport plan 4"}

    routed = await bot.handle(_req(A, "source route", f"{y} #{A}-C1", "C2"))
    assert not routed.error, routed.title
    assert titles(await bot.handle(_req(A, "digest", "", "C1"))) == {
        "The museum plan 3", "The stadium plan 5", "The airport plan 4"}
    filtered = await bot.handle(_req(A, "source filter", f"{x} exclude stadium", "C1"))
    assert not filtered.error, filtered.title
    person = await bot.handle(_req(A, "source filter", f"{y} include Peter Novak", "C1"))
    assert person.data["kind"] == "person" and person.data["person"] == "Peter Novak"
    assert titles(await bot.handle(_req(A, "digest", "", "C1"))) == {
        "The museum plan 3", "The airport plan 4"}
    why = await bot.handle(_req(A, "digest why", "", "C1"))
    assert "Filtered out: The stadium plan 5" in _text(why)
    assert [a["title"] for a in why.data["filtered_out"]] == ["The stadium plan 5"]

    await bot.handle(_req(A, "source filter", f"{y} exclude outlet:Rail", "C1"))
    assert titles(await bot.handle(_req(A, "digest", "", "C1"))) == {"The museum plan 3"}
    await bot.handle(_req(A, "source unroute", f"{y}", "C1"))
    # C2 keeps its own route, untouched by C1's filters.
    assert titles(await bot.handle(_req(A, "digest", "", "C2"))) == {"The airport plan 4"}
    # Another tenant cannot route into this tenant's channel.
    other = (await bot.handle(_req(B, "source add", f"{feeds.base}/x.xml"))).data["id"]
    refused = await bot.handle(_req(B, "source route", f"{other} #{A}-C1"))
    assert refused.error and "does not know that channel" in refused.title


async def test_alerts_fire_only_for_their_tenants_articles(tmp_path, feeds):
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "Alpha")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway")], "Beta")
    bot = _bot(tmp_path)
    await bot.handle(_req(A, "source add", f"{feeds.base}/a.xml"))
    await bot.handle(_req(B, "source add", f"{feeds.base}/b.xml"))
    for tenant in (A, B):
        added = await bot.handle(_req(tenant, "alert add", "budget"))
        assert not added.error, added.title
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway"),
                                  _item(4, "Peter Novak", "airport")], "Beta")
    await bot.sources.poll_due(datetime.now(UTC) + LATER)
    queue_alerts(bot.store, bot.outbox)
    alerts = [p for p in bot.outbox.store.posts("alert")]
    assert [p["channel"] for p in alerts] == [f"{B}-C1"]
    assert "airport" in alerts[0]["payload"]


async def test_limits_per_tenant_are_one_clear_sentence(tmp_path, feeds):
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "Alpha")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway")], "Beta")
    bot = _bot(tmp_path, max_sources=1, max_alerts=1, max_schedules=1)
    await bot.handle(_req(A, "source add", f"{feeds.base}/a.xml"))
    full = await bot.handle(_req(A, "source add", f"{feeds.base}/b.xml"))
    assert full.error and "tenants.max_sources" in full.title and "remove one" in full.title
    assert not (await bot.handle(_req(B, "source add", f"{feeds.base}/b.xml"))).error
    assert not (await bot.handle(_req(A, "alert add", "harbour"))).error
    too_many = await bot.handle(_req(A, "alert add", "tunnel", "C2"))
    assert too_many.error and "tenants.max_alerts" in too_many.title
    assert not (await bot.handle(_req(B, "alert add", "tunnel"))).error  # B has its own
    assert not (await bot.handle(_req(A, "schedule digest", "daily 08:00"))).error
    again = await bot.handle(_req(A, "schedule digest", "daily 09:00"))  # same channel: fine
    assert not again.error
    refused = await bot.handle(_req(A, "schedule digest", "daily 08:00", "C2"))
    assert refused.error and "tenants.max_schedules" in refused.title


async def test_a_disabled_shared_source_is_announced_to_each_tenant_in_its_own_words(
        tmp_path, feeds):
    feeds.bodies["gone.xml"] = "<html><body>This page is no feed at all.</body></html>"
    bot = _bot(tmp_path)
    source_id = bot.sources.table.add(f"{feeds.base}/gone.xml", "Gone", "feed",
                                      platform="slack", channel="C42", tenant=A)
    theirs = bot.tenants.subscribe(B, source_id, "Their feed", platform="slack",
                                   channel="C77")
    now = datetime.now(UTC)
    for hours in (1, 30, 60, 90):
        await bot.sources.poll_due(now + timedelta(hours=hours))
    # One fetch per poll, not one per tenant; disabled after the third (not a feed).
    assert _fetches(feeds, "gone.xml") == 3
    notices = {p["channel"]: p["payload"] for p in bot.outbox.store.posts("notice")}
    assert set(notices) == {"C42", "C77"}
    assert f"Source {source_id} (Gone)" in notices["C42"]
    assert f"Source {theirs} (Their feed)" in notices["C77"]
    assert "Gone" not in notices["C77"]


async def test_sources_disabled_in_one_round_are_one_notice_per_channel(tmp_path, feeds):
    # What an import of an old OPML leaves: several dead feeds added from one channel.
    bot = _bot(tmp_path)
    dead = []
    for n in range(3):
        feeds.bodies[f"dead{n}.xml"] = "<html><body>This page is no feed at all.</body></html>"
        dead.append(bot.sources.table.add(f"{feeds.base}/dead{n}.xml", f"Dead {n}", "feed",
                                          platform="slack", channel="C42", tenant=A))
    feeds.bodies["other.xml"] = "<html><body>Nor is this one.</body></html>"
    elsewhere = bot.sources.table.add(f"{feeds.base}/other.xml", "Other", "feed",
                                      platform="slack", channel="C77", tenant=A)
    now = datetime.now(UTC)
    for hours in (1, 30, 60, 90, 120):
        await bot.sources.poll_due(now + timedelta(hours=hours))

    notices = bot.outbox.store.posts("notice")
    assert sorted(p["channel"] for p in notices) == ["C42", "C77"]  # one post per channel
    [together] = [json.loads(p["payload"]) for p in notices if p["channel"] == "C42"]
    assert together["title"] == "3 sources disabled"
    told = [item["text"] for item in together["items"]]
    assert len(told) == 3
    assert all(any(f"Source {n} (Dead {i})" in t for t in told) for i, n in enumerate(dead))
    [alone] = [json.loads(p["payload"]) for p in notices if p["channel"] == "C77"]
    assert alone["title"] == "Source disabled"
    assert f"Source {elsewhere}" in alone["items"][0]["text"]


async def test_an_alert_update_names_only_the_outlets_of_its_tenants_sources(tmp_path, feeds):
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "Alpha Wire")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway")], "Beta Secret Intranet")
    feeds.bodies["c.xml"] = _rss([_item(5, "Ana Lind", "stadium")], "Gamma Post")
    bot = _bot(tmp_path)
    await bot.handle(_req(A, "source add", f"{feeds.base}/a.xml"))
    await bot.handle(_req(A, "source add", f"{feeds.base}/c.xml"))
    await bot.handle(_req(B, "source add", f"{feeds.base}/b.xml"))
    assert not (await bot.handle(_req(A, "alert add", "dinosaur"))).error
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour"),
                                  _item(3, "Maria Olsen", "museum")], "Alpha Wire")
    await bot.sources.poll_due(datetime.now(UTC) + LATER)
    queue_alerts(bot.store, bot.outbox)
    assert len(bot.outbox.store.posts("alert")) == 1
    # The same museum news, told again by B's private feed and by A's other outlet.
    copy = _item(3, "Maria Olsen", "museum", base="http://copy.invalid").replace(
        "promised a review", "promised a careful review")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway"), copy],
                                 "Beta Secret Intranet")
    await bot.sources.poll_due(datetime.now(UTC) + 3 * LATER)
    feeds.bodies["c.xml"] = _rss([_item(5, "Ana Lind", "stadium"), copy.replace(
        "copy.invalid", "gamma.invalid").replace("careful", "thorough")], "Gamma Post")
    await bot.sources.poll_due(datetime.now(UTC) + 6 * LATER)
    museum = bot.store._rows("select story_id, source from articles where title = "
                             "'The museum plan 3' order by id")
    assert len(museum) == 3 and len({m["story_id"] for m in museum}) == 1  # one story
    queue_alerts(bot.store, bot.outbox)
    edits = [p["payload"] for p in bot.outbox.store.posts("edit")]
    assert edits and "Gamma Post" in edits[-1]
    assert all("Beta" not in e for e in edits)


async def test_an_article_another_tenants_feed_brought_first_is_read_through_ones_own(
        tmp_path, feeds):
    wire = _item(3, "Maria Olsen", "museum", base="http://wire.invalid")
    feeds.bodies["a.xml"] = _rss([_item(1, "Peter Novak", "railway"), wire], "Alpha")
    feeds.bodies["b.xml"] = _rss([_item(5, "Ana Lind", "stadium")], "Beta")
    bot = _bot(tmp_path)
    await bot.handle(_req(A, "source add", f"{feeds.base}/a.xml"))
    await bot.handle(_req(B, "source add", f"{feeds.base}/b.xml"))
    assert "Olsen" not in _text(await bot.handle(_req(B, "who")))
    # B's own feed carries the same wire story: stored once (under A's source), read by both.
    feeds.bodies["b.xml"] = _rss([_item(5, "Ana Lind", "stadium"), wire], "Beta")
    await bot.sources.poll_due(datetime.now(UTC) + LATER)
    assert bot.store.count_articles() == 3
    assert "Maria Olsen" in _text(await bot.handle(_req(B, "who")))
    titles = {s["title"] for s in (await bot.handle(_req(B, "stories"))).data}
    assert titles == {"The museum plan 3", "The stadium plan 5"}
    assert "railway" not in _text(await bot.handle(_req(B, "stories"))).lower()


async def test_an_admin_cannot_move_or_split_another_tenants_articles(tmp_path, feeds):
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour"),
                                  _item(3, "Maria Olsen", "museum")], "Alpha")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway")], "Beta")
    bot = _bot(tmp_path)
    await bot.handle(_req(A, "source add", f"{feeds.base}/a.xml"))
    await bot.handle(_req(B, "source add", f"{feeds.base}/b.xml"))
    rows = {r["title"]: r for r in bot.store._rows("select id, title, story_id from articles")}
    harbour, museum = rows["The harbour plan 1"], rows["The museum plan 3"]
    railway = rows["The railway plan 2"]
    split = await bot.handle(_req(B, "story split", str(harbour["id"])))
    assert split.error and "Give an article number" in split.title
    move = await bot.handle(_req(B, "story move", f"{harbour['id']} {railway['story_id']}"))
    assert move.error
    into = await bot.handle(_req(B, "story move", f"{railway['id']} {museum['story_id']}"))
    assert into.error and f"no story {museum['story_id']}" in into.title
    assert bot.store.article(harbour["id"])["story_id"] == harbour["story_id"]  # untouched
    moved = await bot.handle(_req(A, "story move", f"{museum['id']} {harbour['story_id']}"))
    assert not moved.error, moved.title


async def test_who_for_a_large_share_of_a_big_store_still_shows_only_its_people(
        tmp_path, feeds, monkeypatch):
    import storage.sqlite_store

    # Past this many articles /who ranks by the store's counts instead of summing (speed).
    monkeypatch.setattr(storage.sqlite_store, "EXACT_PEOPLE_ARTICLES", 0)
    feeds.bodies["a.xml"] = _rss([_item(1, "Maria Olsen", "harbour")], "Alpha")
    feeds.bodies["b.xml"] = _rss([_item(2, "Peter Novak", "railway")], "Beta")
    bot = _bot(tmp_path)
    await bot.handle(_req(A, "source add", f"{feeds.base}/a.xml"))
    await bot.handle(_req(B, "source add", f"{feeds.base}/b.xml"))
    who_b = _text(await bot.handle(_req(B, "who")))
    assert "Peter Novak" in who_b and "Olsen" not in who_b
    assert "Maria Olsen" in _text(await bot.handle(_req(A, "who")))
