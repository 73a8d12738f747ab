"""StoryTables: the SQL behind stories (index postings, membership, merges, listings)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlite_utils import Database

from storage.tenants import source_clause
from storage.transactions import SqliteTransaction

N_KEY = ""  # the row of story_df that counts articles
_OUTLET = "coalesce(nullif(a.source, ''), nullif(a.url, ''), 'article ' || a.id)"


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class StoryTables:
    """Mixed into SqliteStore: every query is by key or id through an index, never a scan."""

    db: Database

    def transaction(self) -> AbstractContextManager[SqliteTransaction]: ...

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
              ) -> list[dict[str, Any]]: ...

    # ------------------------------------------------------------------ index

    def story_candidates(self, keys: Sequence[str], terms: Sequence[str], since: str,
                         per_key: int = 25, limit: int = 15) -> list[int]:
        """Open stories (seen since `since`) that share entities or words with an article,
        those sharing the most first.

        Each key reads its newest postings only, so a very common name costs no more than a
        rare one; stories are numbered in order of creation, so the newest come first.
        """
        hits: dict[int, int] = {}
        # No open story is older than the oldest one seen since `since`: postings below it
        # need not be read, however common the key (a name in the news for years).
        oldest = self.db.execute("select min(id) from stories where last_seen >= ?",
                                 (since,)).fetchone()[0]
        if oldest is None:
            return []
        for table, column, values in (("story_entities", "key", keys),
                                      ("story_terms", "term", terms)):
            for value in values:
                for (story_id,) in self.db.execute(
                    f"select p.story_id from {table} p join stories s on s.id = p.story_id "
                    f"where p.{column} = ? and p.story_id >= ? and s.last_seen >= ? "
                    f"and s.merged_into is null order by p.story_id desc limit ?",
                    (value, oldest, since, per_key)).fetchall():
                    hits[story_id] = hits.get(story_id, 0) + 1
        return sorted(hits, key=lambda s: (-hits[s], -s))[:limit]

    def story_profiles(self, story_ids: Sequence[int], terms: Sequence[str],
                       keys: Sequence[str]) -> dict[int, dict[str, Any]]:
        """For each story: span, size, norm, and its counts of the given words and keys only
        (what a cosine with one article needs; the norm covers the rest)."""
        if not story_ids:
            return {}
        marks = _marks(story_ids)
        profiles = {r["id"]: {**r, "terms": {}, "entities": {}} for r in self._rows(
            f"select id, first_seen, last_seen, articles, norm from stories "
            f"where id in ({marks})", tuple(story_ids))}
        for table, column, field, values in (("story_terms", "term", "terms", terms),
                                             ("story_entities", "key", "entities", keys)):
            if not values:
                continue
            for story_id, value, count in self.db.execute(
                    f"select story_id, {column}, count from {table} where story_id in "
                    f"({marks}) and {column} in ({_marks(values)})",
                    (*story_ids, *values)).fetchall():
                if story_id in profiles and count > 0:
                    profiles[story_id][field][value] = count
        return profiles

    def story_terms_of(self, story_id: int) -> dict[str, int]:
        return dict(self.db.execute("select term, count from story_terms where story_id = ? "
                                    "and count > 0", (story_id,)).fetchall())

    def set_story_norm(self, story_id: int, norm: float) -> None:
        with self.transaction() as conn:
            conn.execute("update stories set norm = ? where id = ?", (norm, story_id))

    def story_df(self, keys: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(articles indexed, {key: articles that used it}) for words and entity keys."""
        wanted = sorted(set(keys) | {N_KEY})
        rows = dict(self.db.execute(
            f"select key, df from story_df where key in ({_marks(wanted)})", wanted).fetchall())
        return int(rows.pop(N_KEY, 0)), rows

    def place_article(self, article_id: int, story_id: int, features: dict[str, Any], *,
                      count_df: bool) -> None:
        """Put an article (and what it brings) into a story, in one transaction.

        The story the article was saved with is dropped when this leaves it empty.
        """
        with self.transaction() as conn:
            row = conn.execute("select story_id from articles where id = ?",
                               (article_id,)).fetchone()
            before = row[0] if row else None
            conn.execute(
                "insert into article_features (article_id, headline, terms, entities, seen) "
                "values (?, ?, ?, ?, ?) on conflict(article_id) do update set "
                "headline = excluded.headline, terms = excluded.terms, "
                "entities = excluded.entities, seen = excluded.seen",
                (article_id, features["headline"], json.dumps(features["terms"]),
                 json.dumps(features["entities"]), features["seen"]))
            conn.execute("update articles set story_id = ? where id = ?", (story_id, article_id))
            self._add_counts(conn, story_id, features["terms"], features["entities"], 1)
            self._refresh_story(conn, story_id)
            if before is not None and before != story_id:
                self._refresh_story(conn, before)
            if count_df:
                keys = [N_KEY, *features["terms"], *features["entities"]]
                conn.executemany("insert into story_df (key, df) values (?, 1) on conflict(key) "
                                 "do update set df = df + 1", [(k,) for k in keys])

    def _add_counts(self, conn: sqlite3.Connection, story_id: int, terms: dict[str, int],
                    entities: Iterable[str], sign: int) -> None:
        conn.executemany(
            "insert into story_terms (story_id, term, count) values (?, ?, ?) "
            "on conflict(story_id, term) do update set count = count + excluded.count",
            [(story_id, t, sign * c) for t, c in terms.items()])
        conn.executemany(
            "insert into story_entities (story_id, key, count) values (?, ?, ?) "
            "on conflict(story_id, key) do update set count = count + excluded.count",
            [(story_id, k, sign) for k in entities])
        if sign < 0:
            conn.execute("delete from story_terms where story_id = ? and count <= 0", (story_id,))
            conn.execute("delete from story_entities where story_id = ? and count <= 0",
                         (story_id,))

    def _refresh_story(self, conn: sqlite3.Connection, story_id: int) -> None:
        """A story's size and span from its articles (one indexed range); empty ones go."""
        n, first, last = conn.execute(
            "select count(*), min(coalesce(f.seen, substr(coalesce(a.published, "
            "a.ingested_at), 1, 10))), max(coalesce(f.seen, substr(coalesce(a.published, "
            "a.ingested_at), 1, 10))) from articles a left join article_features f "
            "on f.article_id = a.id where a.story_id = ?", (story_id,)).fetchone()
        if n == 0:
            conn.execute("delete from story_terms where story_id = ?", (story_id,))
            conn.execute("delete from story_entities where story_id = ?", (story_id,))
            conn.execute("update stories set articles = 0 where id = ?", (story_id,))
            return
        conn.execute("update stories set articles = ?, first_seen = ?, last_seen = ? "
                     "where id = ?", (n, first, last, story_id))

    def set_story_title(self, story_id: int, title: str) -> None:
        with self.transaction() as conn:
            conn.execute("update stories set title = ? where id = ?", (title, story_id))

    def new_story(self, title: str, created_at: str) -> int:
        with self.transaction() as conn:
            cur = conn.execute("insert into stories (created_at, title) values (?, ?)",
                               (created_at, title))
            return int(cur.lastrowid or 0)

    def take_out(self, article_id: int) -> dict[str, Any] | None:
        """Take an article's words and entities out of its story (before a move or split)."""
        rows = self._rows("select a.story_id, f.headline, f.terms, f.entities, f.seen "
                          "from articles a left join article_features f on f.article_id = a.id "
                          "where a.id = ?", (article_id,))
        if not rows:
            return None
        row = rows[0]
        features = {"headline": row["headline"] or "", "seen": row["seen"] or "",
                    "terms": json.loads(row["terms"] or "{}"),
                    "entities": json.loads(row["entities"] or "[]"),
                    "story_id": row["story_id"]}
        with self.transaction() as conn:
            self._add_counts(conn, row["story_id"], features["terms"], features["entities"], -1)
        return features

    def merge_stories(self, keep: int, gone: int) -> None:
        """Two stories turned out to be one: `gone`'s articles and postings join `keep`."""
        with self.transaction() as conn:
            conn.execute("update articles set story_id = ? where story_id = ?", (keep, gone))
            for table, column in (("story_terms", "term"), ("story_entities", "key")):
                conn.execute(
                    f"insert into {table} (story_id, {column}, count) select ?, {column}, "
                    f"count from {table} where story_id = ? and true on conflict(story_id, "
                    f"{column}) do update set count = count + excluded.count", (keep, gone))
                conn.execute(f"delete from {table} where story_id = ?", (gone,))
            conn.execute("update stories set merged_into = ?, articles = 0 where id = ?",
                         (keep, gone))
            conn.execute("update stories set merged_into = ? where merged_into = ?", (keep, gone))
            # Its prepared answers go; `keep`'s are prepared again by whoever merged (bot/stories).
            conn.execute("delete from prepared_summary where story_id = ?", (gone,))
            conn.execute("delete from prepared_events where story_id = ?", (gone,))
            conn.execute("delete from prepared_stories where story_id = ?", (gone,))
            self._refresh_story(conn, keep)

    def story_members(self, story_id: int, limit: int = 200) -> list[dict[str, Any]]:
        """The newest articles of a story with the headline and words each brought."""
        rows = self._rows(
            "select a.id, a.title, f.headline, f.terms from articles a left join "
            "article_features f on f.article_id = a.id where a.story_id = ? "
            "order by a.id desc limit ?", (story_id, limit))
        for row in rows:
            row["terms"] = json.loads(row["terms"] or "{}")
        return rows

    def live_story(self, story_id: int) -> int | None:
        """The story an id stands for now (a merged story's id leads to the one it joined)."""
        seen: set[int] = set()
        current: int | None = story_id
        while current is not None and current not in seen:
            seen.add(current)
            row = self.db.execute("select merged_into from stories where id = ?",
                                  (current,)).fetchone()
            if row is None:
                return None
            if row[0] is None:
                return current
            current = int(row[0])
        return None

    # ---------------------------------------------------------------- reading

    def count_stories(self, *, sources: Sequence[int] | None = None,
                      at_most: int | None = None) -> int:
        """Live stories (with an article of these sources); with at_most, counting stops after
        at_most + 1: an exact count reads every story of a big store."""
        seen, params = _with_visible(sources)
        live = f"select 1 from stories where articles > 0 and merged_into is null{seen}"
        if at_most is None:
            return int(self.db.execute(f"select count(*) from ({live}) live", params).fetchone()[0])
        return int(self.db.execute(f"select count(*) from ({live} limit ?) live",
                                   (*params, at_most + 1)).fetchone()[0])

    def story(self, story_id: int) -> dict[str, Any] | None:
        rows = self._rows("select id, title, first_seen, last_seen, articles, merged_into "
                          "from stories where id = ?", (story_id,))
        return rows[0] if rows else None

    def recent_stories(self, limit: int, offset: int = 0, *,
                       sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Stories by their latest coverage, newest first (the last_seen index); with
        `sources`, those with an article of one of them."""
        seen, params = _with_visible(sources)
        return self._rows(
            "select id, title, first_seen, last_seen, articles from stories "
            f"where articles > 0 and merged_into is null{seen} "
            "order by last_seen desc, id desc limit ? offset ?", (*params, limit, offset))

    def stories_by_ids(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        if not story_ids:
            return []
        return self._rows(
            f"select id, title, first_seen, last_seen, articles from stories "
            f"where id in ({_marks(story_ids)}) and articles > 0 "
            f"order by last_seen desc, id desc", tuple(story_ids))

    def stories_of_articles(self, article_ids: Sequence[int]) -> list[int]:
        if not article_ids:
            return []
        return list(dict.fromkeys(r[0] for r in self.db.execute(
            # The (id, source_id, story_id) index (m013): not the rows and their text.
            f"select story_id from articles indexed by idx_articles_id_source "
            f"where id in ({_marks(article_ids)}) order by id desc", tuple(article_ids)
        ).fetchall()))

    def story_article_ids(self, story_id: int, limit: int = 10_000, *,
                          sources: Sequence[int] | None = None) -> list[int]:
        """A story's articles in the order they were stored (first one first)."""
        clause, params = source_clause(sources)
        return [r[0] for r in self.db.execute(
            f"select id from articles where story_id = ?{clause} order by id limit ?",
            (story_id, *params, limit)).fetchall()]

    def story_heads(self, story_ids: Sequence[int], first: int, *,
                    sources: Sequence[int] | None = None) -> dict[int, tuple[int, list[int]]]:
        """Each story's article count and its first `first` articles, in one statement: a
        listing shows a few of each, and a big story's every id is thousands of rows."""
        counts: dict[int, int] = {int(s): 0 for s in story_ids}
        firsts: dict[int, list[int]] = {int(s): [] for s in story_ids}
        if not story_ids:
            return {}
        clause, params = source_clause(sources)
        for story_id, article_id, count in self.db.execute(
                "select story_id, id, n from (select story_id, id, "
                "count(*) over (partition by story_id) as n, "
                "row_number() over (partition by story_id order by id) as k from articles "
                f"where story_id in ({_marks(story_ids)}){clause}) heads "
                "where k <= ? order by story_id, id", (*story_ids, *params, first)):
            counts[story_id] = int(count)
            firsts[story_id].append(int(article_id))
        return {story_id: (counts[story_id], firsts[story_id]) for story_id in counts}

    def story_outlets_of(self, story_ids: Sequence[int], *,
                         sources: Sequence[int] | None = None) -> dict[int, list[str]]:
        """The outlets of each story, in the order they first carried it."""
        outlets: dict[int, list[str]] = {s: [] for s in story_ids}
        if not story_ids:
            return {}
        clause, params = source_clause(sources, "a.source_id", "a.id")
        # One row per outlet, not per article: a big story has thousands of articles.
        for story_id, outlet, _ in self.db.execute(
                f"select a.story_id, {_OUTLET} as outlet, min(a.id) as first_id from articles a "
                f"where a.story_id in ({_marks(story_ids)}){clause} "
                "group by a.story_id, outlet order by first_id",
                (*story_ids, *params)):
            outlets[story_id].append(outlet)
        return outlets

    def all_story_members(self, *, sources: Sequence[int] | None = None
                          ) -> list[tuple[int, int]]:
        """(story id, article id) of every stored article, by story (for the full listing)."""
        clause, params = source_clause(sources)
        return [(r[0], r[1]) for r in self.db.execute(
            f"select story_id, id from articles where 1 = 1{clause} order by story_id, id",
            params).fetchall()]

    def stories_titled(self, words: str, limit: int = 25) -> list[dict[str, Any]]:
        """Recent stories whose title contains the words (for autocomplete)."""
        pattern = "%" + words.strip().replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        return self._rows(
            "select id, title from stories where articles > 0 and merged_into is null "
            "and title like ? escape '\\' order by last_seen desc, id desc limit ?",
            (pattern, limit))


def _with_visible(sources: Sequence[int] | None) -> tuple[str, list[int]]:
    """SQL keeping the stories with an article of these sources (nothing for None: all)."""
    clause, params = source_clause(sources, "a.source_id", "a.id")
    if not clause:
        return "", []
    return (f" and exists (select 1 from articles a where a.story_id = stories.id{clause})",
            params)
