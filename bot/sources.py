"""Sources: /source add|list|remove|check|enable|import, OPML export, and the poller."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

from bot.config import FetchSettings
from bot.errors import FetchError, NotAnArticle, SourceExists, UserError
from bot.ingest import health
from bot.ingest.fetch import fetch, make_session
from bot.ingest.opml import parse_opml, to_opml
from bot.ingest.pages import parse_page
from bot.ingest.polite import HostLimiter
from bot.ingest.probe import Found, probe
from bot.ingest.service import Ingestor, IngestReport
from bot.ingest.urls import canonical_url
from bot.models import ArticleDraft, Reply, ReplyItem, Request
from bot.ports import SourceRegistry, Store

log = logging.getLogger(__name__)
# Full texts fetched per source and poll for feeds that carry only summaries: a feed with a
# hundred new items is read over several polls rather than hammering the site at once.
FULL_TEXT_PER_POLL = 20
POLL_CONCURRENCY = 32
# A disabled source is announced once, to the channel it was added from.
Notify = Callable[[dict, str], None]


def _now() -> datetime:
    return datetime.now(UTC)


def _check_url(url: str) -> str:
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise UserError(f"{url[:80]!r} is not a valid address.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"{url[:80]!r} is not an http or https address.")
    return url


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte, names no file
        return False


def _source_id(args: str) -> int:
    text = args.strip().lstrip("#")
    if not (text.isascii() and text.isdigit()):
        raise UserError(f"{args.strip()[:20]!r} is not a source number; see /source list.")
    if len(text) > 18:  # past SQLite's integers: no such source
        raise UserError(f"There is no source {text[:20]}; see /source list.")
    return int(text)


def _health(row: dict) -> health.SourceHealth:
    try:
        return health.SourceHealth.from_dict(json.loads(row.get("health") or "{}"))
    except (ValueError, TypeError):
        return health.SourceHealth()


@dataclass
class PollReport:
    """What one poll of the due sources did."""

    polled: int = 0
    unchanged: int = 0
    failed: int = 0
    disabled: list[int] = field(default_factory=list)


class Sources:
    """Source management and polling, on the store and the safe fetcher."""

    def __init__(self, store: Store, registry: SourceRegistry, ingestor: Ingestor,
                 settings: FetchSettings, *, notify: Notify | None = None,
                 on_new_articles: Callable[[list[int]], None] | None = None) -> None:
        self.table = registry
        self.store = store
        self.ingestor = ingestor
        self.settings = settings
        self.notify = notify
        self.on_new_articles = on_new_articles
        self.limiter = HostLimiter()

    @property
    def interval_s(self) -> int:
        return int(self.settings.poll_interval_s)

    def _get(self, args: str) -> dict:
        source_id = _source_id(args)
        row = self.table.get(source_id)
        if row is None:
            raise UserError(f"There is no source {source_id}; see /source list.")
        return row

    # ---------------------------------------------------------------- commands

    async def add(self, request: Request) -> Reply:
        parts = request.args.split(None, 1)
        url = _check_url(parts[0])
        found = await probe(url, self.settings)
        name = (parts[1].strip() if len(parts) > 1 else "") or found.title or url
        source_id = self.table.add(  # SourceExists says which source has the address
            canonical_url(url) or url, name[:100], found.kind, platform=request.platform,
            channel=request.channel, added_by=request.user,
            health=json.dumps(health.after_success(
                health.SourceHealth(), _now(), base_interval_s=self.interval_s).to_dict()),
        )
        # The first fetch fills the store but is not news: no digest or alert floods.
        report = await self._store(found.articles, source_id, backfill=True)
        self._remember_fetch(source_id, found, report)
        await self._fetch_full_texts(found, source_id, backfill=True)
        if found.kind == "feed":
            what = f"RSS/Atom feed “{found.title or name}” with {len(found.articles)} items"
        else:
            day = found.articles[0].published
            what = (f"article page “{found.title}”"
                    + (f" of {day.date().isoformat()}" if day else ""))
        return Reply(f"Added source {source_id}: {what}.",
                     (ReplyItem(f"{len(report.added)} new articles stored; polled every "
                                f"{health.span_text(self.interval_s)}."),),
                     data={"id": source_id, "kind": found.kind, "title": found.title,
                           "items": len(found.articles), "stored": len(report.added)})

    def list_sources(self, request: Request) -> Reply:
        rows = self.table.all()
        if not rows:
            return Reply.text("No sources yet: add one with /source add URL.", data=[])
        now = _now()
        items, data = [], []
        for row in rows:
            state = _health(row)
            state_text = health.describe(state, row["id"], now)
            extra = []
            if row.get("last_new_at"):
                extra.append(f"last new article {row['last_new_at'][:16].replace('T', ' ')}")
            if state.next_poll_at and state.status != "disabled":
                extra.append(f"next poll {state.next_poll_at.isoformat()[:16].replace('T', ' ')}")
            items.append(ReplyItem(f"{row['id']}. {row['name']} ({row['kind']})",
                                   f"{state.status}: {state_text}"
                                   + (f" ({'; '.join(extra)})" if extra else "")))
            data.append({"id": row["id"], "name": row["name"], "url": row["url"],
                         "kind": row["kind"], "status": state.status, "health": state_text,
                         "last_new_at": row.get("last_new_at"),
                         "articles": self.table.article_count(row["id"])})
        return Reply("Sources", tuple(items), footer="/source check ID fetches one now.",
                     data=data)

    def remove(self, request: Request) -> Reply:
        row = self._get(request.args)
        self.table.remove(row["id"])
        return Reply.text(f"Removed source {row['id']} ({row['name']}); its articles stay.")

    def enable(self, request: Request) -> Reply:
        row = self._get(request.args)
        state = health.enabled(_health(row), _now(), base_interval_s=self.interval_s)
        self.table.update(row["id"], health=json.dumps(state.to_dict()), enabled=1,
                          disabled_notified=0)
        return Reply.text(f"Source {row['id']} ({row['name']}) is enabled and will be polled now.")

    async def check(self, request: Request) -> Reply:
        row = self._get(request.args)
        outcome = await self.poll_one(row, _now())
        fresh = self.table.get(row["id"]) or row
        state_text = health.describe(_health(fresh), row["id"], _now())
        return Reply(f"Source {row['id']} ({row['name']}): {outcome}", (ReplyItem(state_text),),
                     data={"id": row["id"], "outcome": outcome, "health": state_text})

    async def import_opml(self, request: Request) -> Reply:
        where = request.args.strip()
        if where.startswith(("http://", "https://")):
            data = (await fetch(_check_url(where), self.settings)).body
        elif request.platform in ("cli", "console") and _is_file(where):
            try:
                data = Path(where).read_bytes()  # only a local user may name a local file
            except OSError as exc:
                raise UserError(f"Cannot read {where[:80]!r} ({exc.strerror}).") from None
        else:
            raise UserError("Give the OPML file's http(s) address.")
        added, skipped = [], 0
        for title, url in parse_opml(data):
            try:
                added.append(self.table.add(
                    canonical_url(url) or url, title[:100], "feed", platform=request.platform,
                    channel=request.channel, added_by=request.user,
                    health=json.dumps(health.SourceHealth(next_poll_at=_now()).to_dict())))
            except SourceExists:
                skipped += 1
        return Reply.text(
            f"Imported {len(added)} feeds" + (f" ({skipped} already there)" if skipped else "")
            + "; they are read at the next poll.", data={"added": added, "skipped": skipped})

    def export_opml(self) -> str:
        return to_opml((r["name"], r["url"]) for r in self.table.all())

    # ------------------------------------------------------------------ polling

    async def _store(self, drafts: tuple[ArticleDraft, ...] | list[ArticleDraft],
                     source_id: int, *, backfill: bool = False) -> IngestReport:
        report = await self.ingestor.store_drafts_async(list(drafts), source_id=source_id,
                                                        backfill=backfill)
        if report.added and not backfill and self.on_new_articles:
            self.on_new_articles(report.added)
        return report

    def _remember_fetch(self, source_id: int, found: Found, report: IngestReport) -> None:
        values = {"etag": found.fetched.etag, "last_modified": found.fetched.last_modified}
        if report.added:
            values["last_new_at"] = _now().isoformat(timespec="seconds")
        self.table.update(source_id, **values)

    async def _fetch_full_texts(self, found: Found, source_id: int, *, backfill: bool,
                                session: aiohttp.ClientSession | None = None) -> None:
        """Replace feed summaries by the linked pages' text where the pages can be read."""
        wanted = [a for a in found.articles if a.summary_only and a.url][:FULL_TEXT_PER_POLL]
        pages: list[ArticleDraft] = []
        for entry in wanted:
            stored = self.store.find_article(canonical_url(entry.url), "")
            if stored is None or not stored["summary_only"]:
                continue
            try:
                async with self.limiter.slot(entry.url):
                    fetched = await fetch(entry.url, self.settings, session=session)
                page = parse_page(fetched.body, fetched.url)
            except UserError:
                continue  # the feed's own title and summary stay: better than nothing
            pages.append(ArticleDraft(
                title=entry.title or page.title, text=page.text,
                published=entry.published or page.published,
                source=entry.source or page.source, url=entry.url,
                author=page.author or entry.author))
        if pages:
            await self.ingestor.store_drafts_async(pages, source_id=source_id, backfill=backfill)

    async def poll_one(self, row: dict, now: datetime,
                       session: aiohttp.ClientSession | None = None) -> str:
        """Fetch one source once, store what is new, record its health; return what happened."""
        state = _health(row)
        try:
            async with self.limiter.slot(row["url"]):
                found = await probe(row["url"], self.settings, etag=row.get("etag"),
                                    last_modified=row.get("last_modified"), session=session)
            report = await self._store(found.articles, row["id"])
            self._remember_fetch(row["id"], found, report)
            await self._fetch_full_texts(found, row["id"], backfill=False, session=session)
        except (FetchError, NotAnArticle) as exc:
            new_state = health.after_failure(state, exc, now, base_interval_s=self.interval_s)
            self._save_health(row, new_state)
            return str(exc)
        except UserError as exc:
            new_state = health.after_failure(state, exc, now, base_interval_s=self.interval_s)
            self._save_health(row, new_state)
            return str(exc)
        self._save_health(row, health.after_success(state, now, base_interval_s=self.interval_s))
        if found.kind == "unchanged":
            return "not modified since the last poll."
        return f"{len(report.added)} new of {len(found.articles)} articles."

    def _save_health(self, row: dict, state: health.SourceHealth) -> None:
        values: dict = {"health": json.dumps(state.to_dict()),
                        "enabled": int(state.status != "disabled")}
        if state.status == "disabled" and not row.get("disabled_notified"):
            values["disabled_notified"] = 1
            message = (f"Source {row['id']} ({row['name']}) was disabled: "
                       f"{health.describe(state, row['id'], _now())}")
            log.warning("source %s disabled: %s", row["id"], state.reason)
            if self.notify:
                # Told before the flag is stored: a crash in between tells again, and the
                # notice's nonce (fixed by the disabling) makes that the same post.
                self.notify({**row, **values}, message)
        self.table.update(row["id"], **values)

    async def poll_due(self, now: datetime | None = None) -> PollReport:
        """Poll every enabled source that is due, a bounded number at a time, politely per host."""
        now = now or _now()
        due = [r for r in self.table.all() if r["enabled"] and health.is_due(_health(r), now)]
        report = PollReport()
        if not due:
            return report
        gate = asyncio.Semaphore(POLL_CONCURRENCY)
        session = make_session(self.settings)
        try:
            async def one(row: dict) -> None:
                async with gate:
                    outcome = await self.poll_one(row, now, session)
                    report.polled += 1
                    state = _health(self.table.get(row["id"]) or row)
                    if state.status != "ok":
                        report.failed += 1
                        if state.status == "disabled":
                            report.disabled.append(row["id"])
                    elif outcome.startswith("not modified"):
                        report.unchanged += 1

            # A bug in one source's handling must not stop the others from updating.
            results = await asyncio.gather(*(one(r) for r in due), return_exceptions=True)
            for row, result in zip(due, results, strict=True):
                if isinstance(result, Exception):
                    log.error("poll of source %s failed unexpectedly: %s", row["id"],
                              type(result).__name__)
        finally:
            await session.close()
        return report

    def handlers(self) -> dict[str, Callable[[Request], Reply | Awaitable[Reply]]]:
        return {
            "source add": self.add,
            "source list": self.list_sources,
            "source remove": self.remove,
            "source check": self.check,
            "source enable": self.enable,
            "source import": self.import_opml,
        }


async def fetch_article(url: str, settings: FetchSettings) -> ArticleDraft:
    """One article from a URL (a page, or a feed's first item) for `newsdesk analyze URL`."""
    found = await probe(_check_url(url), settings)
    if not found.articles:
        raise NotAnArticle(f"{url[:80]} holds no article.")
    return found.articles[0]


async def fetch_drafts(urls: list[str], settings: FetchSettings,
                       report: IngestReport) -> list[ArticleDraft]:
    """Every article behind some URLs (feeds or pages), for `newsdesk ingest URL`."""
    drafts: list[ArticleDraft] = []
    for url in urls:
        try:
            found = await probe(_check_url(url), settings)
        except UserError as exc:
            report.failed.append(str(exc))
            continue
        drafts.extend(found.articles)
    return drafts
