"""m011_tenants_subscriptions: a store made before tenants upgrades in place to "default"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.app import Newsdesk
from bot.config import Settings, StorageSettings
from bot.models import Request
from storage.sqlite_store import SqliteStore


def _store_before_tenants(path: Path) -> None:
    """A store as the version before tenants left it: sources 3 and 7 (1, 2, 4-6 removed
    long ago), an article of source 3, one without a source, an alert and a schedule."""
    SqliteStore(path).close()
    conn = sqlite3.connect(path)
    with conn:
        for table in ("route_filters", "routes", "tenant_channels", "subscriptions",
                      "article_sources"):
            conn.execute(f"drop table {table}")
        for table in ("alerts", "schedules"):
            conn.execute(f"alter table {table} drop column tenant")
        conn.execute("delete from _sqlite_migrations where name = 'm011_tenants_subscriptions'")
        for source_id, name in ((3, "World Wire"), (7, "City Desk")):
            conn.execute("insert into sources (id, url, name, kind, platform, channel, "
                         "added_by, added_at, enabled) values (?, ?, ?, 'feed', 'slack', "
                         "'C9', 'U1', '2024-01-01T00:00:00+00:00', 1)",
                         (source_id, f"https://news.example/{source_id}.xml", name))
        for article_id, source_id in ((1, 3), (2, None)):
            conn.execute("insert into articles (id, url, canonical_url, content_hash, title, "
                         "text, source_id, ingested_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                         (article_id, f"https://news.example/a{article_id}",
                          f"https://news.example/a{article_id}", f"hash{article_id}",
                          f"Article {article_id}", "Some text.", source_id,
                          "2024-01-02T00:00:00+00:00"))
        conn.execute("insert into alerts (platform, channel, words, created_at) "
                     "values ('slack', 'C9', 'harbour', '2024-01-01')")
        conn.execute("insert into schedules (platform, channel, spec, timezone, created_at) "
                     "values ('slack', 'C9', 'daily 08:00', 'UTC', '2024-01-01')")
    conn.close()


async def test_every_source_becomes_a_default_subscription_with_the_same_number(tmp_path):
    path = tmp_path / "old.db"
    _store_before_tenants(path)
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(path))))
    try:
        listed = await bot.ask("/source list")
        assert [(d["id"], d["name"]) for d in listed.data] == [(3, "World Wire"),
                                                                 (7, "City Desk")]
        rows = bot.store._rows("select tenant from alerts union all select tenant from "
                               "schedules")
        assert [r["tenant"] for r in rows] == ["default", "default"]
        assert bot.store.count_articles() == 2  # nothing lost
        # A store only "default" uses is read whole, as before.
        assert bot.tenants.visible_sources("default") is None
        # Another community sees none of it as its own, and cannot touch it.
        other = Request("source remove", "3", platform="discord", channel="55", user="9",
                        is_admin=True, tenant="1234")
        refused = await bot.handle(other)
        assert refused.error and "There is no source 3 here" in refused.title
        assert [d["id"] for d in (await bot.ask("/source list")).data] == [3, 7]
        # The next source added takes the next free number (no clash with 3 or 7).
        new_id = bot.sources.table.add("https://news.example/new.xml", "New", "feed")
        assert new_id == 8
        assert [d["id"] for d in (await bot.ask("/source list")).data] == [3, 7, 8]
    finally:
        bot.close()
