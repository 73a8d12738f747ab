"""Opening a store file: is it a newsdesk store, can it be written, is its search index whole.

Nothing is written to a file before it is known to be a newsdesk store: an empty or new file,
one whose header carries our `PRAGMA application_id`, or one made by an earlier newsdesk
(recognised by its `_sqlite_migrations` rows), which then gets the marker.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from sqlite_utils import Database

from bot.errors import NotAStore, StoreReadOnly, store_error
from storage import channel_schema, schema

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class Opened:
    db: Database
    read_only: bool


def _not_ours(path: Path, why: str) -> NotAStore:
    return NotAStore(f"{path} is not a newsdesk store ({why}).")


def _short_by(path: Path) -> tuple[int, int] | None:
    """(size, size the header promises) when the file is shorter than its header says.

    The header's page count is valid when its version number matches the change counter, and
    the file alone holds the store only without a WAL (a checkpoint writes page 1 first).
    """
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None
    with path.open("rb") as f:
        header = f.read(100)
    size = path.stat().st_size
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[92:96] == header[24:28] and pages and size < pages * page_size:
        return size, pages * page_size
    return None


def _check_file(path: Path) -> int:
    """The file's size; raise NotAStore for anything that is not an SQLite file (or empty)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return -1
    except OSError as exc:
        raise _not_ours(path, f"it cannot be read: {exc.strerror or type(exc).__name__}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _not_ours(path, "it is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise _not_ours(path, "it is not a regular file")
    if info.st_size == 0:
        return 0
    try:
        with path.open("rb") as f:
            header = f.read(100)
        if not header.startswith(SQLITE_HEADER):
            raise _not_ours(path, "not an SQLite database")
        if len(header) < 100:
            raise _not_ours(path, "a truncated SQLite file")
        short = _short_by(path)
        if short is not None:
            time.sleep(0.05)  # a live store's checkpoint may be between page 1 and the rest
            short = _short_by(path)
    except OSError as exc:
        raise _not_ours(path, f"it cannot be read: {exc.strerror or type(exc).__name__}") from None
    if short is not None:
        raise _not_ours(path, f"a truncated SQLite file: {short[0]:,} of {short[1]:,} bytes")
    return info.st_size


def _writable(path: Path) -> bool:
    """The file and its folder (SQLite puts its WAL and journal beside the file)."""
    folder = path.parent if str(path.parent) else Path(".")
    target = path if path.exists() else folder
    return os.access(target, os.W_OK) and os.access(folder, os.W_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; `immutable` when the folder cannot hold the WAL's shared memory."""
    uri = "file:" + quote(str(path.resolve()))
    folder = path.parent if str(path.parent) else Path(".")
    wal_files = Path(f"{path}-wal").exists() and Path(f"{path}-shm").exists()
    if os.access(folder, os.W_OK) or wal_files:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True)
        try:
            conn.execute("select count(*) from sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
    # Nothing else can be writing a file in a folder nobody may write to.
    return sqlite3.connect(uri + "?immutable=1", uri=True)


def _identify(conn: sqlite3.Connection, path: Path) -> str:
    """'new', 'ours' or 'old' (an earlier newsdesk's store, without the marker)."""
    try:
        app_id = conn.execute("pragma application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    except sqlite3.DatabaseError as exc:
        raise _not_ours(path, f"an unreadable SQLite file: {exc}") from None
    if app_id == schema.APPLICATION_ID:
        return "ours"
    if app_id:
        raise _not_ours(path, "an SQLite file of another program (application id "
                              f"{app_id:#x})")
    if not tables:
        return "new"
    if "_sqlite_migrations" in tables:
        try:
            sets = {r[0] for r in conn.execute(
                "select distinct migration_set from _sqlite_migrations")}
        except sqlite3.DatabaseError:
            sets = set()
        if schema.migrations.name in sets and "articles" in tables:
            return "old"
    raise _not_ours(path, "an SQLite file of another program")


def _fts_whole(db: Database) -> bool:
    try:
        for table in schema.FTS_TABLES:
            db.execute(f"select rowid from [{table}] limit 1").fetchall()
    except sqlite3.DatabaseError:
        return False
    return True


def _from_uri(uri: str) -> tuple[Path, bool]:
    """The file of an SQLite URI (file:PATH?mode=ro) and whether it asks for read-only."""
    parsed = urlsplit(uri)
    params = parse_qs(parsed.query)
    read_only = params.get("mode") == ["ro"] or params.get("immutable") == ["1"]
    return Path(unquote(parsed.path)), read_only


def open_store(path: str | Path) -> Opened:
    """Open (creating if need be) the store at path, or raise one clear StoreError.

    `file:PATH?mode=ro` (an SQLite URI) opens a store read-only on purpose.
    """
    if not str(path):
        raise NotAStore("The store path is empty; name a file (storage.path or --db).")
    asked_read_only = False
    if str(path).startswith("file:"):
        file, asked_read_only = _from_uri(str(path))
    else:
        file = Path(path)
    size = _check_file(file)
    if size < 0 and not file.parent.exists():
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise StoreReadOnly(f"The folder of the store {file} cannot be created.") from None
    read_only = asked_read_only or not _writable(file)
    if read_only and size <= 0:
        raise StoreReadOnly(f"The store {file} does not exist and its folder is read-only.")
    try:
        conn = _connect_read_only(file) if read_only else sqlite3.connect(str(file))
    except sqlite3.DatabaseError as exc:
        raise _not_ours(file, f"damaged: {exc}") from None
    try:
        kind = _identify(conn, file)
        db = Database(conn)
        if not read_only:
            _prepare(db, file, kind)
        elif schema.migrations.pending(db) or channel_schema.migrations.pending(db):
            raise StoreReadOnly(f"The store {file} is read-only and was made by an earlier "
                                "newsdesk; open it once with write access to upgrade it.")
        conn.execute("PRAGMA busy_timeout = 5000")
        if not _fts_whole(db):
            if read_only:
                log.warning("the store's search index is damaged; topic searches will fail")
            else:
                _rebuild_fts(db)
    except BaseException as exc:
        conn.close()
        known = store_error(exc, str(file))
        if known is not None and not isinstance(exc, NotAStore | StoreReadOnly):
            raise known from None
        raise
    return Opened(db, read_only)


def examine(path: str | Path, thorough: bool = False) -> Opened | None:
    """The checks open_store makes, without writing anything (for `newsdesk doctor`).

    None when the file does not exist yet; with thorough, SQLite's quick_check reads every
    page too. The connection of the result is read-only: close its db when done.
    """
    file = _from_uri(str(path))[0] if str(path).startswith("file:") else Path(path)
    if not str(path):
        raise NotAStore("The store path is empty; name a file (storage.path or --db).")
    if _check_file(file) <= 0:
        return None
    try:
        conn = _connect_read_only(file)
    except sqlite3.DatabaseError as exc:
        raise _not_ours(file, f"damaged: {exc}") from None
    try:
        _identify(conn, file)
        if thorough:
            found = conn.execute("pragma quick_check(1)").fetchone()[0]
            if found != "ok":
                raise _not_ours(file, f"damaged: {found}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _not_ours(file, f"damaged: {exc}") from None
    except BaseException:
        conn.close()
        raise
    return Opened(Database(conn), not _writable(file))


def _prepare(db: Database, file: Path, kind: str) -> None:
    """Mark, switch to WAL and migrate a store known to be ours (or new)."""
    db.enable_wal()
    db.conn.execute("PRAGMA foreign_keys = ON")
    db.conn.execute("PRAGMA busy_timeout = 5000")
    if kind != "ours":
        # The marker goes first: a crash during migration leaves a file we still recognise.
        db.conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        if kind == "old":
            log.info("store %s: an earlier newsdesk's store; marked as ours", file)
    schema.migrate(db)
    channel_schema.migrate(db)


def _rebuild_fts(db: Database) -> None:
    log.warning("the store's search index was missing or damaged; rebuilding it")
    schema.rebuild_fts(db)
