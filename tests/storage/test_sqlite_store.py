"""The store (SQLite and PostgreSQL): idempotent ingest, full text replacing a feed summary,
search; on SQLite also WAL and migrations."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ingest.service import Ingestor
from bot.models import ArticleDraft
from storage.sqlite_store import SqliteStore

STORY = ArticleDraft(
    title="Dockworkers strike at Port Elm",
    text=("Dockworkers at Port Elm walked out on Monday, union leader Ana Ruiz said. "
          "\"We will stay out until the contract is signed,\" Ruiz told reporters."),
    published=datetime(2024, 3, 6, tzinfo=UTC),
    source="Harbor Times",
    url="https://harbor.example/strike?utm_source=rss",
)


def test_a_new_store_file_is_in_wal_mode_and_reopens_without_migrating_again(tmp_path):
    path = tmp_path / "news.db"
    store = SqliteStore(path)
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    store.close()
    again = SqliteStore(path)
    names = [r[0] for r in again.db.execute("select name from _sqlite_migrations")]
    assert len(names) == len(set(names))
    again.close()


def test_the_same_article_ingested_twice_is_stored_once(store):
    ingestor = Ingestor(store, "en_core_web_sm")
    first = ingestor.store_drafts([STORY])
    second = ingestor.store_drafts([STORY])
    assert len(first.added) == 1
    assert second.added == [] and second.duplicates == 1
    assert store.count_articles() == 1
    people = store.people_in(None)
    assert [p.mentions for p in people if p.name == "Ana Ruiz"] == [2]


def test_a_tracking_parameter_does_not_make_a_second_copy(store):
    ingestor = Ingestor(store, "en_core_web_sm")
    ingestor.store_drafts([STORY])
    retitled = ArticleDraft(**{**STORY.__dict__, "url": "https://harbor.example/strike",
                               "title": "Port Elm strike"})
    report = ingestor.store_drafts([retitled])
    assert report.duplicates == 1 and store.count_articles() == 1


def test_the_full_text_replaces_a_feed_summary_in_place(store):
    ingestor = Ingestor(store, "en_core_web_sm")
    summary = ArticleDraft(title=STORY.title, text="Dockworkers walked out on Monday.",
                           published=STORY.published, source="Harbor Times", url=STORY.url,
                           summary_only=True)
    added = ingestor.store_drafts([summary]).added
    report = ingestor.store_drafts([STORY])
    assert report.updated == added
    assert store.count_articles() == 1
    assert "contract is signed" in store.article(added[0])["text"]
    assert store.quotes_in(None)[0]["speaker"] == "Ana Ruiz"


def test_a_topic_search_never_fails_on_odd_characters(store):
    Ingestor(store, "en_core_web_sm").store_drafts([STORY])
    assert store.search_articles('dock" OR *') == []
    assert store.search_articles("Port Elm") != []
    assert store.search_articles("\"") == []


def test_names_like_matches_a_word_start_and_treats_wildcards_literally(store):
    Ingestor(store, "en_core_web_sm").store_drafts([STORY])
    assert store.names_like("ru") == ["Ana Ruiz"], "a surname's start finds the person"
    assert store.names_like("ana") == ["Ana Ruiz"]
    assert store.names_like("%") == [] and store.names_like("_na") == []


def test_channels_carry_no_hidden_digest_filter(tmp_path):
    # `channels.scope` filtered digests but no command could set it: a store must not keep a
    # filter nobody can see or change (routing and filters per source will own this).
    store = SqliteStore(tmp_path / "s.db")
    assert "scope" not in store.db.table("channels").columns_dict
    store.close()
