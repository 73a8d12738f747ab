"""PgDatabase: one PostgreSQL connection shaped like the sqlite-utils Database the stores use."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import pq
from psycopg_pool import ConnectionPool

from bot.errors import StoreError
from storage.pg.dialect import explicit_id_table, translate
from storage.pg.errors import connect_error, server_error

# Every write transaction takes this lock first, so writers queue one at a time as they do on
# SQLite (BEGIN IMMEDIATE): the stores' check-then-insert steps (an article already stored? a
# story to refresh?) stay correct when several processes write to one database.
WRITE_LOCK = 0x4E44534B  # "NDSK", as the SQLite store's application id


def redact(url: str) -> str:
    """The URL without its password (for logs and messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class PgCursor:
    """A psycopg cursor with what the stores read from an sqlite3 cursor (lastrowid too)."""

    def __init__(self, cursor: psycopg.Cursor[Any], gives_id: bool) -> None:
        self._cursor = cursor
        self.lastrowid: int | None = None
        self.rowcount = cursor.rowcount
        if gives_id:
            row = cursor.fetchone()
            self.lastrowid = int(row[0]) if row else None

    @property
    def description(self) -> list[tuple[str, ...]] | None:
        names = self._cursor.description
        return None if names is None else [(c.name,) for c in names]

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.fetchall())


class PgTable:
    """The one sqlite-utils table helper the stores use: update a row by id."""

    def __init__(self, db: PgDatabase, name: str) -> None:
        self.db, self.name = db, name

    def update(self, row_id: int, values: dict[str, Any]) -> None:
        if not values:
            return
        sets = ", ".join(f'"{column}" = ?' for column in values)
        self.db.execute(f"update {self.name} set {sets} where id = ?",
                        (*values.values(), row_id))


class PgDatabase:
    """The stores' `db` (and `db.conn`): execute, executemany, table(), transactions."""

    _savepoints = itertools.count(1)

    def __init__(self, url: str, *, pool_size: int = 1) -> None:
        self.url = url
        try:
            # One connection first, alone: a refused login or a missing database is said at
            # once, in the server's words (the pool would retry it until its timeout).
            psycopg.connect(url, autocommit=True,
                            **({} if "connect_timeout" in url else {"connect_timeout": 15})
                            ).close()
            # One connection per store, as SQLite has: the pool reconnects a broken one.
            self.pool = ConnectionPool(url, min_size=1, max_size=max(1, pool_size),
                                       kwargs={"autocommit": True}, open=False)
            self.pool.open(wait=True, timeout=15)
        except Exception as exc:  # noqa: BLE001 - any failure to connect is one sentence
            raise connect_error(exc, url, redact(url)) from None
        self._conn = self.pool.getconn()

    @property
    def conn(self) -> PgDatabase:
        return self

    def close(self) -> None:
        if self._conn is not None:
            self.pool.putconn(self._conn)
            self._conn = None  # type: ignore[assignment]
        self.pool.close()

    # ------------------------------------------------------------------ SQL

    def _connection(self) -> psycopg.Connection[Any]:
        """The store's connection; a new one from the pool when the server dropped it (the
        statement that found it dropped raised a StoreError, and its transaction is gone)."""
        if self._conn.broken or self._conn.closed:
            self.pool.putconn(self._conn)
            self._conn = self.pool.getconn(timeout=15)
        return self._conn

    def _known(self, exc: psycopg.Error) -> Exception:
        """A lost connection or a refusal of the server (rights, disk, read-only) as one
        sentence; anything else (a constraint, a query's bug) as it was raised."""
        if isinstance(exc, psycopg.OperationalError) and self._conn.broken:
            return self._lost(exc)
        return server_error(exc, redact(self.url)) or exc

    def _lost(self, exc: psycopg.OperationalError) -> StoreError:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError(f"The PostgreSQL store {redact(self.url)} cannot be reached: {first}")

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        query, gives_id = translate(sql)
        cursor = self._connection().cursor()
        try:
            cursor.execute(query, tuple(params) if not isinstance(params, dict) else params)
            table = explicit_id_table(sql)
            if table is not None:
                # A row with its own id (a subscription numbered as its source): the identity
                # sequence moves past it, or a later row would be given the same id.
                result = PgCursor(cursor, gives_id)
                self._conn.execute(
                    f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"greatest((select max(id) from {table}), 1))")
                return result
        except psycopg.Error as exc:
            raise self._known(exc) from None
        return PgCursor(cursor, gives_id)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        query, _ = translate(sql, returning=False)
        cursor = self._connection().cursor()
        rows = [tuple(r) for r in rows]
        try:
            if rows:
                cursor.executemany(query, rows)
        except psycopg.Error as exc:
            raise self._known(exc) from None
        return PgCursor(cursor, False)

    def execute_native(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        """PostgreSQL's own SQL (%s placeholders), untranslated."""
        try:
            return self._connection().execute(sql, tuple(params))  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise self._known(exc) from None

    def stream(self, sql: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
        """A query's rows in batches through a server-side cursor (a large table never sits
        in memory whole)."""
        with self._conn.transaction(), self._conn.cursor(name="newsdesk_stream") as cursor:
            cursor.execute(sql)
            while batch := cursor.fetchmany(size):
                yield batch

    def copy_rows(self, table: str, columns: Sequence[str],
                  rows: Iterable[Sequence[Any]]) -> None:
        """Rows into a table through COPY (a bulk load; many times faster than INSERTs)."""
        names = ", ".join(f'"{c}"' for c in columns)
        with self._connection().cursor().copy(f"copy {table} ({names}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)

    def reset_ids(self) -> None:
        """After rows came with their ids (a copy): new rows get ids after the largest one."""
        from storage.pg.dialect import ID_TABLES

        for table in sorted(ID_TABLES):
            self._conn.execute(
                f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce(max(id), 1), max(id) is not null) from {table}")

    def table(self, name: str) -> PgTable:
        return PgTable(self, name)

    # ---------------------------------------------------------- transactions

    @property
    def in_transaction(self) -> bool:
        return not self._conn.broken and self._conn.info.transaction_status in (
            pq.TransactionStatus.INTRANS, pq.TransactionStatus.INERROR,
            pq.TransactionStatus.ACTIVE)

    @contextmanager
    def transaction(self) -> Iterator[PgDatabase]:
        """BEGIN ... COMMIT (ROLLBACK on any error), writers one at a time; nested use joins."""
        if self.in_transaction:
            yield self
            return
        self.execute_native("begin")
        try:
            self.execute_native("select pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield self
        except BaseException:
            if self.in_transaction:
                self._conn.execute("rollback")
            raise
        self.execute_native("commit")  # a full disk may refuse the commit itself

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction undone alone when it raises (the exception propagates)."""
        name = f"newsdesk_sp{next(self._savepoints)}"
        self._conn.execute(f"savepoint {name}")
        try:
            yield
        except BaseException:
            status = self._conn.info.transaction_status
            if status in (pq.TransactionStatus.INTRANS, pq.TransactionStatus.INERROR):
                self._conn.execute(f"rollback to savepoint {name}")
                self._conn.execute(f"release savepoint {name}")
            raise
        self._conn.execute(f"release savepoint {name}")
