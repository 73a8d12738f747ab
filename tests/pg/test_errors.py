"""PostgreSQL's refusals through the real CLI and a real server: a wrong or missing password,
a missing database, a role that may only read, a read-only database: each one sentence,
never a traceback, never the password."""

from __future__ import annotations

import json
import time
from pathlib import Path

import psycopg
import pytest

from bot.cli import main
from storage.pg.store import PgStore
from tests.conftest import DEMO_DIR
from tests.pg.server import PgServer

SECRET = "s3cret-Pa55"
ARTICLE = DEMO_DIR / "2019-04-26-kim-concludes-russia-trip.md"


def _said(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text and SECRET not in text, text
    return code, text


@pytest.fixture
def no_pgpass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.delenv("PGPASSWORD", raising=False)


def _grant_reading(url: str, role: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"grant connect on database {url.rsplit('/', 1)[1]} to {role}")
        conn.execute(f"grant usage on schema public to {role}")
        conn.execute(f"grant select on all tables in schema public to {role}")


def test_a_wrong_or_missing_password_is_one_sentence(
        pg_server: PgServer, pg_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, no_pgpass: None) -> None:
    PgStore(pg_url).close()  # migrated by its owner
    pg_server.password_role("nd_pw", SECRET)
    _grant_reading(pg_url, "nd_pw")
    url = pg_url.replace("newsdesk@", "nd_pw@")
    monkeypatch.setenv("PGPASSWORD", SECRET)
    for _ in range(100):  # the server reads pg_hba.conf again on its own time
        code, text = _said(capsys, "ask", "/who", "--db", url)
        if code == 0:
            break
        time.sleep(0.05)
    assert code == 0, text
    monkeypatch.setenv("PGPASSWORD", "not-" + SECRET)
    code, text = _said(capsys, "ask", "/who", "--db", url)
    assert (code, text) == (1, "newsdesk: PostgreSQL at 127.0.0.1 refused the password of "
                               "nd_pw: set the right one in PGPASSWORD or ~/.pgpass.\n")
    monkeypatch.delenv("PGPASSWORD")
    code, text = _said(capsys, "ask", "/who", "--db", url)
    assert (code, text) == (1, "newsdesk: PostgreSQL at 127.0.0.1 asks nd_pw for a password "
                               "and none is set: put it in PGPASSWORD or ~/.pgpass.\n")


def test_a_missing_database_or_role_is_one_sentence(
        pg_server: PgServer, capsys: pytest.CaptureFixture[str], no_pgpass: None) -> None:
    missing = pg_server.url("no_such_db")
    code, text = _said(capsys, "ask", "/who", "--db", missing)
    assert (code, text) == (1, "newsdesk: The PostgreSQL database no_such_db does not exist "
                               "at 127.0.0.1: create it (createdb no_such_db) or fix "
                               "storage.url.\n")
    nobody = missing.replace("newsdesk@", "nobody_here@").replace("no_such_db", "postgres")
    code, text = _said(capsys, "ask", "/who", "--db", nobody)
    assert (code, text) == (1, "newsdesk: PostgreSQL at 127.0.0.1 has no role nobody_here: "
                               "create it or fix the user in storage.url.\n")


def test_a_role_that_may_only_read_answers_and_refuses_to_store_in_one_sentence(
        pg_url: str, capsys: pytest.CaptureFixture[str], no_pgpass: None) -> None:
    assert _said(capsys, "ingest", str(ARTICLE), "--db", pg_url)[0] == 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_roles where rolname = 'nd_reader'").fetchone():
            conn.execute("create role nd_reader login")
    _grant_reading(pg_url, "nd_reader")
    reader = pg_url.replace("newsdesk@", "nd_reader@")
    code, text = _said(capsys, "ask", "/who", "--db", reader)
    assert code == 0 and "Kim Jong-un" in text, "reading needs no write right"
    code, text = _said(capsys, "ingest", str(DEMO_DIR / "2019-04-27-kim-returns-home.md"),
                       "--db", reader)
    assert code == 1
    assert f"The PostgreSQL store {reader} refused: permission denied for table " in text
    assert "(the role in storage.url needs SELECT, INSERT, UPDATE and DELETE on newsdesk's " \
           "tables); nothing was changed." in text
    stories = json.loads(_said(capsys, "ask", "/stories", "--db", pg_url, "--json")[1])
    assert len(stories) == 1 and len(stories[0]["articles"]) == 1, "nothing was stored"


def test_a_read_only_database_is_one_sentence(
        pg_url: str, capsys: pytest.CaptureFixture[str], no_pgpass: None) -> None:
    assert _said(capsys, "ingest", str(ARTICLE), "--db", pg_url)[0] == 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"alter database {pg_url.rsplit('/', 1)[1]} "
                     "set default_transaction_read_only = on")
    code, text = _said(capsys, "ask", "/who", "--db", pg_url)
    assert code == 0 and "Kim Jong-un" in text
    code, text = _said(capsys, "ingest", str(DEMO_DIR / "2019-04-27-kim-returns-home.md"),
                       "--db", pg_url)
    assert code == 1
    assert f"The PostgreSQL store {pg_url} is read-only (a standby, or " \
           "default_transaction_read_only is on): nothing was changed." in text
