"""PostgreSQL's refusals as one sentence each (login, database, rights, disk, read-only).

The server's own messages name the user, database and table, never the password; the URL is
shown redacted. Matched by SQLSTATE where the server sends one, else by libpq's fixed English
text (a refused login arrives before any SQLSTATE can be read on some libpq versions).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from bot.errors import StoreError, StoreFull, StoreReadOnly

# SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html)
INVALID_PASSWORD, BAD_LOGIN, NO_DATABASE = "28P01", "28000", "3D000"
NO_PRIVILEGE, READ_ONLY, DISK_FULL = "42501", "25006", "53100"
OUT_OF_RESOURCES = ("53000", "53200", "53300", "53400")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    # libpq prefixes: "connection failed: connection to server at ... failed: FATAL:  ..."
    return line.rsplit("FATAL:", 1)[-1].strip()


def _parts(url: str) -> dict[str, Any]:
    try:
        return conninfo_to_dict(url)
    except psycopg.Error:
        return {}


def connect_error(exc: BaseException, url: str, shown: str) -> StoreError:
    """Why the store at url (shown: redacted) could not be opened, in one sentence."""
    parts = _parts(url)
    user = parts.get("user") or "the user in storage.url"
    database = parts.get("dbname") or "named in storage.url"
    host = parts.get("host") or "localhost"
    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc)
    if state == INVALID_PASSWORD or "password authentication failed" in text:
        return StoreError(f"PostgreSQL at {host} refused the password of {user}: set the right "
                          "one in PGPASSWORD or ~/.pgpass.")
    if "no password supplied" in text:
        return StoreError(f"PostgreSQL at {host} asks {user} for a password and none is set: "
                          "put it in PGPASSWORD or ~/.pgpass.")
    if state == NO_DATABASE or ("database" in text and "does not exist" in text):
        return StoreError(f"The PostgreSQL database {database} does not exist at {host}: "
                          f"create it (createdb {database}) or fix storage.url.")
    if "role" in text and "does not exist" in text:
        return StoreError(f"PostgreSQL at {host} has no role {user}: create it or fix the "
                          "user in storage.url.")
    if state == NO_PRIVILEGE or "permission denied for database" in text:
        return StoreError(f"{user} may not connect to the PostgreSQL database {database} "
                          f"(GRANT CONNECT ON DATABASE {database} TO {user}).")
    if "pg_hba.conf" in text:
        return StoreError(f"PostgreSQL at {host} does not let {user} in from this machine "
                          "(no pg_hba.conf entry matches).")
    if state == BAD_LOGIN:
        return StoreError(f"PostgreSQL at {host} refused the login of {user}: "
                          f"{_first_line(exc)}.")
    return StoreError(f"The PostgreSQL store {shown} cannot be reached: {_first_line(exc)}")


def server_error(exc: BaseException, shown: str) -> StoreError | None:
    """The StoreError a statement's failure means, or None when it is not about the store
    itself (a constraint, a bug in a query: those stay what they are)."""
    state = getattr(exc, "sqlstate", None) or ""
    if state == READ_ONLY:
        return StoreReadOnly(f"The PostgreSQL store {shown} is read-only (a standby, or "
                             "default_transaction_read_only is on): nothing was changed.")
    if state == NO_PRIVILEGE:
        return StoreReadOnly(f"The PostgreSQL store {shown} refused: {_first_line(exc)} (the "
                             "role in storage.url needs SELECT, INSERT, UPDATE and DELETE on "
                             "newsdesk's tables); nothing was changed.")
    if state == DISK_FULL:
        return StoreFull(f"The PostgreSQL store {shown} cannot grow (the server's disk is "
                         "full): nothing was changed; free some space and try again.")
    if state in OUT_OF_RESOURCES:
        return StoreError(f"The PostgreSQL server of {shown} is out of resources "
                          f"({_first_line(exc)}): nothing was changed; try again later.")
    return None
