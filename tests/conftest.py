"""Shared fixtures: no test may reach the internet, and a core loaded with the demo coverage."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest

_real_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_local(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).strip("[]")
    if host in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    # Literal addresses never cause a DNS lookup; any literal is fine, and tests of the
    # private-address guard need to name 10.0.0.1 without ever connecting there.
    return address is not None


def _guarded_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if not _is_local(host):
        raise OSError(f"test session forbids DNS lookups of non-local hosts ({host!r})")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any DNS lookup of a non-local name fails at once, so a stray call to slack.com shows."""
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


@pytest.fixture(autouse=True)
def _default_ingest_limits() -> Iterator[None]:
    """Each test starts with the default [ingest] limits, whatever an earlier core set."""
    from bot.config import IngestSettings
    from bot.ingest import limits

    limits.configure(IngestSettings())
    yield
    limits.configure(IngestSettings())


# ---------------------------------------------------------------- the core on the demo

from collections.abc import Awaitable, Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from bot.app import Newsdesk  # noqa: E402
from bot.config import Settings, StorageSettings  # noqa: E402
from bot.models import Reply, Request  # noqa: E402

DEMO_DIR = Path(__file__).resolve().parent.parent / "bot" / "demo_data"


@pytest.fixture(scope="session")
def summit_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with the demo coverage ingested once per test session."""
    path = tmp_path_factory.mktemp("summit") / "summit.db"
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(path))))
    report = bot.ingestor.ingest_paths([DEMO_DIR])
    assert len(report.added) == 2, report
    bot.close()
    return path


@pytest.fixture
def summit_bot(summit_db: Path, tmp_path: Path) -> Iterator[Newsdesk]:
    """A core of its own (a copy of the summit store), free to change in the test."""
    import sqlite3

    copy = tmp_path / "bot.db"
    source, target = sqlite3.connect(summit_db), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    bot = Newsdesk(Settings(storage=StorageSettings(path=str(copy))))
    yield bot
    bot.close()


@pytest.fixture
def summit_handle(summit_bot: Newsdesk) -> Callable[[Request], Awaitable[Reply]]:
    """The core's handler with the demo coverage, for adapter tests."""
    return summit_bot.handle


# ---------------------------------------------------------------- a real PostgreSQL server

from tests.pg.server import pg_server, pg_url  # noqa: E402, F401
