"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temp cluster, a free port.

Without the binaries the PostgreSQL tests skip with one line saying why; with
NEWSDESK_REQUIRE_PG=1 (set by .ci/run) they fail instead, so CI proves they ran.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_ENV = "NEWSDESK_REQUIRE_PG"


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: pg_config's, else Debian's newest version."""
    candidates: list[str] = []
    if shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(subprocess.run(["pg_config", "--bindir"], capture_output=True,
                                             text=True, check=True).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit()
                         else 0, reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unavailable(why: str) -> None:
    message = f"PostgreSQL tests skipped: {why}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_ENV}=1 requires them)", pytrace=False)
    pytest.skip(message)


@dataclass
class PgServer:
    """A running cluster; `new_database()` gives each test a database of its own."""

    bindir: Path
    folder: Path
    port: int
    prefix: list[str]
    user: str = "newsdesk"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.prefix, *args], capture_output=True, text=True,
                              timeout=120, check=False)

    @classmethod
    def start(cls, bindir: Path) -> PgServer:
        prefix: list[str] = []
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
        if os.geteuid() == 0:
            # initdb refuses root: the cluster belongs to the `postgres` user.
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(folder, ignore_errors=True)
                _unavailable("running as root and there is no `postgres` user to run initdb")
                raise
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            prefix = ["runuser", "-u", "postgres", "--"]
        server = cls(bindir, folder, _free_port(), prefix)
        data = folder / "data"
        made = server._run(str(bindir / "initdb"), "-D", str(data), "-U", server.user,
                           "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8")
        if made.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            _unavailable(f"initdb failed: {made.stderr.strip().splitlines()[-1:]}")
        options = (f"-p {server.port} -c listen_addresses=127.0.0.1 -k {folder} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        started = server._run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w",
                              "-t", "60", "-l", str(folder / "server.log"), "start")
        if started.returncode != 0:
            log = (folder / "server.log").read_text(errors="replace")[-500:] \
                if (folder / "server.log").exists() else started.stderr
            shutil.rmtree(folder, ignore_errors=True)
            _unavailable(f"the server did not start: {log.strip()}")
        return server

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                  "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    _numbers = itertools.count(1)

    def new_database(self) -> str:
        """A fresh empty database's URL."""
        import psycopg

        name = f"t{os.getpid()}_{next(self._numbers)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"create database {name}")
        return self.url(name)

    def password_role(self, name: str, password: str) -> None:
        """A login role that must give its password (scram), whatever the trust of the
        others."""
        import psycopg

        hba = self.folder / "data" / "pg_hba.conf"
        line = f"host all {name} 127.0.0.1/32 scram-sha-256\n"
        text = hba.read_text()
        if line not in text:
            with hba.open("r+") as file:  # written in place: the file keeps its owner
                file.write(line + text)
        with psycopg.connect(self.url(), autocommit=True) as conn:
            exists = conn.execute("select 1 from pg_roles where rolname = %s",
                                  (name,)).fetchone()
            if not exists:
                conn.execute(f"create role {name} login password '{password}'")
            conn.execute("select pg_reload_conf()")

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"drop database if exists {name} with (force)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the whole session, stopped and deleted at the end."""
    bindir = find_bindir()
    if bindir is None:
        _unavailable("no initdb/pg_ctl found (install the postgresql package)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed")
    server = PgServer.start(bindir)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A database of this test's own on the session's server."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)
