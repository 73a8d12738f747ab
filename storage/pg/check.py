"""`newsdesk doctor` on a PostgreSQL store: reachable, ours, up to date; nothing is written."""

from __future__ import annotations

from bot.errors import StoreError
from storage.pg.database import PgDatabase, redact
from storage.pg.schema import SETS, applied


def examine_pg(url: str) -> str:
    """One line saying the store is fine, or a StoreError saying what is wrong."""
    db = PgDatabase(url)
    try:
        have = applied(db)
        tables = {r[0] for r in db.execute_native(
            "select tablename from pg_tables where schemaname = current_schema()").fetchall()}
    finally:
        db.close()
    want = {(s, name) for s, steps in SETS for name, _ in steps}
    if not have:
        if tables:
            raise StoreError(f"The PostgreSQL database {redact(url)} holds tables of another "
                             "program; give newsdesk a database of its own.")
        return f"store {redact(url)} is empty; newsdesk sets it up at the first start"
    if have - want:
        raise StoreError(f"The PostgreSQL store {redact(url)} was made by a newer newsdesk "
                         f"({len(have - want)} migrations this version does not know).")
    missing = len(want - have)
    if missing:
        return (f"store {redact(url)} opens; {missing} migrations are applied at the next "
                "start")
    return f"store {redact(url)} opens and is up to date"
