"""The throwaway PostgreSQL server the tests start: real, isolated per test, and optional."""

from __future__ import annotations

import subprocess
import sys

import psycopg

from tests.pg.server import PgServer


def test_each_test_gets_an_empty_database_of_its_own(pg_server: PgServer, pg_url: str):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("create table kept (n int)")
        conn.execute("insert into kept values (1)")
        assert conn.execute("select count(*) from kept").fetchone() == (1,)
    other = pg_server.new_database()
    try:
        with psycopg.connect(other) as conn:
            assert conn.execute("select count(*) from pg_tables where tablename = 'kept'"
                                ).fetchone() == (0,)
    finally:
        pg_server.drop_database(other)


def test_without_the_binaries_the_tests_skip_with_one_line_or_fail_when_required(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text("def test_needs_pg(pg_server):\n    pass\n")
    conftest = tmp_path / "conftest.py"
    conftest.write_text(
        "import tests.pg.server as s\n"
        "s.find_bindir = lambda: None\n"
        "from tests.pg.server import pg_server  # noqa: F401\n")
    from pathlib import Path
    root = str(Path(__file__).resolve().parents[2])
    env_base = {"PYTHONPATH": root, "PATH": "/usr/bin:/bin"}
    skipped = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p",
                              "no:cacheprovider", str(probe)], capture_output=True, text=True,
                             cwd=tmp_path, env={**env_base, "NEWSDESK_REQUIRE_PG": ""})
    assert skipped.returncode == 0, skipped.stdout
    assert "PostgreSQL tests skipped: no initdb/pg_ctl found" in skipped.stdout
    required = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               str(probe)], capture_output=True, text=True, cwd=tmp_path,
                              env={**env_base, "NEWSDESK_REQUIRE_PG": "1"})
    assert required.returncode != 0
    assert "NEWSDESK_REQUIRE_PG=1 requires them" in required.stdout
