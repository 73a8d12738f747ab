"""One write transaction helper shared by every store on the same SQLite connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from bot.errors import store_error


def _store_error(conn: sqlite3.Connection, exc: sqlite3.DatabaseError) -> Exception:
    """The StoreError naming the store's file, or the exception itself."""
    try:
        where = next((r[2] for r in conn.execute("pragma database_list") if r[1] == "main"), "")
    except sqlite3.DatabaseError:
        where = ""
    return store_error(exc, where) or exc


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error); nested use joins the open one.

    IMMEDIATE takes the write lock at the start, so two processes (the bot and a
    `newsdesk ingest`) queue on busy_timeout instead of failing halfway through.
    A read-only store or a full disk becomes one StoreError, with nothing half-written.
    """
    if conn.in_transaction:
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise _store_error(conn, exc) from None
    try:
        yield conn
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
