"""PreparedTables: answers' parts computed at ingest (story summaries), read by a few rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlite_utils import Database

from storage.tenants import source_clause


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _visible(sources: Sequence[int] | None, column: str) -> tuple[str, tuple[int, ...]]:
    """An `and ...` clause restricting rows to a tenant's sources (None: all): by the row's
    source, or by another of those sources that brought the same article later."""
    clause, params = source_clause(sources, column, "article_id")
    return clause, tuple(params)


class PreparedTables:
    """Mixed into SqliteStore. Each prepared row keeps its article and source, so a read can be
    restricted to a set of sources by an indexed column (a tenant sees only its sources)."""

    db: Database

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
              ) -> list[dict[str, Any]]: ...

    def set_prepared_summary(self, story_id: int,
                             picks: Sequence[tuple[str, Sequence[int]]]) -> None:
        """Replace a story's prepared summary: (sentence, [its article, articles that report
        the same fact]) in reading order. An empty list records "prepared, nothing to say"."""
        with self.transaction() as conn:
            conn.execute("delete from prepared_summary where story_id = ?", (story_id,))
            ids = sorted({a for _, arts in picks for a in arts})
            source_of = dict(conn.execute(
                f"select id, source_id from articles where id in ({_marks(ids)})",
                ids).fetchall()) if ids else {}
            conn.executemany(
                "insert into prepared_summary (story_id, rank, article_id, source_id, own, text) "
                "values (?, ?, ?, ?, ?, ?)",
                [(story_id, rank, a, source_of.get(a), int(i == 0), text if i == 0 else None)
                 for rank, (text, arts) in enumerate(picks)
                 for i, a in enumerate(dict.fromkeys(arts)) if a in source_of])
            conn.execute("insert into prepared_stories (story_id, articles) values (?, "
                         "(select articles from stories where id = ?)) on conflict(story_id) "
                         "do update set articles = excluded.articles", (story_id, story_id))

    def set_prepared_events(self, story_id: int, article_ids: Sequence[int]) -> None:
        """Replace a story's timeline rows with the events of these of its articles."""
        with self.transaction() as conn:
            conn.execute("delete from prepared_events where story_id = ?", (story_id,))
            if article_ids:
                conn.execute(
                    f"insert into prepared_events (story_id, article_id, source_id, date, "
                    f"precision, text, people, position) select ?, e.article_id, a.source_id, "
                    f"e.date, e.precision, e.text, e.people, e.position from events e "
                    f"join articles a on a.id = e.article_id "
                    f"where e.article_id in ({_marks(article_ids)})", (story_id, *article_ids))

    def prepared_events(self, story_ids: Sequence[int], *, limit: int = 400,
                        sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """The stories' timeline rows, oldest date first, shaped as Store.events_in's."""
        if not story_ids:
            return []
        clause, params = _visible(sources, "source_id")
        rows = self._rows(
            f"select story_id, article_id, date, precision, text, people, position "
            f"from prepared_events "
            f"where story_id in ({_marks(story_ids)}){clause} order by date limit ?",
            (*story_ids, *params, limit))
        return self._named_events(rows)

    def _named_events(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]: ...

    def forget_prepared(self, story_id: int) -> None:
        """A story that is gone (merged into another): its prepared rows go too."""
        with self.transaction() as conn:
            conn.execute("delete from prepared_events where story_id = ?", (story_id,))
            conn.execute("delete from prepared_summary where story_id = ?", (story_id,))
            conn.execute("delete from prepared_stories where story_id = ?", (story_id,))

    def prepared_is_stale(self, story_id: int, small: int) -> bool:
        """Whether a story needs preparing again: never prepared, under `small` articles, or
        twice as big as when it was last prepared."""
        row = self.db.execute(
            "select s.articles, p.articles from stories s left join prepared_stories p "
            "on p.story_id = s.id where s.id = ?", (story_id,)).fetchone()
        if row is None:
            return False
        now, then = int(row[0] or 0), row[1]
        return then is None or now < small or now >= 2 * int(then)

    def unprepared(self, story_ids: Sequence[int]) -> list[int]:
        """Those of the stories that have no prepared rows yet (a store from before m012)."""
        if not story_ids:
            return []
        done = {r[0] for r in self.db.execute(
            f"select story_id from prepared_stories where story_id in ({_marks(story_ids)})",
            tuple(story_ids)).fetchall()}
        return [s for s in story_ids if s not in done]

    def prepared_summaries(self, story_ids: Sequence[int], *,
                           sources: Sequence[int] | None = None
                           ) -> dict[int, list[dict[str, Any]]]:
        """Each story's prepared summary: [{"text", "article_ids"}] in reading order.

        With sources, a sentence shows only when its own article is from one of them, and
        cites only their articles.
        """
        if not story_ids:
            return {}
        clause, params = _visible(sources, "source_id")
        out: dict[int, dict[int, dict[str, Any]]] = {}
        for story_id, rank, article_id, own, text in self.db.execute(
                f"select story_id, rank, article_id, own, text from prepared_summary "
                f"where story_id in ({_marks(story_ids)}){clause} "
                f"order by story_id, rank, own desc, article_id",
                (*story_ids, *params)).fetchall():
            picks = out.setdefault(story_id, {})
            if own:
                picks[rank] = {"text": text, "article_ids": [article_id]}
            elif rank in picks:
                picks[rank]["article_ids"].append(article_id)
        return {s: list(p.values()) for s, p in out.items()}
