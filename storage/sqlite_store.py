"""SqliteStore: articles, their analysis, sources and channel state in one SQLite file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot import people_rules
from bot.errors import SourceExists
from bot.models import Analysis, ArticleDraft, PersonMention, SourceRef, StoredPerson, iso_date
from bot.ports import KeyFn, PersonMatcher
from bot.stories.features import headline_of, looks_like_headline
from storage.opening import open_store
from storage.prepared import PreparedTables
from storage.schema import APPLICATION_ID, migrate
from storage.story_store import StoryTables
from storage.tenants import source_clause, visible_articles
from storage.transactions import SqliteTransaction, write_transaction

# /who for a tenant sums its own mentions exactly up to this many articles (see people_in).
EXACT_PEOPLE_ARTICLES = 20_000
PERSON_ARTICLES_CHECKED = 1000  # a person's newest articles looked at for a tenant's /who list
EVIDENCE_ARTICLES = 200  # newest articles of a story or person read to resolve a bare surname


# The index of articles holding (id, source_id, story_id) (m013): named where a read checks an
# article's source or story by its id, as SQLite would otherwise read the row and its text.
# PostgreSQL's dialect drops the hint (storage/pg/dialect.py).
BY_ARTICLE = "idx_articles_id_source"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fts_query(text: str) -> str:
    """Words of a user's topic as an FTS5 query that cannot be a syntax error."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join(f'"{w}"' for w in words[:12])




class SqliteStore(StoryTables, PreparedTables):
    """The Store port on SQLite through sqlite-utils (WAL, migrations, FTS5)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.read_only = False
        if path is None or str(path) == ":memory:":
            self.db = Database(memory=True)
            self.db.conn.execute("PRAGMA foreign_keys = ON")
            self.db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrate(self.db)
        else:
            # Checks what the file is before anything is written to it (storage/opening.py).
            opened = open_store(path)
            self.db, self.read_only = opened.db, opened.read_only
        self.path = str(path) if path else ":memory:"

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> AbstractContextManager[SqliteTransaction]:
        return write_transaction(self.db.conn)

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # ---------------------------------------------------------------- articles

    def find_article(self, canonical_url: str, content_hash: str) -> dict[str, Any] | None:
        """The stored article with this canonical URL or content hash, if any."""
        rows = self._rows(
            "select id, summary_only, story_id from articles where content_hash = ? "
            "or (canonical_url != '' and canonical_url = ?) limit 1",
            (content_hash, canonical_url),
        )
        return rows[0] if rows else None

    def recent_fingerprints(self, limit: int) -> list[tuple[int, bytes]]:
        """(story id, MinHash bytes) of the most recent articles, newest first."""
        return [(r[0], r[1]) for r in self.db.execute(
            "select story_id, fingerprint from articles where fingerprint is not null "
            "order by id desc limit ?", (limit,)).fetchall()]

    def count_articles(self, *, sources: Sequence[int] | None = None,
                       at_most: int | None = None) -> int:
        """How many articles (of these sources); with at_most, counting stops after at_most + 1
        (whether a tenant has any: `at_most=0`)."""
        clause, params = source_clause(sources)
        if at_most is None:
            return self.db.execute(f"select count(*) from articles where 1 = 1{clause}",
                                   params).fetchone()[0]
        return self.db.execute(f"select count(*) from (select 1 from articles where 1 = 1"
                               f"{clause} limit ?) seen", (*params, at_most + 1)).fetchone()[0]

    def save_article(
        self,
        draft: ArticleDraft,
        *,
        canonical_url: str,
        content_hash: str,
        analysis: Analysis,
        key: KeyFn,
        match: PersonMatcher,
        source_id: int | None = None,
        story_id: int | None = None,
        replace_id: int | None = None,
        fingerprint: bytes | None = None,
        backfill: bool = False,
    ) -> int | None:
        """Store an article and its analysis in one transaction; return its id.

        With replace_id, the stored article (a feed summary) is replaced by the full text and
        its analysis redone, keeping its id, story and everything that points at it.

        Return None, writing nothing, when another article already has this canonical URL or
        content: a concurrent poll or process stored it since the caller looked.
        """
        with self.transaction() as conn:
            # Checked again inside the write lock (BEGIN IMMEDIATE): the caller's look was
            # before the NLP pass, and another poll or `newsdesk ingest` may have saved since.
            clash = conn.execute(
                "select id from articles where id != ? and (content_hash = ? or "
                "(canonical_url != '' and canonical_url = ?)) limit 1",
                (replace_id if replace_id is not None else -1, content_hash, canonical_url),
            ).fetchone()
            if clash is not None:
                return None
            row = {
                "url": draft.url, "canonical_url": canonical_url, "content_hash": content_hash,
                "title": draft.title, "text": draft.text,
                "published": draft.published.isoformat() if draft.published else None,
                "source": draft.source, "author": draft.author,
                "summary_only": int(draft.summary_only), "ingested_at": _now(),
                "fingerprint": fingerprint, "backfill": int(backfill),
            }
            if replace_id is not None:
                article_id = replace_id
                self._forget_analysis(conn, article_id)
                self.db.table("articles").update(article_id, row)
            else:
                if story_id is None:
                    cur = conn.execute(
                        "insert into stories (created_at, title) values (?, ?)",
                        (_now(), draft.title),
                    )
                    story_id = int(cur.lastrowid or 0)
                row.update(source_id=source_id, story_id=story_id)
                cur = conn.execute(
                    f"insert into articles ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                    tuple(row.values()))
                article_id = int(cur.lastrowid or 0)
                self._refresh_story(conn, story_id)  # its size and span, for /stories
            self._save_analysis(conn, article_id, draft.text, analysis, key, match)
        return article_id

    def _forget_analysis(self, conn: sqlite3.Connection, article_id: int) -> None:
        for person_id, count, role in conn.execute(
            "select person_id, mentions, role from article_people where article_id = ?",
            (article_id,)
        ).fetchall():
            conn.execute("update people set mentions = mentions - ? where id = ?",
                         (count, person_id))
            if role:
                conn.execute("update person_roles set count = count - 1 "
                             "where person_id = ? and role = ?", (person_id, role))
        for table in ("article_people", "times", "events", "quotes", "sentences"):
            conn.execute(f"delete from {table} where article_id = ?", (article_id,))

    def _save_analysis(
        self, conn: sqlite3.Connection, article_id: int, text: str, analysis: Analysis,
        key: KeyFn, match: PersonMatcher,
    ) -> None:
        person_ids: dict[str, int] = {}
        story, published = conn.execute(
            "select story_id, published from articles where id = ?", (article_id,)).fetchone()
        for person in analysis.people:
            person_id = self._resolve_person(conn, person, key, match, story, published,
                                             taken=set(person_ids.values()),
                                             article_id=article_id)
            person_ids[person.name] = person_id
            for alias in person.aliases:
                person_ids.setdefault(alias, person_id)
            conn.execute(
                "insert into article_people (article_id, person_id, mentions, role, spans) "
                "values (?, ?, ?, ?, ?) on conflict(article_id, person_id) do update set "
                "mentions = mentions + excluded.mentions, role = coalesce(role, excluded.role)",
                (article_id, person_id, len(person.mentions) or 1, person.role,
                 json.dumps(person.mentions)),
            )
            conn.execute("update people set mentions = mentions + ? where id = ?",
                         (len(person.mentions) or 1, person_id))
            if person.role:
                conn.execute(
                    "insert into person_roles (person_id, role, count) values (?, ?, 1) "
                    "on conflict(person_id, role) do update set count = count + 1",
                    (person_id, person.role))
        conn.executemany(
            "insert into times (article_id, start, end, text, type, value, precision) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [(article_id, t.start, t.end, t.text, t.type, t.value, t.precision)
             for t in analysis.times],
        )
        conn.executemany(
            "insert into events (article_id, date, precision, text, people, position, event_key) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [(article_id, e.time.value, e.time.precision, e.text,
              json.dumps(sorted({person_ids[n] for n in e.people if n in person_ids})),
              e.sentence_start, e.time.value)
             for e in analysis.events],
        )
        conn.executemany(
            "insert into quotes (article_id, start, end, text, speaker, person_id, cue, quote_key) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, q.start, q.end, q.text, q.speaker,
              person_ids.get(q.speaker or "") or self._known_person(conn, q.speaker, key),
              q.cue, quote_key(q.text))
             for q in analysis.quotes],
        )
        conn.executemany(
            "insert into sentences (article_id, position, text) values (?, ?, ?)",
            [(article_id, i, text[s:e].strip()) for i, (s, e) in enumerate(analysis.sentences)],
        )

    def _known_person(self, conn: sqlite3.Connection, name: str | None, key: KeyFn) -> int | None:
        """A speaker the article's people pass missed, when exactly one stored person has that
        name (a quote must never be pinned on one of two namesakes)."""
        if not name or not name[:1].isupper():
            return None
        ids = conn.execute("select distinct person_id from person_aliases where key = ? limit 2",
                           (key(name),)).fetchall()
        return int(ids[0][0]) if len(ids) == 1 else None

    def _resolve_person(
        self, conn: sqlite3.Connection, person: PersonMention, key: KeyFn, match: PersonMatcher,
        story_id: int | None = None, published: str | None = None,
        taken: Collection[int] = (), article_id: int | None = None,
    ) -> int:
        """The stored person an article's entry is, or a new one: see bot/people_rules.py for
        the evidence a merge needs (a surname alone joins a full name only within its story)."""
        keys = {key(n) for n in (person.name, *person.aliases) if n}
        last = key(person.name.split()[-1]) if person.name.split() else ""
        ids = {r[0] for r in conn.execute(
            f"select distinct person_id from person_aliases where key in "
            f"({','.join('?' * len(keys))})", tuple(keys)).fetchall()} if keys else set()
        ids |= {r[0] for r in conn.execute(
            "select id from people where last_key = ? and kind = ? limit 50", (last, person.kind)
        ).fetchall()}
        # The article's other entries are other people: its extractor told them apart.
        candidates = self.people_by_ids(sorted(ids - set(taken)))
        if candidates and person.kind == "person":
            # The store's evidence is read only when a bare surname needs it.
            candidates = people_rules.admissible(
                person, candidates,
                lambda people: self._in_story(conn, people, story_id, article_id),
                lambda people: self._mentions_near(conn, people, published))
        chosen = match(person, candidates) if candidates else None
        if chosen is None:
            cur = conn.execute(
                "insert into people (name, kind, role, mentions, last_key) values (?, ?, ?, 0, ?)",
                (person.name, person.kind, person.role, last),
            )
            person_id = int(cur.lastrowid or 0)
        else:
            person_id = chosen.id
        for alias in {person.name, *person.aliases}:
            conn.execute(
                "insert into person_aliases (person_id, alias, key, count) values (?, ?, ?, 1) "
                "on conflict(person_id, alias) do update set count = count + 1",
                (person_id, alias, key(alias)),
            )
        self._refresh_person(conn, person_id)
        return person_id

    def _in_story(self, conn: sqlite3.Connection, people: Sequence[StoredPerson],
                  story_id: int | None, article_id: int | None) -> set[int]:
        """Which of these people the story's latest EVIDENCE_ARTICLES other articles name, or
        who named it in one of their own latest EVIDENCE_ARTICLES articles: bounded reads,
        where every article of a big story or of a well-known person grew with the archive."""
        if story_id is None:
            return set()
        marks = ",".join("?" * len(people))
        ids = [p.id for p in people]
        named = {r[0] for r in conn.execute(
            f"select distinct person_id from article_people where person_id in ({marks}) and "
            f"article_id in (select id from articles where story_id = ? and id != ? "
            f"order by id desc limit ?)",
            (*ids, story_id, article_id or 0, EVIDENCE_ARTICLES)).fetchall()}
        for person_id in set(ids) - named:
            if conn.execute(
                    "select 1 from (select article_id from article_people where person_id = ? "
                    "order by article_id desc limit ?) own join articles a on a.id = "
                    "own.article_id where a.story_id = ? limit 1",
                    (person_id, EVIDENCE_ARTICLES, story_id)).fetchone():
                named.add(person_id)
        return named

    def _mentions_near(self, conn: sqlite3.Connection, people: Sequence[StoredPerson],
                       published: str | None) -> dict[int, int]:
        """Each person's mentions in articles published within people_rules.NEAR of this
        date (all of them when the date is unknown), counted over their latest
        EVIDENCE_ARTICLES articles: enough to tell who dominates, and a bounded read."""
        if published is None:
            return {p.id: p.mentions for p in people}
        day = datetime.fromisoformat(published)
        low, high = (iso_date(day - people_rules.NEAR), iso_date(day + people_rules.NEAR))
        counts = {}
        for person in people:
            row = conn.execute(
                "select sum(own.mentions) from (select article_id, mentions from "
                "article_people where person_id = ? order by article_id desc limit ?) own "
                "join articles a on a.id = own.article_id "
                "where substr(a.published, 1, 10) between ? and ?",
                (person.id, EVIDENCE_ARTICLES, low, high)).fetchone()
            if row and row[0]:
                counts[person.id] = int(row[0])
        return counts

    def _refresh_person(self, conn: sqlite3.Connection, person_id: int) -> None:
        """Canonical name: the most used multi-word alias; role: the most reported one."""
        aliases = conn.execute(
            "select alias, count from person_aliases where person_id = ? "
            "order by (length(alias) - length(replace(alias, ' ', '')) > 0) desc, count desc, "
            "rowid", (person_id,)
        ).fetchall()
        if aliases:
            name = aliases[0][0]
            words = name.split()
            conn.execute("update people set name = ?, last_key = coalesce(?, last_key) "
                         "where id = ?", (name, words[-1].lower() if words else None, person_id))

    # ------------------------------------------------------- admins' corrections

    def merge_people(self, keep: int, gone: int) -> None:
        """Person `gone` is person `keep` (an admin's /who merge): everything of it moves."""
        with self.transaction() as conn:
            self._move_person(conn, gone, keep, None)
            conn.execute("delete from person_roles where person_id = ?", (gone,))
            conn.execute("delete from person_aliases where person_id = ?", (gone,))
            conn.execute("delete from people where id = ?", (gone,))
            self._refresh_person(conn, keep)

    def split_person(self, person_id: int, alias: str, key: KeyFn) -> int | None:
        """The articles where a person is written as `alias` become a new person (an admin's
        /who split); None when no article of the person writes it so."""
        wanted = key(alias)
        moving = []
        for article_id, spans, text in conn_rows(self.db, person_id):
            written = {key(text[s:e]) for s, e in json.loads(spans or "[]") if 0 <= s < e}
            if wanted in written:
                moving.append(article_id)
        if not moving:
            return None
        with self.transaction() as conn:
            cur = conn.execute("insert into people (name, kind, role, mentions, last_key) "
                               "select ?, kind, role, 0, ? from people where id = ?",
                               (alias, wanted, person_id))
            new_id = int(cur.lastrowid or 0)
            self._move_person(conn, person_id, new_id, moving)
            # The alias now names the new person only, so a later article joins it there.
            conn.execute("update person_aliases set person_id = ? where person_id = ? and "
                         "key = ?", (new_id, person_id, wanted))
            conn.execute("insert or ignore into person_aliases (person_id, alias, key, count) "
                         "values (?, ?, ?, 1)", (new_id, alias, wanted))
            self._refresh_person(conn, person_id)
            self._refresh_person(conn, new_id)
        return new_id

    def _move_person(self, conn: sqlite3.Connection, old: int, new: int,
                     article_ids: Sequence[int] | None) -> None:
        """Point a person's rows (of these articles, or all) at another person."""
        where, params = "person_id = ?", [old]
        if article_ids is not None:
            where += f" and article_id in ({','.join('?' * len(article_ids))})"
            params += list(article_ids)
        rows = conn.execute(f"select article_id, mentions, role, spans from article_people "
                            f"where {where}", params).fetchall()
        moved = 0
        for article_id, mentions, role, spans in rows:
            conn.execute(
                "insert into article_people (article_id, person_id, mentions, role, spans) "
                "values (?, ?, ?, ?, ?) on conflict(article_id, person_id) do update set "
                "mentions = mentions + excluded.mentions, role = coalesce(role, excluded.role)",
                (article_id, new, mentions, role, spans))
            if role:
                conn.execute(
                    "insert into person_roles (person_id, role, count) values (?, ?, 1) "
                    "on conflict(person_id, role) do update set count = count + 1", (new, role))
                conn.execute("update person_roles set count = count - 1 where person_id = ? "
                             "and role = ?", (old, role))
            moved += mentions
        conn.execute(f"delete from article_people where {where}", params)
        conn.execute("update people set mentions = mentions + ? where id = ?", (moved, new))
        conn.execute("update people set mentions = max(0, mentions - ?) where id = ?",
                     (moved, old))
        conn.execute(f"update quotes set person_id = ? where {where}", [new, *params])
        if article_ids is None:
            conn.execute(
                "insert into person_aliases (person_id, alias, key, count) select ?, alias, key, "
                "count from person_aliases where person_id = ? and true on conflict(person_id, "
                "alias) do update set count = count + excluded.count", (new, old))
        event_where = "article_id in (select article_id from article_people where " \
            "person_id = ?)" if article_ids is None else \
            f"article_id in ({','.join('?' * len(article_ids))})"
        event_params = [new] if article_ids is None else list(article_ids)
        for event_id, people in conn.execute(
                f"select id, people from events where {event_where}", event_params).fetchall():
            ids = json.loads(people or "[]")
            if old in ids:
                fixed = sorted({new if i == old else i for i in ids})
                conn.execute("update events set people = ? where id = ?",
                             (json.dumps(fixed), event_id))
        # The prepared answers of these articles' stories name the old person: they are
        # prepared again when next read (bot/stories/prepare.py _ensure).
        conn.execute(f"delete from prepared_stories where story_id in (select story_id from "
                     f"articles where id in (select article_id from events where {event_where}) "
                     f"or id in (select article_id from article_people where person_id = ?))",
                     [*event_params, new])

    def people_by_ids(self, ids: Sequence[int]) -> list[StoredPerson]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        people = self._rows(f"select * from people where id in ({marks})", tuple(ids))
        aliases: dict[int, list[str]] = {}
        for row in self._rows(
            f"select person_id, alias from person_aliases where person_id in ({marks}) "
            "order by count desc", tuple(ids)
        ):
            aliases.setdefault(row["person_id"], []).append(row["alias"])
        roles: dict[int, str] = {}
        for row in self._rows(
            f"select person_id, role from person_roles where person_id in ({marks}) "
            "and count > 0 order by count asc, length(role) asc", tuple(ids)
        ):
            roles[row["person_id"]] = row["role"]  # the last one written wins: the most reported
        return [
            StoredPerson(p["id"], p["name"], p["kind"], roles.get(p["id"]) or p["role"],
                         p["mentions"], tuple(aliases.get(p["id"], [])))
            for p in people
        ]

    # ----------------------------------------------------------------- queries

    def _at_most(self, sources: Sequence[int], n: int) -> bool:
        """Whether these sources hold at most n articles (counting stops after n + 1)."""
        # First the articles these sources brought first, from the (id, source_id) index (a
        # narrow walk, not the rows): past n already for any big share of a store.
        own, own_params = source_clause(sources, article=None)
        if self.db.execute(f"select count(*) from (select 1 from articles indexed by "
                           f"{BY_ARTICLE} where 1 = 1{own} limit ?) as own",
                           (*own_params, n + 1)).fetchone()[0] > n:
            return False
        clause, params = source_clause(sources)
        return self.db.execute(f"select count(*) from (select 1 from articles where 1 = 1{clause} "
                               f"limit ?) as visible", (*params, n + 1)).fetchone()[0] <= n

    def search_articles(self, topic: str, limit: int = 500, *,
                        sources: Sequence[int] | None = None) -> list[int]:
        """Articles matching a topic: full text over titles and text, and canonical names."""
        query = _fts_query(topic)
        if not query:
            return []
        seen, seen_params = visible_articles(sources, "articles_fts.rowid", BY_ARTICLE)
        ids = [r[0] for r in self.db.execute(
            # Newest matches first: FTS5 walks rowids backwards without ranking every match.
            f"select rowid from articles_fts where articles_fts match ?{seen} "
            f"order by rowid desc limit ?",
            (query, *seen_params, limit),
        ).fetchall()]
        person_ids = [r[0] for r in self.db.execute(
            "select rowid from people_fts where people_fts match ? limit 20", (query,)
        ).fetchall()]
        seen, seen_params = visible_articles(sources, "article_people.article_id", BY_ARTICLE)
        # For a tenant, among each person's newest PERSON_ARTICLES_CHECKED articles (someone
        # covered only elsewhere is not walked through all of theirs).
        among = "article_people" if not seen else (
            f"(select article_id from article_people where person_id = ? order by article_id "
            f"desc limit {PERSON_ARTICLES_CHECKED}) article_people")
        for person_id in person_ids:
            # One person at a time, newest first, stopping at `limit` (the index order): one
            # query for all of them would gather and sort every article of each (thousands for
            # someone well known in a big store) before keeping the newest.
            where = "1 = 1" if seen else "person_id = ?"
            ids += [r[0] for r in self.db.execute(
                f"select article_id from {among} where {where}{seen} "
                f"order by article_id desc limit ?", (person_id, *seen_params, limit),
            ).fetchall()]
        return sorted(set(ids), reverse=True)[:limit]

    def recent_articles(self, limit: int = 200, *,
                        sources: Sequence[int] | None = None) -> list[int]:
        clause, params = source_clause(sources)
        return [r[0] for r in self.db.execute(
            f"select id from articles where 1 = 1{clause} order by id desc limit ?",
            (*params, limit)).fetchall()]

    def people_in(self, article_ids: Sequence[int] | None, limit: int = 25, *,
                  sources: Sequence[int] | None = None) -> list[StoredPerson]:
        """People of these articles (all when None, within `sources` when given), most
        mentioned first."""
        seen, seen_params = visible_articles(sources, "article_people.article_id", BY_ARTICLE)
        if article_ids is None and sources is not None \
                and self._at_most(sources, EXACT_PEOPLE_ARTICLES):
            rows = self._rows(
                f"select person_id id, sum(mentions) mentions from article_people "
                f"where 1 = 1{seen} group by person_id order by mentions desc limit ?",
                (*seen_params, limit))
            counts = {r["id"]: r["mentions"] for r in rows}
        elif article_ids is None and sources is not None:
            # A large share of a big store: summing every mention costs seconds, so the most
            # mentioned people overall that have an article here come first (their counts
            # are the store's).
            counts = {}
            for offset in range(0, 50 * 200, 200):  # a page of candidates at a time
                page = self._rows("select id, mentions from people where mentions > 0 "
                                  "order by mentions desc limit 200 offset ?", (offset,))
                if not page:
                    break
                # One candidate at a time, stopping at `limit`, among each one's newest
                # PERSON_ARTICLES_CHECKED articles: someone seen everywhere but here is not
                # walked through every article of theirs (a walk that grows with the store).
                for row in page:
                    if self.db.execute(
                            f"select exists (select 1 from (select article_id from "
                            f"article_people where person_id = ? order by article_id desc "
                            f"limit {PERSON_ARTICLES_CHECKED}) article_people where 1 = 1{seen})",
                            (row["id"], *seen_params)).fetchone()[0]:
                        counts[row["id"]] = row["mentions"]
                        if len(counts) >= limit:
                            break
                if len(counts) >= limit:
                    break
            counts = dict(list(counts.items())[:limit])
        elif article_ids is None:
            rows = self._rows(
                # Ties: the newest person first (the order SQLite's index gives), stated so
                # that every backend answers alike.
                "select id, mentions from people where mentions > 0 "
                "order by mentions desc, id desc limit ?", (limit,))
            counts = {r["id"]: r["mentions"] for r in rows}
        else:
            if not article_ids:
                return []
            marks = ",".join("?" * len(article_ids))
            rows = self._rows(
                f"select person_id id, sum(mentions) mentions from article_people "
                f"where article_id in ({marks}) group by person_id "
                f"order by mentions desc, person_id desc limit ?", (*article_ids, limit))
            counts = {r["id"]: r["mentions"] for r in rows}
        people = {p.id: p for p in self.people_by_ids(list(counts))}
        result = []
        for person_id, mentions in counts.items():
            p = people[person_id]
            arts = tuple(r[0] for r in self.db.execute(
                f"select article_id from article_people where person_id = ?{seen} "
                f"order by article_id desc limit 10", (person_id, *seen_params)).fetchall())
            if article_ids is not None:
                wanted = set(article_ids)
                arts = tuple(a for a in arts if a in wanted) or arts
            result.append(StoredPerson(p.id, p.name, p.kind, p.role, mentions, p.aliases, arts))
        return result

    def persons_named(self, query: str, key: KeyFn, limit: int = 10) -> list[StoredPerson]:
        """People whose alias equals the query or whose name contains its words."""
        ids = [r[0] for r in self.db.execute(
            "select person_id from person_aliases where key = ? limit ?", (key(query), limit)
        ).fetchall()]
        fts = _fts_query(query)
        if fts:
            ids += [r[0] for r in self.db.execute(
                "select rowid from people_fts where people_fts match ? limit ?", (fts, limit)
            ).fetchall()]
        ids += [r[0] for r in self.db.execute(
            "select id from people where last_key = ? limit ?", (key(query), limit)).fetchall()]
        unique = list(dict.fromkeys(ids))
        people = sorted(self.people_by_ids(unique), key=lambda p: -p.mentions)
        return people

    def names_like(self, prefix: str, limit: int = 25) -> list[str]:
        """Canonical names whose name or any alias starts with the prefix, most mentioned first."""
        pattern = prefix.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return [r[0] for r in self.db.execute(
            "select p.name from people p where p.mentions > 0 and exists (select 1 from "
            "person_aliases a where a.person_id = p.id and (a.alias like ? escape '\\' "
            "or a.alias like ? escape '\\')) order by p.mentions desc limit ?",
            (pattern, "% " + pattern, limit)).fetchall()]

    def articles_of_person(self, person_id: int, limit: int = 200, *,
                           sources: Sequence[int] | None = None) -> list[int]:
        seen, seen_params = visible_articles(sources, "article_people.article_id", BY_ARTICLE)
        return [r[0] for r in self.db.execute(
            f"select article_id from article_people where person_id = ?{seen} "
            f"order by article_id desc limit ?", (person_id, *seen_params, limit)).fetchall()]

    def events_in(self, article_ids: Sequence[int], limit: int = 400, *,
                  person_id: int | None = None) -> list[dict[str, Any]]:
        """Events of these articles, oldest date first; with person_id, only those they are in
        (chosen in SQL: a well-known person's articles hold hundreds of others' events)."""
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        who = "" if person_id is None else \
            " and exists (select 1 from json_each(people) where value = ?)"
        rows = self._rows(
            # The story: only articles of one story can corroborate each other's events.
            f"select e.article_id, e.date, e.precision, e.text, e.people, e.position, "
            f"a.story_id from events e join articles a on a.id = e.article_id "
            f"where e.article_id in ({marks}){who} order by e.date limit ?",
            (*article_ids, *(() if person_id is None else (person_id,)), limit))
        return self._named_events(rows)

    def _named_events(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Event rows with their people's ids (person_ids) and current names (people)."""
        for row in rows:
            row["person_ids"] = tuple(json.loads(row["people"] or "[]"))
        ids = sorted({i for row in rows for i in row["person_ids"]})
        names = dict(self.db.execute(
            f"select id, name from people where id in ({','.join('?' * len(ids))})",
            ids).fetchall()) if ids else {}
        for row in rows:
            row["people"] = tuple(names[i] for i in row["person_ids"] if i in names)
        return rows

    def quotes_in(
        self, article_ids: Sequence[int] | None, *, person_ids: Sequence[int] = (),
        words: str = "", limit: int = 200, sources: Sequence[int] | None = None,
    ) -> list[dict[str, Any]]:
        if person_ids and article_ids is None and not words:
            return self._quotes_of(person_ids, limit, sources)
        clauses: list[str] = []
        params: list[Any] = []
        seen, seen_params = visible_articles(sources, "q.article_id", BY_ARTICLE)
        if seen:
            clauses.append(seen.removeprefix(" and "))
            params += seen_params
        if article_ids is not None:
            if not article_ids:
                return []
            clauses.append(f"q.article_id in ({','.join('?' * len(article_ids))})")
            params += list(article_ids)
        if person_ids:
            # Their quotes, and other outlets' copies of them (same words, speaker unresolved).
            marks = ",".join("?" * len(person_ids))
            clauses.append(f"(q.person_id in ({marks}) or q.quote_key in (select quote_key "
                           f"from quotes where person_id in ({marks})))")
            params += list(person_ids) * 2
        if words:
            clauses.append("q.text like ? escape '\\'")
            escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        where = f"where {' and '.join(clauses)}" if clauses else ""
        return self._rows(
            f"select q.article_id, q.start, q.text, q.speaker, q.person_id, q.quote_key, "
            f"p.name person_name from quotes q left join people p on p.id = q.person_id "
            f"{where} order by q.article_id desc, q.start limit ?", (*params, limit))

    _QUOTE_COLUMNS = ("select q.article_id, q.start, q.text, q.speaker, q.person_id, "
                      "q.quote_key, p.name person_name from quotes q "
                      "left join people p on p.id = q.person_id ")

    def _quotes_of(self, person_ids: Sequence[int], limit: int,
                   sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """A person's newest quotes, then other outlets' copies of them whose speaker the
        extractor could not name (two indexed lookups; an OR would scan every quote); with
        sources, only those of their articles (each row checked by the article index)."""
        marks = ",".join("?" * len(person_ids))
        seen, seen_params = visible_articles(sources, "q.article_id", BY_ARTICLE)
        own = self._rows(
            f"{self._QUOTE_COLUMNS} where q.person_id in ({marks}){seen} "
            f"order by q.article_id desc, q.start limit ?", (*person_ids, *seen_params, limit))
        found = {r["quote_key"] for r in own if r["quote_key"]}
        if seen:  # the words they said in other tenants' articles: copies here are theirs too
            found |= {r[0] for r in self.db.execute(
                f"select quote_key from quotes where person_id in ({marks}) "
                f"and quote_key is not null order by article_id desc limit ?",
                (*person_ids, limit)).fetchall()}
        keys = sorted(found)
        if not keys:
            return own
        copies = self._unattributed_copies(keys, limit, sources)
        return sorted(own + copies, key=lambda r: (-r["article_id"], r["start"]))[:limit]

    def _unattributed_copies(self, keys: Sequence[str], limit: int,
                             sources: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """The newest copies of these quotes whose speaker the extractor could not name (with
        sources, only in those sources' articles)."""
        seen, seen_params = visible_articles(sources, "q.article_id", BY_ARTICLE)
        return self._rows(
            # The partial index of unattributed quotes (m012) holds only such copies: neither
            # the attributed copies of a quote nor all unattributed quotes (both grow with the
            # store) are walked. Named, because the planner prefers the person index for IS NULL.
            f"select q.article_id, q.start, q.text, q.speaker, q.person_id, q.quote_key, "
            f"p.name person_name from quotes q indexed by idx_quotes_unattributed "
            f"left join people p on p.id = q.person_id "
            f"where q.quote_key in ({','.join('?' * len(keys))}) and q.person_id is null{seen} "
            f"order by q.article_id desc limit ?", (*keys, *seen_params, limit))

    def sentences_in(self, article_ids: Sequence[int]) -> list[dict[str, Any]]:
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        return self._rows(
            f"select article_id, position, text from sentences where article_id in ({marks}) "
            f"order by article_id, position", tuple(article_ids))

    def refs(self, article_ids: Iterable[int]) -> dict[int, SourceRef]:
        ids = sorted(set(article_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._rows(
            f"select id, title, source, url, published from articles where id in ({marks})",
            tuple(ids))
        # A title-less article (or one titled by a wire id) is cited by its first sentence.
        untitled = [r["id"] for r in rows if not looks_like_headline(r["title"] or "")]
        leads = {r[0]: r[1] for r in self.db.execute(
            f"select id, substr(text, 1, 600) from articles where id in "
            f"({','.join('?' * len(untitled))})", tuple(untitled)).fetchall()} if untitled else {}
        return {
            r["id"]: SourceRef(r["id"], headline_of(r["title"] or "", leads.get(r["id"], "")),
                               r["source"] or "", r["url"] or "",
                               iso_date(datetime.fromisoformat(r["published"]))
                               if r["published"] else None)
            for r in rows
        }

    def article(self, article_id: int) -> dict[str, Any] | None:
        rows = self._rows("select * from articles where id = ?", (article_id,))
        return rows[0] if rows else None


class SourceTable:
    """Sources and their health, over the same database as the articles."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self.db = store.db

    def add(self, url: str, name: str, kind: str, *, platform: str = "", channel: str = "",
            added_by: str = "", health: str | None = None, tenant: str = "default") -> int:
        """A new source, followed by the tenant that added it (its subscription takes the
        source's number when that is free, so the first follower sees the same number)."""
        existing = self.db.execute("select id from sources where url = ?", (url,)).fetchone()
        if existing:
            raise SourceExists(existing[0])
        with self.store.transaction() as conn:
            now = _now()
            cur = conn.execute(
                "insert into sources (url, name, kind, platform, channel, added_by, added_at, "
                "enabled, health) values (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                (url, name, kind, platform, channel, added_by, now, health))
            source_id = int(cur.lastrowid or 0)
            taken = conn.execute("select 1 from subscriptions where id = ?",
                                 (source_id,)).fetchone()
            values = (tenant, source_id, name, platform, channel, added_by, now)
            if taken:
                conn.execute("insert into subscriptions (tenant, source_id, name, platform, "
                             "channel, added_by, added_at) values (?, ?, ?, ?, ?, ?, ?)", values)
            else:
                conn.execute("insert into subscriptions (id, tenant, source_id, name, platform, "
                             "channel, added_by, added_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                             (source_id, *values))
            return source_id

    def get(self, source_id: int) -> dict[str, Any] | None:
        rows = self.store._rows("select * from sources where id = ?", (source_id,))
        return rows[0] if rows else None

    def all(self) -> list[dict[str, Any]]:
        return self.store._rows("select * from sources order by id")

    def update(self, source_id: int, **values: Any) -> None:
        with self.store.transaction():
            self.db.table("sources").update(source_id, values)

    def remove(self, source_id: int) -> bool:
        """Forget a source; its articles stay in the store."""
        with self.store.transaction() as conn:
            conn.execute("update articles set source_id = null where source_id = ?",
                         (source_id,))
            # Whoever followed it follows it no more: their routes, filters and links go too.
            conn.execute("delete from route_filters where route_id in (select r.id from routes r "
                         "join subscriptions b on b.id = r.subscription_id where b.source_id = ?)",
                         (source_id,))
            conn.execute("delete from routes where subscription_id in (select id from "
                         "subscriptions where source_id = ?)", (source_id,))
            conn.execute("delete from subscriptions where source_id = ?", (source_id,))
            conn.execute("delete from article_sources where source_id = ?", (source_id,))
            return conn.execute("delete from sources where id = ?", (source_id,)).rowcount > 0

    def article_count(self, source_id: int) -> int:
        return self.db.execute("select count(*) from articles where source_id = ?",
                               (source_id,)).fetchone()[0]

    def lease(self, source_id: int, now: str, seconds: float) -> bool:
        """One process polls an SQLite store's sources: it always may (see PgSourceTable)."""
        return True

    def release(self, source_id: int) -> None:
        return None


def conn_rows(db: Any, person_id: int) -> list[tuple[int, str, str]]:
    """(article id, mention spans, text) of each article of a person."""
    return db.execute(
        "select ap.article_id, ap.spans, a.text from article_people ap join articles a "
        "on a.id = ap.article_id where ap.person_id = ?", (person_id,)).fetchall()


def quote_key(text: str) -> str:
    """Quotes carried by several outlets match on their words, whatever the marks or case."""
    words = "".join(c.lower() if c.isalnum() else " " for c in text).split()
    return " ".join(words)[:200]
