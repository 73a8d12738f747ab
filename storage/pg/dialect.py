"""The SQLite SQL of storage/ as PostgreSQL runs it: one translation, so queries stay in one place.

Only what the stores' standard SQL needs: `?` placeholders, INSERT OR IGNORE, two-argument
max/min, LIKE (case-blind in SQLite), the `end` column (reserved in PostgreSQL), bare column
names in ON CONFLICT DO UPDATE (ambiguous in PostgreSQL), and the new row's id (`returning id`
for `lastrowid`).
What cannot be translated (FTS5 MATCH, PRAGMA, sqlite-utils helpers) is overridden in store.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Tables whose rows have a generated `id` (their inserts return it, as SQLite's lastrowid).
ID_TABLES = frozenset({"sources", "stories", "articles", "people", "times", "events", "quotes",
                       "alerts", "outbox", "subscriptions", "routes", "route_filters"})

_IGNORE = re.compile(r"^\s*insert\s+or\s+ignore\s+into\s", re.I)
_INSERT = re.compile(r"^\s*insert\s+into\s+(\w+)\s*\(([^)]*)\)", re.I)
_SCALAR_MINMAX = re.compile(r"\b(max|min)\(\s*([^(),]+?)\s*,\s*([^(),]+?)\s*\)", re.I)
_END_COLUMN = re.compile(r"(?<=[(,.])(\s*)end(?=\s*[,)])", re.I)
_LIKE = re.compile(r"\blike\b", re.I)
_DO_UPDATE = re.compile(r"\bdo\s+update\s+set\s", re.I)
# SQLite's index hints: PostgreSQL's planner chooses for itself.
_INDEX_HINT = re.compile(r"\s+(?:indexed\s+by\s+\w+|not\s+indexed)\b", re.I)
# SQLite's json_each over a JSON array of ids, compared with one id.
_JSON_EACH = re.compile(r"\bjson_each\(([\w.]+)\)\s+where\s+value\s*=\s*\?", re.I)


def _placeholders(sql: str) -> str:
    # psycopg reads % as the start of a placeholder: literal ones are doubled first.
    return sql.replace("%", "%%").replace("?", "%s")


def _qualify_update(sql: str, table: str, columns: list[str]) -> str:
    """`set n = n + excluded.n` names the stored row's n: PostgreSQL wants it qualified."""
    match = _DO_UPDATE.search(sql)
    if not match:
        return sql
    head, tail = sql[:match.end()], sql[match.end():]
    assignments = []
    for part in re.split(r",(?![^()]*\))", tail):
        left, eq, right = part.partition("=")
        if eq:
            for column in columns:
                right = re.sub(rf"(?<![\w.\"]){re.escape(column)}(?![\w\"(])",
                               f"{table}.{column}", right)
        assignments.append(left + eq + right)
    return head + ",".join(assignments)


def explicit_id_table(sql: str) -> str | None:
    """The id table an INSERT gives its own ids to (its sequence must then move past them)."""
    insert = _INSERT.match(sql)
    if insert and insert[1].lower() in ID_TABLES and "id" in [
            c.strip().strip('"').lower() for c in insert[2].split(",")]:
        return insert[1].lower()
    return None


@lru_cache(maxsize=2048)
def translate(sql: str, *, returning: bool = True) -> tuple[str, bool]:
    """(PostgreSQL SQL, whether it returns the new row's id)."""
    ignore = bool(_IGNORE.match(sql))
    if ignore:
        sql = _IGNORE.sub("insert into ", sql, count=1)
    sql = _SCALAR_MINMAX.sub(lambda m: f"{'greatest' if m[1].lower() == 'max' else 'least'}"
                                       f"({m[2]}, {m[3]})", sql)
    sql = _LIKE.sub("ilike", sql)  # SQLite's LIKE ignores case
    sql = _INDEX_HINT.sub("", sql)
    sql = _JSON_EACH.sub(lambda m: f"json_array_elements_text({m[1]}::json) as j(value) "
                                   f"where value = cast(? as text)", sql)
    sql = _END_COLUMN.sub(lambda m: f'{m[1]}"end"', sql)
    insert = _INSERT.match(sql)
    gives_id = False
    if insert:
        table = insert[1].lower()
        columns = [c.strip().strip('"') for c in insert[2].split(",") if c.strip()]
        sql = _qualify_update(sql, table, columns)
        if ignore:
            sql = sql.rstrip().rstrip(";") + " on conflict do nothing"
        if returning and table in ID_TABLES and " returning " not in sql.lower():
            sql = sql.rstrip().rstrip(";") + " returning id"
            gives_id = True
    return _placeholders(sql), gives_id
