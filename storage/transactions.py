"""One write transaction helper shared by every store on the same SQLite connection."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from bot.errors import store_error


def _store_error(conn: sqlite3.Connection, exc: sqlite3.DatabaseError) -> Exception:
    """The StoreError naming the store's file, or the exception itself."""
    try:
        where = next((r[2] for r in conn.execute("pragma database_list") if r[1] == "main"), "")
    except sqlite3.DatabaseError:
        where = ""
    return store_error(exc, where) or exc


class SqliteTransaction:
    """The open transaction the Store port hands out (bot.ports.Transaction): the stores run
    their SQL through it; the core only ever asks it for a savepoint."""

    _names = itertools.count(1)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction undone alone when it raises (the exception propagates)."""
        name = f"newsdesk_sp{next(self._names)}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            try:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            except sqlite3.DatabaseError:
                pass  # the store itself failed: the whole transaction rolls back anyway
            raise
        self.conn.execute(f"RELEASE {name}")


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[SqliteTransaction]:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error); nested use joins the open one.

    IMMEDIATE takes the write lock at the start, so two processes (the bot and a
    `newsdesk ingest`) queue on busy_timeout instead of failing halfway through.
    A read-only store or a full disk becomes one StoreError, with nothing half-written.
    """
    if conn.in_transaction:
        yield SqliteTransaction(conn)
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise _store_error(conn, exc) from None
    try:
        yield SqliteTransaction(conn)
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            known = _store_error(conn, exc)
            if known is not exc:
                raise known from None
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise _store_error(conn, exc) from None
