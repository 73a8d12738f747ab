"""Saving is idempotent under concurrency: one canonical URL, one content, one article."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from bot.ingest.dedup import content_hash
from bot.ingest.service import Ingestor, match_person
from bot.models import Analysis, ArticleDraft
from bot.nlp.names import name_key
from storage.sqlite_store import SqliteStore

DRAFT = ArticleDraft(
    title="Dockworkers strike at Port Elm",
    text="Dockworkers at Port Elm walked out on Monday, union leader Ana Ruiz said.",
    source="Harbor Times", url="https://harbor.example/strike",
)


def _save(store: SqliteStore, draft: ArticleDraft) -> int | None:
    return store.save_article(draft, canonical_url=draft.url,
                              content_hash=content_hash(draft.title, draft.text),
                              analysis=Analysis(), key=name_key, match=match_person)


def test_two_connections_saving_one_article_store_it_once(open_store):
    # Two processes (the bot and a `newsdesk ingest`) both looked, found nothing, analysed.
    first, second = open_store(), open_store()
    assert first.find_article(DRAFT.url, "x") is None
    assert second.find_article(DRAFT.url, "x") is None
    article_id = _save(first, DRAFT)
    assert article_id is not None
    assert _save(second, DRAFT) is None, "the same content: skipped, no IntegrityError"
    retold = replace(DRAFT, title="Port Elm strike", text=DRAFT.text + " Ships wait.")
    assert _save(second, retold) is None, "the same canonical URL: skipped"
    assert second.count_articles() == 1
    assert second.db.execute("select count(*) from stories").fetchone()[0] == 1


def test_an_ingest_that_lost_the_race_counts_a_duplicate_and_stores_the_rest(open_store):
    store = open_store()
    ingestor = Ingestor(store, "en_core_web_sm")
    other = ArticleDraft(title="Ferry delayed", text="The new ferry terminal opens in May.",
                         url="https://harbor.example/ferry")
    # Another process stores the strike between this ingest's look and its save.
    rival = open_store()
    real_find = store.find_article

    def look_then_lose(url: str, digest: str):  # type: ignore[no-untyped-def]
        found = real_find(url, digest)
        if url == DRAFT.url and rival.count_articles() == 0:
            _save(rival, DRAFT)
        return found

    store.find_article = look_then_lose  # type: ignore[method-assign]
    report = ingestor.store_drafts([DRAFT, other])
    assert report.duplicates == 1 and len(report.added) == 1
    assert store.count_articles() == 2


def test_the_migration_keeps_every_duplicate_article_and_makes_the_url_unique(tmp_path):
    path = tmp_path / "news.db"
    store = SqliteStore(path)
    store.close()
    # A store from before the migration, holding one URL twice (what a lost race left).
    conn = sqlite3.connect(path)
    conn.execute("drop index idx_articles_canonical_url_unique")
    conn.execute("create index idx_articles_canonical_url on articles (canonical_url)")
    conn.execute("delete from _sqlite_migrations where name = 'm008_ingest_unique_canonical_url'")
    conn.execute("insert into stories (id, title) values (1, 's')")
    for n, url in enumerate(["https://a.example/x", "https://a.example/x", "",
                             "", "https://a.example/y", "https://a.example/x"], start=1):
        conn.execute("insert into articles (id, url, canonical_url, content_hash, title, text, "
                     "story_id) values (?, ?, ?, ?, ?, ?, 1)",
                     (n, url, url, f"h{n}", f"T{n}", f"text {n}"))
    conn.commit()
    conn.close()
    migrated = SqliteStore(path)
    rows = {r["id"]: r["canonical_url"]
            for r in migrated._rows("select id, canonical_url from articles")}
    assert len(rows) == 6, "no article is lost"
    assert rows[1] == "https://a.example/x" and rows[5] == "https://a.example/y"
    assert (rows[2], rows[6]) == ("https://a.example/x#duplicate-2", "https://a.example/x#duplicate-6")
    assert migrated.find_article("https://a.example/x", "none")["id"] == 1
    assert _save(migrated, replace(DRAFT, url="https://a.example/x")) is None
