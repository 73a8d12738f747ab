"""The store's schema, built by sqlite-utils migrations, each applied once in a transaction."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

migrations = Migrations("newsdesk")
# `PRAGMA application_id` of every newsdesk store ("NDSK"): a file without it is not written to
# unless an earlier newsdesk made it (see storage/opening.py).
APPLICATION_ID = 0x4E44534B
# The full-text indexes: table -> (indexed columns, tokenizer); rebuilt when found missing.
FTS = {"articles": (["title", "text"], "porter"), "people": (["name"], None)}
FTS_TABLES = tuple(f"{table}_fts" for table in FTS)


@migrations()
def m001_articles(db: Database) -> None:
    db.table("sources").create(
        {
            "id": int, "url": str, "name": str, "kind": str, "added_at": str,
            "added_by": str, "platform": str, "channel": str,
            "enabled": int, "interval_s": int, "etag": str, "last_modified": str,
            "failures": int, "failing_since": str, "last_error": str, "last_reason": str,
            "disabled_reason": str, "disabled_at": str, "disabled_notified": int,
            "last_ok_at": str, "last_new_at": str, "next_poll_at": str, "primed": int,
        },
        pk="id", not_null={"url"}, defaults={"enabled": 1, "failures": 0, "primed": 0,
                                              "disabled_notified": 0},
    )
    db.table("sources").create_index(["url"], unique=True)
    db.table("stories").create({"id": int, "created_at": str, "title": str}, pk="id")
    db.table("articles").create(
        {
            "id": int, "url": str, "canonical_url": str, "content_hash": str, "title": str,
            "text": str, "published": str, "source": str, "author": str, "source_id": int,
            "story_id": int, "ingested_at": str, "summary_only": int,
        },
        pk="id", not_null={"content_hash", "text"},
        foreign_keys=[("source_id", "sources", "id"), ("story_id", "stories", "id")],
    )
    db.table("articles").create_index(["content_hash"], unique=True)
    db.table("articles").create_index(["canonical_url"])
    db.table("articles").create_index(["story_id"])
    db.table("articles").create_index(["ingested_at"])
    db.table("articles").enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True,
                              tokenize="porter")


@migrations()
def m002_analysis(db: Database) -> None:
    db.table("people").create(
        {"id": int, "name": str, "kind": str, "role": str, "mentions": int, "last_key": str},
        pk="id", defaults={"mentions": 0},
    )
    db.table("people").create_index(["last_key"])
    db.table("people").enable_fts(["name"], fts_version="FTS5", create_triggers=True)
    db.table("person_aliases").create(
        {"person_id": int, "alias": str, "key": str, "count": int},
        pk=("person_id", "alias"), foreign_keys=[("person_id", "people", "id")],
    )
    db.table("person_aliases").create_index(["key"])
    db.table("article_people").create(
        {"article_id": int, "person_id": int, "mentions": int, "role": str, "spans": str},
        pk=("article_id", "person_id"),
        foreign_keys=[("article_id", "articles", "id"), ("person_id", "people", "id")],
    )
    db.table("article_people").create_index(["person_id"])
    db.table("times").create(
        {"id": int, "article_id": int, "start": int, "end": int, "text": str, "type": str,
         "value": str, "precision": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("times").create_index(["article_id"])
    db.table("events").create(
        {"id": int, "article_id": int, "date": str, "precision": str, "text": str,
         "people": str, "position": int, "event_key": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("events").create_index(["article_id"])
    db.table("events").create_index(["date"])
    db.table("quotes").create(
        {"id": int, "article_id": int, "start": int, "end": int, "text": str,
         "speaker": str, "person_id": int, "cue": str, "quote_key": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("quotes").create_index(["article_id"])
    db.table("quotes").create_index(["person_id"])
    db.table("quotes").create_index(["quote_key"])
    db.table("sentences").create(
        {"article_id": int, "position": int, "text": str},
        pk=("article_id", "position"), foreign_keys=[("article_id", "articles", "id")],
    )


@migrations()
def m003_channels(db: Database) -> None:
    db.table("channels").create(
        {"platform": str, "channel": str, "last_digest_at": str, "last_digest_article": int,
         "say_no_news": int, "scope": str},
        pk=("platform", "channel"), defaults={"last_digest_article": 0, "say_no_news": 0},
    )
    db.table("schedules").create(
        {"platform": str, "channel": str, "spec": str, "timezone": str, "created_at": str,
         "created_by": str, "last_run_at": str},
        pk=("platform", "channel"),
    )
    db.table("alerts").create(
        {"id": int, "platform": str, "channel": str, "words": str, "person_id": int,
         "created_at": str, "created_by": str, "last_article": int},
        pk="id", defaults={"last_article": 0},
    )
    db.table("outbox").create(
        {"id": int, "platform": str, "channel": str, "kind": str, "payload": str,
         "nonce": str, "created_at": str, "sent_at": str, "message_id": str,
         "story_id": int, "alert_id": int, "edit_of": int, "attempts": int},
        pk="id", defaults={"attempts": 0},
    )
    db.table("outbox").create_index(["nonce"], unique=True)
    db.table("outbox").create_index(["sent_at"])
    db.table("alert_hits").create(
        {"alert_id": int, "story_id": int, "outbox_id": int, "outlets": int},
        pk=("alert_id", "story_id"),
    )
    db.table("digest_items").create(
        {"outbox_id": int, "article_id": int}, pk=("outbox_id", "article_id"),
    )


@migrations()
def m004_story_fingerprints(db: Database) -> None:
    # MinHash signatures of article texts, so near-duplicate detection survives restarts.
    db.table("articles").add_column("fingerprint", bytes)


@migrations()
def m005_source_health_and_backfill(db: Database) -> None:
    # Source health is one JSON document (bot.ingest.health.SourceHealth) per source.
    db.table("sources").add_column("health", str)
    # Articles read on a source's first fetch: stored, but not news for digests and alerts.
    db.table("articles").add_column("backfill", int, not_null_default=0)


@migrations()
def m006_person_roles(db: Database) -> None:
    # How often each role is reported for a person, kept up to date at ingest, so the best
    # role is one indexed row however many articles mention the person.
    db.table("person_roles").create(
        {"person_id": int, "role": str, "count": int},
        pk=("person_id", "role"), foreign_keys=[("person_id", "people", "id")],
    )
    db.execute(
        "insert into person_roles (person_id, role, count) select person_id, role, count(*) "
        "from article_people where role is not null and role != '' group by person_id, role")
    db.table("person_roles").create_index(["person_id", "count"])
    # A person's newest articles without sorting all of them; the most mentioned people.
    db.table("article_people").create_index(["person_id", "article_id"])
    db.table("people").create_index(["mentions"])


@migrations()
def m007_quotes_by_person(db: Database) -> None:
    # A person's newest quotes, and the copies of a quote, without scanning all quotes.
    db.table("quotes").create_index(["person_id", "article_id"])
    db.table("quotes").create_index(["quote_key", "article_id"])


@migrations()
def m008_ingest_unique_canonical_url(db: Database) -> None:
    # Two polls racing on one story could store a canonical URL twice. Every copy is kept
    # (digests and answers may point at it), but only the first holds the address; later
    # copies get it with a fragment canonical URLs never have (their own id), so the index
    # can be unique and lookups by address find the first copy.
    db.execute(
        "update articles set canonical_url = canonical_url || '#duplicate-' || id "
        "where canonical_url is not null and canonical_url != '' and id > "
        "(select min(first.id) from articles first "
        " where first.canonical_url = articles.canonical_url)")
    db.execute("drop index if exists idx_articles_canonical_url")
    db.execute("create unique index idx_articles_canonical_url_unique on articles "
               "(canonical_url) where canonical_url is not null and canonical_url != ''")


def rebuild_fts(db: Database) -> None:
    """Recreate the full-text indexes and their triggers from the tables they index."""
    for table, (columns, tokenize) in FTS.items():
        for suffix in ("_ai", "_ad", "_au"):
            db.execute(f"drop trigger if exists [{table}{suffix}]")
        try:
            db.execute(f"drop table if exists [{table}_fts]")
        except sqlite3.DatabaseError:
            # A damaged index may not drop while parts of it are gone: drop the parts first.
            for shadow in ("data", "idx", "content", "docsize", "config"):
                db.execute(f"drop table if exists [{table}_fts_{shadow}]")
            db.execute(f"drop table if exists [{table}_fts]")
        db.table(table).enable_fts(columns, fts_version="FTS5", create_triggers=True,
                                   tokenize=tokenize)


@migrations()
def m009_stories_index(db: Database) -> None:
    # Stories across outlets (bot/stories): each story's span, size and title, what each
    # article brought (so an admin's move or split can take it out again), and postings from
    # words and entities to the stories that used them, so candidates come from an index.
    for name, kind in (("first_seen", str), ("last_seen", str), ("articles", int),
                       ("merged_into", int), ("norm", float)):
        db.table("stories").add_column(name, kind)
    db.execute(
        "update stories set articles = (select count(*) from articles a where a.story_id = "
        "stories.id), first_seen = (select min(substr(coalesce(a.published, a.ingested_at), "
        "1, 10)) from articles a where a.story_id = stories.id), last_seen = (select "
        "max(substr(coalesce(a.published, a.ingested_at), 1, 10)) from articles a "
        "where a.story_id = stories.id)")
    db.table("stories").create_index(["last_seen", "id"])
    db.table("article_features").create(
        {"article_id": int, "headline": str, "terms": str, "entities": str, "seen": str},
        pk="article_id", foreign_keys=[("article_id", "articles", "id")],
    )
    for table, column in (("story_terms", "term"), ("story_entities", "key")):
        db.table(table).create({"story_id": int, column: str, "count": int},
                               pk=("story_id", column))
        db.table(table).create_index([column, "story_id"])
    # How many articles used each word or entity: the rarity that weights a match.
    db.table("story_df").create({"key": str, "df": int}, pk="key")



@migrations()
def m010_channels_drop_scope(db: Database) -> None:
    # A channel filter that no command ever set: the digest read it, nothing wrote it. Routing
    # and filters per source (the tenants work) are where a channel's scope will live.
    if "scope" in db.table("channels").columns_dict:
        db.execute("alter table channels drop column scope")


@migrations()
def m011_tenants_subscriptions(db: Database) -> None:
    # Many communities, one bot. A source stays the fetch unit (one row per address, fetched and
    # analysed once); a tenant (Discord guild, Slack team, "default" for the console and CLI)
    # follows it through a subscription with its own number, name and channel. Existing sources
    # become subscriptions of "default" with the same numbers, so nothing anyone knows changes.
    db.table("subscriptions").create(
        {"id": int, "tenant": str, "source_id": int, "name": str, "platform": str,
         "channel": str, "added_by": str, "added_at": str, "removed_at": str},
        pk="id", not_null={"tenant", "source_id"},
        foreign_keys=[("source_id", "sources", "id")],
    )
    db.table("subscriptions").create_index(["tenant", "source_id"])
    db.table("subscriptions").create_index(["source_id"])
    db.execute(
        "insert into subscriptions (id, tenant, source_id, name, platform, channel, added_by, "
        "added_at) select id, 'default', id, name, platform, channel, added_by, added_at "
        "from sources")
    # A route sends a subscription's articles to a channel; filters narrow one route.
    db.table("routes").create(
        {"id": int, "subscription_id": int, "platform": str, "channel": str,
         "created_at": str, "created_by": str},
        pk="id", foreign_keys=[("subscription_id", "subscriptions", "id")],
    )
    db.table("routes").create_index(["subscription_id", "platform", "channel"], unique=True)
    db.table("routes").create_index(["platform", "channel"])
    db.table("route_filters").create(
        {"id": int, "route_id": int, "mode": str, "kind": str, "value": str, "person_id": int},
        pk="id", foreign_keys=[("route_id", "routes", "id")],
    )
    db.table("route_filters").create_index(["route_id"])
    # Which tenant a channel belongs to, as seen from the commands typed in it: a route may
    # only point at a channel of the same tenant.
    db.table("tenant_channels").create(
        {"platform": str, "channel": str, "tenant": str}, pk=("platform", "channel"))
    # An article is stored once, under the first source that brought it; another source that
    # carries it too is linked here, so the tenants following that one read it as well.
    db.table("article_sources").create({"article_id": int, "source_id": int},
                                       pk=("article_id", "source_id"))
    db.table("article_sources").create_index(["source_id"])
    for table in ("alerts", "schedules"):
        db.table(table).add_column("tenant", str, not_null_default="default")


@migrations()
def m012_prepared_answers(db: Database) -> None:
    # Answers read prepared parts instead of computing them per request (bot/prepare.py):
    # each story's summary, one row per sentence and citing article, so a read can keep only
    # a tenant's sources (source_id) and still cite what it may see.
    db.table("prepared_summary").create(
        {"story_id": int, "rank": int, "article_id": int, "source_id": int, "own": int,
         "text": str},
        pk=("story_id", "rank", "article_id"),
    )
    db.table("prepared_summary").create_index(["article_id"])
    # Each story's timeline rows (the events of its first and newest articles), so a timeline
    # reads a few stories' rows by index; grouped at read time by the corroboration rules.
    db.table("prepared_events").create(
        {"story_id": int, "article_id": int, "source_id": int, "date": str, "precision": str,
         "text": str, "people": str, "position": int},
    )
    db.table("prepared_events").create_index(["story_id", "date"])
    db.table("prepared_events").create_index(["article_id"])
    # Which stories are prepared (and at what size): a story with no row is prepared on first
    # use, so a store from before this migration needs no long upgrade.
    db.table("prepared_stories").create({"story_id": int, "articles": int}, pk="story_id")
    # Other outlets' copies of a quote whose speaker is unresolved, found without walking the
    # attributed copies (which grow with the store).
    db.execute("create index if not exists idx_quotes_unattributed on quotes "
               "(quote_key, article_id) where person_id is null")


@migrations()
def m013_answers_visibility(db: Database) -> None:
    # A tenant's reads check each row's article source; source_id and story_id sit after the
    # article's text, in its overflow pages, so every check read a few KB. These two indexes
    # hold them: by article (named in visible-article checks, bot answers by person or topic)
    # and by story (a story with an article of the tenant's sources).
    db.execute("create index if not exists idx_articles_id_source on articles "
               "(id, source_id, story_id)")
    db.execute("create index if not exists idx_articles_story_source on articles "
               "(story_id, source_id)")


def migrate(db: Database) -> None:
    """Bring a database up to the current schema."""
    migrations.apply(db)
