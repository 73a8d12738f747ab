"""`newsdesk db backup FILE`: a consistent copy of a live store through SQLite's backup API."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.errors import StoreError, UserError, store_error
from storage.opening import examine


@dataclass(frozen=True)
class BackupDone:
    path: Path
    articles: int
    size: int


def backup(store_path: str, target: str | Path, *, force: bool = False) -> BackupDone:
    """Copy the store to target in one read transaction (WAL: writers go on meanwhile).

    The copy is written beside the target and renamed over it only once it is complete and
    checked, so a failed backup never leaves a half file under the target's name.
    """
    target = Path(target)
    if target.exists() and not force:
        raise UserError(f"{target} already exists; choose another name or add --force.")
    if target.is_dir():
        raise UserError(f"{target} is a folder; name a file for the backup.")
    opened = examine(store_path)
    if opened is None:
        raise StoreError(f"The store {store_path} does not exist.")
    source = opened.db.conn
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        copy = sqlite3.connect(partial)
    except OSError as exc:
        source.close()
        raise UserError(f"Cannot write {partial} ({exc.strerror or type(exc).__name__}).") \
            from None
    try:
        source.backup(copy)  # all pages in one step: one snapshot of the store
        # A backup is one self-contained file: no -wal beside it.
        copy.execute("pragma journal_mode = delete")
        if copy.execute("pragma quick_check(1)").fetchone()[0] != "ok":
            raise StoreError(f"The copy of {store_path} does not check out; nothing was kept.")
        articles = int(copy.execute("select count(*) from articles").fetchone()[0])
        copy.close()
        with partial.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(partial, target)
    except sqlite3.Error as exc:
        copy.close()
        partial.unlink(missing_ok=True)
        raise (store_error(exc, store_path) or UserError(
            f"The backup of {store_path} failed ({exc}); nothing was kept.")) from None
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return BackupDone(target, articles, target.stat().st_size)
