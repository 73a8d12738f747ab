"""What only the PostgreSQL store has: its migrations, the SQL translation, its config key."""

from __future__ import annotations

import pytest

from bot.config import Settings, StorageSettings, load, with_storage_path
from bot.errors import ConfigError, StoreError
from storage.pg.dialect import translate
from storage.schema import migrations as sqlite_migrations


def test_the_sqlite_sql_is_translated_once_for_postgresql():
    sql, gives_id = translate("insert or ignore into outbox (nonce, kind) values (?, ?)")
    assert sql == "insert into outbox (nonce, kind) values (%s, %s) on conflict do nothing " \
                  "returning id" and gives_id
    sql, _ = translate("insert into channels (platform, last_digest_article) values (?, ?) "
                       "on conflict(platform) do update set last_digest_article = "
                       "max(last_digest_article, excluded.last_digest_article)")
    assert sql.endswith("set last_digest_article = greatest(channels.last_digest_article, "
                        "excluded.last_digest_article)")
    sql, _ = translate("insert into quotes (article_id, start, end, text) values (?, ?, ?, ?)",
                       returning=False)
    assert '"end"' in sql and "returning" not in sql
    assert translate("select 1 where a like ? escape '\\'")[0] == \
        "select 1 where a ilike %s escape '\\'"
    assert translate("select '50%' || ?")[0] == "select '50%%' || %s"


def test_every_sqlite_migration_has_a_postgresql_twin_of_the_same_name():
    from storage import channel_schema
    from storage.pg.schema import SETS

    names = dict(SETS)
    assert [n for n, _ in names["newsdesk"]] == [m.name for m in sqlite_migrations._migrations]
    assert [n for n, _ in names["newsdesk-channels"]] == \
        [m.name for m in channel_schema.migrations._migrations]


def test_migrations_are_applied_once_and_recorded(pg_url):
    from storage.pg.schema import SETS
    from storage.pg.store import PgStore

    first = PgStore(pg_url)
    again = PgStore(pg_url)
    rows = again.db.execute("select migration_set, name from newsdesk_migrations").fetchall()
    assert len(rows) == len(set(rows)) == sum(len(steps) for _, steps in SETS)
    first.close()
    again.close()


def test_an_unreachable_server_is_one_sentence_without_the_password():
    from storage.pg.store import PgStore

    with pytest.raises(StoreError) as caught:
        PgStore("postgresql://bot:s3cret@127.0.0.1:1/nowhere?connect_timeout=2")
    assert "cannot be reached" in str(caught.value) and "s3cret" not in str(caught.value)


def test_storage_url_selects_postgresql_and_refuses_a_password_in_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nurl = "postgresql://bot@db.example/news"\n')
    assert load(config).storage.url == "postgresql://bot@db.example/news"
    config.write_text('[storage]\nurl = "postgresql://bot:hunter2@db.example/news"\n')
    with pytest.raises(ConfigError, match="PGPASSWORD") as caught:
        load(config)
    assert "hunter2" not in str(caught.value)
    config.write_text('[storage]\nurl = "mysql://db.example/news"\n')
    with pytest.raises(ConfigError, match="postgresql://"):
        load(config)
    settings = Settings(storage=StorageSettings(url="postgresql://a@b/c"))
    assert with_storage_path(settings, "x.db").storage.url == "", "--db FILE wins over the url"
    assert with_storage_path(Settings(), "postgresql://a@b/c").storage.url == \
        "postgresql://a@b/c"


def test_a_dropped_connection_is_one_sentence_then_the_store_works_again(pg_url):
    import psycopg

    from storage.pg.store import PgStore

    store = PgStore(pg_url)
    try:
        pid = store.db.execute_native("select pg_backend_pid()").fetchone()[0]
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("select pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError, match="cannot be reached"):
            store.count_articles()
        assert store.count_articles() == 0, "a new connection from the pool"
        with pytest.raises(StoreError), store.transaction():
            pid = store.db.execute_native("select pg_backend_pid()").fetchone()[0]
            with psycopg.connect(pg_url, autocommit=True) as admin:
                admin.execute("select pg_terminate_backend(%s)", (pid,))
            store.new_story("lost with its transaction", "2031-01-01")
        assert store.db.execute("select count(*) from stories").fetchone()[0] == 0
        assert store.new_story("kept", "2031-01-01") >= 1
    finally:
        store.close()


def test_doctor_checks_a_postgresql_store_without_writing_to_it(pg_url, capsys):
    from bot.cli import main
    from storage.pg.store import PgStore

    assert main(["doctor", "--db", pg_url]) in (0, 1)
    assert "is empty; newsdesk sets it up at the first start" in capsys.readouterr().out
    PgStore(pg_url).close()
    main(["doctor", "--db", pg_url])
    assert "opens and is up to date" in capsys.readouterr().out
    assert main(["doctor", "--db", pg_url.rsplit("/", 1)[0] + "/missing_db"]) == 1
    assert "The PostgreSQL database missing_db does not exist at 127.0.0.1: create it " \
           "(createdb missing_db) or fix storage.url." in capsys.readouterr().out
