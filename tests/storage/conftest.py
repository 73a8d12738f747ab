"""The store under test: each test taking `store` (or `open_store`) runs once on SQLite and once
on PostgreSQL (a real server, tests/pg/server.py; skipped with one line where there is none)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.backend import open_configured


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Any]]:
    """Opens a connection to this test's store (call it twice for two processes' views)."""
    target = str(tmp_path / "news.db") if request.param == "sqlite" \
        else request.getfixturevalue("pg_url")
    opened: list[Any] = []

    def _open() -> Any:
        opened.append(open_configured(target))
        return opened[-1]

    yield _open
    for each in opened:
        each.close()


@pytest.fixture
def store(open_store: Callable[[], Any]) -> Any:
    return open_store()


@pytest.fixture
def desk(request: pytest.FixtureRequest, open_store: Callable[[], Any]) -> Iterator[Any]:
    """The whole core (answers, sources, digests, alerts, outbox) over this test's store."""
    from bot.app import Newsdesk
    from bot.config import Settings

    bot = Newsdesk(Settings(), store=open_store())
    yield bot
    bot.close()
